"""Translation through gettext PO files: every text an organisation's kit shows that lacks a
language goes out to a translator, and the translations come back into the content's
``{da: …, en: …}`` fields.

One PO entry per text:

* ``msgctxt`` — the content file and the key path of the text (``content/tools/iglo.yaml:steps[2]``);
  a short slide text adds ``#slide`` (``…:steps[2]#slide``);
* ``msgid`` — the text in the content's language (what the translator translates);
* the translator comment says what the text is and where it shows; the reference is file:line.

Import writes each translation next to its source text, keeping the files' comments and
layout (ruamel.yaml round-trip). A plain string becomes ``{da: …, en: …}``; a mapping keeps its
``from:``, ``editorial`` and ``slide:``. An entry whose source text has changed since the export
is not written and is reported with its file and line, so a translation never lands on a text it
was not made for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from kitgen.core import atomicfile
from kitgen.core.textfield import LANGUAGES, Text, iter_texts
from kitgen.build.inputs import content_graph
from kitgen.build.recorded import display_to_key, key_path as input_path
from kitgen.content.load import load_content
from kitgen.content.model import Block
from kitgen.content.schema import model_for
from kitgen.content.validation_errors import _line_at, validate_document
from kitgen.content.yamlfile import YamlProblem, read_yaml
from kitgen.core import yamlwrite

SLIDE_MARK = "#slide"
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\.")

# Where a text shows, by the first field of its key path (for the translator's comment).
_SHOWN = {
    "title": "a slide title, and the worksheets and facilitator notes",
    "headline": "a slide title",
    "purpose": "the deck and the facilitator notes",
    "steps": "the deck's steps and the facilitator notes",
    "questions": "the deck and the worksheets",
    "text": "the deck and the worksheets",
    "notes": "the speaker notes and the facilitator notes",
    "facilitator_notes": "the facilitator notes",
    "worksheet": "the participants' worksheets",
    "diagram": "a figure in the deck and the worksheets",
    "blocks": "the programme: slide titles, run-sheet and notes",
    "quotes": "a quote slide and the facilitator notes",
    "lines": "a role-play script in the facilitator notes",
}


@dataclass
class Entry:
    file: str            # display path of the content file (content/…)
    path: tuple          # key path inside the file
    slide: bool          # the short slide text, not the text itself
    source: str          # the text in the content's language
    line: int | None     # line in the file, when known
    label: str           # what the text belongs to (for the comment)

    @property
    def context(self) -> str:
        return f"{self.file}:{format_path(self.path)}{SLIDE_MARK if self.slide else ''}"


@dataclass
class ImportReport:
    written: int = 0
    files: set = field(default_factory=set)
    problems: list = field(default_factory=list)  # (file, line, message)


def format_path(path: tuple) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def parse_path(text: str) -> tuple:
    steps: list = []
    pos = 0
    for match in _STEP.finditer(text):
        if match.start() != pos:
            raise ValueError(text)
        pos = match.end()
        if match.group(1):
            steps.append(match.group(1))
        elif match.group(2):
            steps.append(int(match.group(2)))
    if pos != len(text) or not steps:
        raise ValueError(text)
    return tuple(steps)


def _texts(obj: Any) -> Iterator[tuple[tuple, Text]]:
    """Every :class:`Text` in a loaded object that came from the file, with its key path."""
    for path, text, _owner, _field in iter_texts(obj):
        yield path, text


def _override_texts(variant) -> Iterator[tuple[tuple, Text]]:
    """The texts a variant's ``override`` gives (plain data in the model), as Block would read them."""
    from pydantic import TypeAdapter, ValidationError

    for block_id, fields in (getattr(variant, "override", None) or {}).items():
        for name, value in (fields or {}).items():
            field = Block.model_fields.get(name)
            if field is None:
                continue
            try:
                typed = TypeAdapter(field.annotation).validate_python(value)
            except ValidationError:
                continue
            for sub, text, _owner, _field in iter_texts(typed):
                yield ("override", block_id, name, *sub), text


def file_entries(path: Path, shown: str, source_language: str, language: str,
                 hidden: tuple[set, set] = (set(), set())) -> list[Entry]:
    """The texts of one content file that have no ``language`` translation. ``hidden``: block ids a
    variant drops, and (block id, field) pairs it overrides: the kit does not show those texts."""
    data = read_yaml(path)
    model = model_for(path.parent.name, data)
    if model is None:
        return []
    obj, problems = validate_document(model, data, path)
    if obj is None:
        return []
    label = f"{path.parent.name[:-1] if path.parent.name.endswith('s') else path.parent.name} '{getattr(obj, 'id', path.stem)}'"
    entries = []
    dropped, overridden = hidden
    blocks = getattr(obj, "blocks", None) or []

    def shown_in_kit(key_path: tuple) -> bool:
        if len(key_path) > 2 and key_path[0] == "blocks" and isinstance(key_path[1], int) and key_path[1] < len(blocks):
            block_id = blocks[key_path[1]].id
            return block_id not in dropped and (block_id, key_path[2]) not in overridden
        return True

    for key_path, text in [*_texts(obj), *_override_texts(obj)]:
        if not shown_in_kit(key_path):
            continue
        line = _line_at(data, key_path)
        if not text.has(language) and text.get(source_language).strip():
            entries.append(Entry(shown, key_path, False, text.get(source_language), line, label))
        if text.slide and language not in text.slide:
            source = text.slide.get(source_language) or next(iter(text.slide.values()))
            entries.append(Entry(shown, key_path, True, source, line, label))
    return entries


def export(content_dir: Path, org_id: str, language: str, out: Path) -> int:
    """Write a PO file of every text ``org_id``'s kit shows that lacks ``language``; the count."""
    import polib

    content, _findings = load_content(content_dir)
    org = content.orgs[org_id]
    source_language = content.meta.language
    files, _missing = content_graph(content, org)
    dropped, overridden, current = set(), set(), org.programme
    while current in content.variants:  # what the org's variant (and those it extends) leaves out or replaces
        variant = content.variants[current]
        dropped |= set(variant.drop)
        overridden |= {(block_id, name) for block_id, fields in variant.override.items() for name in (fields or {})}
        current = variant.extends
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"kitgen content for {org_id}",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": source_language,
    }
    seen = set()
    for shown in files:
        key = display_to_key(shown, content_dir)
        path = input_path(key, content_dir, Path("layouts"))
        if not path.is_file():
            continue
        for entry in file_entries(path, key, source_language, language, (dropped, overridden)):
            if entry.context in seen:
                continue
            seen.add(entry.context)
            where = _SHOWN.get(str(entry.path[0]), "the kit")
            what = "short slide text of " if entry.slide else ""
            po.append(polib.POEntry(
                msgctxt=entry.context, msgid=entry.source, msgstr="",
                tcomment=f"{what}{entry.label}, {format_path(entry.path)}: shown in {where}",
                occurrences=[(entry.file, str(entry.line))] if entry.line else [(entry.file, "")]))
    out.parent.mkdir(parents=True, exist_ok=True)
    atomicfile.write_text(out, str(po))
    return len(po)


def import_po(content_dir: Path, po_file: Path) -> ImportReport:
    """Write the translated entries of ``po_file`` into the content files they came from."""
    import polib

    po = polib.pofile(str(po_file), wrapwidth=0)
    language = (po.metadata.get("Language") or "").split("_")[0].lower()
    report = ImportReport()
    if language not in LANGUAGES:
        report.problems.append((str(po_file), None, f"the PO file's Language header is '{language or '(none)'}'; "
                                                    f"set it to one of {', '.join(LANGUAGES)}"))
        return report
    source_language = po.metadata.get("X-Source-Language") or "da"
    by_file: dict[str, list] = {}
    for entry in po:
        if entry.obsolete or entry.fuzzy or not entry.msgstr.strip():
            continue
        context = entry.msgctxt or ""
        file, _, rest = context.rpartition(":")
        slide = rest.endswith(SLIDE_MARK)
        try:
            steps = parse_path(rest[: -len(SLIDE_MARK)] if slide else rest)
        except ValueError:
            report.problems.append((str(po_file), entry.linenum, f"msgctxt '{context}' is not a file and key path from "
                                                                 "'kitgen translate export'; leave msgctxt as exported"))
            continue
        by_file.setdefault(file, []).append((steps, slide, entry))
    for file, items in sorted(by_file.items()):
        _import_file(content_dir, file, items, language, source_language, report)
    return report


def _import_file(content_dir: Path, file: str, items: list, language: str, source_language: str,
                 report: ImportReport) -> None:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    path = input_path(file, content_dir, Path("layouts"))
    if not path.is_file():
        report.problems.append((file, None, "this content file does not exist (moved or renamed since the export?); "
                                            "export again and translate the new file"))
        return
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2) if _sequence_offset(path) else None
    with path.open("r", encoding="utf-8") as handle:
        data = yaml.load(handle)
    changed = 0
    for steps, slide, entry in items:
        parent, key, line = _locate(data, steps)
        where = line + 1 if line is not None else None
        if parent is None:
            report.problems.append((file, None, f"{format_path(steps)}: no such text in the file any more; "
                                                "export again"))
            continue
        value = parent[key]
        current = _source_of(value, slide, source_language)
        if current is None:
            report.problems.append((file, where, f"{format_path(steps)}: not a text kitgen can translate here"))
            continue
        if " ".join(current.split()) != " ".join(entry.msgid.split()):
            report.problems.append((file, where, f"{format_path(steps)}{' (slide text)' if slide else ''}: the source "
                                                 "text changed since the export; not written. Export again and "
                                                 "translate the new text"))
            continue
        translation = _scalar(entry.msgstr.strip())
        if slide:
            slide_value = value["slide"]
            if isinstance(slide_value, dict):
                slide_value[language] = translation
            else:
                value["slide"] = CommentedMap([(source_language, slide_value), (language, translation)])
        elif isinstance(value, dict):
            keys = list(value.keys())
            position = keys.index(source_language) + 1 if source_language in keys else 0
            if language in value:
                value[language] = translation
            else:
                value.insert(position, language, translation)
        else:
            parent[key] = CommentedMap([(source_language, value), (language, translation)])
        changed += 1
    if not changed:
        return
    import io

    buffer = io.StringIO()
    yaml.dump(data, buffer)
    text = buffer.getvalue()
    # Check the new file loads as the same kind of content before it replaces the old one.
    temporary = path.with_name(f".{path.name}.translated")
    try:
        temporary.write_text(text, encoding="utf-8")
        try:
            parsed = read_yaml(temporary)
        except YamlProblem as problem:
            report.problems.append((file, None, f"the translated file would not load ({problem.finding.message}); "
                                                "nothing written to it"))
            return
        model = model_for(path.parent.name, parsed)
        if model is not None:
            obj, findings = validate_document(model, parsed, temporary)
            if obj is None:
                report.problems.append((file, None, "the translated file would not load "
                                                    f"({findings[0].message if findings else 'unknown'}); nothing written to it"))
                return
    finally:
        temporary.unlink(missing_ok=True)
    atomicfile.write_text(path, text)
    report.written += changed
    report.files.add(file)


def _scalar(text: str):
    """A translation as YAML writes it safely: a literal block for plain multi-line text, else
    double-quoted with every special character escaped (:func:`kitgen.core.yamlwrite.text_value`): a
    line or paragraph separator in a PO file can never start a new key."""
    plain_lines = "\n" in text and not any(
        (ord(c) < 32 and c not in "\n\t") or c in "\u2028\u2029\u0085\ufeff" for c in text)
    if plain_lines:
        from ruamel.yaml.scalarstring import LiteralScalarString

        return LiteralScalarString(text + "\n")
    return yamlwrite.text_value(text)


def _sequence_offset(path: Path) -> bool:
    """Whether the file indents list items under their key (``key:\\n  - item``)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.lstrip()
        if stripped.startswith("- "):
            return len(line) - len(stripped) > 0
    return True


def _locate(data: Any, steps: tuple):
    """(parent, key, 0-based line) of ``steps`` in ruamel data; parent None when absent."""
    node, parent, key = data, None, None
    for step in steps:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return None, None, None
        elif not isinstance(node, dict) or step not in node:
            return None, None, None
        parent, key, node = node, step, node[step]
    line = None
    try:
        line = parent.lc.item(key)[0] if isinstance(parent, list) else parent.lc.value(key)[0]
    except (AttributeError, KeyError, TypeError, IndexError):
        pass
    return parent, key, line


def _source_of(value: Any, slide: bool, source_language: str) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if slide:
        if not isinstance(value, dict) or "slide" not in value:
            return None
        slide_value = value["slide"]
        if isinstance(slide_value, dict):
            return str(slide_value.get(source_language, "")) or None
        return str(slide_value)
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and source_language in value:
        return str(value[source_language])
    return None
