"""A client's Word document made whole for kitgen: the styles it writes with, a page, no stray numbering.

Word documents in the wild lack styles kitgen writes with (List Bullet, List Number,
Table Grid, Title, Heading 3 …); python-docx then raises ``KeyError``. Before rendering,
every missing style is copied from kitgen's default document — with the styles it is
based on or linked to, and for list styles with their numbering: the ``w:num`` and
``w:abstractNum`` the style's ``w:numPr`` points at are copied under fresh ids into the
client's numbering part (python-docx creates one if there is none); the copy loses its
``w:nsid``, so Word never merges it with one of the client's own lists.

Styles are looked up one way everywhere, as Word does: by style id, then by name
case-insensitively (``heading 1`` is the stored name of "Heading 1"). A document with no
page size or margins gets A4 with 2.5 cm margins (python-docx returns ``None`` for them,
which once ended in exit 3); US Letter and Legal become A4 (margins kept). Heading styles
the client numbers (``w:numPr`` in the style) lose that numbering and the indent it stood
in, so kitgen's headings do not read "1.1 Program"; and a client template's headings get a
ladder of sizes and weight where they have none (:func:`kitgen.templates.wordtheme.heading_ladder`).
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from docx.oxml.ns import qn
from docx.shared import Cm, Mm

from kitgen.content.layouts import REQUIRED_DOCX_STYLES
from kitgen.ooxml.package import saved
from kitgen.core import cache
from kitgen.ooxml.wordml import clear_body
from kitgen.ooxml.wordparts import numbering
from kitgen.templates.clean import open_word
from kitgen.templates.wordsections import reconcile_sections
from kitgen.templates.wordtheme import heading_ladder, left_aligned_body

HEADINGS = ("Heading 1", "Heading 2", "Heading 3")


def find_style_id(ids: dict, name: str) -> str | None:
    """``ids`` maps style id → name. By id (``ListBullet`` or the name itself), then by name, ignoring case."""
    for candidate in (name, name.replace(" ", "")):
        if candidate in ids:
            return candidate
    wanted = name.lower()
    return next((sid for sid, stored in ids.items() if stored.lower() == wanted), None)


def style_ids(document) -> dict:
    """Style id → name for every style in the document (names as stored: ``heading 1``)."""
    found = {}
    for style in document.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        sid = style.get(qn("w:styleId")) or ""
        found[sid] = name.get(qn("w:val")) if name is not None else sid
    return found


class StyleIds(dict):
    """Name → style id for :func:`kitgen.render.document.style_id`, answering with the one lookup."""

    def __init__(self, document=None, ids: dict | None = None):
        super().__init__()
        self._ids = style_ids(document) if ids is None else ids  # id → name, read only

    def fresh(self) -> "StyleIds":
        """A new lookup over the same styles (for a fresh copy of the same document)."""
        return StyleIds(ids=self._ids)

    def __missing__(self, name: str) -> str:
        found = find_style_id(self._ids, name)
        if found is None:
            raise KeyError(f"no style '{name}'")
        self[name] = found
        return found


def get_style(document, name: str):
    """The python-docx style object for ``name`` by the one lookup (``None`` when absent).

    A document made whole carries its lookup (:class:`StyleIds`); any other is scanned."""
    known = getattr(document, "_kitgen_style_ids", None)
    if isinstance(known, StyleIds):
        try:
            sid = known[name]
        except KeyError:
            sid = None
    else:
        sid = find_style_id(style_ids(document), name)
    if sid is None:
        return None
    element = document.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{sid}']")
    from docx.styles.style import StyleFactory

    return StyleFactory(element)


def make_whole(document, default_path: Path, required=REQUIRED_DOCX_STYLES) -> list[str]:
    """Copy missing styles from kitgen's default document, add a page, drop heading numbering.

    Returns the names of the styles added (for the info finding validation reports).
    """
    ids = style_ids(document)
    missing = [name for name in required if find_style_id(ids, name) is None]
    if missing:
        default = open_word(default_path)
        default_ids = style_ids(default)
        for name in missing:
            sid = find_style_id(default_ids, name)
            if sid is not None:
                _copy_style(document, default, sid, ids, default_ids)
    _page_setup(document)
    reconcile_sections(document)
    _unnumber_headings(document, style_ids(document))
    document._kitgen_style_ids = StyleIds(document)  # the one lookup, for render.document.style_id
    return missing


_WHOLE: dict[tuple[str, str], tuple[bytes, StyleIds]] = {}
WHOLE_KEPT = 8  # templates kept made whole per process (a worker meets a few client templates)
WHOLE_BYTES = 32 * 1024 * 1024  # … and at most this many bytes of them


def open_whole(template: Path, default: Path | None = None):
    """A fresh python-docx ``Document`` of ``template``: cleaned (:func:`~kitgen.templates.clean.open_word`),
    made whole (:func:`make_whole` with ``default``) and emptied of sample content.

    Cleaning and making whole are done once for each pair of files, keyed by the sha256 of
    both files' bytes (an edited template is a new key): the result is kept as the package's
    bytes, uncompressed, in :mod:`kitgen.core.cache` (whose keys add kitgen's source and the
    libraries' versions), so a new process opens it without cleaning again; opening a package
    python-docx saved itself gives the same parts, part names and relationship ids as the
    document it saved. In this process the opened ``Document`` is kept untouched and every
    call returns a ``copy.deepcopy`` of it (the whole python-docx object graph: package,
    parts, relationships and each part's XML), so nothing one kit changes reaches the next.
    """
    import copy
    import hashlib
    import io

    from docx import Document

    default = default or template
    key = (hashlib.sha256(Path(template).read_bytes()).hexdigest(), hashlib.sha256(Path(default).read_bytes()).hexdigest())
    kept = _WHOLE.pop(key, None) if cache.enabled() else None
    if kept is None:
        data = cache.get_bytes("template", cache.key("template", "word-whole", *key), lambda: _whole_package(template, default),
                               _is_stored_zip)
        master = Document(io.BytesIO(data))  # never handed out: every kit gets a deep copy of it
        kept = (len(data), StyleIds(master), master)
    _WHOLE[key] = kept  # most recently used last
    while len(_WHOLE) > 1 and (len(_WHOLE) > WHOLE_KEPT or sum(k[0] for k in _WHOLE.values()) > WHOLE_BYTES):
        _WHOLE.pop(next(iter(_WHOLE)))
    _, ids, master = kept
    document = copy.deepcopy(master)
    document._kitgen_style_ids = ids.fresh()
    return document



def _whole_package(template: Path, default: Path) -> bytes:
    """The template cleaned (every check of :mod:`kitgen.templates.clean`), made whole and emptied, as bytes."""
    document = open_word(template)
    make_whole(document, default)
    if Path(template).resolve() != Path(default).resolve():  # kitgen's own document has its ladder
        heading_ladder(document, lambda name: get_style(document, name))
        left_aligned_body(document, lambda name: get_style(document, name))
    clear_body(document)
    return _stored_package(document)


def _is_stored_zip(data: bytes) -> bool:
    """A kept package read back whole: a zip whose every part matches its CRC."""
    import io
    import zipfile

    try:
        return data[:4] == b"PK\x03\x04" and zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def _stored_package(document) -> bytes:
    """The document's package as a zip with every part stored (quick to open again)."""
    return saved(document, zipfile.ZIP_STORED)


def _style_element(document, sid: str):
    return document.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{sid}']")


def _copy_style(document, default, sid: str, ids: dict, default_ids: dict) -> None:
    if sid in ids:
        return
    source = _style_element(default, sid)
    if source is None:
        return
    element = copy.deepcopy(source)
    for tag in ("w:rsid",):
        for old in element.findall(qn(tag)):
            element.remove(old)
    document.styles.element.append(element)
    ids[sid] = default_ids.get(sid, sid)
    for ref in ("w:basedOn", "w:link", "w:next"):
        target = element.find(qn(ref))
        if target is None or target.get(qn("w:val")) in ids:
            continue
        # the client's style of the same name (its Normal is often id "a" or "Standard"): a copy
        # of kitgen's would be a second "Normal" that kitgen's lists are set in instead of the client's
        own = find_style_id(ids, default_ids.get(target.get(qn("w:val")), ""))
        if own is not None:
            target.set(qn("w:val"), own)
        else:
            _copy_style(document, default, target.get(qn("w:val")), ids, default_ids)
    num_id = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id is not None:
        new_id = _copy_numbering(document, default, num_id.get(qn("w:val")))
        if new_id is None:
            element.find(qn("w:pPr")).remove(element.find(f"{qn('w:pPr')}/{qn('w:numPr')}"))
        else:
            num_id.set(qn("w:val"), new_id)


def _copy_numbering(document, default, num_id: str) -> str | None:
    """Copy ``w:num`` ``num_id`` and its ``w:abstractNum`` into the document; the new numId."""
    try:
        source = default.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None
    num = source.find(f"{qn('w:num')}[@{qn('w:numId')}='{num_id}']")
    if num is None:
        return None
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = source.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{abstract_id}']")
    target = numbering(document)
    new_abstract = str(1 + max([int(a.get(qn("w:abstractNumId"))) for a in target.findall(qn("w:abstractNum"))] or [-1]))
    new_num = str(1 + max([int(n.get(qn("w:numId"))) for n in target.findall(qn("w:num"))] or [0]))
    if abstract is not None:
        abstract = copy.deepcopy(abstract)
        abstract.set(qn("w:abstractNumId"), new_abstract)
        for nsid in abstract.findall(qn("w:nsid")):
            abstract.remove(nsid)
        for lvl_style in abstract.iter(qn("w:pStyle")):  # a level tied to a style name the client may use otherwise
            lvl_style.getparent().remove(lvl_style)
        after = target.findall(qn("w:abstractNum"))
        if after:
            after[-1].addnext(abstract)  # abstractNum elements precede every w:num (CT_Numbering order)
        else:
            first_num = target.find(qn("w:num"))
            first_num.addprevious(abstract) if first_num is not None else target.append(abstract)
    num = copy.deepcopy(num)
    num.set(qn("w:numId"), new_num)
    num.find(qn("w:abstractNumId")).set(qn("w:val"), new_abstract)
    cleanup = target.find(qn("w:numIdMacAtCleanup"))
    cleanup.addprevious(num) if cleanup is not None else target.append(num)
    return new_num


def _page_setup(document) -> None:
    """A4 portrait with 2.5 cm margins where the document says nothing about its page (or says
    something no reader can use: ``w:top="x"``)."""
    body = document.element.body
    sect = body.get_or_add_sectPr()
    section = document.sections[-1]
    for element in (sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))):
        if element is not None and any(not value.lstrip("-").isdigit() for name, value in element.attrib.items()
                                       if name.startswith(f"{{{W_NS}}}") and name != qn("w:orient")):
            sect.remove(element)  # python-docx would raise on every read of the section
    if sect.find(qn("w:pgSz")) is None or section.page_width is None or section.page_height is None:
        section.page_width, section.page_height = Mm(210), Mm(297)
    elif _us_paper(section):  # kitgen's languages (da-DK, en-GB) print on A4: a US template's Letter would be scaled
        wide = section.page_width > section.page_height
        section.page_width, section.page_height = (Mm(297), Mm(210)) if wide else (Mm(210), Mm(297))
    if sect.find(qn("w:pgMar")) is None or None in (section.top_margin, section.left_margin, section.right_margin,
                                                    section.bottom_margin):
        section.top_margin = section.bottom_margin = Cm(2.5)
        section.left_margin = section.right_margin = Cm(2.5)
        section.header_distance = section.footer_distance = Cm(1.25)
    if section.header_distance is None:
        section.header_distance = Cm(1.25)
    if section.footer_distance is None:
        section.footer_distance = Cm(1.25)


def loose_table_lines(document) -> bool:
    """Does text in table cells need its own line spacing? When the template sets a fixed
    (``exact``) line height on its body text, or a character grid (``w:docGrid`` of type
    ``linesAndChars``/``snapToChars``, as Chinese and Japanese templates do), a narrow cell
    breaks words in the middle ("Sta/rt"): the grid widens every character past the width
    kitgen measured, and a fixed line cuts the lines it makes."""
    for sect in document.element.iter(qn("w:sectPr")):
        grid = sect.find(qn("w:docGrid"))
        if grid is not None and grid.get(qn("w:type")) in ("linesAndChars", "snapToChars"):
            return True
    styles = document.styles.element
    sources = [styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")]
    normal = get_style(document, "Normal")
    sources.append(normal.element.find(qn("w:pPr")) if normal is not None else None)
    for ppr in sources:
        spacing = ppr.find(qn("w:spacing")) if ppr is not None else None
        if spacing is not None and spacing.get(qn("w:lineRule")) == "exact":
            return True
    return False


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
US_PAPER = ((8.5, 11.0), (8.5, 14.0))  # Letter and Legal, portrait, in inches


def _us_paper(section) -> bool:
    width, height = sorted((section.page_width.inches, section.page_height.inches))
    return any(abs(width - w) < 0.02 and abs(height - h) < 0.02 for w, h in US_PAPER)


def _unnumber_headings(document, ids: dict) -> None:
    for name in ("Title",) + HEADINGS:
        sid = find_style_id(ids, name)
        element = _style_element(document, sid) if sid else None
        num_pr = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}") if element is not None else None
        if num_pr is not None:
            ppr = num_pr.getparent()
            ppr.remove(num_pr)
            indent = ppr.find(qn("w:ind"))  # the room the number stood in goes with it
            for side in ("w:left", "w:start", "w:hanging", "w:hangingChars", "w:leftChars", "w:startChars"):
                if indent is not None and indent.get(qn(side)) is not None:
                    indent.set(qn(side), "0")


KEEP_STYLES = REQUIRED_DOCX_STYLES + ("Header", "Footer", "Writing Line")


def trim_styles(document, keep=KEEP_STYLES) -> list[str]:
    """Drop the styles of ``document`` that nothing uses; returns the ids dropped.

    Kept: the styles named in ``keep``, every type's default style, every style another
    part refers to (``w:pStyle``/``w:rStyle``/``w:tblStyle``, the list styles of
    ``numbering.xml``), and the styles these are based on, linked to or followed by.
    ``w:latentStyles`` stays (it is what Word's style gallery offers). python-docx's own
    default template carries 165 styles, most of them table styles kitgen never applies;
    a kit parses, writes and compresses all of them, so kitgen's default document keeps
    only what it uses (used by ``kitgen.build.default_layouts`` when the template is made).
    """
    root = document.styles.element
    tag = qn("w:style")
    by_id = {s.get(qn("w:styleId")): s for s in root.findall(tag)}
    ids = style_ids(document)
    wanted = {find_style_id(ids, name) for name in keep} - {None}
    wanted |= {sid for sid, s in by_id.items() if s.get(qn("w:default")) in ("1", "true", "on")}
    refs = tuple(qn(t) for t in ("w:pStyle", "w:rStyle", "w:tblStyle", "w:numStyleLink", "w:styleLink"))
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is None or element is root:
            continue
        for ref in element.iter(*refs):
            wanted.add(ref.get(qn("w:val")))
    todo = list(wanted)
    while todo:
        style = by_id.get(todo.pop())
        if style is None:
            continue
        for ref in ("w:basedOn", "w:link", "w:next"):
            target = style.find(qn(ref))
            if target is not None and target.get(qn("w:val")) not in wanted:
                wanted.add(target.get(qn("w:val")))
                todo.append(target.get(qn("w:val")))
    dropped = [sid for sid in by_id if sid not in wanted]
    for sid in dropped:
        root.remove(by_id[sid])
    return dropped
