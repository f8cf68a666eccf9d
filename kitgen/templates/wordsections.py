"""A client's Word sections reconciled with a worksheet's: no line numbers, no page-number
restart, no page numbers of the template's own in its headers and footers (kitgen writes one
"page X of Y" per footer)."""

from __future__ import annotations

import re

from docx.oxml.ns import qn

from kitgen.ooxml.rels import RT

PAGE_FIELDS = ("PAGE", "NUMPAGES", "SECTIONPAGES")


def reconcile_sections(document) -> None:
    """Section settings a manuscript or letter template has and a worksheet must not:

    - line numbering (``w:lnNumType``) goes from every section, and so do text columns (one column);
    - a page-number restart (``w:pgNumType w:start``) goes, so the pages of every section count on from 1;
    - the template's own page numbers go from its headers and footers (the paragraphs that
      hold a PAGE, NUMPAGES or SECTIONPAGES field, and Word's "Page Numbers" building blocks):
      kitgen writes one "page X of Y" per footer, on every header kind the template uses
      (``kitgen.render.document``), and a second number beside it would be the template's;
    - the template's sample lines go from its headers and footers (:func:`drop_sample_text`: a
      journal's citation and DOI, a licence, a running head), its lines, bars and logos stay.
    """
    parts = document.part.related_parts
    for sect in document.element.iter(qn("w:sectPr")):
        for numbering in sect.findall(qn("w:lnNumType")):
            sect.remove(numbering)
        for cols in sect.findall(qn("w:cols")):  # a newsletter's two columns would halve every answer box
            for column in cols.findall(qn("w:col")):
                cols.remove(column)
            cols.attrib.pop(qn("w:equalWidth"), None)
            cols.attrib.pop(qn("w:sep"), None)
            cols.set(qn("w:num"), "1")
        for pages in sect.findall(qn("w:pgNumType")):  # a manuscript's "start at 0" (title page uncounted) would
            pages.attrib.pop(qn("w:start"), None)     # restart every landscape section at "Side 0": numbers run on
        # a header or footer whose part is not WordprocessingML (no content type for it in
        # [Content_Types].xml, as hand-zipped templates have) cannot be read or written:
        # the section goes without it, and kitgen's own header and footer take its place
        for ref in sect.findall(qn("w:headerReference")) + sect.findall(qn("w:footerReference")):
            if getattr(parts.get(ref.get(qn("r:id"))), "element", None) is None:
                sect.remove(ref)
    for part in header_footer_parts(document):
        drop_page_numbers(part.element)
        drop_sample_text(part.element)


def header_footer_parts(document):
    """The document's header and footer parts python-docx reads as XML (each once)."""
    seen = set()
    for rel in document.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external and id(rel.target_part) not in seen:
            seen.add(id(rel.target_part))
            if getattr(rel.target_part, "element", None) is not None:
                yield rel.target_part


def drop_page_numbers(root) -> int:
    """Remove the paragraphs of a header or footer part that show a page number (and the
    page-number building blocks around them); returns how many went. A part left with no
    paragraph gets an empty one (a header or footer must hold at least one block)."""
    gone = 0
    for sdt in list(root.iter(qn("w:sdt"))):
        gallery = sdt.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
        if gallery is not None and (gallery.get(qn("w:val")) or "").startswith("Page Numbers") and sdt.getparent() is not None:
            sdt.getparent().remove(sdt)
            gone += 1
    for paragraph in list(root.iter(qn("w:p"))):
        if has_page_field(paragraph) and paragraph.getparent() is not None:
            paragraph.getparent().remove(paragraph)
            gone += 1
    if gone and root.find(qn("w:p")) is None and root.find(qn("w:tbl")) is None:
        root.append(root.makeelement(qn("w:p"), {}))
    return gone


def has_page_field(paragraph) -> bool:
    instructions = [f.get(qn("w:instr")) or "" for f in paragraph.iter(qn("w:fldSimple"))]
    instructions += [t.text or "" for t in paragraph.iter(qn("w:instrText"))]
    return any(text.split()[:1] and text.split()[0].upper() in PAGE_FIELDS for text in instructions)


# A header or footer line that belongs to the template's own document, not to its owner's look:
# a journal's citation, DOI and ISSN, a licence, a manuscript's running head. Its text goes
# (with the pictures beside it: a licence badge); lines, bars and the logo elsewhere stay.
SAMPLE_MARKERS = re.compile(r"\b(doi|e-?issn|issn|isbn|citation|licen[cs]ed?|creative\s+commons|running\s+head)\b", re.I)
PROSE_WORDS = 8  # a line of this many words (three letters or more) is a sentence, not a name or an address
WORD = re.compile(r"[^\W\d_]{3,}")


def is_sample_text(text: str) -> bool:
    """Is a header or footer paragraph's text the template's sample content (a citation, a licence,
    a running head), rather than its owner's name or address?"""
    return bool(SAMPLE_MARKERS.search(text)) or len(WORD.findall(text)) >= PROSE_WORDS


INLINE_TAGS = tuple(qn(t) for t in ("w:r", "w:hyperlink", "w:smartTag", "w:fldSimple", "w:ins", "w:del", "w:moveTo",
                                    "w:moveFrom"))  # tracked insertions too: their change bars would stay


def drop_sample_text(root) -> int:
    """Empty the paragraphs of a header or footer part whose text :func:`is_sample_text` — and
    every paragraph of a table that holds one (a journal's masthead: name, issue, ISSN, DOI): their
    text runs, hyperlinks, the pictures among that text and the paragraph's border and shading go; shapes (rules, bars), pictures in
    paragraphs of their own and the paragraphs themselves stay. Returns how many were emptied."""
    texts = {}
    for paragraph in root.iter(qn("w:p")):
        own = [r for r in paragraph if r.tag in INLINE_TAGS]
        text = "".join(t.text or "" for node in own for t in node.iter(qn("w:t")) if not _in_text_box(t, paragraph))
        if text.strip():
            texts[paragraph] = own
    sample = {p for p, own in texts.items() if is_sample_text("".join(t.text or "" for n in own for t in n.iter(qn("w:t"))))}
    for table in root.iter(qn("w:tbl")):
        inside = [p for p in table.iter(qn("w:p")) if p in texts]
        if any(p in sample for p in inside):
            sample.update(inside)
    for paragraph in sample:
        for node in texts[paragraph]:
            if node.tag != qn("w:r") or _has_text(node, paragraph) or _has_picture(node):
                node.getparent().remove(node)
        for frame in paragraph.findall(f"{qn('w:pPr')}/{qn('w:pBdr')}") + paragraph.findall(f"{qn('w:pPr')}/{qn('w:shd')}"):
            frame.getparent().remove(frame)  # a bar beside the text would stand alone
    return len(sample)


def _in_text_box(t, paragraph) -> bool:
    parent = t.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag == qn("w:txbxContent"):
            return True
        parent = parent.getparent()
    return False


def _has_text(run, paragraph) -> bool:
    return any((t.text or "").strip() and not _in_text_box(t, paragraph) for t in run.iter(qn("w:t")))


PICTURE_TAGS = ("{http://schemas.openxmlformats.org/drawingml/2006/picture}pic", "{urn:schemas-microsoft-com:vml}imagedata")


def _has_picture(run) -> bool:
    return any(True for _ in run.iter(*PICTURE_TAGS))
