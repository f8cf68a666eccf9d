"""What kitgen reads from a Word template: its styles, fonts and page features (cached by the cleaned file's sha256)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pptx.oxml.ns import qn

from kitgen.core import cache
from kitgen.core.findings import Finding
from kitgen.templates.clean import _open, clean_file
from kitgen.templates.clean_base import Where
from kitgen.ooxml.rels import RT
from kitgen.templates.wordsections import has_page_field, header_footer_parts
from kitgen.templates.wordstyles import find_style_id


@dataclass(frozen=True)
class DocumentInfo:
    path: str
    digest: str
    was: str
    styles: dict            # style id -> name, paragraph/character/table styles
    has_page_setup: bool
    numbered_headings: tuple[str, ...]   # heading style names that carry list numbering
    heading_font: str | None
    body_font: str | None
    findings: tuple[Finding, ...] = ()
    first_page_header: bool = False     # w:titlePg: a first page with its own header and footer
    even_page_header: bool = False      # w:evenAndOddHeaders in settings.xml
    line_numbers: bool = False          # w:lnNumType in a section
    page_numbers: bool = False          # a PAGE field in a header or footer of its own
    east_asian_fonts: tuple[str, ...] = ()  # w:eastAsia fonts its styles and defaults name

    def has_style(self, name: str) -> bool:
        return find_style_id(self.styles, name) is not None


_DOC_CACHE: dict[str, DocumentInfo] = {}  # cleaned package's digest -> facts (no path, no findings)


def inspect_document(path: Path, where: Where | None = None) -> DocumentInfo:
    from docx import Document

    package = clean_file(Path(path), "docx", where)
    info = _DOC_CACHE.get(package.digest) if cache.enabled() else None
    if info is None:
        document = _open(Document, package, Path(path).name, where or Where(str(path)))
        info = _DOC_CACHE[package.digest] = replace(_read_document(document, "", package), findings=())
    return replace(info, path=str(path), findings=package.findings)


def _read_document(document, path: str, package) -> DocumentInfo:
    from docx.oxml.ns import qn as wqn

    styles_element = document.styles.element
    styles, numbered = {}, []
    for style in styles_element.findall(wqn("w:style")):
        sid = style.get(wqn("w:styleId")) or ""
        name_el = style.find(wqn("w:name"))
        name = name_el.get(wqn("w:val")) if name_el is not None else sid
        styles[sid] = name
        if name.lower().startswith("heading") and style.find(f"{wqn('w:pPr')}/{wqn('w:numPr')}") is not None:
            numbered.append(name)
    body = document.element.body
    sect = body.find(wqn("w:sectPr"))
    has_page_setup = sect is not None and sect.find(wqn("w:pgSz")) is not None and sect.find(wqn("w:pgMar")) is not None
    fonts = {}
    try:
        theme_fonts = document.part.part_related_by(RT.THEME)
        from lxml import etree

        root = etree.fromstring(theme_fonts.blob)
        for which in ("a:majorFont", "a:minorFont"):
            latin = root.find(f".//{qn(which)}/{qn('a:latin')}")
            fonts[which] = latin.get("typeface") if latin is not None else None
    except (KeyError, ValueError, Exception):  # noqa: BLE001 — a document without a theme is fine
        pass
    return DocumentInfo(path, package.digest, package.was, styles, has_page_setup, tuple(numbered),
                        fonts.get("a:majorFont") or None, fonts.get("a:minorFont") or None, package.findings,
                        **_page_features(document))


def _on(element) -> bool:
    """A WordprocessingML on/off element: present and not ``w:val="0"``/false/off."""
    from docx.oxml.ns import qn as wqn

    return element is not None and (element.get(wqn("w:val")) or "1").lower() not in ("0", "false", "off")


def _page_features(document) -> dict:
    """What the Word template sets on its pages that kitgen reconciles (``wordstyles.reconcile_sections``)."""
    from docx.oxml.ns import qn as wqn

    sections = list(document.element.iter(wqn("w:sectPr")))
    try:
        settings = document.settings.element
        even = _on(settings.find(wqn("w:evenAndOddHeaders")))
    except (KeyError, ValueError, AttributeError):
        even = False
    page_numbers = any(has_page_field(p) for part in header_footer_parts(document) for p in part.element.iter(wqn("w:p")))
    east = sorted({f.get(wqn("w:eastAsia")) for f in document.styles.element.iter(wqn("w:rFonts")) if f.get(wqn("w:eastAsia"))})
    return {"first_page_header": any(_on(s.find(wqn("w:titlePg"))) for s in sections),
            "even_page_header": even,
            "line_numbers": any(s.find(wqn("w:lnNumType")) is not None for s in sections),
            "page_numbers": page_numbers, "east_asian_fonts": tuple(east)}
