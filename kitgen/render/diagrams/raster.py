"""A :class:`~kitgen.content.diagrams.figure.Figure` painted with Pillow, for print.

The figure is laid out for print (:func:`kitgen.content.diagrams.figure.printed`: lettering about
10 pt on paper) in a box as wide as it will be printed (16 cm, a page's text width, unless
told), so font sizes mean on paper what they say, in the organisation's colours on white
(:func:`kitgen.render.diagrams.palette.for_print`). It is painted at twice the pixel size of
300 dpi and scaled down (Pillow does not antialias polygons). The PNG carries no metadata and
is written with a fixed compression level, so the same diagram gives the same bytes.
"""

from __future__ import annotations

import io
import math
from pathlib import Path as FilePath

from PIL import Image, ImageDraw, ImageFont

from kitgen.core.cache import memo
from kitgen.content.diagrams import layout
from kitgen.content.diagrams.figure import EMU_PER_IN, EMU_PER_PT, LINE_SPACING, Colour, Path, Shape, is_bold, printed
from kitgen.content.fonts import font_file as find_font
from kitgen.render.diagrams.palette import Palette, for_print

DPI = 300
SUPERSAMPLE = 2
MARGIN = 0.02  # white border round the picture, as a fraction of its width


@memo(8)
def font_path(font_file: str | None, bold: bool) -> str | None:
    if font_file:
        if bold:
            path = FilePath(font_file)
            for old, new in (("-Regular", "-Bold"), ("Regular", "Bold"), (".ttf", "-Bold.ttf"), ("Sans.", "Sans-Bold.")):
                candidate = path.with_name(path.name.replace(old, new))
                if candidate != path and candidate.is_file():
                    return str(candidate)
        return font_file
    return find_font("Liberation Sans", bold) or find_font("DejaVu Sans", bold)


@memo(64)
def _font(path: str | None, size_px: int):
    if path:
        return ImageFont.truetype(path, size=max(size_px, 1))
    return ImageFont.load_default(size=max(size_px, 1))


def file_measure(font_file: str | None):
    def measure(text: str, size_pt: float, bold: bool) -> float:
        return _font(font_path(font_file, bold), 1000).getlength(text) * size_pt / 1000

    return measure


def render(diagram, width_px: int, height_px: int, *, language: str, font_file: str | None,
           width_cm: float = 16.0, colours: dict | None = None) -> bytes:
    """The print picture: ``width_px`` × ``height_px``'s proportions at :data:`DPI` across ``width_cm``."""
    colours = colours or {}
    ratio = height_px / max(width_px, 1)
    width_px = max(int(round(width_cm / 2.54 * DPI)), 1)
    height_px = max(int(round(width_px * ratio)), 1)
    width = width_cm / 2.54 * EMU_PER_IN
    height = width * height_px / width_px
    margin = width * MARGIN
    measure = file_measure(font_file)
    fig = layout(diagram, width - 2 * margin, height - 2 * margin, language=language, measure=measure,
                 medium=printed(dense=bool(getattr(diagram, "dense", False))))
    scale = width_px * SUPERSAMPLE / width
    image = Image.new("RGB", (width_px * SUPERSAMPLE, height_px * SUPERSAMPLE), (255, 255, 255))
    painter = _Painter(image, scale, font_file, measure, margin, for_print(colours.get("primary"), colours.get("accent")))
    for item in fig.items:
        painter.shape(item) if isinstance(item, Shape) else painter.path(item)
    # 2×2 box average: the supersampled picture's own antialiasing, at a fifth of LANCZOS's time
    # and without its ringing (half the PNG size), in place of a resampled intermediate copy
    image = image.reduce(SUPERSAMPLE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=9, optimize=False)
    return buffer.getvalue()


class _Painter:
    def __init__(self, image, scale: float, font_file: str | None, measure, margin: float, palette: Palette):
        self.image, self.draw, self.scale, self.margin = image, ImageDraw.Draw(image), scale, margin
        self.font_file, self.measure, self.palette = font_file, measure, palette

    def rgb(self, colour: Colour | None) -> tuple[int, int, int] | None:
        hex_colour = self.palette.rgb(self.palette.map(colour))
        return None if hex_colour is None else tuple(int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))

    def px(self, value: float) -> float:
        return value * self.scale

    def at(self, value: float) -> float:
        """A position: inside the white margin round the picture."""
        return (value + self.margin) * self.scale

    def shape(self, item: Shape) -> None:
        box = [self.at(item.x), self.at(item.y), self.at(item.x + item.w), self.at(item.y + item.h)]
        fill, outline = self.rgb(item.fill), self.rgb(item.line)
        width = max(int(round(self.px(item.line_pt * EMU_PER_PT))), 1) if outline else 0
        if fill or outline:
            if item.geometry == "roundrect":
                self.draw.rounded_rectangle(box, radius=self.px(item.radius()), fill=fill, outline=outline, width=width)
            elif item.geometry == "ellipse":
                self.draw.ellipse(box, fill=fill, outline=outline, width=width)
            elif item.geometry == "triangle":
                points = [((box[0] + box[2]) / 2, box[1]), (box[2], box[3]), (box[0], box[3])]
                self.draw.polygon(points, fill=fill, outline=outline, width=width)
            elif item.geometry in ("chevron", "homeplate"):
                point, middle = self.px(item.point), (box[1] + box[3]) / 2
                points = [(box[0], box[1]), (box[2] - point, box[1]), (box[2], middle), (box[2] - point, box[3]),
                          (box[0], box[3])] + ([(box[0] + point, middle)] if item.geometry == "chevron" else [])
                self.draw.polygon(points, fill=fill, outline=outline, width=width)
            else:
                self.draw.rectangle(box, fill=fill, outline=outline, width=width)
        if item.text is not None:
            self.text(item)

    def text(self, item: Shape) -> None:
        label = item.text
        x, y, w, h = item.text_rect()
        size_px = int(round(self.px(label.size_pt * EMU_PER_PT)))
        lines = [(line, bold) for number, hard_line in enumerate(label.text.split("\n"))
                 for bold in [is_bold(label, number)]
                 for line in _wrap(hard_line, w / EMU_PER_PT, label.size_pt, bold, self.measure)]
        line_h = self.px(label.size_pt * EMU_PER_PT * LINE_SPACING)
        # text that does not fit runs past its area, as on a slide, rather than being cut off
        layer = Image.new("L", (int(math.ceil(self.px(w))), int(math.ceil(max(self.px(h), line_h * len(lines))))), 0)
        draw = ImageDraw.Draw(layer)
        total = line_h * len(lines)
        top = {"top": 0.0, "middle": (layer.height - total) / 2, "bottom": layer.height - total}[label.anchor]
        for number, (line, bold) in enumerate(lines):
            font = _font(font_path(self.font_file, bold), size_px)
            line_w = font.getlength(line)
            left = {"left": 0.0, "center": (layer.width - line_w) / 2, "right": layer.width - line_w}[label.align]
            draw.text((left, top + number * line_h + (line_h - size_px) / 2), line, font=font, fill=255)
        if item.rotation:
            layer = layer.rotate(-item.rotation, expand=True)
        cx, cy = self.at(x + w / 2), self.at(y + h / 2)
        if item.rotation:  # the text rectangle turns about the shape's centre
            sx, sy = item.x + item.w / 2, item.y + item.h / 2
            dx, dy = (x + w / 2) - sx, (y + h / 2) - sy
            angle = math.radians(item.rotation)
            cx = self.at(sx + dx * math.cos(angle) - dy * math.sin(angle))
            cy = self.at(sy + dx * math.sin(angle) + dy * math.cos(angle))
        origin = (int(round(cx - layer.width / 2)), int(round(cy - layer.height / 2)))
        under = self.palette.map(item.fill if item.fill is not None else label.on)
        hex_colour = self.palette.rgb(self.palette.text_for(under))
        colour = tuple(int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
        self.image.paste(Image.new("RGB", layer.size, colour), origin, layer)

    def path(self, item: Path) -> None:
        points = [(self.at(x), self.at(y)) for x, y in item.points]
        colour = self.rgb(item.line)
        width = max(int(round(self.px(item.line_pt * EMU_PER_PT))), 1)
        if item.closed:
            self.draw.polygon(points, fill=self.rgb(item.fill), outline=colour, width=width if colour else 0)
            return
        if colour is None:
            return
        if item.arrow:  # stop the line short of the tip, then draw the head
            head = width * 3.2
            x2, y2 = points[-1]
            body = [p for p in points[:-1] if math.hypot(x2 - p[0], y2 - p[1]) > head] or points[:1]
            x1, y1 = body[-1]  # the head points along the line's last stretch, not its last tiny step
            length = math.hypot(x2 - x1, y2 - y1) or 1.0
            ux, uy = (x2 - x1) / length, (y2 - y1) / length
            base = (x2 - ux * head, y2 - uy * head)
            points = body + [base]
            self.draw.polygon([(x2, y2), (base[0] - uy * head * 0.55, base[1] + ux * head * 0.55),
                               (base[0] + uy * head * 0.55, base[1] - ux * head * 0.55)], fill=colour)
        if item.dashed:
            for a, b in _dashes(points, width * 4, width * 3):
                self.draw.line([a, b], fill=colour, width=width)
        else:
            self.draw.line(points, fill=colour, width=width, joint="curve")


def _wrap(text: str, width_pt: float, size_pt: float, bold: bool, measure) -> list[str]:
    """Greedy word wrap of one paragraph, as PowerPoint does it."""
    out, current = [], ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and measure(trial, size_pt, bold) > width_pt:
            out.append(current)
            current = word
        else:
            current = trial
    return out + [current]


def _dashes(points, dash: float, gap: float):
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        length = math.hypot(x2 - x1, y2 - y1)
        position = 0.0
        while position < length:
            end = min(position + dash, length)
            yield ((x1 + (x2 - x1) * position / length, y1 + (y2 - y1) * position / length),
                   (x1 + (x2 - x1) * end / length, y1 + (y2 - y1) * end / length))
            position = end + gap
