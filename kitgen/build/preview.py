"""Render a kit the way its users will see it: LibreOffice → PDF → PNG pages → contact sheet."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


TOOLS = {"soffice": "LibreOffice (libreoffice-impress, libreoffice-writer)", "pdftoppm": "poppler-utils"}


class PreviewError(Exception):
    pass


def missing_tools() -> list[str]:
    return [f"{name} ({package})" for name, package in TOOLS.items() if shutil.which(name) is None]


def to_pdf(files: list[Path], out_dir: Path, timeout: int = 300, convert_to: str = "pdf") -> dict[Path, Path]:
    """Convert office files to PDF with a headless LibreOffice using a private profile.

    ``convert_to`` is LibreOffice's ``--convert-to`` argument: ``pdf``, or ``pdf:<filter>:<options>``
    (:func:`kitgen.build.pdf.convert_argument`) for the kit's own PDFs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    names = _unique_names(files)
    with tempfile.TemporaryDirectory(prefix="kitgen-lo-") as profile:
        # LibreOffice names each PDF after its source: files of the same name (every kit's
        # deck.pptx) would overwrite each other's PDF, so such files are converted through
        # links with unique names.
        links = Path(profile) / "sources"
        links.mkdir()
        sources = []
        for path in files:
            if names[path] == path.stem:
                sources.append(str(path))
            else:
                link = links / (names[path] + path.suffix)
                link.symlink_to(Path(path).resolve())
                sources.append(str(link))
        command = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                   "--convert-to", convert_to, "--outdir", str(out_dir), *sources]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                  env={**os.environ, "HOME": profile})
        except subprocess.TimeoutExpired:
            raise PreviewError(f"LibreOffice did not finish converting within {timeout} s") from None
    result = {}
    for path in files:
        pdf = out_dir / (names[path] + ".pdf")
        if not pdf.is_file():
            raise PreviewError(f"LibreOffice could not convert {path.name}: {done.stderr.strip() or done.stdout.strip()}")
        result[path] = pdf
    return result


def _unique_names(files: list[Path]) -> dict[Path, str]:
    """A PDF name per file: its own stem, or (when several files share it) its folder's name too."""
    stems: dict[str, int] = {}
    for path in files:
        stems[path.stem] = stems.get(path.stem, 0) + 1
    names: dict[Path, str] = {}
    taken: set[str] = set()
    for path in files:
        name = path.stem if stems[path.stem] == 1 else f"{Path(path).resolve().parent.name}-{path.stem}"
        base, n = name, 2
        while name in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add(name)
        names[path] = name
    return names


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise PreviewError(f"cannot read the page count of {pdf.name}")


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout


def to_png(pdf: Path, out_dir: Path, dpi: int = 60) -> list[Path]:
    prefix = out_dir / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, capture_output=True)
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def contact_sheet(pages: list[Path], target: Path, columns: int = 6, thumb_width: int = 320) -> Path:
    """All pages side by side in one image, numbered, for a quick look at a whole file."""
    from PIL import Image, ImageDraw  # Pillow only when a sheet is made (kit_has_pdfs needs none of it)

    thumbs = []
    for page in pages:
        with Image.open(page) as image:
            ratio = thumb_width / image.width
            thumbs.append(image.convert("RGB").resize((thumb_width, int(image.height * ratio))))
    columns = min(columns, len(thumbs)) or 1
    rows = math.ceil(len(thumbs) / columns)
    cell_h = max(t.height for t in thumbs) + 24
    sheet = Image.new("RGB", (columns * (thumb_width + 12) + 12, rows * cell_h + 12), "#DDDDDD")
    draw = ImageDraw.Draw(sheet)
    for number, thumb in enumerate(thumbs):
        x = 12 + (number % columns) * (thumb_width + 12)
        y = 12 + (number // columns) * cell_h
        sheet.paste(thumb, (x, y))
        draw.text((x, y + thumb.height + 4), str(number + 1), fill="#333333")
    sheet.save(target, optimize=True)
    return target


def preview_folder(kit_dir: Path) -> Path:
    """Where the previews of ``OUT/<ID>`` go: ``OUT/.preview/<ID>/``, outside the kit, so a
    rebuild (which replaces the kit folder as a whole) does not delete them."""
    kit_dir = Path(kit_dir)
    return kit_dir.parent / ".preview" / kit_dir.name


def render_previews(kit_dir: Path, dpi: int = 60, preview: Path | None = None) -> dict[str, tuple[int, Path]]:
    """PNG pages and a contact sheet for every office file in ``kit_dir`` (into :func:`preview_folder`)."""
    kit_dir = Path(kit_dir)
    files = sorted(p for p in kit_dir.iterdir() if p.suffix in (".pptx", ".docx"))
    preview = Path(preview) if preview else preview_folder(kit_dir)
    if preview.exists():
        shutil.rmtree(preview)
    preview.mkdir(parents=True)
    results = {}
    for source, pdf in to_pdf(files, preview).items():
        pages = to_png(pdf, preview, dpi)
        sheet = contact_sheet(pages, preview / f"{source.stem}-contact.png")
        results[source.name] = (len(pages), sheet)
    return results
