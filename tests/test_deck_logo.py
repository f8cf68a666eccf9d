"""The client's logo is seen: on LibreOffice's rendering of each cover and closing slide, most of the
logo's ink reaches 3:1 against what lies around it (the profile's variant, a knock-out, or a plate)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation

from kitgen.build.pipeline import build_org
from kitgen.build.preview import to_pdf, to_png
from kitgen.render.deck_logo import logo_variant
from kitgen.templates.background import contrast_ratio

pytestmark = pytest.mark.skipif(any(shutil.which(t) is None for t in ("soffice", "pdftoppm")),
                                reason="LibreOffice and pdftoppm render the deck")


def _hex(pixel) -> str:
    return "%02X%02X%02X" % tuple(pixel[:3])


def _seen_share(page: Path, prs, slide, logo: Path) -> float:
    """The share of the logo's opaque area whose rendered pixels reach 3:1 against the colour around the logo."""
    picture = next(shape for shape in slide.shapes if shape.name == "Logo")
    image = Image.open(page).convert("RGB")
    sx, sy = image.width / prs.slide_width, image.height / prs.slide_height
    left, top = int(picture.left * sx), int(picture.top * sy)
    right, bottom = int((picture.left + picture.width) * sx), int((picture.top + picture.height) * sy)
    pad = max(4, (bottom - top) // 2)
    ring = [image.getpixel((x, y)) for x in range(max(left - pad, 0), min(right + pad, image.width - 1), 2)
            for y in (max(top - pad, 0), min(bottom + pad, image.height - 1))]
    around = _hex(sorted(ring, key=sum)[len(ring) // 2])
    crop = image.crop((left, top, right, bottom))
    mask = Image.open(logo).convert("RGBA").getchannel("A").resize(crop.size)
    inked = [pixel for pixel, a in zip(crop.getdata(), mask.getdata()) if a >= 200]
    seen = sum(contrast_ratio(_hex(pixel), around) >= 3.0 for pixel in inked)
    return seen / max(len(inked), 1)


@pytest.mark.parametrize("org", ["KK", "BFA"])
def test_logo_reaches_3_to_1_on_the_cover_and_closing_as_libreoffice_draws_them(project, tmp_path, org):
    result = build_org(project, org, tmp_path / "kits", force=True)
    assert result.status == "built", result.message
    deck = tmp_path / "kits" / org / "deck.pptx"
    prs = Presentation(str(deck))
    pages = to_png(to_pdf([deck], tmp_path / "pdf")[deck], tmp_path, dpi=60)
    logo = project.content.orgs[org].branding.logo
    logo = Path(project.content.root) / "orgs" / logo
    with_logo = [n for n, slide in enumerate(prs.slides) if any(s.name == "Logo" for s in slide.shapes)]
    assert with_logo and with_logo[0] == 0, "the cover carries the logo"
    for number in with_logo:
        share = _seen_share(pages[number], prs, prs.slides[number], logo)
        assert share >= 0.6, f"{org} slide {number + 1}: only {share:.0%} of the logo reaches 3:1 against its background"


def test_variant_knock_out_and_plate(tmp_path):
    """The logo as is when it contrasts; the profile's variant; a knock-out from the alpha; a plate for an opaque logo."""
    blue = tmp_path / "blue.png"
    image = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    image.paste((0, 94, 140, 255), (5, 5, 35, 15))
    image.save(blue)

    class Branding:
        logo_on_dark = None
        logo_on_light = None

    assert logo_variant(blue, "FFFFFF", Branding) == (str(blue), None)  # blue on white: as it is
    stream, plate = logo_variant(blue, "005E8C", Branding)  # blue on the same blue: a white knock-out
    knocked = Image.open(stream).convert("RGBA")
    assert plate is None and knocked.getpixel((20, 10)) == (255, 255, 255, 255) and knocked.getpixel((1, 1))[3] == 0
    jpeg = tmp_path / "jpeg-like.png"  # a converted JPEG: blue ink on its own white box, no transparency
    image = Image.new("RGB", (40, 20), (255, 255, 255))
    image.paste((0, 94, 140), (5, 5, 35, 15))
    image.save(jpeg)
    assert logo_variant(jpeg, "005E8C", Branding) == (str(jpeg), "FFFFFF"), "on blue: a white plate, never a knock-out"
    assert logo_variant(jpeg, "FFFFFF", Branding) == (str(jpeg), None), "on white: as it is"
    Branding.logo_on_dark = jpeg
    assert logo_variant(blue, "005E8C", Branding) == (str(jpeg), None), "the profile's variant for a dark background"
