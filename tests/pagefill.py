"""How much of each page of a PDF is used: a test utility (and ``python tests/pagefill.py FILE.pdf``).

Each page is rendered by ``pdftoppm`` to a small grey image; a row of pixels is *inked* when
any pixel in it is darker than the paper. The header (the first band of ink in the top fifth
of the page) and the footer (the last band, in the bottom 30 %) are set aside; what is left is
the body area, and a page's *fill* is how far down that area its last inked row reaches
(0.0 an empty body, 1.0 ink to the footer). ``pdftotext`` gives each page's lines, so a test
can also ask what a page ends on.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

DPI = 30
INK = 200  # a pixel darker than this (0 black … 255 white) is ink
GAP_ROWS = 3  # blank rows that separate two bands of ink


@dataclass
class Page:
    number: int
    fill: float  # fraction of the body area (header and footer aside) down to the last ink
    lines: list[str]  # the page's text lines (pdftotext -layout), the footer's last line included

    @property
    def body_lines(self) -> list[str]:
        """The text lines without the running header and the "Side x af y" footer."""
        lines = [line.strip() for line in self.lines if line.strip()]
        if lines and ("Side " in lines[-1] or "Page " in lines[-1] or "/" in lines[-1]):
            lines = lines[:-1]
        return lines[1:] if lines else lines


def _pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    parts, pos = [], 0
    while len(parts) < 4:  # magic, width, height, maxval (comments aside)
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        parts.append(data[pos:end])
        pos = end
    assert parts[0] == b"P5", f"{path}: not a binary PGM"
    width, height = int(parts[1]), int(parts[2])
    return width, height, data[pos + 1:pos + 1 + width * height]


def _bands(rows: list[bool]) -> list[tuple[int, int]]:
    bands, start, blank = [], None, 0
    for y, inked in enumerate(rows):
        if inked:
            if start is None:
                start = y
            blank, end = 0, y
        elif start is not None:
            blank += 1
            if blank >= GAP_ROWS:
                bands.append((start, end))
                start, blank = None, 0
    if start is not None:
        bands.append((start, end))
    return bands


def page_fill(width: int, height: int, pixels: bytes) -> float:
    margin = int(width * 0.04)  # crop marks and anti-aliasing at the very edge aside
    rows = [min(pixels[y * width + margin:(y + 1) * width - margin], default=255) < INK for y in range(height)]
    bands = _bands(rows)
    top, bottom = 0, height
    if bands and bands[0][1] < height * 0.2:
        top = bands[0][1] + 1
        bands = bands[1:]
    if bands and bands[-1][0] > height * 0.7:  # every page has a footer ("Side x af y"): the last band
        bottom = bands[-1][0]
        bands = bands[:-1]
    if not bands:
        return 0.0
    return max(0.0, min(1.0, (bands[-1][1] - top) / max(1, bottom - top)))


def measure(pdf: Path, dpi: int = DPI) -> list[Page]:
    """Every page of ``pdf`` with its fill and text lines."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(Path(tmp) / "p")], check=True)
        images = sorted(Path(tmp).glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[-1]))
        fills = [page_fill(*_pgm(image)) for image in images]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    return [Page(n, fill, pages[n - 1].splitlines() if n - 1 < len(pages) else []) for n, fill in enumerate(fills, start=1)]


def to_pdfs(files: list[Path], out: Path) -> dict[Path, Path]:
    """Word files → PDFs through LibreOffice (one start-up), as kitgen preview does it."""
    from kitgen.build.preview import to_pdf

    return to_pdf(files, out)


if __name__ == "__main__":  # pragma: no cover - a measuring aid
    for name in sys.argv[1:]:
        pages = measure(Path(name))
        print(f"{name}: {len(pages)} pages; fill " + " ".join(f"{p.number}:{p.fill:.2f}" for p in pages))
