"""An element made once per key, then copied: python-docx and python-pptx build a shape property by
property; a shape a document repeats hundreds of times is built once per process and deep-copied."""

from __future__ import annotations

import copy

from kitgen.core import cache

_KEPT: dict = {}
KEPT_MAX = 4096  # distinct shapes kept per process (each a few elements)


def stamp(key, build):
    """A copy of the element ``build()`` makes; ``build`` runs once per ``key`` per process
    (every time while ``KITGEN_NO_CACHE`` is set)."""
    if not cache.enabled():
        return build()
    proto = _KEPT.get(key)
    if proto is None:
        if len(_KEPT) >= KEPT_MAX:
            _KEPT.clear()
        proto = _KEPT[key] = build()
    return copy.deepcopy(proto)


def is_kept(key) -> bool:
    """Whether a copy for ``key`` is kept (the first use of a key may build it another way)."""
    return key in _KEPT
