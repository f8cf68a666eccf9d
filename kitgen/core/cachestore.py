"""The cache's entries on disk (:mod:`kitgen.core.cache` is the API): the eviction table, where the
folders are, reading and writing one checked entry, the trust rules and pruning.

An entry is a header (its kind, key, format, size and the sha256 of its payload) and the payload.
Every folder from ``$XDG_CACHE_HOME/kitgen`` down is opened relative to the one above with
``O_NOFOLLOW`` and must be the user's own and writable by nobody else; a cache that cannot be
trusted is not used, and that is said once on stderr.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import sys
import time
from collections import Counter
from pathlib import Path

# kind -> (entries, MiB): the one eviction table. The oldest entries of a kind are removed first.
KINDS: dict[str, tuple[int, int]] = {
    "content": (32, 64),
    "template": (64, 512),
    "diagram": (2000, 256),
    "fonts": (512, 4),
}
TEMP_MAX_AGE = 3600          # seconds: a temporary entry older than this was left by a killed write
PRUNE_EVERY = 50             # a kind's folder is listed on its first write in a process, then every 50th
MAGIC = b"kitgen-cache 1\n"
MAX_HEADER = 4096
FORMATS = ("bytes", "json")

stats: Counter = Counter()   # ("hit" | "miss" | "store" | "refused", kind) -> count, this process
_WARNED: set = set()
_WRITES: Counter = Counter()


def enabled() -> bool:
    """False when ``KITGEN_NO_CACHE`` is set: no entry is read or written, no memo kept."""
    return not os.environ.get("KITGEN_NO_CACHE")


def root() -> Path | None:
    """``$XDG_CACHE_HOME/kitgen`` (an absolute XDG_CACHE_HOME only, as the spec says), or None when off."""
    if not enabled():
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kitgen"


def _header(kind: str, key_: str, fmt: str, payload: bytes) -> bytes:
    head = {"kind": kind, "key": key_, "format": fmt, "size": len(payload), "sha256": hashlib.sha256(payload).hexdigest()}
    return MAGIC + json.dumps(head, sort_keys=True).encode() + b"\n"


def _parse(data: bytes, kind: str, key_: str, fmt: str) -> bytes | None:
    """The payload of an entry, or None when it is not whole, not this key's or not this format."""
    if not data.startswith(MAGIC):
        return None
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    if end < 0:
        return None
    try:
        head = json.loads(data[len(MAGIC):end])
    except ValueError:
        return None
    payload = data[end + 1:]
    if (not isinstance(head, dict) or head.get("kind") != kind or head.get("key") != key_ or head.get("format") != fmt
            or head.get("size") != len(payload) or head.get("sha256") != hashlib.sha256(payload).hexdigest()):
        return None
    return payload


def _valid_name(kind: str, key_: str) -> bool:
    return kind in KINDS and len(key_) == 64 and all(c in "0123456789abcdef" for c in key_)


def read_entry(kind: str, key_: str, fmt: str) -> bytes | None:
    if not _valid_name(kind, key_):
        return None
    folder = _open_kind(kind, create=False)
    if folder is None:
        return None
    try:
        try:
            fd = os.open(key_, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), dir_fd=folder)
        except OSError:
            return None  # absent, or a symlink (ELOOP)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or not _owned(st) or st.st_nlink != 1:
                stats["refused", kind] += 1
                return None
            with os.fdopen(fd, "rb", closefd=False) as handle:
                data = handle.read()
        finally:
            os.close(fd)
    except OSError:
        return None
    finally:
        os.close(folder)
    payload = _parse(data, kind, key_, fmt)
    if payload is None:
        stats["refused", kind] += 1
    return payload


def write_entry(kind: str, key_: str, fmt: str, payload: bytes) -> None:
    if not _valid_name(kind, key_):
        return
    folder = _open_kind(kind, create=True)
    if folder is None:
        return
    temp = f".tmp-{os.getpid()}-{os.urandom(6).hex()}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o600,
                     dir_fd=folder)
        try:
            with os.fdopen(fd, "wb", closefd=False) as handle:
                handle.write(_header(kind, key_, fmt, payload))
                handle.write(payload)
        finally:
            os.close(fd)
        os.rename(temp, key_, src_dir_fd=folder, dst_dir_fd=folder)
        stats["store", kind] += 1
    except OSError as exc:
        try:
            os.unlink(temp, dir_fd=folder)
        except OSError:
            pass
        _warn(f"cannot write to it ({exc.strerror or exc})")
    else:
        _WRITES[kind] += 1
        if (_WRITES[kind] - 1) % PRUNE_EVERY == 0:
            _prune(folder, kind)
    finally:
        os.close(folder)


# --- trust -----------------------------------------------------------------------------------------


def _owned(st) -> bool:
    """The user's own and writable by nobody else."""
    if not hasattr(os, "getuid"):
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _open_kind(kind: str, create: bool) -> int | None:
    """A descriptor of the kind's folder, opened component by component from the cache root with
    ``O_NOFOLLOW`` and checked (a directory, the user's own, not group/world-writable); None when
    absent (and not ``create``) or not to be trusted (said once on stderr)."""
    top = root()
    if top is None:
        return None
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    if create:
        try:
            os.makedirs(top.parent, mode=0o700, exist_ok=True)  # XDG_CACHE_HOME itself: above the rule
        except OSError as exc:
            _warn(f"cannot create it ({exc.strerror or exc})")
            return None
    opened: list[int] = []
    try:
        try:
            opened.append(os.open(top.parent, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)))
        except OSError as exc:
            if create:
                _warn(f"cannot open its folder ({exc.strerror or exc})")
            return None
        for name in (top.name, kind):
            try:
                fd = os.open(name, flags, dir_fd=opened[-1])
            except FileNotFoundError:
                if not create:
                    return None
                try:
                    os.mkdir(name, 0o700, dir_fd=opened[-1])
                    fd = os.open(name, flags, dir_fd=opened[-1])
                except OSError as exc:
                    _warn(f"cannot create {name} ({exc.strerror or exc})")
                    return None
            except OSError as exc:  # ELOOP: a symlink; ENOTDIR: a file
                _warn("it is a symlink or not a folder" if exc.errno in (errno.ELOOP, errno.ENOTDIR)
                      else f"cannot open it ({exc.strerror or exc})", name)
                return None
            opened.append(fd)
            st = os.fstat(fd)
            if not _owned(st):
                what = "it belongs to another user" if hasattr(os, "getuid") and st.st_uid != os.getuid() else \
                    f"others can write to it (mode {stat.S_IMODE(st.st_mode):o})"
                _warn(what, name)
                return None
        return opened.pop()
    finally:
        for fd in opened:
            os.close(fd)


def _warn(reason: str, name: str | None = None) -> None:
    top = root()
    where = top if name is None or top is None or name == top.name else top / name
    if where in _WARNED:
        return
    _WARNED.add(where)
    print(f"kitgen: not using the cache {where}: {reason}; building without it "
          f"(set KITGEN_NO_CACHE=1 to silence this, or fix the folder)", file=sys.stderr)


def _prune(folder: int, kind: str) -> None:
    """Remove temporary entries older than an hour, then the oldest entries beyond the kind's bounds."""
    most, mib = KINDS[kind]
    now = time.time()
    entries = []
    try:
        with os.scandir(folder) as listing:
            for entry in listing:
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if entry.name.startswith(".tmp-"):
                    if now - st.st_mtime > TEMP_MAX_AGE:
                        _unlink(entry.name, folder)
                elif stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
                    entries.append((st.st_mtime_ns, entry.name, st.st_size))
    except OSError:
        return
    entries.sort()
    total = sum(size for _, _, size in entries)
    while entries and (len(entries) > most or total > mib * 2**20):
        _, name, size = entries.pop(0)
        _unlink(name, folder)
        total -= size


def _unlink(name: str, folder: int) -> None:
    try:
        os.unlink(name, dir_fd=folder)
    except OSError:
        pass
