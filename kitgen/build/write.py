"""Writing a kit: reproducible bytes, an atomic move into place, and a manifest.

python-pptx and python-docx stamp the current time on every zip entry;
:func:`kitgen.ooxml.package.saved` rewrites the package with a fixed entry time and
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

import json
import os
import re
import shutil
import sys
from pathlib import Path

from kitgen.build.lock import org_lock
from kitgen.build.outfolder import KITS, KitWriteError, NotAKitError, _euid, _mkdir, unsafe_folder_reason
from kitgen.build.manifest import GENERATOR, MANIFEST, read_manifest
from kitgen.core.atomicfile import sync_folder



def refuse_reason(target: Path) -> str | None:
    """Why ``target`` (``OUT/<ID>``) must not be replaced, or None when it is absent or a kitgen kit.

    An output folder other users can write (:func:`unsafe_folder_reason`) is refused first."""
    target = Path(target)
    unsafe = unsafe_folder_reason(target.parent)
    if unsafe:
        return unsafe
    if not target.exists() and not target.is_symlink():
        return None
    try:
        owner = os.lstat(target).st_uid
    except OSError:
        owner = _euid()
    if owner != _euid():
        return (f"{target} belongs to another user (uid {owner}), not to you; kitgen replaces only kits it wrote "
                "for you: move it away or use another --out")
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


def _link_target(link: Path) -> str | None:
    try:
        return os.readlink(link).replace(os.sep, "/").rstrip("/")
    except OSError:
        return None


def _own_version(link: Path) -> bool:
    """True when ``link`` points at ``.kits/<name>`` beside it and ``<name>`` is one of this
    org's versions: recorded in its ledger (:func:`owned_names`), or a version folder whose
    kit.json says kitgen wrote it for exactly this org (kits from before the ledger)."""
    target = _link_target(link)
    if target is None or not target.startswith(KITS + "/"):
        return False
    name = target[len(KITS) + 1:]
    if "/" in name or name in ("", ".", ".."):
        return False
    kits = Path(link).parent / KITS
    return name in owned_names(kits, link.name) or _legacy_version(kits / name, link.name)


def _legacy_version(path: Path, org_id: str) -> bool:
    """A version folder kitgen wrote for ``org_id`` before versions were recorded: named
    ``<ID>-<n>`` and holding a kit.json of kitgen for exactly that org."""
    if not re.fullmatch(rf"{re.escape(org_id)}-\d+", path.name) or path.is_symlink():
        return False
    manifest = read_manifest(path) if path.is_dir() else None
    return manifest is not None and _is_kitgen_manifest(manifest, org_id)


# --- the ledger: the exact names in OUT/.kits that kitgen made for one organisation -------

def _ledger(kits: Path, org_id: str) -> Path:
    return Path(kits) / f"{org_id}.own"  # org ids hold no dot: never another org's entry


def owned_names(kits: Path, org_id: str) -> list[str]:
    """The names in ``OUT/.kits`` kitgen made for ``org_id`` (recorded before each was made)."""
    try:
        fd = os.open(_ledger(kits, org_id), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return []
    try:
        with os.fdopen(fd, "rb") as handle:
            names = json.loads(handle.read(1 << 20).decode("utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(names, list):
        return []
    return [n for n in names if isinstance(n, str) and n and "/" not in n and n not in (".", "..")
            and n != _ledger(kits, org_id).name and n != f"{org_id}.lock"]


def _record(kits: Path, org_id: str, names: list[str]) -> None:
    """Replace the ledger (under the org's lock): written beside it, flushed, renamed over it."""
    ledger = _ledger(kits, org_id)
    temp = ledger.with_name(ledger.name + ".new")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(json.dumps(sorted(set(names))).encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, ledger)


def _claim(kits: Path, org_id: str, name: str) -> None:
    """Record ``name`` as this org's before it is made (a kill after making it leaves it provably ours)."""
    names = owned_names(kits, org_id)
    if name not in names:
        _record(kits, org_id, names + [name])


def _release(kits: Path, org_id: str, gone: list[str]) -> None:
    names = owned_names(kits, org_id)
    left = [n for n in names if n not in gone]
    if left != names:
        _record(kits, org_id, left)


def _remove_owned(path: Path) -> None:
    """Remove an entry of ours under ``.kits``: a link or file is unlinked (never followed)."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)  # fd-based on Linux: follows no link inside


def write_kit(target: Path, files: dict[str, bytes], manifest: dict, *, locked: bool = False) -> Path:
    """Write ``files`` and ``kit.json`` as the kit at ``target`` (``OUT/<ID>``), atomically.

    The files go into a new version folder ``OUT/.kits/<ID>-<n>``; when every one is
    written and flushed, a new link to it replaces ``OUT/<ID>`` in one rename. Then
    older versions and leftovers of interrupted builds are removed: only names this
    org's ledger ``OUT/.kits/<ID>.own`` records (each is recorded before it is made).
    ``locked`` says the caller already holds :func:`org_lock` for this kit.
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
        kit_json = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        if os.open not in os.supports_dir_fd:  # Windows: no folder handles; the version was just made by mkdir
            for name, data in [*files.items(), (MANIFEST, kit_json)]:
                _write_file(str(version / name), data, None)
        else:
            folder = os.open(version, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
            try:
                for name, data in files.items():
                    _write_file(name, data, folder)
                _write_file(MANIFEST, kit_json, folder)
                _fsync_fd(folder)
            finally:
                os.close(folder)
        _swap_in(target, version)
    except OSError as exc:
        if version is not None and not _points_to(target, version):
            _remove_owned(version)
        raise KitWriteError(f"cannot write kit to {target}: {exc.strerror or exc}") from None
    except BaseException:
        if version is not None and not _points_to(target, version):
            _remove_owned(version)
        raise
    clean_leftovers(target)
    return target


def _new_version(kits: Path, org_id: str) -> Path:
    """A fresh ``<ID>-<n>`` made by this process (``mkdir`` never reuses an existing name or
    follows a link), recorded in the org's ledger first."""
    numbers = [int(m.group(1)) for n in owned_names(kits, org_id) if (m := re.fullmatch(rf"{re.escape(org_id)}-(\d+)", n))]
    number = max(numbers, default=0) + 1
    for _ in range(100_000):
        candidate = kits / f"{org_id}-{number}"
        if not os.path.lexists(candidate):
            _claim(kits, org_id, candidate.name)
            try:
                os.mkdir(candidate)  # mode 0o777 & ~umask
                return candidate
            except FileExistsError:
                _release(kits, org_id, [candidate.name])
        number += 1
    raise KitWriteError(f"no free version name for {org_id} in {kits}; remove old folders there")


def _points_to(link: Path, version: Path) -> bool:
    try:
        return link.is_symlink() and os.readlink(link) == f"{KITS}/{version.name}"
    except OSError:
        return False


def _swap_in(target: Path, version: Path) -> None:
    """Make ``target`` the kit in ``version``: a new link, made in ``.kits`` (recorded), renamed over the old one."""
    parent = target.parent
    kits = parent / KITS
    temp_link = kits / f"{target.name}.link-{os.getpid()}"
    try:
        _claim(kits, target.name, temp_link.name)
        if temp_link.is_symlink() or temp_link.exists():
            _remove_owned(temp_link)  # ours: recorded by an earlier process with this pid
        os.symlink(f"{KITS}/{version.name}", temp_link, target_is_directory=True)  # relative to OUT once renamed
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
    sync_folder(parent)


def _aside_name(kits: Path, org_id: str, what: str) -> Path:
    """A fresh name in ``.kits`` for a folder moved aside, recorded before it is used."""
    for number in range(1, 100_000):
        candidate = kits / f"{org_id}.{what}-{number}"
        if not os.path.lexists(candidate):
            _claim(kits, org_id, candidate.name)
            return candidate
    raise KitWriteError(f"no free name in {kits}; remove old folders there")


def _retire_folder(target: Path, temp_link: Path) -> None:
    """Replace a plain kit folder by the link: one exchange where Linux has it, else two renames."""
    aside = _aside_name(target.parent / KITS, target.name, "old")
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
    aside = _aside_name(target.parent / KITS, target.name, "old")
    if target.exists():
        os.rename(target, aside)
    try:
        os.rename(version, target)
    except OSError:
        if aside.exists():
            os.rename(aside, target)
        raise
    _remove_owned(aside)


def clean_leftovers(target: Path) -> None:
    """Remove this org's old versions and what interrupted builds left (call with the lock held).

    Only exact names this org's ledger records are removed (and a version from before the
    ledger whose kit.json says kitgen wrote it for exactly this org); never a name found by
    a pattern or prefix, so another org's versions (``X-old`` beside ``X``) and a user's own
    folders stay. Nothing outside ``OUT/.kits`` is touched."""
    parent, org_id = target.parent, target.name
    current = _link_target(target).rsplit("/", 1)[-1] if target.is_symlink() else None
    kits = parent / KITS
    if not kits.is_dir() or kits.is_symlink():
        return
    recorded = owned_names(kits, org_id)
    gone = []
    for name in recorded:
        if name != current:
            _remove_owned(kits / name)
            if not os.path.lexists(kits / name):
                gone.append(name)
    _release(kits, org_id, gone)
    _remove_owned(kits / f"{org_id}.own.new")  # the ledger's temporary file, left by a kill inside _record
    for path in kits.iterdir():  # versions kitgen wrote before it kept a ledger
        if path.name != current and path.name not in recorded and _legacy_version(path, org_id):
            _remove_owned(path)


def remove_kit(target: Path) -> None:
    """Remove the kit ``OUT/<ID>`` (for ``kitgen clean``, with the org's lock held): the link
    (a plain kit folder is first moved into ``.kits``), then every name the ledger records,
    then the ledger. Call only for a target :func:`refuse_reason` accepts."""
    parent, org_id = target.parent, target.name
    kits = parent / KITS
    if target.is_symlink():
        target.unlink()
    elif target.is_dir():
        _mkdir(kits)
        aside = _aside_name(kits, org_id, "old")
        os.rename(target, aside)
    if kits.is_dir() and not kits.is_symlink():
        clean_leftovers(target)  # the link is gone: every recorded name goes
        if not owned_names(kits, org_id):
            _ledger(kits, org_id).unlink(missing_ok=True)


def _write_file(name: str, data: bytes, folder: int | None) -> None:
    """Write and flush one new file in the open folder ``folder``; its mode follows the umask
    (no chmod). ``O_EXCL | O_NOFOLLOW``: never through a link, never over an existing file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(name, flags, 0o666, dir_fd=folder) if folder is not None else os.open(name, flags, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_fd(fd: int) -> None:
    try:
        os.fsync(fd)
    except OSError:
        pass
