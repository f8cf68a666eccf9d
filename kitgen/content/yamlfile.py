"""Reading one YAML file safely: plain data only, a line for every mapping and key, and
every problem a :class:`~kitgen.core.findings.Finding` in a consultant's words.

No pydantic here: the no-op build path reads manifests and paths without the content model.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from kitgen.core.findings import Finding
from kitgen.content.loadcache import kept_yaml
from kitgen.content.yamlnodes import YamlProblem

MAX_FILE_BYTES = 2_000_000
# XML 1.0 forbids these characters; python-pptx/python-docx would write a corrupt file.
ILLEGAL_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    absolute = Path(path).absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def read_yaml(path: Path, sources: dict[str, str] | None = None, raw: bytes | None = None) -> Any:
    """Parse one YAML file safely; raise :class:`YamlProblem` with file and line on failure.

    ``sources``, when given, records the sha256 of the very bytes parsed (display path →
    digest): the per-organisation input graph hashes what was loaded, not a second read.
    ``raw``: the file's bytes when the caller has read them already.
    """
    shown = display_path(path)
    try:
        if raw is None:
            raw = path.read_bytes()
        if sources is not None:
            sources[shown] = hashlib.sha256(raw).hexdigest()
    except OSError as exc:
        raise YamlProblem(Finding("error", "file/unreadable", f"cannot read file: {exc.strerror}", shown)) from None
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(
            Finding("error", "file/too-large", f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}", shown)
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem(Finding(
            "error", "yaml/encoding",
            "file is not UTF-8 text (it was probably saved as Windows-1252/Latin-1). Save it as UTF-8: in VS Code, "
            "click the encoding in the status bar (bottom right) → Save with Encoding → UTF-8; in Notepad, "
            "File → Save As → Encoding: UTF-8", shown, line)) from None
    from kitgen.content.yamlparse import parse_text  # PyYAML only when a file is really parsed (not for a kept one)

    return parse_text(text, shown)


def read_yaml_kept(path: Path) -> Any:
    """:func:`read_yaml` for kitgen's own layouts files, with the parsed data kept between runs by
    the file's bytes (:mod:`kitgen.core.cache`, "content"); a file with a mistake is parsed, and reported, every time."""
    try:
        raw = path.read_bytes()
    except OSError:
        return read_yaml(path)  # says what is wrong with the file
    return kept_yaml(path, display_path(path), hashlib.sha256(raw).hexdigest(), lambda: read_yaml(path, raw=raw))
