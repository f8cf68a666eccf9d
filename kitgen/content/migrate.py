"""``kitgen migrate``: rewrite older content to the current schema, keeping the author's comments.

Schema 1 → 2 changes the shape of programmes: blocks given by clock times (``start`` and
``end``) become blocks with an ``id`` and ``minutes``, their clock flowing from the slot's
start; a block that does not start where the one before ended keeps its ``start`` (it is
pinned). The rewrite works on the file's lines, not on a re-dump of the YAML, so comments,
quoting and the order of fields stay as the author wrote them; only the ``start``/``end``
lines of each block change. Every rewritten file is parsed again and its clock compared
with the original's before it is written: a migration never changes a kit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kitgen.core.findings import Finding
from kitgen.content.load import yaml_files
from kitgen.content.yamlnodes import LineDict
from kitgen.content.yamlfile import YamlProblem, display_path, read_yaml
from kitgen.content.validation_errors import validate_document
from kitgen.content.yamlparse import _parse
from kitgen.content.model import SCHEMA_VERSION, ContentMeta, Programme, parse_clock
from kitgen.content.schedule import normal_clock, resolve_clock

META_TEXT = f"""\
# What this content folder is written in.
# schema_version: the shape of the files (2: durations, block ids, variants, texts per language).
#   `kitgen migrate` rewrites older content to the current version.
# language: the language of a plain text field; give other languages as {{da: …, en: …}}.
schema_version: {SCHEMA_VERSION}
language: da
"""


@dataclass
class Migration:
    changed: dict[Path, str] = field(default_factory=dict)  # path -> new text
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def slug(title: str, taken: set[str]) -> str:
    """A block id from its title: "Øvelse 1: Pejlemærker" → "oevelse-1-pejlemaerker"."""
    text = unicodedata.normalize("NFKD", str(title).translate(_DANISH))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    base = ""
    for word in words:
        if len(base) + len(word) + 1 > 32 and base:
            break
        base = f"{base}-{word}" if base else word
    base = base or "blok"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _comment(line: str) -> str:
    """The trailing comment of a YAML line (`  end: "10:30"  # note` → `  # note`), if any."""
    match = re.search(r"""\s+#[^"']*$""", line)
    return match.group(0) if match else ""


def migrate_programme(path: Path, text: str, data: LineDict) -> tuple[str | None, str | None]:
    """(new text, None) or (None, why it cannot be migrated) or (None, None) when nothing to do."""
    if not isinstance(data, dict) or "extends" in data or not isinstance(data.get("blocks"), list):
        return None, None
    slot = data.get("slot") if isinstance(data.get("slot"), dict) else {}
    previous_end = parse_clock(normal_clock(str(slot.get("start", ""))))
    lines = text.splitlines(keepends=True)
    taken = {b["id"] for b in data["blocks"] if isinstance(b, dict) and isinstance(b.get("id"), str)}
    edits: list[tuple[int, int, list[str]]] = []  # (line index to replace, line index to delete, new lines)
    for index, block in enumerate(data["blocks"]):
        if not isinstance(block, LineDict):
            return None, f"block {index + 1} is not a mapping"
        if "minutes" in block or not ("start" in block and "end" in block):
            previous_end = None
            continue
        start, end = parse_clock(normal_clock(str(block["start"]))), parse_clock(normal_clock(str(block["end"])))
        if start is None or end is None or end <= start:
            return None, f"block '{block.get('title')}' (line {block.line}) has clock times that do not parse; fix them first"
        first, second = sorted((block.key_lines["start"] - 1, block.key_lines["end"] - 1))
        if first == second or "{" in lines[first]:
            return None, f"block '{block.get('title')}' (line {block.line}) is written on one line; rewrite it by hand"
        prefix = re.match(r"^(\s*(?:-\s+)?)", lines[first]).group(1)
        indent = " " * len(prefix)
        new: list[str] = []
        if "id" not in block:
            new.append(f"id: {slug(block.get('title', ''), taken)}")
        if start != previous_end:
            start_line = lines[block.key_lines["start"] - 1]
            written = re.search(r"start:[^#]*", start_line).group(0).strip()
            new.append(f"{written}  # pinned: the time before it is free")
        new.append(f"minutes: {end - start}" + _comment(lines[block.key_lines['end'] - 1].rstrip("\n")))
        rendered = [(prefix if i == 0 else indent) + item + "\n" for i, item in enumerate(new)]
        edits.append((first, second, rendered))
        previous_end = end
    if not edits:
        return None, None
    for first, second, rendered in sorted(edits, reverse=True):
        del lines[second]
        lines[first:first + 1] = rendered
    return "".join(lines), None


def _clock(programme: Programme) -> list[tuple[str | None, str | None]]:
    return [(b.start, b.end) for b in resolve_clock(programme).blocks]


def plan_migration(root: Path) -> Migration:
    """What ``kitgen migrate`` would change under the content folder ``root``."""
    migration = Migration()
    meta_path = root / "content.yaml"
    if not meta_path.is_file():
        migration.changed[meta_path] = META_TEXT
    else:
        text = meta_path.read_text(encoding="utf-8")
        try:
            meta, problems = validate_document(ContentMeta, read_yaml(meta_path), meta_path)
        except YamlProblem as problem:
            migration.findings.append(problem.finding)
            meta, problems = None, []
        migration.findings.extend(problems)
        if meta is not None and meta.schema_version < SCHEMA_VERSION:
            if re.search(r"(?m)^schema_version:", text):
                text = re.sub(r"(?m)^schema_version:\s*\d+", f"schema_version: {SCHEMA_VERSION}", text)
            else:
                text = f"schema_version: {SCHEMA_VERSION}\n" + text
            migration.changed[meta_path] = text
    for path in yaml_files(root / "programmes"):
        try:
            data = read_yaml(path)
        except YamlProblem as problem:
            migration.findings.append(problem.finding)
            continue
        text = path.read_text(encoding="utf-8-sig")
        new_text, why = migrate_programme(path, text, data)
        shown = display_path(path)
        if why:
            migration.findings.append(Finding("error", "migrate/by-hand", f"cannot rewrite this programme: {why}", shown, 1))
            continue
        if new_text is None:
            continue
        before, _ = validate_document(Programme, data, path)
        after, problems = validate_document(Programme, _parse(new_text), path)
        if before is None or after is None or _clock(before) != _clock(after):
            migration.findings.append(Finding(
                "error", "migrate/by-hand",
                "the rewritten programme would not keep its clock times; nothing was changed in this file",
                shown, 1))
            continue
        migration.changed[path] = new_text
    return migration
