"""Word pages: the footer's page fields, section orientation, the document's language,
numbering that restarts per list, and drawing ids unique across the document.

The few pieces of WordprocessingML for the pages of kitgen's two Word files that
python-docx has no API for (the table and content-control pieces are in :mod:`kitgen.ooxml.wordml`).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from kitgen.ooxml.wordml import R_PR_ORDER, insert_in_order
from kitgen.ooxml.stamp import stamp

W_PPR, W_PSTYLE, W_VAL = qn("w:pPr"), qn("w:pStyle"), qn("w:val")

LANGUAGE_TAGS = {"da": "da-DK", "en": "en-GB"}


def _field_runs(instruction: str, shown: str) -> list:
    """A complex field (``w:fldChar`` begin/separate/end around ``w:instrText``): Word and
    LibreOffice recompute PAGE and NUMPAGES on every layout; ``shown`` is the cached result."""
    runs = []
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None), (None, shown), ("end", None)):
        run = OxmlElement("w:r")
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run.append(char)
        elif text == shown:
            t = OxmlElement("w:t")
            t.text = text
            run.append(t)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run.append(instr)
        runs.append(run)
    return runs


def add_page_x_of_y(paragraph, pattern: str) -> None:
    """Write ``pattern`` ("Side {page} af {pages}") with PAGE and NUMPAGES fields in it."""
    parts = pattern.replace("{pages}", "\0pages\0").replace("{page}", "\0page\0").split("\0")
    for part in parts:
        if part == "page":
            paragraph._p.extend(_field_runs("PAGE", "1"))
        elif part == "pages":
            paragraph._p.extend(_field_runs("NUMPAGES", "1"))
        elif part:
            paragraph.add_run(part)


def set_orientation(section, landscape: bool) -> None:
    """Turn a section's page: ``w:pgSz w:orient`` and the swapped width and height (Word
    reads the sizes, the orient attribute only names them)."""
    from docx.enum.section import WD_ORIENT

    width, height = section.page_width, section.page_height
    if landscape != (width > height):
        section.page_width, section.page_height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT


def set_language(document, language: str) -> str:
    """Make ``language`` ("da"/"en") the document's language: ``w:lang w:val`` in the
    docDefaults and in every style that sets its own (so the spelling checker and
    hyphenation use it). Returns the tag written (da-DK, en-GB)."""
    tag = LANGUAGE_TAGS.get(language, language)
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    r_pr_default = defaults.find(qn("w:rPrDefault"))
    if r_pr_default is None:
        r_pr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, r_pr_default)
    r_pr = r_pr_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        r_pr_default.append(r_pr)
    _set_lang(r_pr, tag)
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), tag)
    return tag


def _set_lang(r_pr, tag: str) -> None:
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        insert_in_order(r_pr, lang, R_PR_ORDER)
    lang.set(qn("w:val"), tag)


def tag_run_language(run, language: str) -> None:
    """Mark one run as written in ``language`` (a quote in English in a Danish document)."""
    _set_lang(run._r.get_or_add_rPr(), LANGUAGE_TAGS.get(language, language))


def restart_numbering(document, paragraphs, style_num_id: int | None = None) -> None:
    """Give ``paragraphs`` (List Number paragraphs) their own numbering that starts at 1.

    A new ``w:num`` on the same ``w:abstractNum`` as the List Number style's, with
    ``w:lvlOverride/w:startOverride`` 1, referenced from each paragraph's ``w:numPr``:
    Word and LibreOffice then count each tool's steps from 1 instead of running on.
    """
    if not paragraphs:
        return
    numbering = document.part.numbering_part.element
    if style_num_id is None:
        known = document.__dict__.setdefault("_kitgen_style_num_ids", {})  # style id → numId, per document
        style = paragraphs[0]._p.style
        if style not in known:
            known[style] = _style_num_id(document, paragraphs[0])
        style_num_id = known[style]
    if style_num_id is None:
        return
    base = numbering.num_having_numId(style_num_id)
    num = numbering.add_num(base.abstractNumId.val)
    override = num.add_lvlOverride(ilvl=0)
    override.add_startOverride(1)
    num_id = str(num.numId)
    for paragraph in paragraphs:
        p = paragraph._p
        p_pr = p.find(W_PPR)
        if p_pr is not None and len(p_pr) == 1 and p_pr[0].tag == W_PSTYLE:  # the usual List Number paragraph:
            num_pr = stamp("numPr", _num_pr)  # its numPr goes right after the style, as python-docx puts it
            num_pr[1].set(W_VAL, num_id)
            p_pr.append(num_pr)
            continue
        p_pr = p.get_or_add_pPr()
        num_pr = p_pr.get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num.numId


def _num_pr():
    """``w:numPr`` with ``w:ilvl`` 0 and a ``w:numId``, as python-docx makes it (kept, copied)."""
    num_pr = OxmlElement("w:pPr").get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = 0
    return num_pr


def _style_num_id(document, paragraph) -> int | None:
    style = document.styles.element.get_by_id(paragraph._p.style) if paragraph._p.style else None
    while style is not None:
        num_pr = style.pPr.numPr if style.pPr is not None else None
        if num_pr is not None and num_pr.numId is not None:
            return num_pr.numId.val
        based = style.basedOn_val
        style = document.styles.element.get_by_id(based) if based else None
    return None


def unique_drawing_ids(document) -> None:
    """Number every ``wp:docPr`` of the document, its headers and footers 1, 2, 3 …

    python-docx numbers pictures per part, so the logo in the header and the first figure
    in the body both get id 1; Word wants the ids unique across the whole document (the
    Open XML SDK reports duplicates, and Word may repair the file).
    """
    parts = [document.part] + sorted((p for p in document.part.package.iter_parts()
                                      if p.partname.endswith(".xml") and ("/header" in p.partname or "/footer" in p.partname)),
                                     key=lambda p: p.partname)
    number = 0
    for part in parts:
        element = getattr(part, "element", None)
        if element is None:
            continue
        for doc_pr in element.iter(qn("wp:docPr")):
            number += 1
            doc_pr.set("id", str(number))
