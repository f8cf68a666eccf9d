"""Layouts a slide master lacks, made from its own placeholders (in the cleaned package).

Some masters have no layout kitgen can put a list on: a master with a single "Title Only"
layout, or a Google Slides export whose only text layout has two narrow columns. The master
itself still places a title and a body (``p:sldMaster`` holds the placeholders every layout
inherits), so kitgen adds one layout to such a master, "Title and Content" (a plain name, as PowerPoint's layout
menu shows it to the client: "Title and Content 2" where the template has that name already), whose title and body take the master's boxes, its graphics and background shown as the master draws them.
Nothing of the client's own layouts changes.

A template is given the layout (in its first master that can) when no layout of any master has a title and a body box (``body``,
``obj`` or a typeless placeholder, not a subtitle) at least :data:`WIDE` of the slide's width
and :data:`FIVE_LINES` tall (five lines at deck.yaml's dense size), and the master's own body
box is at least that large. Works on the package's parts (``name -> bytes``) with lxml; boxes through
:mod:`kitgen.ooxml.geometry`.
"""

from __future__ import annotations

import posixpath

from lxml import etree

from kitgen.core.findings import Finding
from kitgen.ooxml.geometry import box

NS = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RT_LAYOUT = NS["r"] + "/slideLayout"
RT_MASTER = NS["r"] + "/slideMaster"
LAYOUT_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"
MADE_NAME = "Title and Content"  # no tool name: the client reads it in PowerPoint's layout menu
WIDE = 0.5    # of the slide's width
FIVE_LINES = int((5 * 22 * 1.2 + 7.2) * 12700)  # five lines at deck.yaml's dense size (EMU): a box that holds a list
BODY_TYPES = (None, "body", "obj")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _q(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _placeholders(root) -> list[tuple[str | None, object]]:
    """(ph type, box or None) of every placeholder in a master's or layout's shape tree."""
    found = []
    for ph in root.iter(_q("p:ph")):
        shape = ph.getparent().getparent().getparent()  # p:ph < p:nvPr < p:nvSpPr < p:sp
        found.append((ph.get("type"), box(shape), shape))
    return found


def _slide_width(parts: dict) -> int:
    try:
        root = etree.fromstring(parts["ppt/presentation.xml"], _PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return 0
    size = root.find(_q("p:sldSz"))
    try:
        return int(size.get("cx")) if size is not None else 0
    except (TypeError, ValueError):
        return 0


def _layouts_of(parts: dict, master: str) -> list[str]:
    try:
        rels = etree.fromstring(parts[_rels_name(master)], _PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return []
    folder = posixpath.dirname(master)
    return [posixpath.normpath(posixpath.join(folder, rel.get("Target", ""))) for rel in rels
            if rel.get("Type") == RT_LAYOUT and rel.get("TargetMode") != "External"]


def _needs_layout(parts: dict, master: str, master_root, width: int) -> tuple[str, tuple | None]:
    """("ok", None) when a layout of the master holds a usable list box; ("make", (title shape, body
    shape)) when none does and the master's own boxes can; ("cannot", None) otherwise."""
    boxes = _placeholders(master_root)
    title = next((shape for kind, rect, shape in boxes if kind in ("title", "ctrTitle") and rect is not None), None)
    body = next(((shape, rect) for kind, rect, shape in boxes if kind in BODY_TYPES and rect is not None), None)
    body_rect = body[1] if body is not None else None
    for layout in _layouts_of(parts, master):
        try:
            root = etree.fromstring(parts[layout], _PARSER)
        except (KeyError, etree.XMLSyntaxError):
            continue
        placed = _placeholders(root)
        if not any(kind in ("title", "ctrTitle") for kind, _, _ in placed):
            continue
        for kind, rect, _ in placed:
            rect = rect or (body_rect if kind in BODY_TYPES else None)
            if kind in BODY_TYPES and rect is not None and rect[2] >= WIDE * width and \
                    rect[3] >= FIVE_LINES:
                return "ok", None
    if title is None or body is None or body_rect[2] < WIDE * width or body_rect[3] < FIVE_LINES:
        return "cannot", None
    return "make", (title, body[0])


def _placeholder(source, shape_id: int, name: str, ph_type: str | None, idx: int | None):
    """A layout placeholder with the master's box (``a:xfrm`` copied) and no text of its own."""
    sp = etree.Element(_q("p:sp"), nsmap={"p": NS["p"], "a": NS["a"]})
    nv = etree.SubElement(sp, _q("p:nvSpPr"))
    etree.SubElement(nv, _q("p:cNvPr"), id=str(shape_id), name=name)
    locks = etree.SubElement(etree.SubElement(nv, _q("p:cNvSpPr")), _q("a:spLocks"))
    locks.set("noGrp", "1")
    ph = etree.SubElement(etree.SubElement(nv, _q("p:nvPr")), _q("p:ph"))
    if ph_type:
        ph.set("type", ph_type)
    if idx is not None:
        ph.set("idx", str(idx))
    sp_pr = etree.SubElement(sp, _q("p:spPr"))
    xfrm = source.find(f"{_q('p:spPr')}/{_q('a:xfrm')}")
    if xfrm is not None:
        sp_pr.append(etree.fromstring(etree.tostring(xfrm)))
    sp.append(_text_body(source))
    return sp


def _text_body(source):
    """The master placeholder's body properties and list style; a first paragraph's look that the master
    carries on its sample text instead (as LibreOffice writes masters) becomes the first level's style."""
    import copy

    body = etree.Element(_q("p:txBody"))
    found = source.find(_q("p:txBody"))
    body_pr = found.find(_q("a:bodyPr")) if found is not None else None
    body.append(copy.deepcopy(body_pr) if body_pr is not None else etree.Element(_q("a:bodyPr")))
    listed = found.find(_q("a:lstStyle")) if found is not None else None
    styles = copy.deepcopy(listed) if listed is not None else etree.Element(_q("a:lstStyle"))
    first = found.find(_q("a:p")) if found is not None else None
    if styles.find(_q("a:lvl1pPr")) is None and first is not None:
        level = etree.Element(_q("a:lvl1pPr"))
        p_pr = first.find(_q("a:pPr"))
        if p_pr is not None:
            level.attrib.update(p_pr.attrib)
            for child in p_pr:
                if child.tag != _q("a:extLst"):
                    level.append(copy.deepcopy(child))
        r_pr = first.find(f"{_q('a:r')}/{_q('a:rPr')}")
        if r_pr is None:
            r_pr = first.find(_q("a:endParaRPr"))
        if r_pr is not None:
            default = etree.SubElement(level, _q("a:defRPr"))
            default.attrib.update({k: v for k, v in r_pr.attrib.items() if k not in ("lang", "dirty", "err")})
            for child in r_pr:
                if child.tag != _q("a:extLst"):
                    default.append(copy.deepcopy(child))
        if len(level) or level.attrib:
            styles.insert(0, level)
    body.append(styles)
    etree.SubElement(body, _q("a:p"))
    return body


def _design(parts: dict, master: str) -> list:
    """The artwork of the master's own text layout (its first layout with a title and a text box: Google's
    "Title + 2 columns" draws its waves and dots there): copies of its shapes that are not placeholders and refer
    to no other part (a picture would need its relationship), for the made layout to show the client's look."""
    for layout in _layouts_of(parts, master):
        try:
            root = etree.fromstring(parts[layout], _PARSER)
        except (KeyError, etree.XMLSyntaxError):
            continue
        kinds = [kind for kind, _, _ in _placeholders(root)]
        if not any(kind in ("title", "ctrTitle") for kind in kinds) or not any(kind in BODY_TYPES for kind in kinds):
            continue
        tree = root.find(f"{_q('p:cSld')}/{_q('p:spTree')}")
        return [etree.fromstring(etree.tostring(shape)) for shape in (tree if tree is not None else [])
                if shape.tag in (_q("p:sp"), _q("p:grpSp"), _q("p:cxnSp")) and next(shape.iter(_q("p:ph")), None) is None
                and not any(key.startswith(f"{{{NS['r']}}}") for element in shape.iter() for key in element.attrib)]
    return []


def made_name(parts: dict) -> str:
    """:data:`MADE_NAME`, numbered ("Title and Content 2") where a layout of the template is named so already."""
    taken = set()
    for part, data in parts.items():
        if part.startswith("ppt/slideLayouts/") and part.endswith(".xml") and "/_rels/" not in part:
            try:
                found = etree.fromstring(data, _PARSER).find(_q("p:cSld"))
            except etree.XMLSyntaxError:
                continue
            if found is not None:
                taken.add(found.get("name", ""))
    return next(name for number in range(1, len(taken) + 2)
                for name in [MADE_NAME if number == 1 else f"{MADE_NAME} {number}"] if name not in taken)


def _layout_xml(title, body, design=(), name: str = MADE_NAME) -> bytes:
    root = etree.Element(_q("p:sldLayout"), nsmap={"a": NS["a"], "r": NS["r"], "p": NS["p"]})
    root.set("type", "obj")
    root.set("preserve", "1")
    tree = etree.SubElement(etree.SubElement(root, _q("p:cSld"), name=name), _q("p:spTree"))
    group = etree.SubElement(tree, _q("p:nvGrpSpPr"))
    etree.SubElement(group, _q("p:cNvPr"), id="1", name="")
    etree.SubElement(group, _q("p:cNvGrpSpPr"))
    etree.SubElement(group, _q("p:nvPr"))
    etree.SubElement(tree, _q("p:grpSpPr"))
    for shape in design:  # behind the placeholders, as the client's own layout draws it
        tree.append(shape)
    for number, cnv in enumerate(tree.iter("{*}cNvPr")):
        if number:
            cnv.set("id", str(100 + number))  # unique in the layout; the group's own stays 1
    tree.append(_placeholder(title, 2, "Title 1", "title", None))
    tree.append(_placeholder(body, 3, "Content Placeholder 2", None, 1))
    mapping = etree.SubElement(root, _q("p:clrMapOvr"))
    etree.SubElement(mapping, _q("a:masterClrMapping"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _ids(parts: dict) -> set[int]:
    """Every sldMasterId/sldLayoutId id in use (they share one number space)."""
    used = set()
    for name, data in parts.items():
        if name == "ppt/presentation.xml" or name.startswith("ppt/slideMasters/slideMaster") and name.endswith(".xml"):
            try:
                root = etree.fromstring(data, _PARSER)
            except etree.XMLSyntaxError:
                continue
            for element in root.iter(_q("p:sldMasterId"), _q("p:sldLayoutId")):
                try:
                    used.add(int(element.get("id", "0")))
                except ValueError:
                    pass
    return used


def add_made_layouts(parts: dict, types, name: str, findings: list[Finding], where_file=None, where_line=None) -> list[str]:
    """Give every master that lacks a list layout one made from its placeholders; returns the new part names."""
    width = _slide_width(parts)
    masters = sorted(n for n in parts if n.startswith("ppt/slideMasters/") and n.endswith(".xml") and "/_rels/" not in n)
    made, wanting = [], []
    for master in masters:
        try:
            master_root = etree.fromstring(parts[master], _PARSER)
        except etree.XMLSyntaxError:
            continue
        verdict, found = _needs_layout(parts, master, master_root, width)
        if verdict == "ok":
            return []  # a master with a list layout of its own: nothing to make
        if verdict == "make":
            wanting.append((master, master_root, found))
    for master, master_root, found in wanting[:1]:  # one made layout, in the first master that can give it
        number = 1
        while f"ppt/slideLayouts/slideLayout{number}.xml" in parts:
            number += 1
        part = f"ppt/slideLayouts/slideLayout{number}.xml"
        layout_name = made_name(parts)
        parts[part] = _layout_xml(*found, _design(parts, master), layout_name)
        rels = etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})
        etree.SubElement(rels, f"{{{REL_NS}}}Relationship", Id="rId1", Type=RT_MASTER,
                         Target="../slideMasters/" + posixpath.basename(master))
        parts[_rels_name(part)] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
        master_rels_name = _rels_name(master)
        try:
            master_rels = etree.fromstring(parts[master_rels_name], _PARSER)
        except (KeyError, etree.XMLSyntaxError):
            master_rels = etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})
        taken = {rel.get("Id") for rel in master_rels}
        rid = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
        etree.SubElement(master_rels, f"{{{REL_NS}}}Relationship", Id=rid, Type=RT_LAYOUT,
                         Target="../slideLayouts/" + posixpath.basename(part))
        parts[master_rels_name] = etree.tostring(master_rels, xml_declaration=True, encoding="UTF-8", standalone=True)
        id_list = master_root.find(_q("p:sldLayoutIdLst"))
        if id_list is None:  # after p:clrMap, before p:transition/p:timing/p:hf/p:txStyles/p:extLst
            id_list = etree.Element(_q("p:sldLayoutIdLst"))
            anchor = master_root.find(_q("p:clrMap"))
            if anchor is not None:
                anchor.addnext(id_list)
            else:
                master_root.append(id_list)
        entry = etree.SubElement(id_list, _q("p:sldLayoutId"))
        entry.set("id", str(max(_ids(parts) | {2147483647}) + 1))
        entry.set(_q("r:id"), rid)
        parts[master] = etree.tostring(master_root, xml_declaration=True, encoding="UTF-8", standalone=True)
        override = etree.SubElement(types, f"{{{CT_NS}}}Override")
        override.set("PartName", "/" + part)
        override.set("ContentType", LAYOUT_TYPE)
        made += [part, _rels_name(part)]
        findings.append(Finding("info", "template/made-layout",
            f"'{name}': slide master {masters.index(master) + 1} has no layout with a title and a text box wide and tall "
            f"enough for a list; kitgen adds a layout '{layout_name}' made from the master's own title and text boxes "
            "(add such a layout in PowerPoint's slide master view to choose its design yourself)", where_file, where_line))
    return made
