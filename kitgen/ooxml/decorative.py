"""Decorative shapes: Office's "Mark as decorative" (``adec:decorative``), read and written.

A shape's non-visual properties (``p:cNvPr`` in PresentationML, ``wp:docPr``/``pic:cNvPr`` in
WordprocessingML) carry it as an extension, the way PowerPoint and Word 365 write it::

    <p:cNvPr id="4" name="Logo">
      <a:extLst>
        <a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">
          <adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>
        </a:ext>
      </a:extLst>
    </p:cNvPr>

A screen reader skips a decorative shape, and an accessibility checker does not ask it for
alternative text; Office drops the shape's ``descr`` when it is marked, and so does
:func:`mark_decorative`. ``a:extLst`` is the last child ``CT_NonVisualDrawingProps`` allows (after
``a:hlinkClick`` and ``a:hlinkHover``); an extension list already there is kept and added to.
"""

from __future__ import annotations

from lxml import etree

NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"

_EXT_LST, _EXT = f"{{{NS_A}}}extLst", f"{{{NS_A}}}ext"
_DECORATIVE = f"{{{NS_ADEC}}}decorative"


def mark_decorative(c_nv_pr) -> None:
    """Mark the shape whose non-visual properties element is ``c_nv_pr`` as decorative (idempotent)."""
    if "descr" in c_nv_pr.attrib:
        del c_nv_pr.attrib["descr"]
    ext_lst = c_nv_pr.find(_EXT_LST)
    if ext_lst is None:
        ext_lst = etree.SubElement(c_nv_pr, _EXT_LST)
    ext = next((e for e in ext_lst.findall(_EXT) if e.get("uri") == DECORATIVE_URI), None)
    if ext is None:
        ext = etree.SubElement(ext_lst, _EXT, uri=DECORATIVE_URI)
    flag = ext.find(_DECORATIVE)
    if flag is None:
        flag = etree.SubElement(ext, _DECORATIVE, nsmap={"adec": NS_ADEC})
    flag.set("val", "1")


def is_decorative(c_nv_pr) -> bool:
    """Whether the shape is marked decorative (``val`` 1 or true)."""
    if c_nv_pr is None:
        return False
    for ext in c_nv_pr.iterfind(f"{_EXT_LST}/{_EXT}"):
        if ext.get("uri") == DECORATIVE_URI:
            flag = ext.find(_DECORATIVE)
            return flag is not None and flag.get("val", "1") in ("1", "true")
    return False
