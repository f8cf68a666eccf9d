"""Commands: (to be filled in by its owner)."""

from __future__ import annotations


def register(main, show) -> None:
    """Add this module's commands to ``main`` and ``show``."""
