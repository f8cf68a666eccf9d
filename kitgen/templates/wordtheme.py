"""What a client's Word template renders with: the theme's fonts and colours, and a run's
effective Latin font, size and weight through Word's chain of formatting (direct, character
style, paragraph style and the styles it is based on, table style, document defaults).

Used where kitgen must measure text as the template sets it (table cells, where a word too
wide for its column breaks in the middle) and where kitgen's own parts should take the
client's colours (a table's header row in the template's heading colour, not kitgen blue).
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
THEME_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
DEFAULT_SIZE_PT = 10.0  # Word's size when no style names one (w:sz absent everywhere)
ON = ("1", "true", "on", None)


def _a(tag: str) -> str:
    return f"{{{A_NS}}}{tag}"


def theme_element(document):
    """The theme part's XML (``a:theme``) of the main document, or None."""
    from lxml import etree

    for rel in document.part.rels.values():
        if rel.reltype == THEME_RT and not rel.is_external:
            part = rel.target_part
            element = getattr(part, "element", None)
            if element is not None:
                return element
            try:
                return etree.fromstring(part.blob)
            except (etree.XMLSyntaxError, ValueError):
                return None
    return None


def theme_fonts(theme) -> dict:
    """``{"major": family, "minor": family}``: the theme's Latin heading and body fonts."""
    found = {}
    if theme is None:
        return found
    for kind in ("major", "minor"):
        latin = theme.find(f".//{_a(kind + 'Font')}/{_a('latin')}")
        if latin is not None and latin.get("typeface"):
            found[kind] = latin.get("typeface")
    return found


def theme_colours(theme) -> dict:
    """Theme colour name (``accent1``, ``dk2``, ``tx2`` …) → ``RRGGBB``."""
    colours = {}
    scheme = theme.find(f".//{_a('clrScheme')}") if theme is not None else None
    if scheme is None:
        return colours
    for slot in scheme:
        name = slot.tag.split("}")[-1]
        value = slot.find(_a("srgbClr"))
        if value is not None:
            colours[name] = value.get("val", "").upper()
        else:
            system = slot.find(_a("sysClr"))
            if system is not None and system.get("lastClr"):
                colours[name] = system.get("lastClr").upper()
    for alias, slot in (("text1", "dk1"), ("background1", "lt1"), ("text2", "dk2"), ("background2", "lt2")):
        if slot in colours:
            colours[alias] = colours[slot]
    return colours


class Typography:
    """Effective run properties under one document's styles (each style's chain read once)."""

    def __init__(self, document):
        styles = document.styles.element
        self.by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
        self.defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.paragraph_defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
        self.default_paragraph = next((sid for sid, s in self.by_id.items()
                                       if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true", "on")),
                                      None)
        theme = theme_element(document)
        self.fonts = theme_fonts(theme)
        self.colours = theme_colours(theme)

    def _chain(self, sid: str | None, which: str = "w:rPr") -> list:
        """The style ``sid`` and the styles it is based on, nearest first (their rPr, or pPr, elements)."""
        found, seen = [], set()
        while sid and sid not in seen and sid in self.by_id:
            seen.add(sid)
            style = self.by_id[sid]
            found.append(style.find(qn(which)))
            based = style.find(qn("w:basedOn"))
            sid = based.get(qn("w:val")) if based is not None else None
        return [r for r in found if r is not None]

    def run_sources(self, r, p, tbl=None) -> list:
        """rPr elements that decide a run's properties, strongest first."""
        sources = [r.find(qn("w:rPr"))]
        rstyle = r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        sources += self._chain(rstyle.get(qn("w:val")) if rstyle is not None else None)
        pstyle = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        sources += self._chain(pstyle.get(qn("w:val")) if pstyle is not None else self.default_paragraph)
        tstyle = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}") if tbl is not None else None
        if tstyle is not None:
            sources += self._chain(tstyle.get(qn("w:val")))
        sources.append(self.defaults)
        return [s for s in sources if s is not None]

    def run_font(self, r, p, tbl=None) -> tuple[str | None, float, bool]:
        """(Latin family, size in points, bold) as the run renders."""
        sources = self.run_sources(r, p, tbl)
        family = size = bold = None
        for rpr in sources:
            if family is None:
                fonts = rpr.find(qn("w:rFonts"))
                if fonts is not None:
                    theme = fonts.get(qn("w:asciiTheme"))
                    family = fonts.get(qn("w:ascii")) or (self.fonts.get("major" if theme.startswith("major") else "minor")
                                                          if theme else None)
            if size is None:
                sz = rpr.find(qn("w:sz"))
                if sz is not None and (sz.get(qn("w:val")) or "").isdigit():
                    size = int(sz.get(qn("w:val"))) / 2
            if bold is None:
                b = rpr.find(qn("w:b"))
                if b is not None:
                    bold = b.get(qn("w:val")) in ON
        return family or self.fonts.get("minor"), size or DEFAULT_SIZE_PT, bool(bold)

    def _style_value(self, sid: str | None, tag: str):
        for rpr in self._chain(sid) + ([self.defaults] if self.defaults is not None else []):
            found = rpr.find(qn(tag))
            if found is not None:
                return found
        return None

    def style_size(self, sid: str | None) -> float:
        """A paragraph style's text size in points, through its chain and the defaults."""
        sz = self._style_value(sid, "w:sz")
        value = sz.get(qn("w:val")) if sz is not None else None
        return int(value) / 2 if value and value.isdigit() else DEFAULT_SIZE_PT

    def style_bold(self, sid: str | None) -> bool:
        b = self._style_value(sid, "w:b")
        return b is not None and b.get(qn("w:val")) in ON

    def alignment(self, p, tbl=None) -> str | None:
        """The paragraph's ``w:jc`` value as it renders."""
        jc = self.paragraph_property(p, tbl, "w:jc")
        return jc.get(qn("w:val")) if jc is not None else None

    def paragraph_property(self, p, tbl, tag: str):
        """The paragraph's ``tag`` element as it renders (direct, paragraph style chain, table style, defaults)."""
        pstyle = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        sources = [p.find(qn("w:pPr"))] + self._chain(pstyle.get(qn("w:val")) if pstyle is not None else self.default_paragraph,
                                                      "w:pPr")
        tstyle = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}") if tbl is not None else None
        if tstyle is not None:
            sources += self._chain(tstyle.get(qn("w:val")), "w:pPr")
        sources.append(self.paragraph_defaults)
        for ppr in sources:
            found = ppr.find(qn(tag)) if ppr is not None else None
            if found is not None:
                return found
        return None

    def style_colour(self, sid: str | None) -> str | None:
        """The text colour (``RRGGBB``) a paragraph style sets through its chain, theme colours resolved."""
        for rpr in self._chain(sid):
            colour = rpr.find(qn("w:color"))
            if colour is None:
                continue
            theme = colour.get(qn("w:themeColor"))
            if theme and theme in self.colours:
                return _shaded(self.colours[theme], colour.get(qn("w:themeShade")), colour.get(qn("w:themeTint")))
            value = (colour.get(qn("w:val")) or "").upper()
            return value if len(value) == 6 and value != "AUTO" else None
        return None


def _shaded(value: str, shade: str | None, tint: str | None) -> str:
    """A theme colour after Word's ``w:themeShade`` (towards black) or ``w:themeTint`` (towards white)."""
    channels = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    try:
        if shade:
            channels = [round(c * int(shade, 16) / 255) for c in channels]
        elif tint:
            channels = [round(255 - (255 - c) * int(tint, 16) / 255) for c in channels]
    except ValueError:
        pass
    return "".join(f"{c:02X}" for c in channels)


def is_chromatic(value: str | None) -> bool:
    """A colour that is a colour (not black, white or a grey): its channels differ by more than 40."""
    if not value or len(value) != 6:
        return False
    channels = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    return max(channels) - min(channels) > 40


LADDER = (("Heading 3", 0.0), ("Heading 2", 0.0), ("Heading 1", 2.0), ("Title", 4.0))  # each at least this much above the last


def heading_ladder(document, find_style) -> list[str]:
    """Headings that read as headings: Heading 3 at least the body size, Heading 2 at least two points
    above the body text (and not below Heading 3), Heading 1 two above Heading 2, Title four above
    Heading 1 (each set at 1.15 lines where the template double-spaces them); a heading that is neither bold nor three
    points above the body text is made bold, and so is one lighter than the bold level below it
    unless it is four points larger. Only sizes and weight change, and only where the
    template's ladder is missing (a manuscript's bold 12 pt everything, a Chinese template's
    Heading 2 at body size, a pandoc title no larger than its headings). ``find_style(name)`` gives
    the python-docx style or None. Returns the names of the styles changed."""
    typography = Typography(document)
    normal = find_style("Normal")
    body = typography.style_size(normal.style_id) if normal is not None else DEFAULT_SIZE_PT
    changed, floor, below_bold = [], body, False
    for name, gap in LADDER:
        style = find_style(name)
        if style is None:
            continue
        size, bold = typography.style_size(style.style_id), typography.style_bold(style.style_id)
        want = max(size, floor + gap if name != "Heading 3" else size)
        if name == "Heading 2":  # above the bold prompts and labels set at the body size
            want = max(want, body + 2)
        touched = False
        if want > size:
            style.font.size = Pt(int(want * 2) / 2)  # whole half-points
            touched = True
        # neither bold nor three points above the body; or lighter than the bold level below it
        # and less than four points above it (a regular 16 pt title over bold 14 pt headings)
        if not bold and (want < body + 3 or (below_bold and want < floor + 4)):
            style.font.bold = bold = True
            touched = True
        if _tighten_lines(style, typography):
            touched = True
        if touched:
            changed.append(name)
        floor, below_bold = want, bold
    return changed


HEADING_LINE = 276  # 1.15 lines (240ths of a line): a two-line heading reads as one


def _tighten_lines(style, typography: Typography) -> bool:
    """A heading a manuscript sets double-spaced (``w:line="480"``, as its body) gets 1.15 lines:
    a two-line title would otherwise read as two headings. Fixed and at-least spacing stay."""
    sources = typography._chain(style.style_id, "w:pPr")
    spacing = next((ppr.find(qn("w:spacing")) for ppr in sources
                    if ppr.find(qn("w:spacing")) is not None and ppr.find(qn("w:spacing")).get(qn("w:line"))), None)
    line = spacing.get(qn("w:line")) if spacing is not None else None
    if not line or not line.isdigit() or spacing.get(qn("w:lineRule")) not in (None, "auto") or int(line) <= 300:
        return False
    style.paragraph_format.line_spacing = HEADING_LINE / 240
    return True


def left_aligned_body(document, find_style) -> bool:
    """Normal set left where the template justifies it: kitgen's prompts, labels and narrow answer
    boxes justified open wide word gaps ("Spørgsmål      til      at"); and without the first-line
    indent a Chinese document gives its paragraphs (kitgen's headings and prompts would hang from
    it). Returns whether the alignment changed."""
    normal = find_style("Normal")
    if normal is None:
        return False
    indent = normal.element.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    for attribute in ("w:firstLine", "w:firstLineChars"):
        value = indent.get(qn(attribute)) if indent is not None else None
        if value and value.isdigit() and int(value) > 0:
            indent.set(qn(attribute), "0")
    for ppr in Typography(document)._chain(normal.style_id, "w:pPr"):
        jc = ppr.find(qn("w:jc"))
        if jc is not None:
            if jc.get(qn("w:val")) in ("both", "distribute", "lowKashida", "mediumKashida", "highKashida", "thaiDistribute"):
                normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
                return True
            return False
    return False
