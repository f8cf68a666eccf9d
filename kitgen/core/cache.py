"""The one seam for work kept between runs: four kinds, entries of bytes or JSON, each checked.

Kinds (folders under ``$XDG_CACHE_HOME/kitgen``, default ``~/.cache/kitgen``), each at a
stage boundary, with one eviction rule in :data:`KINDS` (at most N entries and M MiB per
kind, the oldest written first):

* ``content``  — content and layouts files parsed and validated (:mod:`kitgen.content.loadcache`);
* ``template`` — what a client template holds and its cleaned package (:mod:`kitgen.templates`);
* ``diagram``  — diagram pictures (PNG);
* ``fonts``    — fontconfig's answers (:mod:`kitgen.content.fonts`).

Rules:

* **Nothing in an entry can run.** An entry is bytes or JSON; objects are rebuilt from JSON by
  :func:`decode`, which knows only plain values and kitgen's own dataclasses and pydantic
  models (rebuilt without validation: the seam wrote them from validated objects).
* **Keys are declared inputs plus the environment.** :func:`key` hashes the kind, the caller's
  parts (content digests, never mtimes) and :func:`kitgen.core.environment.environment_part`: the
  interpreter, kitgen's own source and the version of every distribution kitgen requires,
  directly or not. Another Python or a library upgrade never reads an old entry.
* **Every entry is checked on reading**: a header names its kind, key, format, size and the
  sha256 of its payload; the caller may check its shape. A damaged, foreign or unreadable entry
  is a miss, never a different kit.
* **A cache that cannot be trusted is not used.** Every path component from
  ``$XDG_CACHE_HOME/kitgen`` down must be the user's own, not group- or world-writable and not a
  symlink; folders and entries are opened relative to each other with ``O_NOFOLLOW``. A cache
  that cannot be used (not the user's, group-writable, a symlink, read-only, full) never fails
  or changes a build: kitgen works without it and says so once on stderr.
* Writes go to a temporary name and are renamed into place; temporary entries older than an
  hour (left by a kill) are removed when their kind is next written.
* ``KITGEN_NO_CACHE=1`` switches off the seam and every process memo (:func:`memo`,
  :func:`enabled`).

API::

    enabled() -> bool
    key(kind, *parts) -> str
    get_bytes(kind, key, make, check=None) -> bytes
    get_json(kind, key, make, shape=None) -> object        # plain JSON values
    get_object(kind, key, make, shape=None) -> object      # encode()/decode() values
    read_json(kind, key) / write_json(kind, key, value)    # a value kept and replaced as a whole
    memo(maxsize) -> decorator                              # a per-process memo obeying the switch
    stats                                                   # Counter: (event, kind) -> count
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from kitgen.core.cachecodec import decode, encode, rebuilt_from_args
from kitgen.core.cachestore import enabled, read_entry, stats, write_entry
from kitgen.core.environment import environment_part, sha256_file


def memo(maxsize: int = 128):
    """``functools.lru_cache`` that is bypassed while ``KITGEN_NO_CACHE`` is set."""
    def wrap(function):
        cached = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def call(*args, **kwargs):
            if os.environ.get("KITGEN_NO_CACHE"):
                return function(*args, **kwargs)
            return cached(*args, **kwargs)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return call
    return wrap


# --- keys -------------------------------------------------------------------------------------


def key(kind: str, *parts) -> str:
    """sha256 over the kind, ``parts`` (JSON-able: digests, names, numbers) and the environment part."""
    text = json.dumps([kind, environment_part(), list(parts)], sort_keys=True, ensure_ascii=True, default=_refuse)
    return hashlib.sha256(text.encode()).hexdigest()


def _refuse(value):
    raise TypeError(f"not a cache key part: {type(value).__name__}")


def canonical(value):
    """Everything a content value holds, as plain JSON-able data (for keys).

    A :class:`~kitgen.core.textfield.Text` is a ``str`` whose translations and slide texts live in
    attributes that ``model_dump`` leaves out; they are all part of the key here, so two
    diagrams that differ only in their English labels never share a picture.
    """
    if rebuilt_from_args(type(value)):
        return [type(value).__qualname__, [canonical(a) for a in value.__getnewargs__()]]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return [[canonical(k), canonical(v)] for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))]
    fields = getattr(type(value), "model_fields", None)  # a pydantic model
    if fields is not None:
        return [type(value).__module__, type(value).__qualname__,
                [[name, canonical(getattr(value, name))] for name in sorted(fields)]]
    raise TypeError(f"no canonical form for {type(value).__name__}")


def file_digest(path: str | None) -> list | None:
    """A file's identity for a key: its path and the sha256 of its bytes (None when no path).
    Hashed once per process while the file's status stays the same (font files, a few per kit)."""
    if not path:
        return None
    try:
        st = os.stat(path)
        status = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    except OSError:
        return [str(path), None]
    known = _DIGESTS.get(str(path)) if enabled() else None
    if known is None or known[0] != status:
        known = _DIGESTS[str(path)] = (status, sha256_file(Path(path)))
    return [str(path), known[1]]


_DIGESTS: dict[str, tuple] = {}


# --- the entries --------------------------------------------------------------------------------


def get_bytes(kind: str, key_: str, make, check=None) -> bytes:
    """``make()``'s bytes for ``key_``: read from the seam when a checked entry is there, else made
    now and kept. ``check(data)`` may refuse an entry's shape (then it is made again)."""
    data = read_entry(kind, key_, "bytes")
    if data is not None and (check is None or _accepts(check, data)):
        stats["hit", kind] += 1
        return data
    stats["miss", kind] += 1
    data = make()
    write_entry(kind, key_, "bytes", data)
    return data


def get_json(kind: str, key_: str, make, shape=None):
    """``make()``'s JSON value for ``key_`` (read back when kept and ``shape(value)`` accepts it)."""
    raw = read_entry(kind, key_, "json")
    if raw is not None:
        try:
            value = json.loads(raw)
        except ValueError:
            value = _MISS
        if value is not _MISS and (shape is None or _accepts(shape, value)):
            stats["hit", kind] += 1
            return value
    stats["miss", kind] += 1
    value = make()
    try:
        data = json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False).encode()
    except (TypeError, ValueError):
        return value  # not JSON: not kept
    write_entry(kind, key_, "json", data)
    return value


def get_object(kind: str, key_: str, make, shape=None):
    """:func:`get_json` for values :func:`encode` knows (kitgen's dataclasses and models). A value
    made now is returned as it is; one read back is rebuilt by :func:`decode`."""
    made: list = []

    def make_json():
        made.append(make())
        return encode(made[0])

    found = get_json(kind, key_, make_json)
    if made:
        return made[0]
    try:
        value = decode(found)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, ImportError):
        value = _MISS
    if value is _MISS or (shape is not None and not _accepts(shape, value)):
        stats["hit", kind] -= 1
        stats["miss", kind] += 1
        return make()
    return value


_MISS = object()


def read_json(kind: str, key_: str):
    """The JSON value kept for ``key_`` (a value a caller keeps and replaces as a whole), or None."""
    raw = read_entry(kind, key_, "json")
    try:
        value = json.loads(raw) if raw is not None else None
    except ValueError:
        value = None
    stats["hit" if value is not None else "miss", kind] += 1
    return value


def write_json(kind: str, key_: str, value) -> None:
    """Keep ``value`` (JSON) for ``key_``, replacing what was kept."""
    try:
        data = json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False).encode()
    except (TypeError, ValueError):
        return
    write_entry(kind, key_, "json", data)


def _accepts(check, value) -> bool:
    try:
        return bool(check(value))
    except Exception:  # noqa: BLE001 — a shape check that trips over an odd value refuses it
        return False


# --- small helpers shared by callers --------------------------------------------------------------


def is_png(data: bytes) -> bool:
    """A whole PNG: its signature first and its ``IEND`` chunk last."""
    return data[:8] == b"\x89PNG\r\n\x1a\n" and data[-12:-8] == b"\x00\x00\x00\x00" and data[-8:-4] == b"IEND"


_LIBC: list = []


def release_memory() -> None:
    """Give freed native memory back to the system (glibc's ``malloc_trim``) after a kit.

    lxml and Pillow allocate outside Python's heap; glibc keeps what they free in its arenas,
    so a long-running worker's size would creep up kit by kit. Elsewhere this does nothing.
    """
    if not _LIBC:
        try:
            import ctypes

            _LIBC.append(ctypes.CDLL("libc.so.6").malloc_trim)
        except (OSError, AttributeError, ImportError):
            _LIBC.append(None)
    if _LIBC[0] is not None:
        _LIBC[0](0)
