"""What changed between two kits: slide by slide, section by section, page by page.

A deck is read with python-pptx (each slide's text, shape by shape, and its speaker notes);
a Word file with python-docx (its body in order, cut into sections at each heading, tables
included). Slides and sections are lined up with :class:`difflib.SequenceMatcher`, so a slide
put in the middle shows as one slide added, not as every later slide changed. When LibreOffice
is installed, Word files are also converted to PDF and compared page by page (the text of each
page); the result says which comparisons were made.

API::

    read_kit(folder) -> {file name: Unit list}
    diff_kits(old, new, pages=None) -> dict        # JSON-able; "identical" says whether anything differs

Printing the result: :mod:`kitgen.build.diff_report`; the old kit at a git revision: :mod:`kitgen.build.diff_git`.
"""

from __future__ import annotations

import difflib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kitgen.build.preview import missing_tools, pdf_text, to_pdf

SKIPPED = ("kit.json",)  # the manifest: its digests change with any input, its content is the kit's


class DiffError(Exception):
    """A usage mistake, or a side that cannot be built: exit 2, with the message (and findings) shown."""


@dataclass
class Unit:
    """One slide, one section of a Word file, or one page of a PDF."""

    title: str
    lines: list[str] = field(default_factory=list)

    def text(self) -> list[str]:
        return [self.title, *self.lines]


# --- reading ---------------------------------------------------------------------------------------

def read_deck(path: Path) -> list[Unit]:
    """Each slide: its title (or first text) and every line of text on it, then its speaker notes."""
    from pptx import Presentation

    units = []
    for slide in Presentation(str(path)).slides:
        lines: list[str] = []
        for shape in slide.shapes:
            lines.extend(_shape_lines(shape))
        title = ""
        if slide.shapes.title is not None and slide.shapes.title.has_text_frame:
            title = " ".join(slide.shapes.title.text_frame.text.split())
        if not title and lines:
            title = lines[0]
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None:
                lines.extend(f"notes: {line}" for line in (" ".join(p.text.split()) for p in notes.paragraphs) if line)
        units.append(Unit(title or "(no title)", lines))
    return units


def _shape_lines(shape) -> list[str]:
    lines: list[str] = []
    if getattr(shape, "shape_type", None) is not None and hasattr(shape, "shapes"):  # a group
        for inner in shape.shapes:
            lines.extend(_shape_lines(inner))
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        # a slide-number field: its number is where the slide is, not what it says (a slide put in
        # before it would otherwise change every later slide)
        numbers = {" ".join((f.text or "").split()) for f in shape._element.xpath('.//a:fld[@type="slidenum"]/a:t')}
        lines.extend(t for t in (" ".join(p.text.split()) for p in shape.text_frame.paragraphs) if t and t not in numbers)
    if getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            cells = [" ".join(c.text.split()) for c in row.cells]
            if any(cells):
                lines.append(" | ".join(cells))
    return lines


def read_word(path: Path) -> list[Unit]:
    """The body in order (paragraphs and tables), a new section at each heading."""
    import docx
    from docx.table import Table

    document = docx.Document(str(path))
    # a paragraph's style name by its id, looked up once (python-docx's Paragraph.style searches the
    # styles part on every call: three quarters of the time on a 30-page document)
    from docx.enum.style import WD_STYLE_TYPE

    names = {style.style_id: style.name for style in document.styles if style.type == WD_STYLE_TYPE.PARAGRAPH}
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    default_name = default.name if default is not None else ""
    units = [Unit("(before the first heading)")]
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                seen: list = []
                cells = []
                for cell in row.cells:  # a merged cell comes once per grid column it spans: shown once
                    if not any(cell._element is element for element in seen):
                        seen.append(cell._element)
                        cells.append(" ".join(cell.text.split()))
                if any(cells):
                    units[-1].lines.append(" | ".join(cells))
            continue
        text = " ".join(item.text.split())
        style_id = item._element.style  # the w:pStyle value, or None for the default style
        style = names.get(style_id, default_name) if style_id else default_name
        if style.startswith("Heading") or style == "Title":
            level = style.rsplit(" ", 1)[-1] if style.startswith("Heading") else "0"
            units.append(Unit(f"{'#' * (int(level) if level.isdigit() and int(level) > 0 else 1)} {text}"))
        elif text:
            units[-1].lines.append(text)
    if not units[0].lines:
        units.pop(0)
    return units


def pdf_page_units(pdf: Path) -> list[Unit]:
    """Each page of a PDF: its first line as title, the rest as lines."""
    units = []
    for page in pdf_text(pdf).split("\f"):
        lines = [" ".join(line.split()) for line in page.splitlines()]
        lines = [line for line in lines if line]
        units.append(Unit(lines[0] if lines else "(empty page)", lines[1:]))
    if units and units[-1].title == "(empty page)" and not units[-1].lines:
        units.pop()  # pdftotext ends with a form feed
    return units


def libreoffice_available() -> bool:
    return not missing_tools() and shutil.which("pdftotext") is not None


# --- comparing -------------------------------------------------------------------------------------

def compare_units(old: list[Unit], new: list[Unit]) -> dict:
    """Added, removed and changed units (1-based numbers), with the changed text as diff lines."""
    key = [u.text() for u in old], [u.text() for u in new]
    matcher = difflib.SequenceMatcher(None, [tuple(t) for t in key[0]], [tuple(t) for t in key[1]], autojunk=False)
    added, removed, changed = [], [], []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = _pair(old[a1:a2], new[b1:b2]) if op == "replace" else []
        paired_old = {i for i, _ in pairs}
        paired_new = {j for _, j in pairs}
        for i, j in pairs:
            changed.append({"old": a1 + i + 1, "new": b1 + j + 1, "title": new[b1 + j].title,
                            "diff": _text_diff(old[a1 + i], new[b1 + j])})
        removed.extend({"number": a1 + i + 1, "title": old[a1 + i].title, "text": old[a1 + i].lines}
                       for i in range(a2 - a1) if i not in paired_old)
        added.extend({"number": b1 + j + 1, "title": new[b1 + j].title, "text": new[b1 + j].lines}
                     for j in range(b2 - b1) if j not in paired_new)
    return {"old_count": len(old), "new_count": len(new), "added": added, "removed": removed, "changed": changed}


def _pair(old: list[Unit], new: list[Unit]) -> list[tuple[int, int]]:
    """Which of a replaced run's units are the same unit changed: the same title first, else in order
    when the counts match, else the most similar (at least half alike)."""
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for i, unit in enumerate(old):
        for j, other in enumerate(new):
            if j not in used and other.title == unit.title:
                pairs.append((i, j))
                used.add(j)
                break
    if not pairs and len(old) == len(new):
        return [(i, i) for i in range(len(old))]
    taken_old = {i for i, _ in pairs}
    for i, unit in enumerate(old):
        if i in taken_old:
            continue
        best, best_ratio = None, 0.5
        for j, other in enumerate(new):
            if j in used:
                continue
            ratio = difflib.SequenceMatcher(None, unit.text(), other.text()).ratio()
            if ratio >= best_ratio:
                best, best_ratio = j, ratio
        if best is not None:
            pairs.append((i, best))
            used.add(best)
    return sorted(pairs)


def _text_diff(old: Unit, new: Unit) -> list[str]:
    return [line for line in difflib.unified_diff(old.text(), new.text(), lineterm="", n=1)
            if not line.startswith(("---", "+++", "@@"))]


def _kit_files(folder: Path | None) -> dict[str, Path]:
    if folder is None:
        return {}
    return {p.name: p for p in sorted(Path(folder).iterdir()) if p.is_file() and p.name not in SKIPPED
            and not p.name.startswith(".")}


def diff_kits(old: Path | None, new: Path | None, pages: bool | None = None, workdir: Path | None = None) -> dict:
    """Compare two kit folders (None: that side has no kit). ``pages``: compare Word files page by page
    through LibreOffice (None: when it is installed)."""
    if pages is None:
        pages = libreoffice_available()
    old_files, new_files = _kit_files(old), _kit_files(new)
    result: dict = {"old": str(old) if old else None, "new": str(new) if new else None,
                    "compared": "by section and by page (LibreOffice)" if pages else
                    ("by section only (LibreOffice is not installed: pages not compared)"
                     if not libreoffice_available() else "by section only"),
                    "pages": bool(pages), "files": []}
    own_tmp = None
    if pages and workdir is None:
        own_tmp = tempfile.TemporaryDirectory(prefix="kitgen-diff-")
        workdir = Path(own_tmp.name)
    try:
        for name in sorted(set(old_files) | set(new_files)):
            result["files"].append(_diff_file(name, old_files.get(name), new_files.get(name), pages, workdir))
    finally:
        if own_tmp is not None:
            own_tmp.cleanup()
    result["identical"] = all(f["status"] == "same" for f in result["files"])
    return result


def _reader(name: str):
    suffix = Path(name).suffix.lower()
    if suffix == ".pptx":
        return "slide", read_deck
    if suffix == ".docx":
        return "section", read_word
    if suffix == ".pdf":
        return "page", pdf_page_units
    return None, None


def _diff_file(name: str, old: Path | None, new: Path | None, pages: bool, workdir: Path | None) -> dict:
    unit, reader = _reader(name)
    entry: dict = {"name": name, "unit": unit or "file"}
    if old is None or new is None:
        present = new if old is None else old
        entry["status"] = "added" if old is None else "removed"
        if reader is not None:
            entry["count"] = len(reader(present))
        return entry
    if old.read_bytes() == new.read_bytes():
        entry["status"] = "same"
        return entry
    if reader is None:
        entry["status"] = "changed"
        return entry
    units = compare_units(reader(old), reader(new))
    entry.update(units)
    same = not (units["added"] or units["removed"] or units["changed"])
    if unit == "section" and pages and workdir is not None:
        pdfs = []
        for side, path in (("old", old), ("new", new)):
            folder = Path(workdir) / f"{side}-{Path(name).stem}"
            pdfs.append(to_pdf([path], folder)[path])
        entry["pages"] = compare_units(pdf_page_units(pdfs[0]), pdf_page_units(pdfs[1]))
        same = same and not any(entry["pages"][k] for k in ("added", "removed", "changed"))
    # the same text, other bytes (formatting, an image): changed, with no text to show
    entry["status"] = "changed"
    if same:
        entry["note"] = "the text is the same; formatting, images or layout differ"
    return entry
