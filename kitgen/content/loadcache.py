"""Content files already parsed and validated, by their bytes: loading skips YAML and pydantic for them.

``load_content`` reads every file's bytes anyway (their sha256 goes into the per-org input
graph). For a file whose display path, bytes and model are the same as last time, the result
of parsing, checking and validating it — the object and the findings — is the same too, so it
is kept and read back instead of being made again:

* in this process (``kitgen watch`` reloads only the files that changed), as its JSON form;
* between runs, one entry per content folder in :mod:`kitgen.core.cache`'s ``content`` kind.

Entries are JSON (:func:`kitgen.core.cachecodec.encode`), never pickles: each load rebuilds new objects
from them (nothing one load changes leaks into the next), without running pydantic again. An
entry that does not rebuild is a miss: the file is parsed again. ``KITGEN_NO_CACHE=1`` switches
both off.
"""

from __future__ import annotations

from pathlib import Path

from kitgen.core import cache
from kitgen.core.cachecodec import decode, encode

_PROCESS: dict[str, dict[str, object]] = {}  # content root -> entry key -> JSON form of (object, findings)


def entry_key(shown: str, digest: str, model: str) -> str:
    return f"{model}\0{shown}\0{digest}"


class FileResults:
    """The kept results for one content folder during one load."""

    def __init__(self, root: Path):
        self.enabled = cache.enabled()
        self.root = str(Path(root).absolute())
        self.used: dict[str, object] = {}
        self.known: dict[str, object] = {}
        self.changed = False
        if self.enabled:
            self.known = _PROCESS.get(self.root) or self._read()

    def get(self, key: str):
        """``(object, findings)`` for ``key``, or None when it was not kept (or does not rebuild)."""
        data = self.known.get(key) if self.enabled else None
        if data is None:
            return None
        try:
            value = decode(data)
        except (TypeError, ValueError, KeyError, AttributeError, IndexError, ImportError):
            return None
        if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], list)):
            return None
        self.used[key] = data
        return value

    def put(self, key: str, value) -> None:
        if not self.enabled:
            return
        try:
            data = encode(value)
        except TypeError:  # something kitgen does not keep: parsed again next time
            return
        self.used[key] = data
        self.changed = True

    def close(self) -> None:
        """Keep what this load used (only that: the entry never grows past the folder's files)."""
        if not self.enabled:
            return
        _PROCESS[self.root] = self.used
        if self.changed or len(self.used) != len(self.known):
            self._write()

    def _key(self) -> str:
        return cache.key("content", "folder", self.root)

    def _read(self) -> dict:
        found = cache.read_json("content", self._key())
        return found if isinstance(found, dict) else {}

    def _write(self) -> None:
        cache.write_json("content", self._key(), self.used)


def kept_yaml(path: Path, shown: str, digest: str, read):
    """``read()``'s parsed YAML for one of kitgen's own files (layouts), kept by its bytes' digest."""
    return cache.get_object("content", cache.key("content", "yaml", shown, digest), read)

