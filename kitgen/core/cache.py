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

import base64
import dataclasses
import errno
import functools
import hashlib
import json
import os
import stat
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from kitgen.core.environment import environment_part, sha256_file

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
    if _rebuilt_from_args(type(value)):
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
    data = _read(kind, key_, "bytes")
    if data is not None and (check is None or _accepts(check, data)):
        stats["hit", kind] += 1
        return data
    stats["miss", kind] += 1
    data = make()
    _write(kind, key_, "bytes", data)
    return data


def get_json(kind: str, key_: str, make, shape=None):
    """``make()``'s JSON value for ``key_`` (read back when kept and ``shape(value)`` accepts it)."""
    raw = _read(kind, key_, "json")
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
    _write(kind, key_, "json", data)
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
    raw = _read(kind, key_, "json")
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
    _write(kind, key_, "json", data)


def _accepts(check, value) -> bool:
    try:
        return bool(check(value))
    except Exception:  # noqa: BLE001 — a shape check that trips over an odd value refuses it
        return False


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


def _read(kind: str, key_: str, fmt: str) -> bytes | None:
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


def _write(kind: str, key_: str, fmt: str, payload: bytes) -> None:
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


# --- objects as JSON -------------------------------------------------------------------------------


def encode(value):
    """A JSON form of plain values, tuples, bytes, dates, kitgen's ``str`` subclasses that say how they are
    rebuilt (``__getnewargs__``: :class:`~kitgen.core.textfield.Text`), kitgen's dataclasses and pydantic
    models (fields, fields set and private attributes)."""
    if value is None or isinstance(value, (bool, int, float)) and type(value) in (bool, int, float):
        return value
    if type(value) is str:
        return value
    if type(value) is list:
        return [encode(v) for v in value]
    if type(value) is tuple:
        return {"$tuple": [encode(v) for v in value]}
    if type(value) is dict:
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if type(value) is bytes:
        return {"$bytes": base64.b64encode(value).decode()}
    if type(value) is date:
        return {"$date": value.isoformat()}
    cls = type(value)
    if not cls.__module__.startswith("kitgen."):
        raise TypeError(f"not kept: {cls.__module__}.{cls.__qualname__}")
    name = f"{cls.__module__}:{cls.__qualname__}"
    if _rebuilt_from_args(cls):
        return {"$new": name, "args": [encode(a) for a in value.__getnewargs__()]}
    if dataclasses.is_dataclass(value):
        return {"$dataclass": name, "fields": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if hasattr(cls, "model_fields") and hasattr(value, "__pydantic_fields_set__"):
        private = getattr(value, "__pydantic_private__", None) or {}
        return {"$model": name, "fields": {f: encode(getattr(value, f)) for f in cls.model_fields},
                "set": sorted(value.__pydantic_fields_set__), "private": {k: encode(v) for k, v in private.items()}}
    if isinstance(value, (str, dict, list)):  # a kitgen subclass of a plain type (LineDict, LineList)
        attrs = {k: encode(v) for k, v in vars(value).items()}
        plain = str(value) if isinstance(value, str) else dict(value) if isinstance(value, dict) else list(value)
        return {"$plain": name, "value": encode(plain), "attrs": attrs}
    raise TypeError(f"not kept: {name}")


def decode(value):
    """The value :func:`encode` was given, rebuilt (kitgen's classes only; no validation runs)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (tag, inner), = value.items()
        if tag == "$tuple":
            return tuple(decode(v) for v in inner)
        if tag == "$dict":
            return {_hashable(decode(k)): decode(v) for k, v in inner}
        if tag == "$bytes":
            return base64.b64decode(inner, validate=True)
        if tag == "$date":
            return date.fromisoformat(inner)
    if "$new" in value:
        cls = _kitgen_class(value["$new"])
        if not _rebuilt_from_args(cls):
            raise TypeError("not rebuilt from arguments")
        return cls(*[decode(a) for a in value["args"]])
    if "$dataclass" in value:
        cls = _kitgen_class(value["$dataclass"])
        if not dataclasses.is_dataclass(cls):
            raise TypeError("not a dataclass")
        fields = {k: decode(v) for k, v in value["fields"].items()}
        init = {f.name for f in dataclasses.fields(cls) if f.init}
        obj = cls(**{k: v for k, v in fields.items() if k in init})
        for k, v in fields.items():
            if k not in init:
                object.__setattr__(obj, k, v)
        return obj
    if "$model" in value:
        cls = _kitgen_class(value["$model"])
        from pydantic import BaseModel

        if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
            raise TypeError("not a model")
        fields = {k: decode(v) for k, v in value["fields"].items()}
        obj = cls.model_construct(_fields_set=set(value["set"]), **fields)
        private = {k: decode(v) for k, v in value["private"].items()}
        if private:
            object.__setattr__(obj, "__pydantic_private__", {**(obj.__pydantic_private__ or {}), **private})
        return obj
    if "$plain" in value:
        cls = _kitgen_class(value["$plain"])
        if not (isinstance(cls, type) and issubclass(cls, (str, dict, list))):
            raise TypeError("not a plain subclass")
        obj = cls(decode(value["value"]))
        for k, v in value["attrs"].items():
            setattr(obj, k, decode(v))
        return obj
    raise ValueError("not an encoded value")


def _rebuilt_from_args(cls) -> bool:
    """A kitgen ``str`` subclass that names the arguments it is rebuilt from (``__getnewargs__``)."""
    return cls is not str and issubclass(cls, str) and cls.__module__.startswith("kitgen.") and "__getnewargs__" in vars(cls)


def _hashable(value):
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value


def _kitgen_class(name: str):
    """A class of kitgen's own, by ``module:qualname`` (never imports outside kitgen)."""
    module_name, _, qualname = str(name).partition(":")
    if not module_name.startswith("kitgen.") or not qualname:
        raise TypeError(f"not a kitgen class: {name}")
    import importlib

    obj = importlib.import_module(module_name)
    for part in qualname.split("."):
        if part.startswith("__"):
            raise TypeError(f"not a kitgen class: {name}")
        obj = getattr(obj, part)
    if not isinstance(obj, type):
        raise TypeError(f"not a class: {name}")
    return obj


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
