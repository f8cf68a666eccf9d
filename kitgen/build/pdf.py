"""Print-ready PDFs of a kit (``kitgen build --pdf``): the worksheets, the facilitator notes and
a deck handout, converted by LibreOffice and made reproducible by kitgen.

Every PDF is exported with the options of :data:`EXPORT_OPTIONS` (one table, for every PDF kitgen
writes): tagged structure, PDF/UA identification, bookmarks from headings and the document title
shown. The deck's PDF is a presenter's handout: one notes page per slide, the slide above its
speaker notes.

LibreOffice stamps each PDF with the time of conversion (``/CreationDate``, and the XMP
metadata's ``xmp:CreateDate`` of a PDF/UA file), a random
file identifier (``/ID``) and a checksum over both (``/DocChecksum``). They are overwritten in place with values of the same length
(the kit's fixed date and a digest of the file's own bytes), so the cross-reference
offsets stay valid and the same kit gives the same PDF bytes.

The PDF's language (the catalog's ``/Lang``) is the kit's: the language the source file's properties
state (``dc:language``, which the deck and the Word files carry). LibreOffice takes it for a
presentation from its own profile's locale, not from the file (en-US on most machines), so it is
written over in place, as the dates are (``da-DK`` and ``en-GB`` have the length of ``en-US``; a
shorter tag is followed by spaces, which a PDF dictionary allows).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from kitgen.build.preview import PreviewError, to_pdf

# LibreOffice's PDF export filter options, per kind of file (its filter) and for every PDF.
FILTERS = {".docx": "writer_pdf_Export", ".pptx": "impress_pdf_Export"}
EXPORT_OPTIONS = {
    "*": {"UseTaggedPDF": True, "PDFUACompliance": True, "ExportBookmarks": True, "DisplayPDFDocumentTitle": True},
    ".pptx": {"ExportNotesPages": True, "ExportOnlyNotesPages": True},  # the handout: slide and speaker notes
    ".docx": {"ExportFormFields": True},  # writing boxes and checkboxes stay fillable where LibreOffice can
}


def convert_argument(suffix: str) -> str:
    """``--convert-to`` for one kind of file: ``pdf:<filter>:<JSON options>`` (LibreOffice 7.4 and later)."""
    options = {**EXPORT_OPTIONS["*"], **EXPORT_OPTIONS.get(suffix, {})}
    typed = {name: {"type": "boolean", "value": "true" if value else "false"} for name, value in options.items()}
    return f"pdf:{FILTERS[suffix]}:{json.dumps(typed, separators=(',', ':'))}"
INSTALL_HINT = "install LibreOffice (e.g. apt-get install libreoffice-writer libreoffice-impress) or build without --pdf"

_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:(\d{14})")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")
_LANG = re.compile(rb"/Lang\s*\(([A-Za-z0-9-]*)\)")
_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")


class PdfError(Exception):
    """LibreOffice is missing or could not convert a file."""


def kit_has_pdfs(kit_dir: Path) -> bool:
    """Whether the kit at ``kit_dir`` was built with PDFs (its ``kit.json`` says so)."""
    try:
        manifest = json.loads((Path(kit_dir) / "kit.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict):
        return False
    if "pdf" in manifest:
        return manifest["pdf"] is True
    return any(isinstance(f, dict) and str(f.get("name", "")).endswith(".pdf") for f in manifest.get("files", []))


def soffice_missing() -> str | None:
    """A message for the user when LibreOffice is not installed, else None."""
    if shutil.which("soffice") is None:
        return f"--pdf needs LibreOffice ('soffice' is not on PATH): {INSTALL_HINT}"
    return None


def document_language(data: bytes) -> str | None:
    """The language an Office file's properties state (``docProps/core.xml`` ``dc:language``), else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            core = package.read("docProps/core.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    found = re.search(rb"<dc:language>\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\s*</dc:language>", core)
    return found.group(1).decode("ascii") if found else None


def set_language(data: bytes, tag: str | None) -> bytes:
    """The PDF with its document language (``/Lang``) set to ``tag``, in place: a tag as long as the one
    there or shorter (padded with spaces); a longer one, or none, leaves the PDF as it is."""
    if not tag:
        return data

    def replace(match: re.Match) -> bytes:
        old, new = match.group(0), b"/Lang(" + tag.encode("ascii") + b")"
        return new.ljust(len(old)) if len(new) <= len(old) else old

    return _LANG.sub(replace, data)


def normalise_pdf(data: bytes, when: datetime, language: str | None = None) -> bytes:
    """The PDF with its dates set to ``when``, its language to ``language`` (when given) and its ``/ID``
    derived from its content."""
    data = set_language(data, language)
    stamp = when.strftime("%Y%m%d%H%M%S").encode()
    data = _DATE.sub(lambda m: b"/" + m.group(1) + b"(D:" + stamp, data)
    xmp = when.strftime("%Y-%m-%dT%H:%M:%S").encode()  # the same length: the stream's /Length stays right
    data = _XMP_DATE.sub(lambda m: m.group(1) + xmp, data)
    blank = _ID.sub(lambda m: b"/ID [<" + b"0" * len(m.group(1)) + b"><" + b"0" * len(m.group(2)) + b">]", data)
    blank = _CHECKSUM.sub(b"/DocChecksum /0", blank)
    digest = hashlib.md5(blank).hexdigest().upper().encode()
    data = _CHECKSUM.sub(lambda m: b"/DocChecksum /" + digest[: len(m.group(1))].ljust(len(m.group(1)), b"0"), data)

    def ident(match: re.Match) -> bytes:
        first, second = match.group(1), match.group(2)
        return (match.group(0).replace(first, digest[: len(first)].ljust(len(first), b"0"), 1)
                .replace(second, digest[: len(second)].ljust(len(second), b"0")))

    return _ID.sub(ident, data)


def kit_pdfs(files: dict[str, bytes], when: datetime, names: dict[str, str], timeout: int = 300) -> dict[str, bytes]:
    """PDFs of the kit's files that ``names`` maps to a PDF's name (``worksheets.docx`` -> ``worksheets.pdf``,
    from :func:`kitgen.build.outputs.pdf_names`), by that name."""
    missing = soffice_missing()
    if missing:
        raise PdfError(missing)
    wanted = [name for name in names if name in files]
    with tempfile.TemporaryDirectory(prefix="kitgen-pdf-") as tmp:
        by_kind: dict[str, list[Path]] = {}
        for name in wanted:
            path = Path(tmp) / name
            path.write_bytes(files[name])
            by_kind.setdefault(path.suffix, []).append(path)
        converted: dict[Path, Path] = {}
        try:
            for suffix, sources in sorted(by_kind.items()):
                converted.update(to_pdf(sources, Path(tmp) / "pdf", timeout=timeout, convert_to=convert_argument(suffix)))
        except PreviewError as exc:
            raise PdfError(str(exc)) from None
        return {names[source.name]: normalise_pdf(pdf.read_bytes(), when, document_language(files[source.name]))
                for source, pdf in sorted(converted.items(), key=lambda item: item[0].name)}
