"""Logos as a consultant has them: what kind of image a file is, and a PNG made from it.

kitgen draws logos from PNG (transparency kept). A client usually sends a JPEG, a GIF, a
WebP or an SVG: the raster kinds are converted with Pillow when the logo is taken in
(``kitgen new org --logo``); an SVG needs a drawing program to become a picture, so the
message says how to export one.
"""

from __future__ import annotations

from pathlib import Path

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CONVERTIBLE = ("jpeg", "gif", "webp", "bmp", "tiff")
MAX_SIDE = 4000  # a converted logo is scaled down to this (a logo needs no more; a huge one only slows builds)


def image_kind(head: bytes) -> str | None:
    """``png``, ``jpeg``, ``gif``, ``webp``, ``bmp``, ``tiff``, ``svg`` or None, from a file's first bytes."""
    if head.startswith(PNG_MAGIC):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM"):
        return "bmp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in head.lower():
        return "svg"
    return None


def advice(name: str, kind: str | None) -> str:
    """What to do with a logo that is not a PNG."""
    if kind in CONVERTIBLE:
        return (f"'{name}' is a {kind.upper()} image; kitgen takes PNG logos. Give it to 'kitgen new org … --logo "
                f"{name} --force', which converts it, or save it as PNG (Paint, Preview: File → Export → PNG)")
    if kind == "svg":
        return (f"'{name}' is an SVG drawing; kitgen takes PNG logos. Export a PNG about 1000 px wide "
                "(Inkscape: File → Export; Illustrator: Export As → PNG; or ask the client for a PNG)")
    return f"'{name}' is not a PNG image (nor a JPEG, GIF or WebP that kitgen converts); kitgen takes PNG logos"


def convert_to_png(source: Path, target: Path) -> None:
    """A PNG of ``source`` (a JPEG, GIF, WebP, BMP or TIFF) at ``target``; transparency is kept."""
    from PIL import Image, ImageOps

    with Image.open(source) as image:
        image.seek(0)  # the first frame of an animated GIF
        picture = ImageOps.exif_transpose(image)
        if picture.mode not in ("RGB", "RGBA", "L", "LA"):
            picture = picture.convert("RGBA" if "transparency" in image.info or picture.mode in ("P", "PA") else "RGB")
        if max(picture.size) > MAX_SIDE:
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
        picture.save(target, format="PNG", optimize=True)
