"""The colours a figure is drawn in, chosen against what is really behind it.

A figure's geometry names theme colours by role (``accent1`` = the figure's strong colour,
a tint of it = a pale fill, ``tx1`` = text, ``bg1`` = text on the strong colour). A
:class:`Palette` maps those roles onto one theme's colours as light/dark pairs:

- the strong colour is the first of accent1 … accent6, tx2 that stands out from the
  background (3:1) and carries text (4.5:1 with tx1 or bg1);
- on a dark background a pale tint becomes a deep shade of the strong colour;
- every label's colour is whichever of tx1 and bg1 (then tx2, bg2) contrasts most with the
  fill it sits on, or with the background when it has none.

The deck's palette reads the slide's theme and the colour behind the figure's box
(:mod:`kitgen.templates.background`); print uses the organisation's colours on white paper.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

from kitgen.content.diagrams.figure import Colour
from kitgen.templates.background import contrast_ratio, luminance

STRONG = ("accent1", "accent2", "accent3", "accent4", "accent5", "accent6", "tx2")
TEXT_SLOTS = ("tx1", "bg1", "tx2", "bg2")
# Office's default theme colours (2007 and 2013+): a template that still has them has not set its brand there
# (its look is in its shapes: Midnightblue's navy and teal, NYU's purple), so they come after its own
OFFICE = frozenset({"4F81BD", "C0504D", "9BBB59", "8064A2", "4BACC6", "F79646", "1F497D", "EEECE1",
                    "4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "44546A", "E7E6E6"})
KITGEN = {"accent1": "3E4A59", "accent2": "3E4A59", "tx1": "1A1A1A", "bg1": "FFFFFF", "tx2": "3C3C3C", "bg2": "F2F2F2"}
DARK_BACKGROUND = 0.18  # relative luminance below which a background counts as dark


def with_brightness(hex_colour: str, brightness: float, saturation: float = 1.0) -> str:
    """``hex_colour`` lightened (> 0) or darkened (< 0) as ``a:lumMod``/``a:lumOff`` do (python-pptx's brightness), its
    saturation then scaled as ``a:satMod`` does."""
    if not brightness and saturation == 1.0:
        return hex_colour.upper()
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, light, s = colorsys.rgb_to_hls(r, g, b)
    light = light * (1 - brightness) + brightness if brightness > 0 else light * (1 + brightness)
    r, g, b = colorsys.hls_to_rgb(h, min(max(light, 0.0), 1.0), min(max(s * saturation, 0.0), 1.0))
    return "".join(f"{round(min(max(c, 0), 1) * 255):02X}" for c in (r, g, b))


@dataclass(frozen=True)
class Palette:
    colours: tuple  # (slot, RRGGBB) pairs: the theme as a slide shows it (tx1/bg1 through the colour map)
    background: str  # RRGGBB behind the figure
    strong: str = "accent1"

    @classmethod
    def choose(cls, colours: dict, background: str) -> Palette:
        """The palette for ``colours`` (slot → RRGGBB) seen against ``background``."""
        merged = {**KITGEN, **{k: v.upper().lstrip("#") for k, v in colours.items() if v}}
        background = background.upper().lstrip("#")

        def carries_text(hex_colour: str) -> bool:
            return max(contrast_ratio(hex_colour, merged[t]) for t in TEXT_SLOTS if t in merged) >= 4.5

        ranked = sorted(STRONG, key=lambda slot: merged.get(slot, "") in OFFICE)  # a client's own colour before Office's
        if all(merged.get(slot, "") in OFFICE for slot in STRONG):  # none of its own: the title colour (Office's navy
            ranked = ["tx2", *STRONG]  # or slate reads as the deck's; its mid-blue accent1 as another deck's)
        strong = next((slot for slot in ranked if slot in merged and contrast_ratio(merged[slot], background) >= 3.0
                       and carries_text(merged[slot])), None)
        if strong is None:  # nothing stands out: the text colour that does
            strong = max(("tx1", "bg1", "tx2"), key=lambda slot: contrast_ratio(merged.get(slot, "000000"), background))
        return cls(tuple(sorted(merged.items())), background, strong)

    @property
    def dark(self) -> bool:
        return luminance(self.background) < DARK_BACKGROUND

    def hex_of(self, slot: str) -> str:
        return dict(self.colours).get(slot, "000000")

    def map(self, colour: Colour | None) -> Colour | None:
        """The theme colour the palette draws a geometry colour in."""
        if colour is None:
            return None
        if colour.slot == "accent1":
            brightness = colour.brightness
            if self.dark and brightness > 0:  # a pale tint on a light slide is a deep shade on a dark one
                brightness = -0.75 * brightness
            return Colour(self.strong, round(brightness, 2), colour.saturation)
        if colour.slot in ("tx1", "bg1"):  # text and lines on the background, or text on the strong colour
            return self.text_for(None if colour.slot == "tx1" else Colour(self.strong))
        return colour

    def rgb(self, colour: Colour | None) -> str | None:
        """The RRGGBB a mapped colour is seen as."""
        if colour is None:
            return None
        return with_brightness(self.hex_of(colour.slot), colour.brightness, colour.saturation)

    def text_for(self, fill: Colour | None) -> Colour:
        """The text colour (tx1, bg1, tx2 or bg2) that contrasts most with ``fill`` (a mapped colour),
        or with the background under a shape without fill."""
        under = self.rgb(fill) if fill is not None else self.background
        slots = [slot for slot in TEXT_SLOTS if slot in dict(self.colours)]
        return Colour(max(slots, key=lambda slot: (round(contrast_ratio(self.hex_of(slot), under), 2), -slots.index(slot))))

    def key(self) -> list:
        return [list(self.colours), self.background, self.strong]


def default() -> Palette:
    """kitgen's own colours on white: a neutral slate accent."""
    return Palette.choose({}, "FFFFFF")


def for_print(primary: str | None, accent: str | None) -> Palette:
    """The organisation's colours on white paper."""
    return Palette.choose({"accent1": primary or KITGEN["accent1"], "accent2": accent or primary or KITGEN["accent2"]},
                          "FFFFFF")
