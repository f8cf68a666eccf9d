"""Content files already parsed and validated, by their bytes: loading skips YAML and pydantic for them.

``load_content`` reads every file's bytes anyway (their sha256 goes into the per-org input
graph). For a file whose display path, bytes and model are the same as last time, the result
of parsing, checking and validating it — the object and the findings — is the same too, so it
is kept, pickled, and read back instead of being made again:

* in this process (``kitgen watch`` reloads only the files that changed);
* on disk, one pack per content folder under ``$XDG_CACHE_HOME/kitgen/content/``, so the next
  ``kitgen build`` process does not parse unchanged files either.

Every entry is pickled bytes, so each load gets new objects (nothing one load changes leaks into
the next). The pack's key includes kitgen's own source digest and the library versions
(:func:`kitgen.cache.key`): a kitgen or pydantic update never reads an old entry. A pack that
cannot be read or unpickled is ignored; a write that fails only means no cache.
``KITGEN_NO_CACHE=1`` switches it off.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

PACKS_KEPT = 16  # content folders whose pack stays on disk (each about the size of its YAML, times 3)
_PROCESS: dict[str, dict[str, bytes]] = {}  # content root -> entry key -> pickled (object, findings)


def entry_key(shown: str, digest: str, model: str) -> str:
    return f"{model}\0{shown}\0{digest}"


class FileResults:
    """The cached results for one content folder during one load."""

    def __init__(self, root: Path):
        self.enabled = not os.environ.get("KITGEN_NO_CACHE")
        self.root = str(Path(root).absolute())
        self.used: dict[str, bytes] = {}
        self.known: dict[str, bytes] = {}
        self.changed = False
        if self.enabled:
            self.known = _PROCESS.get(self.root) or self._read_pack()

    def get(self, key: str):
        """``(object, findings)`` for ``key``, or None when it was not kept."""
        data = self.known.get(key) if self.enabled else None
        if data is None:
            return None
        try:
            value = pickle.loads(data)
        except Exception:  # a damaged or foreign entry: parse the file again
            return None
        self.used[key] = data
        return value

    def put(self, key: str, value) -> None:
        if not self.enabled:
            return
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # something that does not pickle: just not kept
            return
        self.used[key] = data
        self.changed = True

    def close(self) -> None:
        """Keep what this load used (only that: the pack never grows past the folder's files)."""
        if not self.enabled:
            return
        _PROCESS[self.root] = self.used
        if self.changed or len(self.used) != len(self.known):
            self._write_pack()

    # --- the pack on disk: one per content folder ---------------------------------------

    def _read_pack(self) -> dict[str, bytes]:
        from kitgen.cache import read_pack

        return read_pack("content", {}, self.root)

    def _write_pack(self) -> None:
        from kitgen.cache import write_pack

        write_pack("content", self.used, self.root, keep=PACKS_KEPT)
