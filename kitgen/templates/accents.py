"""A template's brand colour recorded in its theme, where the theme still holds Office's defaults.

Many templates put their look in their shapes, not their theme: LibreOffice's Midnightblue draws slate
bars and a teal circle over Office 2007's accents (4F81BD, C0504D …), Vivid a blue patterned band, NYU
Shanghai purple bars over Office 2013's. Figures and key figures take the theme's accents (see
``kitgen.render.diagrams.palette``), so they came out in Office's navy beside the client's slate or
blue. In the cleaned package, a master whose theme's six accents are all Office's gets the colours its
own artwork shows (master and layout shapes, largest area first; white, black and greys left out) in
theme accent slots no master or layout refers to, so nothing the client drew changes colour; the first of them
dark enough for text on white also becomes its text 2 (dk2, which key figures and help lines are set in), where
that is Office's navy or slate and nothing refers to it.
Works on the package's parts (``name -> bytes``) with lxml, like :mod:`kitgen.templates.madelayouts`.
"""

from __future__ import annotations

import posixpath

from lxml import etree

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT_THEME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
RT_LAYOUT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideLayout"
ACCENTS = tuple(f"accent{n}" for n in range(1, 7))
# Office's default theme colours (2007 and 2013+): a theme that still has them has not set its brand there
OFFICE = frozenset({"4F81BD", "C0504D", "9BBB59", "8064A2", "4BACC6", "F79646", "1F497D", "EEECE1",
                    "4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "44546A", "E7E6E6"})
TAKEN = 2          # artwork colours written at most (the strong colour and a second)
GREY = 24          # a colour whose channels differ by less than this (of 255) is a grey: no brand colour
PALE, DEEP = 0.8, 0.01  # relative luminance above / below which a colour is paper or ink, not brand
TEXT_ON_WHITE = 4.5     # an artwork colour dark enough for text on white becomes the theme's text 2 (dk2) too
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _rels(parts: dict, part: str) -> list[tuple[str, str]]:
    folder, name = posixpath.split(part)
    try:
        root = etree.fromstring(parts[posixpath.join(folder, "_rels", name + ".rels")], _PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return []
    return [(rel.get("Type", ""), posixpath.normpath(posixpath.join(folder, rel.get("Target", ""))))
            for rel in root if rel.get("TargetMode") != "External"]


def _luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(hex_colour[i:i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(one: str, other: str) -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def is_brand(hex_colour: str) -> bool:
    """Neither paper, ink nor grey: a colour a designer chose."""
    channels = [int(hex_colour[i:i + 2], 16) for i in (0, 2, 4)]
    return max(channels) - min(channels) >= GREY and DEEP < _luminance(hex_colour) < PALE


def _colour(element, scheme: dict) -> str | None:
    if element is None:
        return None
    local = etree.QName(element).localname
    value = element.get("val") if local == "srgbClr" else scheme.get(element.get("val")) if local == "schemeClr" else \
        element.get("lastClr") if local == "sysClr" else None
    return value.upper() if value and len(value) == 6 else None


def _fills(sp_pr, scheme: dict) -> list[str]:
    """The colours a shape's own fill shows: a solid fill's, a pattern's two (Vivid's band)."""
    found = []
    for fill in sp_pr:
        local = etree.QName(fill).localname
        if local == "solidFill" and len(fill):
            found.append(_colour(fill[0], scheme))
        elif local == "pattFill":
            found += [_colour(part[0], scheme) for part in fill if len(part)]
    return [c for c in found if c]


def _area(shape) -> int:
    ext = shape.find(f"{{{P}}}spPr/{{{A}}}xfrm/{{{A}}}ext")
    try:
        return int(ext.get("cx", 0)) * int(ext.get("cy", 0)) if ext is not None else 0
    except ValueError:
        return 0


def artwork_colours(roots: list, scheme: dict) -> list[str]:
    """Brand colours the shapes (not placeholders) of ``roots`` fill, the largest area first."""
    areas: dict[str, int] = {}
    for root in roots:
        for shape in root.iter(f"{{{P}}}sp"):
            if shape.find(f"{{{P}}}nvSpPr/{{{P}}}nvPr/{{{P}}}ph") is not None:
                continue
            sp_pr = shape.find(f"{{{P}}}spPr")
            colours = _fills(sp_pr, scheme) if sp_pr is not None else []
            for colour in colours:
                if is_brand(colour) and colour not in OFFICE:
                    areas[colour] = areas.get(colour, 0) + _area(shape) // len(colours)
    return [c for c, _ in sorted(areas.items(), key=lambda item: -item[1])]


def record_brand_colours(parts: dict) -> None:
    """Write each Office-coloured master's artwork colours into free accent slots of its theme."""
    masters = sorted(n for n in parts if n.startswith("ppt/slideMasters/") and n.endswith(".xml") and "/_rels/" not in n)
    used: set[str] = set()  # accent slots any master or layout refers to
    trees = {}
    for name in parts:
        if name.startswith(("ppt/slideMasters/", "ppt/slideLayouts/")) and name.endswith(".xml") and "/_rels/" not in name:
            try:
                trees[name] = etree.fromstring(parts[name], _PARSER)
            except etree.XMLSyntaxError:
                continue
            used |= {e.get("val") for e in trees[name].iter(f"{{{A}}}schemeClr")}
    for master in masters:
        if master not in trees:
            continue
        theme = next((target for kind, target in _rels(parts, master) if kind == RT_THEME and target in parts), None)
        if theme is None:
            continue
        try:
            root = etree.fromstring(parts[theme], _PARSER)
        except etree.XMLSyntaxError:
            continue
        scheme_element = root.find(f".//{{{A}}}clrScheme")
        if scheme_element is None:
            continue
        scheme = {etree.QName(slot).localname: _colour(slot[0], {}) for slot in scheme_element if len(slot)}
        if not all(scheme.get(slot) in OFFICE for slot in ACCENTS):
            continue  # the theme has colours of its own
        layouts = [trees[target] for kind, target in _rels(parts, master) if kind == RT_LAYOUT and target in trees]
        found = artwork_colours([trees[master], *layouts], scheme)[:TAKEN]
        free = [slot for slot in ACCENTS if slot not in used]
        for slot, colour in zip(free, found):
            element = scheme_element.find(f"{{{A}}}{slot}")
            for child in list(element):
                element.remove(child)
            etree.SubElement(element, f"{{{A}}}srgbClr", val=colour)
        ink = next((c for c in found if _contrast(c, "FFFFFF") >= TEXT_ON_WHITE), None)
        dark2 = scheme_element.find(f"{{{A}}}dk2")
        if ink and dark2 is not None and scheme.get("dk2") in OFFICE and not used & {"tx2", "dk2"}:
            for child in list(dark2):  # text 2 (key figures, help lines: "the title colour") in the brand's dark colour
                dark2.remove(child)
            etree.SubElement(dark2, f"{{{A}}}srgbClr", val=ink)
        if found:
            parts[theme] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
