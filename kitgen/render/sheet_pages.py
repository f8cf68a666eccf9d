"""Which sheet a page belongs to: each worksheet's pages carry its own running header and count
from 1 ("Arbejdsark 2 · Side 2 af 3").

Every sheet starts a section (kitgen.render.worksheets). There its header and footer are made
its own, copies of the kit's (the logo, a client template's own header and footer text kept):
the header names the sheet ("Arbejdsark 2: Styrk ledelsesgruppen …", beside the logo) on
every page after the first (the first shows the sheet's title in full under the kit's header);
the footer counts the sheet's pages, its page number restarting at 1 (``w:pgNumType``) and its
last page found by a bookmark at the sheet's end (``PAGEREF``). A sheet that turns to landscape
and back keeps its header, footer and count (its later sections link to them).
"""

from __future__ import annotations

import copy

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from kitgen.plan.measure import text_width_pt
from kitgen.render.stamps import last_section
from kitgen.templates.wordsections import PROSE_WORDS, WORD

SECT_PR_AFTER_NUMBERING = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                           "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
HEADER_PT = 9.0
ELLIPSIS = "…"
DANGLING = {"og", "i", "af", "for", "til", "med", "på", "om", "at", "en", "et", "den", "det", "and", "of", "the", "to", "in",
            "for", "a", "an", "–", "-"}  # words a cut title does not end on


def bookmark_name(number: int) -> str:
    return f"_Sheet{number}End"  # a hidden bookmark (its name starts with "_"), never the tool's name


class SheetPages:
    """Remembers the kit's own header and footer (before any sheet changes them) and gives each
    sheet its own."""

    def __init__(self, document, header_text: str, body_font: str):
        section = document.sections[0]
        self.document = document
        self.header_text = header_text
        self.body_font = body_font
        self.header_source = section.header.part  # the kit's header and footer parts as written, kept alive
        self.footer_source = section.footer.part  # while the first sheet replaces their references

    def start(self, number: int, sheet_label: str, pages_label: str) -> None:
        """The sheet's first section (the last one of the document) gets its own header and footer."""
        section = last_section(self.document)
        masthead = section.different_first_page_header_footer  # a client template's first-page masthead stays
        header, footer = section.header, section.footer
        for part in (header, footer):
            part.is_linked_to_previous = True  # drop the shared reference …
            part.is_linked_to_previous = False  # … and start a part of the sheet's own
        _copy(self.header_source, header.part)
        _copy(self.footer_source, footer.part)
        title = self._fitted(header.part, sheet_label, section)
        for run in header.part.element.iter(qn("w:r")):
            texts = run.findall(qn("w:t"))
            if texts and "".join(t.text or "" for t in texts) == self.header_text:
                texts[0].text = title
                for extra in texts[1:]:
                    run.remove(extra)
        _number_sheet(footer.part, number, pages_label)
        if not masthead:  # the sheet's first page: the kit's header as it was (the sheet's title is under it)
            section.different_first_page_header_footer = True
            first_header, first_footer = section.first_page_header, section.first_page_footer
            first_header.is_linked_to_previous = False
            first_footer.is_linked_to_previous = False
            _copy(self.header_source, first_header.part)
            _copy(footer.part, first_footer.part)
        restart_numbering(section._sectPr, True)

    def turn(self) -> None:
        """A later section of the same sheet (a landscape page and back): its pages go on counting,
        under the sheet's default header (no first-page header of its own)."""
        section = last_section(self.document)
        restart_numbering(section._sectPr, False)
        if section.different_first_page_header_footer and section.first_page_header.part is not self.header_source:
            section.different_first_page_header_footer = False

    def end(self, number: int) -> None:
        """A bookmark at the sheet's last paragraph: the footer's "af 3" is its page number."""
        body = self.document.element.body
        last = None
        for element in reversed(list(body)):
            if element.tag == qn("w:sectPr"):
                continue
            paragraphs = [element] if element.tag == qn("w:p") else list(element.iter(qn("w:p")))
            if paragraphs:
                last = paragraphs[-1]
                break
        if last is None:
            return
        start = OxmlElement("w:bookmarkStart", {qn("w:id"): str(900 + number), qn("w:name"): bookmark_name(number)})
        end = OxmlElement("w:bookmarkEnd", {qn("w:id"): str(900 + number)})
        last.append(start)
        last.append(end)

    def _fitted(self, part, sheet_label: str, section) -> str:
        """``Org · Arbejdsark 2: title`` cut after a whole word (with "…") to stay on one line beside the logo."""
        room = (section.page_width - section.left_margin - section.right_margin) / 12700
        room -= sum(int(e.get("cx") or 0) for e in part.element.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")) / 12700
        room = room * 0.85 - 2 * HEADER_PT
        logo = any(True for _ in part.element.iter("{http://schemas.openxmlformats.org/drawingml/2006/picture}pic"))
        text = sheet_label if logo else f"{self.header_text.rsplit(' · ', 1)[0]} · {sheet_label}"  # the logo names the org
        words = text.split(" ")

        def too_long(words) -> bool:  # a running head, not a sentence (kitgen.templates.wordsections.is_sample_text)
            return len(WORD.findall(" ".join(words))) >= PROSE_WORDS or \
                text_width_pt(" ".join(words) + ELLIPSIS, self.body_font, HEADER_PT) > room

        while len(words) > 3 and too_long(words):
            words.pop()
        cut = len(words) < len(text.split(" "))
        while cut and len(words) > 3 and words[-1].lower().strip(",;:") in DANGLING:  # not "… prioriteringskort og…"
            words.pop()
        fitted = " ".join(words)
        return fitted if fitted == text else fitted.rstrip(" ,;:–-") + ELLIPSIS


def _copy(source, target) -> None:
    """The XML of header or footer part ``source`` into ``target``, relationships (the logo) re-made."""
    element = target.element
    for child in list(element):
        element.remove(child)
    for child in source.element:
        element.append(copy.deepcopy(child))
    attributes = (qn("r:embed"), qn("r:id"), qn("r:link"))
    for node in element.iter():
        for attribute in attributes:
            rid = node.get(attribute)
            if not rid or rid not in source.rels:
                continue
            rel = source.rels[rid]
            if rel.is_external:
                new = target.relate_to(rel.target_ref, rel.reltype, is_external=True)
            else:
                new = target.relate_to(rel.target_part, rel.reltype)
            node.set(attribute, new)


def _number_sheet(footer, number: int, sheet_label: str) -> None:
    """The footer's page count counts the sheet's pages (PAGEREF to its end), after the sheet's name."""
    for instr in footer.element.iter(qn("w:instrText")):
        if (instr.text or "").strip() == "NUMPAGES":
            instr.text = f" PAGEREF {bookmark_name(number)} "
            paragraph = instr.getparent().getparent()
            first = next((r for r in paragraph.iter(qn("w:r")) if r.find(qn("w:fldChar")) is not None), None)
            if first is None:
                continue
            run = copy.deepcopy(first)
            for child in list(run):
                if child.tag != qn("w:rPr"):
                    run.remove(child)
            text = OxmlElement("w:t", {qn("xml:space"): "preserve"})
            text.text = f"{sheet_label} · "
            run.append(text)
            # before the "Side" that leads into the page field: the run that precedes it, or the field itself
            previous = first.getprevious()
            anchor = previous if previous is not None and previous.tag == qn("w:r") and previous.find(qn("w:t")) is not None \
                and (previous.find(qn("w:t")).text or "").strip() else first
            anchor.addprevious(run)


def restart_numbering(sect_pr, restart: bool) -> None:
    """``w:pgNumType w:start="1"`` on the section (or none: its pages go on counting)."""
    for old in sect_pr.findall(qn("w:pgNumType")):
        sect_pr.remove(old)
    if not restart:
        return
    numbering = OxmlElement("w:pgNumType", {qn("w:start"): "1"})
    after = next((child for child in sect_pr if child.tag in {qn(t) for t in SECT_PR_AFTER_NUMBERING}), None)
    if after is not None:
        after.addprevious(numbering)
    else:
        sect_pr.append(numbering)
