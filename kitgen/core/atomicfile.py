"""The one way kitgen writes a file a user owns outside a kit: whole or not at all.

A profile, a copied client template, a layout map, a scaffold from ``kitgen new …``: each is
written to a temporary file beside its target (``O_EXCL``, ``O_NOFOLLOW``), flushed with
``fsync``, and renamed over the target; the folder is then synced too. A kill, a full disk or
any error before the rename leaves the target as it was (an earlier template stays whole, never
0 bytes) and removes the temporary file; only ``SIGKILL`` can leave one behind, under a name
starting with ``.`` and ending in ``.kitgen-tmp``.

API::

    write_bytes(path, data) / write_text(path, text)
    copy_file(source, target) -> Path      # nothing when source and target are the same file
    WriteFailed                            # an OSError naming the target and what to do
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

CHUNK = 1024 * 1024


class WriteFailed(OSError):
    """Writing ``path`` failed; the file is as it was before. ``str()`` says what to do."""

    def __init__(self, path: Path, exc: OSError):
        reason = exc.strerror or str(exc)
        super().__init__(exc.errno, reason)
        self.path = Path(path)
        self.filename = str(path)
        self.message = (f"cannot write {path}: {reason}; it was left as it was"
                        + ("; free some disk space and run the command again" if exc.errno == errno.ENOSPC else ""))

    def __str__(self) -> str:
        return self.message


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data``, atomically."""
    _replace(Path(path), lambda handle: handle.write(data))


def copy_file(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` atomically (nothing when both are the same file)."""
    source, target = Path(source), Path(target)
    try:
        if target.exists() and os.path.samefile(source, target):
            return target
    except OSError:
        pass
    try:
        reader = open(source, "rb")
    except OSError as exc:
        raise WriteFailed(target, exc) from None
    with reader:
        _replace(target, lambda handle: shutil.copyfileobj(reader, handle, CHUNK))
    return target


def _replace(path: Path, fill) -> None:
    folder = path.parent
    temp = folder / f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}.kitgen-tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise WriteFailed(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException as exc:  # a full disk, Ctrl-C, SIGTERM: the target stays as it was
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise WriteFailed(path, exc) from None
        raise
    sync_folder(folder)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (its new names), where the system allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
