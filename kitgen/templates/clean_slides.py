"""Cleaning a client PowerPoint package: ink the shape tree cannot hold, fixed words on masters and layouts."""

from __future__ import annotations

import re

from lxml import etree

from kitgen.core.findings import Finding
from kitgen.templates.clean_base import _PARSER, A_NS, P_NS, Where, _bytes

SHAPE_TREE_PARTS = ("ppt/slideMasters/", "ppt/slideLayouts/", "ppt/slides/")
KEPT_TEXT = re.compile(r"©|\(c\)\s*\d{4}|all rights reserved|alle rechte|^(public|internal|confidential|restricted|"
                       r"offentlig|intern|fortrolig|vertraulich)$", re.IGNORECASE)


def _drop_ink(parts: dict, name: str, where: Where, findings: list[Finding]) -> None:
    """Ink drawn on a master, layout or slide (``p:contentPart`` in its shape tree): python-pptx
    has no shape for it and stops on it, so it is left out, with a note. Ink that Office wrote
    with a picture fallback (``mc:AlternateContent``) is not in the shape tree and stays."""
    for part in sorted(p for p in parts if p.startswith(SHAPE_TREE_PARTS) and p.endswith(".xml")):
        if b"contentPart" not in parts[part]:
            continue
        root = etree.fromstring(parts[part], _PARSER)
        ink = [e for e in root.iter(f"{{{P_NS}}}contentPart")
               if e.getparent() is not None and etree.QName(e.getparent()).localname in ("spTree", "grpSp")]
        if not ink:
            continue
        for element in ink:
            element.getparent().remove(element)
        parts[part] = _bytes(root)
        findings.append(Finding("info", "template/ink-removed", f"'{name}': {part} has {len(ink)} ink drawing(s), which "
                                "kitgen cannot carry into a deck; they are left out (redraw them as shapes or a picture "
                                "to keep them)", where.file, where.line, where.field))


def _clear_fixed_text(parts: dict, name: str, where: Where, findings: list[Finding]) -> None:
    """Words a master or layout writes in a text box of its own (not a placeholder: a course name, a
    person's name and e-mail) would show on every slide of every kit; their runs are cleared (the box,
    its fill and lines stay), with one note naming the words. Fields (slide numbers, dates), copyright
    lines and a classification label (PUBLIC, INTERNAL …) are the client's own and stay."""
    cleared, where_found = [], set()
    for part in sorted(p for p in parts if p.startswith(SHAPE_TREE_PARTS[:2]) and p.endswith(".xml")):
        if b"<a:t>" not in parts[part] and b"<a:t " not in parts[part]:
            continue
        root = etree.fromstring(parts[part], _PARSER)
        changed = False
        for shape in root.iter(f"{{{P_NS}}}sp"):
            if shape.find(f"{{{P_NS}}}nvSpPr/{{{P_NS}}}nvPr/{{{P_NS}}}ph") is not None:
                continue  # a placeholder: kitgen fills it or leaves it out
            runs = list(shape.iter(f"{{{A_NS}}}r"))
            text = " ".join(" ".join("".join(t.text or "" for t in r.iter(f"{{{A_NS}}}t")) for r in runs).split())
            if not any(ch.isalpha() for ch in text) or KEPT_TEXT.search(text):
                continue
            for run in runs:
                run.getparent().remove(run)
            changed = True
            if text not in cleared:
                cleared.append(text)
            where_found.add(part.split("/")[1])
        if changed:
            parts[part] = _bytes(root)
    if cleared:
        shown = ", ".join(f"'{text[:60]}'" for text in cleared[:4]) + (f" and {len(cleared) - 4} more" if len(cleared) > 4 else "")
        findings.append(Finding("info", "template/fixed-text-cleared", f"'{name}': its {' and '.join(sorted(where_found)).replace('slideLayouts', 'layouts').replace('slideMasters', 'slide masters')} "
                                f"write {shown} in text boxes that are not placeholders, so the words would show on every "
                                "slide of every kit; kitgen clears them (to show such words, put them in a placeholder or "
                                "in the deck's content)", where.file, where.line, where.field))
