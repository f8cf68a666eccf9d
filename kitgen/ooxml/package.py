"""An Office package made reproducible: saved by python-pptx or python-docx, then rewritten once by ``zipfile``.

python-pptx and python-docx save with ``zipfile`` and stamp the current time on every entry.
:func:`normalise` writes the package again with ``[Content_Types].xml`` first and the other parts
by name, every entry dated 1980-01-01 00:00, mode 0644, deflated at zlib's level 6: two saves of
the same presentation or document give the same bytes. :func:`set_core_properties` fills the
document properties from the content (never from the clock), for the same reason.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone
from pathlib import Path

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MODE = 0o644 << 16


def order(names) -> list[str]:
    """Member names in package order: ``[Content_Types].xml`` first, then by name (each once)."""
    return sorted(dict.fromkeys(names), key=lambda n: (n != "[Content_Types].xml", n))


def normalise(data: bytes, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """``data`` (a zip) with fixed entry times, modes and order, every part compressed the same way."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as target:
        for name in order(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = compression
            info.external_attr = _MODE
            info.create_system = 0
            target.writestr(info, source.read(name), compresslevel=6 if compression == zipfile.ZIP_DEFLATED else None)
    return out.getvalue()


def saved(office, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A python-pptx ``Presentation`` or python-docx ``Document``, saved through its own ``save()`` and
    normalised: reproducible bytes."""
    buffer = io.BytesIO()
    office.save(buffer)
    return normalise(buffer.getvalue(), compression)


def normalise_file(path: Path) -> None:
    """Normalise an Office file in place (the default templates in ``layouts/default``, test fixtures)."""
    path = Path(path)
    path.write_bytes(normalise(path.read_bytes()))


def fixed_datetime(day) -> datetime:
    """A document timestamp from the content (the workshop date), never from the clock."""
    if day is None:
        return datetime(2000, 1, 1, tzinfo=timezone.utc)
    return datetime(day.year, day.month, day.day, 8, 0, 0, tzinfo=timezone.utc)


def set_core_properties(props, *, title: str, subject: str, author: str, when: datetime, keywords: str = "") -> None:
    """Core properties from the content, so that two builds of the same kit are identical."""
    props.title = title
    props.subject = subject
    props.author = author
    props.last_modified_by = "kitgen"
    props.keywords = keywords
    props.comments = ""
    props.category = "workshop kit"
    props.revision = 1
    naive = when.replace(tzinfo=None)
    props.created = naive
    props.modified = naive
    props.last_printed = naive
