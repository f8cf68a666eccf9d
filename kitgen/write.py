"""Writing a kit: reproducible bytes, an atomic move into place, and a manifest.

python-pptx and python-docx stamp the current time on every zip entry;
:func:`normalise_office_bytes` rewrites the package with a fixed entry time and
order, so the same inputs give byte-identical files. :func:`write_kit` writes every
file of a kit into a temporary folder beside the target and swaps it into place
only when all of them are written: a failure leaves the previous kit untouched.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MANIFEST = "kit.json"


def normalise_office_bytes(data: bytes) -> bytes:
    """The same OOXML package with fixed entry times, ``[Content_Types].xml`` first, then by name."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    ordered = sorted(names, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()


def normalise_office_file(path: Path) -> None:
    """Fix a template file's times in place (used when regenerating ``layouts/default``)."""
    path = Path(path)
    path.write_bytes(normalise_office_bytes(path.read_bytes()))


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


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class KitWriteError(Exception):
    """The kit could not be written; the previous kit, if any, is untouched."""


def write_kit(target: Path, files: dict[str, bytes], manifest: dict) -> Path:
    """Write ``files`` and ``kit.json`` into ``target`` atomically.

    Everything goes into a temporary folder next to ``target`` first; only when every
    file is written and flushed is the old folder moved aside and the new one renamed
    into place (two renames on one filesystem), then the old one removed.
    """
    target = Path(target)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KitWriteError(f"cannot create output folder {parent}: {exc.strerror}") from None
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=parent))
    try:
        for name, data in files.items():
            _write_file(staging / name, data)
        _write_file(staging / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=parent))
            os.rename(target, old / "kit")
        try:
            os.rename(staging, target)
        except OSError:
            if old is not None:
                os.rename(old / "kit", target)  # put the previous kit back
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise KitWriteError(f"cannot write kit to {target}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o644)


def read_manifest(target: Path) -> dict | None:
    try:
        return json.loads((Path(target) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def input_digest(content_dir: Path, layouts_dir: Path) -> str:
    """A hash of everything a kit is made from: content, layouts, and kitgen itself."""
    from kitgen import __version__

    digest = hashlib.sha256(f"kitgen {__version__}".encode())
    package = Path(__file__).resolve().parent
    for root in (Path(content_dir), Path(layouts_dir), package):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape"))
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def kit_is_current(out_dir: Path, org_id: str, digest: str) -> bool:
    """True when ``out_dir`` holds a complete kit made from exactly these inputs."""
    manifest = read_manifest(out_dir)
    if not manifest or manifest.get("input_digest") != digest or manifest.get("org") != org_id:
        return False
    for entry in manifest.get("files", []):
        path = out_dir / entry["name"]
        if not path.is_file() or path.stat().st_size != entry["bytes"]:
            return False
    return True
