"""Work kept between kits and between runs: results that depend only on what their key names.

Two layers, both keyed by a sha256 of everything the result is made from:

* in this process (``build --all`` workers build many kits that share diagrams and fonts);
* on disk, under ``$XDG_CACHE_HOME/kitgen`` (default ``~/.cache/kitgen``), so the next
  ``kitgen build`` process starts warm.

A key always includes a digest of kitgen's own source files and the versions of the libraries
that make the bytes (:func:`kitgen.inputs.environment`'s parts), so a kitgen or Pillow update
never reads an old entry. Entries are written to a temporary name and renamed into place (a
reader sees a whole entry or none) and checked on reading; anything odd (unwritable folder, a
damaged entry) just means the work is done again. ``KITGEN_NO_CACHE=1`` switches both layers
off (the test suite does, so that its "same bytes twice" checks really render twice). Nothing here changes what a kit contains: the same key gives the same bytes
whether they were computed now or read back.

API::

    key(*parts) -> str                          # sha256 over kitgen's source, libraries and parts
    canonical(value) -> object                  # a JSON-able, complete form of a content value
    bytes_cached(kind, key, make, check) -> bytes
    json_cached(kind, key, make) -> object
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

MAX_ENTRIES = 400  # per kind; the oldest are removed when a new entry is written
_MEMORY: dict[tuple[str, str], object] = {}
_MEMORY_LIMIT = 256             # entries kept in this process ...
_MEMORY_BYTES = 16 * 1024 * 1024  # ... and their bytes at most (a worker's memory stays flat)


def cache_dir() -> Path | None:
    """The disk cache folder, or None when switched off."""
    if os.environ.get("KITGEN_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kitgen"


def key(*parts) -> str:
    """A key over kitgen's own source, the libraries that write and measure, and ``parts`` (JSON-able)."""
    from kitgen.inputs import kitgen_source_digest, library_versions

    text = json.dumps([kitgen_source_digest(), library_versions(), list(parts)], sort_keys=True, ensure_ascii=True,
                      default=_refuse)
    return hashlib.sha256(text.encode()).hexdigest()


def _refuse(value):
    raise TypeError(f"not a cache key part: {type(value).__name__}")


def canonical(value):
    """Everything a content value holds, as plain JSON-able data.

    A :class:`~kitgen.textfield.Text` is a ``str`` whose translations and slide texts live in
    attributes that ``model_dump`` leaves out; they are all part of the key here, so two
    diagrams that differ only in their English labels never share a picture.
    """
    from kitgen.textfield import Text

    if isinstance(value, Text):
        return ["Text", str(value), sorted(value.translations.items()), sorted(value.slide.items()),
                value.condenses, value.editorial]
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


def file_stamp(path: str | None) -> list | None:
    """A file's identity for a key: path, size and modification time (None when absent)."""
    if not path:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return [str(path), None]
    return [str(path), st.st_size, st.st_mtime_ns]


def bytes_cached(kind: str, key_: str, make, check=None, keep: int = MAX_ENTRIES) -> bytes:
    """``make()``'s bytes for ``key_``, from memory, from disk, or made now (and kept; at most
    ``keep`` entries of this kind stay on disk)."""
    if os.environ.get("KITGEN_NO_CACHE"):
        return make()
    found = _MEMORY.get((kind, key_))
    if found is not None:
        return found  # type: ignore[return-value]
    folder = cache_dir()
    path = folder / kind / key_ if folder is not None else None
    data = None
    if path is not None:
        data = read_trusted(path)
        if data is not None and check is not None and not check(data):
            data = None
    if data is None:
        data = make()
        if path is not None:
            _store(path, data, keep)
    _remember(kind, key_, data)
    return data


def object_cached(kind: str, key_: str, make, accept=lambda value: True, keep: int = MAX_ENTRIES):
    """``make()``'s value for ``key_``, kept pickled (memory, then disk). A value made now is returned
    as it is; one read back is unpickled, and made again when it does not unpickle or ``accept`` refuses
    it. ``make`` raising (a file with a mistake) keeps nothing and raises to the caller every time."""
    import pickle

    if os.environ.get("KITGEN_NO_CACHE"):
        return make()
    made: list = []

    def made_bytes() -> bytes:
        made.append(make())
        return pickle.dumps(made[0], protocol=pickle.HIGHEST_PROTOCOL)

    data = bytes_cached(kind, key_, made_bytes, keep=keep)
    if made:
        return made[0]
    try:
        value = pickle.loads(data)
    except Exception:  # a damaged entry
        return make()
    return value if accept(value) else make()


def read_pack(kind: str, default, *parts):
    """One pack of ``kind`` (a pickled value kitgen keeps and rewrites as a unit, see
    :func:`write_pack`), keyed by ``parts``, kitgen's source and the library versions; ``default`` when absent,
    damaged, not this user's or not of ``default``'s type."""
    import pickle

    folder = cache_dir()
    data = read_trusted(folder / kind / key(kind, *parts)) if folder is not None else None
    try:
        value = pickle.loads(data) if data else default
    except Exception:
        return default
    return value if isinstance(value, type(default)) else default


def write_pack(kind: str, value, *parts, keep: int = 4) -> None:
    """Replace the ``kind`` pack (for ``parts``, when a kind has one per folder, say); atomic, like every
    entry; nothing when the cache is off."""
    import pickle

    folder = cache_dir()
    if folder is not None:
        _store(folder / kind / key(kind, *parts), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), keep)


def read_trusted(path: Path) -> bytes | None:
    """An entry's bytes, or None when absent or not this user's own (entries can hold compiled
    code and pickles: one that another user could have written is never read)."""
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
                return None
            return handle.read()
    except OSError:
        return None


def json_cached(kind: str, key_: str, make):
    """``make()``'s JSON-able value for ``key_`` (memory, then disk, then made now)."""
    raw = bytes_cached(kind, key_, lambda: json.dumps(make(), sort_keys=True).encode(), _is_json)
    return json.loads(raw)


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def _remember(kind: str, key_: str, data) -> None:
    _MEMORY[kind, key_] = data
    while len(_MEMORY) > 1 and (len(_MEMORY) > _MEMORY_LIMIT or sum(map(len, _MEMORY.values())) > _MEMORY_BYTES):
        _MEMORY.pop(next(iter(_MEMORY)))  # the oldest first


def _store(path: Path, data: bytes, keep: int = MAX_ENTRIES) -> None:
    """Write an entry atomically, keeping the ``keep`` newest of its kind; a full or read-only
    disk only means no cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
        stored = _STORED[path.parent] = _STORED.get(path.parent, 0) + 1
        if stored % 50 == 1:  # the folder is listed now and then, not on every store (a few ms with 400 entries)
            _prune(path.parent, keep)
    except OSError:
        pass


_STORED: dict[Path, int] = {}


def _prune(folder: Path, keep: int = MAX_ENTRIES) -> None:
    try:
        entries = [e for e in os.scandir(folder) if e.is_file() and not e.name.startswith(".")]
    except OSError:
        return
    if len(entries) <= keep:
        return
    entries.sort(key=lambda e: e.stat().st_mtime_ns)
    for entry in entries[: len(entries) - keep]:
        try:
            os.unlink(entry.path)
        except OSError:
            pass


def is_png(data: bytes) -> bool:
    """A whole PNG: its signature first and its ``IEND`` chunk last."""
    return data[:8] == b"\x89PNG\r\n\x1a\n" and data[-12:-8] == b"\x00\x00\x00\x00" and data[-8:-4] == b"IEND"


FONTCONFIG_PLACES = ("/etc/fonts", "/etc/fonts/conf.d", "/var/cache/fontconfig", "~/.cache/fontconfig", "~/.fontconfig",
                     "/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
                     "~/.config/fontconfig")


def fontconfig_state() -> list:
    """What fontconfig's answers depend on, cheaply: the modification times of its configuration,
    its caches and the font folders (installing a font or running ``fc-cache`` changes one of
    them), and the environment variables that point it elsewhere."""
    stamps = []
    for place in FONTCONFIG_PLACES:
        try:
            stamps.append(os.stat(os.path.expanduser(place)).st_mtime_ns)
        except OSError:
            stamps.append(None)
    return [stamps, os.environ.get("FONTCONFIG_FILE"), os.environ.get("FONTCONFIG_PATH"), os.environ.get("XDG_DATA_HOME")]


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
