"""Standard-library modules a kitgen process imports but does not use, loaded on first use.

python-pptx imports ``xml.sax.saxutils`` for ``escape()``; ``saxutils`` imports
``urllib.request`` for reading XML from URLs, which pulls in ``http.client``, ``email``,
``ssl`` and ``socket``: about 10 ms of every kitgen process, for code kitgen never runs.
:func:`defer` puts a stand-in module in ``sys.modules``; the first attribute anyone reads
from it imports the real module, which then takes its place. Only the ``kitgen`` command
does this (:func:`kitgen.cli.main.run`), before anything is imported; a program that imports
kitgen as a library gets the standard library untouched.
"""

from __future__ import annotations

import importlib
import sys
import types

MODULES = ("urllib.request",)


class _Deferred(types.ModuleType):
    """Stands in for a module until one of its attributes is read."""

    def __getattr__(self, name: str):
        return getattr(_load(self.__name__), name)


def _load(name: str) -> types.ModuleType:
    if isinstance(sys.modules.get(name), _Deferred):
        del sys.modules[name]
    real = importlib.import_module(name)
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, real)
    return real


def defer(names=MODULES) -> None:
    """Stand-ins for ``names`` (dotted module names not imported yet)."""
    for name in names:
        if name in sys.modules:
            continue
        parent, _, child = name.rpartition(".")
        stub = _Deferred(name)
        sys.modules[name] = stub
        if parent:
            setattr(importlib.import_module(parent), child, stub)
