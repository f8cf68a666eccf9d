"""Print-ready PDFs of a kit (``kitgen build --pdf``): the worksheets, the facilitator notes and
a deck handout, converted by LibreOffice and made reproducible by kitgen.

LibreOffice stamps each PDF with the time of conversion (``/CreationDate``), a random
file identifier (``/ID``) and a checksum over both (``/DocChecksum``). They are overwritten in place with values of the same length
(the kit's fixed date and a digest of the file's own bytes), so the cross-reference
offsets stay valid and the same kit gives the same PDF bytes.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

PDF_NAMES = {"worksheets.docx": "worksheets.pdf", "facilitator-notes.docx": "facilitator-notes.pdf", "deck.pptx": "deck.pdf"}
INSTALL_HINT = "install LibreOffice (e.g. apt-get install libreoffice-writer libreoffice-impress) or build without --pdf"

_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:(\d{14})")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")


class PdfError(Exception):
    """LibreOffice is missing or could not convert a file."""


def soffice_missing() -> str | None:
    """A message for the user when LibreOffice is not installed, else None."""
    if shutil.which("soffice") is None:
        return f"--pdf needs LibreOffice ('soffice' is not on PATH): {INSTALL_HINT}"
    return None


def normalise_pdf(data: bytes, when: datetime) -> bytes:
    """The PDF with its dates set to ``when`` and its ``/ID`` derived from its content."""
    stamp = when.strftime("%Y%m%d%H%M%S").encode()
    data = _DATE.sub(lambda m: b"/" + m.group(1) + b"(D:" + stamp, data)
    blank = _ID.sub(lambda m: b"/ID [<" + b"0" * len(m.group(1)) + b"><" + b"0" * len(m.group(2)) + b">]", data)
    blank = _CHECKSUM.sub(b"/DocChecksum /0", blank)
    digest = hashlib.md5(blank).hexdigest().upper().encode()
    data = _CHECKSUM.sub(lambda m: b"/DocChecksum /" + digest[: len(m.group(1))].ljust(len(m.group(1)), b"0"), data)

    def ident(match: re.Match) -> bytes:
        first, second = match.group(1), match.group(2)
        return (match.group(0).replace(first, digest[: len(first)].ljust(len(first), b"0"), 1)
                .replace(second, digest[: len(second)].ljust(len(second), b"0")))

    return _ID.sub(ident, data)


def kit_pdfs(files: dict[str, bytes], when: datetime, timeout: int = 300) -> dict[str, bytes]:
    """PDFs of the kit's Word and PowerPoint files, by name (worksheets.pdf, …)."""
    from kitgen.preview import PreviewError, to_pdf

    missing = soffice_missing()
    if missing:
        raise PdfError(missing)
    wanted = [name for name in PDF_NAMES if name in files]
    with tempfile.TemporaryDirectory(prefix="kitgen-pdf-") as tmp:
        sources = []
        for name in wanted:
            path = Path(tmp) / name
            path.write_bytes(files[name])
            sources.append(path)
        try:
            converted = to_pdf(sources, Path(tmp) / "pdf", timeout=timeout)
        except PreviewError as exc:
            raise PdfError(str(exc)) from None
        return {PDF_NAMES[source.name]: normalise_pdf(pdf.read_bytes(), when) for source, pdf in converted.items()}
