"""One builder per organisation: an exclusive lock on ``OUT/.kits/<ID>.lock``.

``fcntl.flock`` on Linux and macOS (the kernel drops the lock when a process dies, so a
killed build never leaves it held); ``msvcrt.locking`` on Windows.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from kitgen.build.outfolder import KITS, KitWriteError, UnsafeFolderError, _mkdir, unsafe_folder_reason
from kitgen.core.envvars import number

LOCK_TIMEOUT_S: float | None = None  # None: KITGEN_LOCK_TIMEOUT (kitgen.core.envvars: 0–86400 s, default 120)


class org_lock:
    """One builder per organisation: an exclusive lock on ``OUT/.kits/<ID>.lock``.

    A second build of the same org waits (polling) up to ``timeout`` seconds, then
    gives up with a :class:`KitWriteError` saying who holds the kit. The lock is
    released by the kernel when a process dies, so a killed build never leaves it held.
    """

    def __init__(self, out_root: Path, org_id: str, timeout: float | None = None):
        self.path = Path(out_root) / KITS / f"{org_id}.lock"
        self.org_id = org_id
        if timeout is None:
            timeout = LOCK_TIMEOUT_S if LOCK_TIMEOUT_S is not None else number("KITGEN_LOCK_TIMEOUT")
        self.timeout = timeout
        self.fd: int | None = None

    def __enter__(self):
        reason = unsafe_folder_reason(self.path.parent.parent)
        if reason:
            raise UnsafeFolderError(reason)
        try:
            _mkdir(self.path.parent)
            reason = unsafe_folder_reason(self.path.parent.parent)  # .kits as made (or as found)
            if reason:
                raise UnsafeFolderError(reason)
            # never through a link planted in its place: O_NOFOLLOW fails on a symbolic link
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except OSError as exc:
            raise KitWriteError(f"cannot write to {self.path.parent.parent}: {exc.strerror or exc}") from None
        deadline = time.monotonic() + self.timeout
        while not _try_lock(self.fd):
            if time.monotonic() >= deadline:
                os.close(self.fd)
                self.fd = None
                raise KitWriteError(
                    f"another kitgen build of {self.org_id} is still writing {self.path.parent.parent / self.org_id} "
                    f"(waited {self.timeout:g} s for {self.path}); try again when it has finished")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            _unlock(self.fd)
            os.close(self.fd)
            self.fd = None


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        os.lseek(fd, 0, 0)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_UN)
