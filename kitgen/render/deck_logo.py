"""The client's logo on a slide: scaled into the room the layout has for it, in the variant that reaches
3:1 against what lies behind it (the logo as it is, the profile's light or dark variant, a knock-out or a plate)."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Inches

from kitgen.plan.kitplan import KitPlan, SlideSpec
from kitgen.plan.slides.kinds import layout_kind
from kitgen.templates.choose import logo_box, template_logo
from kitgen.templates.clean_base import PackageError
from kitgen.templates.inspect import inspect_package
from kitgen.templates.background import background_colour, contrast_ratio, luminance


def _add_logo(prs, slide, spec: SlideSpec, plan: KitPlan, package, layout=None) -> None:
    """The logo scaled into the room the layout has for it (its picture placeholder or a free corner),
    in the variant that reaches :data:`LOGO_CONTRAST` against what lies behind it (:func:`logo_variant`)."""
    left, top, width, height = Inches(11.0), Inches(0.45), Inches(1.8), Inches(0.9)
    ref = plan.branding.layout_names.get(layout_kind(spec.kind, plan.kinds))
    try:
        info = inspect_package(package, plan.branding.pptx_template)  # the template as the deck opened it
    except PackageError:
        info = None
    if info is not None and template_logo(info, ref) is not None:
        return  # the layout shows the client's own logo: none beside it (validate/templates says so)
    try:
        from PIL import Image

        with Image.open(spec.logo) as image:
            aspect = image.width / max(image.height, 1)
        if info is None:
            raise ValueError("template unreadable")
        left, top, width, height = logo_box(info, ref, (prs.slide_width, prs.slide_height), aspect)
        if width / max(height, 1) > aspect:
            width = int(height * aspect)
        else:
            height = int(width / aspect)
    except (OSError, ValueError, PackageError):  # an unreadable logo or template: validation reports it
        aspect = None
    source, plate = str(spec.logo), None
    if aspect is not None and layout is not None:
        behind = background_colour(layout, (left, top, width, height))  # the theme as apply_theme left it
        source, plate = logo_variant(spec.logo, behind, plan.branding)
    if plate is not None:  # an opaque logo on another colour: a plate in the logo's box, the logo inside it
        box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, height)
        box.name = "Logo plate"
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor.from_string(plate)
        box.line.fill.background()
        box.shadow.inherit = False
        box.adjustments[0] = 0.12
        pad = int(min(width, height) * 0.14)
        inner_w, inner_h = width - 2 * pad, height - 2 * pad
        if aspect and inner_w / max(inner_h, 1) > aspect:  # the logo keeps its proportions, centred on the plate
            inner_w = int(inner_h * aspect)
        elif aspect:
            inner_h = int(inner_w / aspect)
        left, top, width, height = left + (width - inner_w) // 2, top + (height - inner_h) // 2, inner_w, inner_h
    picture = slide.shapes.add_picture(source, left, top, width=width, height=height if aspect else None)
    picture.name = "Logo"
    picture._element.nvPicPr.cNvPr.set("descr", spec.alt or "Logo")


LOGO_CONTRAST = 3.0  # a logo against what lies behind it (WCAG 2's minimum for graphics)
PLATE_DIFFERENCE = 1.15  # an opaque logo's own background this far from the slide's gets a plate


def logo_variant(path, behind: str, branding):
    """(what to draw — a file path or a PNG stream —, the colour of a plate behind it or None).

    A logo without transparency (a converted JPEG) carries its own background: it is drawn as it is, on
    a plate of that colour when the slide's differs (a knock-out of a rectangle is a rectangle). A logo
    with transparency is drawn as it is when its ink (the colour most of its opaque pixels have) reaches
    :data:`LOGO_CONTRAST` against ``behind``; else as the profile's variant for a dark or light background
    (``branding.logo_on_dark`` / ``logo_on_light``); else as a knock-out: its shape in white or black,
    whichever contrasts more, with the details drawn in other colours left open."""
    from collections import Counter

    from PIL import Image

    try:
        image = Image.open(path).convert("RGBA")
    except OSError:
        return str(path), None
    if image.getchannel("A").getextrema()[0] >= 250:  # no transparency (a converted JPEG): never a knock-out
        corner = "%02X%02X%02X" % image.getpixel((0, 0))[:3]  # its own background colour
        # its box on a background of another colour gets a plate of that colour with rounded corners (a frame
        # that looks meant, not a pasted rectangle); on its own colour it is seen as its ink on that colour
        return str(path), (corner if contrast_ratio(corner, behind) >= PLATE_DIFFERENCE else None)
    small = image.copy()
    small.thumbnail((200, 200))
    counts = Counter(pixel[:3] for pixel in _pixels(small) if pixel[3] >= 128)
    if not counts:
        return str(path), None
    ink = "%02X%02X%02X" % counts.most_common(1)[0][0]
    if contrast_ratio(ink, behind) >= LOGO_CONTRAST:
        return str(path), None
    dark = luminance(behind) < 0.18
    variant = getattr(branding, "logo_on_dark" if dark else "logo_on_light", None)
    if variant is not None and Path(variant).is_file():
        return str(variant), None
    colour = "FFFFFF" if contrast_ratio("FFFFFF", behind) >= contrast_ratio("000000", behind) else "000000"
    return io.BytesIO(_knock_out(str(path), Path(path).stat().st_mtime_ns, ink, colour)), None


def _pixels(image) -> list[tuple]:
    """The image's pixels as tuples, row by row (Pillow's getdata, which Pillow 14 drops)."""
    data, bands = image.tobytes(), len(image.getbands())
    return [tuple(data[i:i + bands]) for i in range(0, len(data), bands)]


@lru_cache(maxsize=16)
def _knock_out(path: str, stamp: int, ink: str, colour: str) -> bytes:
    """The logo's shape in ``colour`` (PNG bytes): its alpha, with details in a colour far from its ``ink``
    left open (KK's white gate stays a gate, not a white block)."""
    from PIL import Image, ImageChops

    image = Image.open(path).convert("RGBA")
    rgb = image.convert("RGB")
    open_colours = {c for _, c in rgb.getcolors(maxcolors=1 << 24) or []
                    if contrast_ratio("%02X%02X%02X" % c, ink) >= 2.0}
    holes = Image.new("L", image.size, 255)
    if open_colours:
        holes.putdata([0 if pixel in open_colours else 255 for pixel in _pixels(rgb)])
    knocked = Image.new("RGBA", image.size, tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4)) + (0,))
    knocked.putalpha(ImageChops.multiply(image.getchannel("A"), holes))
    stream = io.BytesIO()
    knocked.save(stream, "PNG")
    return stream.getvalue()
