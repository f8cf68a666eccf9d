"""Cleaning a client Word package: fields that reach outside the file, style "based on" cycles."""

from __future__ import annotations

from lxml import etree

from kitgen.core.findings import Finding
from kitgen.templates.clean_base import _PARSER, W_NS, Where, _bytes, _error

# Word fields that fetch or run something outside the file when the document opens or a field
# updates: pictures and text from a path or URL (a UNC path sends the reader's Windows
# credentials), links to other programs' data, DDE (runs a program), an external database.
OUTSIDE_FIELDS = frozenset({"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO", "DATABASE"})
MAX_FIELD_DEPTH = 64  # nested fields deeper than this: the file is refused as damaged


def _field_name(instruction: str) -> str:
    words = instruction.replace("\\", " ").split()
    return words[0].upper().lstrip("\\") if words else ""


def _drop_fields(parts: dict, name: str, where: Where, findings: list[Finding]) -> None:
    """Word fields that reach outside the file (:data:`OUTSIDE_FIELDS`), in every Word part (body,
    headers, footers, notes, glossary): a simple field (``w:fldSimple``) is replaced by its shown
    result; a complex one (``w:fldChar`` begin … ``w:instrText`` … separate … result … end) loses
    its instruction and markers, its shown result stays as plain text. Each removal is named."""
    w = f"{{{W_NS}}}"
    for part in sorted(p for p in parts if p.startswith("word/") and p.endswith(".xml")):
        data = parts[part]
        if b"instr" not in data:
            continue
        root = etree.fromstring(data, _PARSER)
        removed: list[str] = []
        for simple in list(root.iter(f"{w}fldSimple")):
            instruction = simple.get(f"{w}instr", "")
            if _field_name(instruction) in OUTSIDE_FIELDS and simple.getparent() is not None:
                parent, index = simple.getparent(), simple.getparent().index(simple)
                for offset, child in enumerate(list(simple)):
                    parent.insert(index + offset, child)
                parent.remove(simple)
                removed.append(instruction.strip())
        removed += _drop_complex_fields(root, part, name, where)
        if not removed:
            continue
        parts[part] = _bytes(root)
        for instruction in removed:
            findings.append(Finding("info", "template/outside-field-removed",
                f"'{name}': {part} has the field {{{instruction[:100]}}}, which fetches or runs something outside the "
                "file when the document opens; kitgen keeps only the text it shows", where.file, where.line, where.field))


def _drop_complex_fields(root, part: str, name: str, where: Where) -> list[str]:
    w = f"{{{W_NS}}}"
    order = {e: i for i, e in enumerate(root.iter())}  # holds every proxy: lxml hands back the same objects
    stack: list[dict] = []
    fields = []
    for element in root.iter(f"{w}fldChar", f"{w}instrText"):
        if element.tag == f"{w}instrText":
            if stack and stack[-1]["separate"] is None:
                stack[-1]["instr"].append(element)
            continue
        kind = element.get(f"{w}fldCharType")
        if kind == "begin":
            if len(stack) >= MAX_FIELD_DEPTH:
                raise _error(where, "template/damaged", f"'{name}': {part} nests fields more than {MAX_FIELD_DEPTH} deep; "
                             "save the file again from Word")
            stack.append({"begin": element, "instr": [], "separate": None})
        elif kind == "separate" and stack:
            stack[-1]["separate"] = element
        elif kind == "end" and stack:
            field = stack.pop()
            field["end"] = element
            fields.append(field)
    removed = []
    doomed: set = set()
    runs = [r for r in root.iter(f"{w}r")]
    for field in fields:
        instruction = "".join(e.text or "" for e in field["instr"])
        if _field_name(instruction) not in OUTSIDE_FIELDS:
            continue
        removed.append(instruction.strip())
        first = order[field["begin"]]
        last = order[field["separate"] if field["separate"] is not None else field["end"]]
        for run in runs:  # the instruction: every run strictly between begin and separate (nested fields too)
            if first < order[run] < last:
                doomed.add(run)
        for marker in (field["begin"], field["separate"], field["end"]):
            if marker is not None:
                doomed.add(marker)
    if not removed:
        return []
    for element in list(order):
        if element in doomed and element.getparent() is not None:
            run = element.getparent()
            run.remove(element)
            if run.tag == f"{w}r" and all(child.tag == f"{w}rPr" for child in run) and run.getparent() is not None:
                run.getparent().remove(run)
    return removed


def _break_style_cycles(parts: dict, name: str, where: Where, findings: list[Finding]) -> None:
    """A Word style based on itself, or on a style that is based on it (A → B → A): Word ignores
    it, but anything that follows "based on" to find a setting would go round for ever. The
    "based on" that closes each cycle is removed (the style then stands on its own), with a
    finding saying how to fix the template. One pass over the styles, each visited once."""
    for part in sorted(p for p in parts if p.startswith("word/") and p.endswith("styles.xml")):
        if b"basedOn" not in parts[part]:
            continue
        root = etree.fromstring(parts[part], _PARSER)
        w = f"{{{W_NS}}}"
        styles = {}
        for style in root.iter(f"{w}style"):
            styles.setdefault(style.get(f"{w}styleId"), style)
        base = {}
        for sid, style in styles.items():
            based = style.find(f"{w}basedOn")
            if based is not None:
                base[sid] = based
        state: dict = {}  # sid → 1 on the current path, 2 done
        broken = []
        for start in styles:
            path = []
            sid = start
            while sid in styles and state.get(sid) is None:  # each style is entered once: at most len(styles) steps in all
                state[sid] = 1
                path.append(sid)
                based = base.get(sid)
                sid = based.get(f"{w}val") if based is not None else None
            if sid in styles and state.get(sid) == 1:  # back on the current path: a cycle
                cycle = path[path.index(sid):]
                closing = base[cycle[-1]]
                closing.getparent().remove(closing)
                broken.append(cycle + [sid])
            for visited in path:
                state[visited] = 2
        if not broken:
            continue
        parts[part] = _bytes(root)
        for cycle in broken:
            shown = " → ".join(f"'{_style_name(styles[s], s)}'" for s in cycle[:8]) + (" …" if len(cycle) > 8 else "")
            what = "is based on itself" if len(cycle) == 2 else f"is based on a style that is based on it ({shown})"
            findings.append(Finding("warning", "template/style-cycle",
                f"'{name}': the Word style '{_style_name(styles[cycle[-2]], cycle[-2])}' {what}; kitgen ignores that "
                "'based on'. To fix the template: in Word, Styles → Modify that style → 'Style based on': choose "
                "another style (e.g. Normal or '(no style)') and save", where.file, where.line, where.field))


def _style_name(style, sid: str) -> str:
    named = style.find(f"{{{W_NS}}}name")
    return (named.get(f"{{{W_NS}}}val") if named is not None else None) or sid or "?"
