"""A client's Word sections reconciled with a worksheet's: no line numbers, no page-number
restart, no page numbers of the template's own in its headers and footers (kitgen writes one
"page X of Y" per footer)."""

from __future__ import annotations

from docx.oxml.ns import qn

PAGE_FIELDS = ("PAGE", "NUMPAGES", "SECTIONPAGES")


def reconcile_sections(document) -> None:
    """Section settings a manuscript or letter template has and a worksheet must not:

    - line numbering (``w:lnNumType``) goes from every section;
    - a page-number restart (``w:pgNumType w:start``) goes, so the pages of every section count on from 1;
    - the template's own page numbers go from its headers and footers (the paragraphs that
      hold a PAGE, NUMPAGES or SECTIONPAGES field, and Word's "Page Numbers" building blocks):
      kitgen writes one "page X of Y" per footer, on every header kind the template uses
      (``kitgen.render.document``), and a second number beside it would be the template's.
    """
    parts = document.part.related_parts
    for sect in document.element.iter(qn("w:sectPr")):
        for numbering in sect.findall(qn("w:lnNumType")):
            sect.remove(numbering)
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


def header_footer_parts(document):
    """The document's header and footer parts python-docx reads as XML (each once)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

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
