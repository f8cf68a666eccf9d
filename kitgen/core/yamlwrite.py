"""The one way kitgen writes YAML: a YAML emitter (ruamel.yaml, round-trip), never formatted strings.

Every value that comes from a file or a person (an organisation's name, a theme font, a layout
name, a block title) goes through the emitter as a double-quoted scalar, which escapes control
characters and the line and paragraph separators (U+0085, U+2028, U+2029) that a YAML parser
would read as a line break. Comments are kitgen's own words; a value shown in a comment is the
emitter's quoted form with the same characters escaped (:func:`comment`), so it cannot end the
comment. :func:`dumps` then reads its own text back with a safe loader and refuses it unless it
is exactly the document's data: nothing a file held can add a key.

Starter files (``kitgen new …``) are kitgen's own commented YAML, read with the round-trip loader
(:func:`starter`) and given their values here, so their comments survive.

API::

    document() -> CommentedMap           quoted(value) -> str            comment(text) -> str
    text_value(value) -> scalar          flow(mapping) -> CommentedMap   starter(text) -> CommentedMap
    dumps(doc) -> str                    write(path, doc)                # atomically (kitgen.core.atomicfile)
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from kitgen.core.atomicfile import write_text

# What must never appear raw in a comment (or anywhere but an escape): C0/C1 controls, DEL,
# the separators U+2028/U+2029, the BOM, and lone surrogates (undecodable file names).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


class UnsafeYaml(ValueError):
    """The emitted text would not read back as the document (a kitgen bug: nothing is written)."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_unicode = True
    yaml.preserve_quotes = True  # a starter's "09:00" stays quoted (PyYAML would read 09:00 as a number)
    yaml.width = 1_000_000  # one line per value: no folding of long names
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def document() -> CommentedMap:
    return CommentedMap()


def text_value(value) -> DoubleQuotedScalarString:
    """A string from outside kitgen, written double-quoted (every special character escaped)."""
    return DoubleQuotedScalarString(str(value))


def flow(mapping: dict) -> CommentedMap:
    """A mapping written on one line, ``{master: 1, layout: "Titel"}``."""
    found = CommentedMap(mapping)
    found.fa.set_flow_style()
    return found


def _escape(text: str) -> str:
    def one(match) -> str:
        code = ord(match.group(0))
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return UNSAFE.sub(one, text)


def quoted(value) -> str:
    """``value`` as the emitter writes it in a mapping (``"Arial"``, ``12``), on one line."""
    stream = io.StringIO()
    _yaml().dump({"v": text_value(value) if isinstance(value, str) else value}, stream)
    return _escape(stream.getvalue().split(": ", 1)[1].rstrip("\n"))


def comment(text: str) -> str:
    """``text`` safe inside one comment line: line breaks and control characters shown escaped."""
    return _escape(str(text).replace("\r\n", "\n").replace("\n", "\\n").replace("\r", "\\r").replace("\t", " "))


def set_comment_before(mapping: CommentedMap, key, lines: list[str], indent: int = 0) -> None:
    """Comment lines written above ``key`` of ``mapping`` (each made safe by :func:`comment`)."""
    mapping.yaml_set_comment_before_after_key(key, before="\n".join(comment(line) for line in lines), indent=indent)


def set_header(mapping: CommentedMap, lines: list[str]) -> None:
    """Comment lines at the top of the file."""
    mapping.yaml_set_start_comment("\n".join(comment(line) for line in lines))


def starter(text: str) -> CommentedMap:
    """kitgen's own commented YAML (a starter file), read to be filled in and dumped with its comments."""
    return _yaml().load(text)


def plain(value):
    """The document's data as a safe loader gives it back (for the read-back check)."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, CommentedSeq)):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def dumps(doc) -> str:
    """The document as YAML text, checked: read back, it is the document's data and nothing more."""
    stream = io.StringIO()
    _yaml().dump(doc, stream)
    text = stream.getvalue()
    import yaml as pyyaml

    try:
        again = pyyaml.safe_load(text)
    except pyyaml.YAMLError as exc:
        raise UnsafeYaml(f"kitgen wrote YAML it cannot read back ({exc})") from None
    if again != plain(doc):
        raise UnsafeYaml("kitgen wrote YAML that reads back differently; nothing was written")
    return text


def write(path: Path, doc) -> None:
    """Write the document to ``path`` atomically (temporary file, fsync, rename)."""
    write_text(Path(path), dumps(doc))
