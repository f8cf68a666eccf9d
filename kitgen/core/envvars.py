"""The ``KITGEN_*`` environment variables that hold numbers, read one way.

Each has a default and an allowed range. A value that is not a plain decimal number
(``abc``, ``nan``, ``inf``, ``1e999``), or lies outside the range (``-5``, ``99999999``),
is a usage error (exit 2) naming the variable, its value and the range; kitgen never
starts with such a value. An empty or unset variable means the default.

=======================  =======  ==================  ===================================
variable                 default  allowed             what
=======================  =======  ==================  ===================================
KITGEN_LOCK_TIMEOUT      120      0 – 86400 seconds   wait for another build of the org
KITGEN_TEMPLATE_SECONDS  2        0.1 – 600 seconds   time budget of one text template
=======================  =======  ==================  ===================================

The switches ``KITGEN_NO_CACHE`` and ``KITGEN_DEBUG`` are on when set to anything non-empty.
"""

from __future__ import annotations

import math
import os
import re

import click

NUMBERS = {
    "KITGEN_LOCK_TIMEOUT": (120.0, 0.0, 86_400.0, "seconds"),
    "KITGEN_TEMPLATE_SECONDS": (2.0, 0.1, 600.0, "seconds"),
}
_DECIMAL = re.compile(r"[+-]?(\d{1,9}(\.\d{0,9})?|\.\d{1,9})")


class EnvVarError(click.UsageError):
    """A ``KITGEN_*`` variable with a value kitgen cannot use (exit 2)."""

    def __init__(self, message: str):
        super().__init__(message)

    def show(self, file=None) -> None:  # no "Usage: …" line: the message says everything
        click.echo(f"error: {self.format_message()}", err=True)


def number(name: str) -> float:
    """The value of the numeric variable ``name`` (its default when unset or empty); raises
    :class:`EnvVarError` for anything else than a plain decimal number in the allowed range."""
    default, low, high, unit = NUMBERS[name]
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    allowed = f"a number of {unit} from {low:g} to {high:g} (default {default:g})"
    if not _DECIMAL.fullmatch(raw):
        raise EnvVarError(f"the environment variable {name}={raw[:40]!r} is not a plain number; "
                          f"give {allowed}, or unset it")
    value = float(raw)
    if not math.isfinite(value) or not low <= value <= high:
        raise EnvVarError(f"the environment variable {name}={raw[:40]!r} is out of range; give {allowed}, or unset it")
    return value


def check() -> None:
    """Raise :class:`EnvVarError` for the first numeric ``KITGEN_*`` variable with a bad value."""
    for name in NUMBERS:
        number(name)
