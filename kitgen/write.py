"""Writing a kit: reproducible bytes, an atomic move into place, and a manifest.

python-pptx and python-docx stamp the current time on every zip entry;
:func:`normalise_office_bytes` rewrites the package with a fixed entry time and
order, so the same inputs give byte-identical files.

Kits on disk (:func:`write_kit`): ``OUT/<ID>`` is a symbolic link to a versioned
folder ``OUT/.kits/<ID>-<n>``. A new kit is written into a fresh version folder and
the link is replaced with ``os.replace`` (one ``rename(2)``), so at no instant is
``OUT/<ID>`` missing or a mix of two kits. Old versions and the leftovers of an
interrupted build are removed by the next build of that organisation, under a lock
(``OUT/.kits/<ID>.lock``, ``fcntl.flock``) that makes two builds of one org take
turns. Only a kit kitgen wrote (its ``kit.json`` says ``"generator": "kitgen"``) is
ever replaced; nothing outside ``OUT/.kits`` is deleted. Where symbolic links cannot
be made (Windows without developer mode) ``OUT/<ID>`` is a plain folder swapped
with two renames; an interruption between them is repaired by the next build.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MANIFEST = "kit.json"
GENERATOR = "kitgen"
KITS = ".kits"  # OUT/.kits/<ID>-<n>: the versions behind the OUT/<ID> links


def normalise_office_bytes(data: bytes) -> bytes:
    """The same OOXML package with fixed entry times, ``[Content_Types].xml`` first, then by name.

    One pass: each part's compressed bytes are copied from the saved package, not inflated and
    deflated again (:mod:`kitgen.zippack`; the same bytes ``zipfile`` would write)."""
    from kitgen.zippack import repack

    return repack(data)


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


class NotAKitError(KitWriteError):
    """``OUT/<ID>`` holds something kitgen did not write; it is never replaced."""


def refuse_reason(target: Path) -> str | None:
    """Why ``target`` (``OUT/<ID>``) must not be replaced, or None when it is absent or a kitgen kit."""
    target = Path(target)
    if not target.exists() and not target.is_symlink():
        return None
    if target.is_symlink() and _own_version(target):
        return None  # our link to .kits/<ID>-<n> (even when that version was damaged or removed)
    if target.is_symlink() and not target.exists():
        return f"{target} is a broken link to {os.readlink(target)}, not a kit kitgen wrote; remove it or use another --out"
    if not target.is_dir():
        return f"{target} is a file, not a kit kitgen wrote; move it away or use another --out"
    manifest = read_manifest(target)
    if manifest is None or not _is_kitgen_manifest(manifest, target.name):
        return (f"{target} exists and is not a kit kitgen wrote (no kit.json from kitgen in it); "
                "kitgen replaces only its own kits: move the folder away or use another --out")
    return None


def _is_kitgen_manifest(manifest: dict, org_id: str) -> bool:
    if manifest.get("generator") == GENERATOR:
        return manifest.get("org") == org_id
    # kits written before the "generator" key: the fields only kitgen writes
    return (manifest.get("org") == org_id and "kitgen_version" in manifest and "input_digest" in manifest
            and isinstance(manifest.get("files"), list))


def _own_version(link: Path) -> bool:
    """True when ``link`` points at ``.kits/<ID>-<n>`` beside it (one of our versions)."""
    try:
        target = os.readlink(link)
    except OSError:
        return False
    return re.fullmatch(rf"{KITS}/{re.escape(link.name)}-\d+/?", target.replace(os.sep, "/")) is not None


def write_kit(target: Path, files: dict[str, bytes], manifest: dict, *, locked: bool = False) -> Path:
    """Write ``files`` and ``kit.json`` as the kit at ``target`` (``OUT/<ID>``), atomically.

    The files go into a new version folder ``OUT/.kits/<ID>-<n>``; when every one is
    written and flushed, a new link to it replaces ``OUT/<ID>`` in one rename. Then
    older versions and leftovers of interrupted builds are removed. ``locked`` says
    the caller already holds :func:`org_lock` for this kit.
    """
    target = Path(target)
    manifest = {"generator": GENERATOR, **manifest}
    if locked:
        return _write_locked(target, files, manifest)
    with org_lock(target.parent, target.name):
        return _write_locked(target, files, manifest)


def _write_locked(target: Path, files: dict[str, bytes], manifest: dict) -> Path:
    reason = refuse_reason(target)
    if reason:
        raise NotAKitError(reason)
    kits = target.parent / KITS
    version = None
    try:
        _mkdir(kits)
        version = _new_version(kits, target.name)
        for name, data in files.items():
            _write_file(version / name, data)
        _write_file(version / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        _sync_dir(version)
        _swap_in(target, version)
    except OSError as exc:
        if version is not None and not _points_to(target, version):
            shutil.rmtree(version, ignore_errors=True)
        raise KitWriteError(f"cannot write kit to {target}: {exc.strerror or exc}") from None
    except BaseException:
        if version is not None and not _points_to(target, version):
            shutil.rmtree(version, ignore_errors=True)
        raise
    clean_leftovers(target)
    return target


def _mkdir(path: Path) -> None:
    """Create a folder with the user's umask (``tempfile.mkdtemp`` would force 0700)."""
    path.mkdir(parents=True, exist_ok=True)


def _new_version(kits: Path, org_id: str) -> Path:
    numbers = [int(m.group(1)) for p in kits.iterdir() if (m := re.fullmatch(rf"{re.escape(org_id)}-(\d+)", p.name))]
    number = max(numbers, default=0) + 1
    while True:
        candidate = kits / f"{org_id}-{number}"
        try:
            os.mkdir(candidate)  # mode 0o777 & ~umask
            return candidate
        except FileExistsError:
            number += 1


def _points_to(link: Path, version: Path) -> bool:
    try:
        return link.is_symlink() and os.readlink(link) == f"{KITS}/{version.name}"
    except OSError:
        return False


def _swap_in(target: Path, version: Path) -> None:
    """Make ``target`` the kit in ``version``: a new link renamed over the old one."""
    parent = target.parent
    temp_link = parent / f".{target.name}.link-{os.getpid()}"
    try:
        if temp_link.is_symlink() or temp_link.exists():
            temp_link.unlink()
        os.symlink(f"{KITS}/{version.name}", temp_link, target_is_directory=True)
    except (OSError, NotImplementedError):
        _swap_folder(target, version)  # no symbolic links here (Windows): a plain folder, two renames
        return
    try:
        if target.is_dir() and not target.is_symlink():
            _retire_folder(target, temp_link)  # a kit from before versioned folders
        else:
            os.replace(temp_link, target)
    except BaseException:
        if temp_link.is_symlink():
            temp_link.unlink()
        raise
    _sync_dir(parent)


def _retire_folder(target: Path, temp_link: Path) -> None:
    """Replace a plain kit folder by the link: one exchange where Linux has it, else two renames."""
    aside = target.parent / KITS / f"{target.name}-0"
    if aside.exists():
        shutil.rmtree(aside)
    if _exchange(temp_link, target):
        os.rename(temp_link, aside)  # temp_link now names the old folder
        return
    os.rename(target, aside)
    os.replace(temp_link, target)


def _exchange(a: Path, b: Path) -> bool:
    """``renameat2(RENAME_EXCHANGE)``: swap two names in one step (Linux 3.15+); False where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return done == 0


def _swap_folder(target: Path, version: Path) -> None:
    """The fallback without symbolic links: old folder aside, new one in (a short gap between them)."""
    aside = target.parent / KITS / f"{target.name}-old-{os.getpid()}"
    if target.exists():
        os.rename(target, aside)
    try:
        os.rename(version, target)
    except OSError:
        if aside.exists():
            os.rename(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def clean_leftovers(target: Path) -> None:
    """Remove this org's old versions and what interrupted builds left (call with the lock held)."""
    parent, org_id = target.parent, target.name
    current = os.readlink(target).replace(os.sep, "/").rstrip("/").rsplit("/", 1)[-1] if target.is_symlink() else None
    kits = parent / KITS
    pattern = re.compile(rf"{re.escape(org_id)}-(\d+|old-\d+)")
    if kits.is_dir():
        for path in kits.iterdir():
            if pattern.fullmatch(path.name) and path.name != current:
                shutil.rmtree(path, ignore_errors=True)
    # kitgen before versioned folders: .<ID>.partial-*, .<ID>.old-*; a link left by a kill
    for path in parent.glob(f".{glob_escape(org_id)}.*"):
        if re.fullmatch(rf"\.{re.escape(org_id)}\.(partial|old|link)-\w+", path.name):
            if path.is_symlink() or path.is_file():
                path.unlink(missing_ok=True)
            else:
                shutil.rmtree(path, ignore_errors=True)


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _write_file(path: Path, data: bytes) -> None:
    """Write and flush one file; its mode follows the umask (no chmod)."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_dir(path: Path) -> None:
    """Flush a folder's entries (the new names), where the system allows opening a folder."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_manifest(target: Path) -> dict | None:
    try:
        manifest = json.loads((Path(target) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


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
    """True when ``out_dir`` holds a complete kit made from exactly these inputs, every file as hashed in kit.json."""
    manifest = read_manifest(out_dir)
    if not manifest or manifest.get("input_digest") != digest or manifest.get("org") != org_id:
        return False
    entries = manifest.get("files")
    if not isinstance(entries, list) or not entries:
        return False
    for entry in entries:
        try:
            name, expected = entry["name"], entry["sha256"]
            if "/" in name or "\\" in name or name.startswith("."):
                return False
            if sha256((Path(out_dir) / name).read_bytes()) != expected:
                return False
        except (OSError, KeyError, TypeError):
            return False
    return True


from kitgen.lock import org_lock  # noqa: E402  (the lock needs KITS and KitWriteError from here)
