"""One font table shared by fitting, validation and the client-template work.

A deck is written on Linux and shown on a municipal Windows PC. PowerPoint there has
Arial and Calibri but not Liberation Sans or Carlito; LibreOffice here has the
reverse. Their metric twins have the same advance widths glyph for glyph, so kitgen
writes the Windows name into the file and measures with the twin: PowerPoint,
LibreOffice and kitgen's fitting then break lines at the same words. The table is
data (``kitgen/data/fonts.yaml``); the fontconfig lookups are cached per process.

API (stable, used by other modules)::

    font_info(family, bold=False) -> FontInfo
    font_file(family, bold=False) -> str | None      # the file to measure with
    write_name(family) -> str                       # the name written into files
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


TABLE_PATH = Path(__file__).parent / "data" / "fonts.yaml"
DEFAULT_FAMILY = "Arial"  # kitgen's default theme font: on every Windows PC, twin Liberation Sans here


@dataclass(frozen=True)
class FontInfo:
    family: str                 # as asked for (content, branding or a client template)
    write_name: str             # the name written into theme and runs (the Windows name)
    measure_family: str         # the family kitgen measures with on this machine
    measure_file: str | None    # its font file (None: no fontconfig / nothing found)
    found: bool                 # measure_family (itself or its metric twin) is installed here
    substitute: str | None      # when not found: the family fontconfig falls back to
    metric: bool                # widths here equal widths on Windows (a listed metric twin, installed)
    note: str = ""              # what the table says about this family (why not metric)


@lru_cache(maxsize=1)
def table() -> dict[str, dict]:
    """The font table keyed by lower-case family name."""
    from kitgen.yamlfile import YamlProblem, read_yaml_kept

    try:
        data = read_yaml_kept(TABLE_PATH) or {}
    except YamlProblem:
        return {}
    return {name.lower(): {"name": name, **(entry or {})} for name, entry in (data.get("fonts") or {}).items()}


@lru_cache(maxsize=128)
def _fc_match(pattern: str) -> tuple[str, str] | None:
    """(family, file) fontconfig picks for ``pattern`` — the same choice LibreOffice makes here.

    The answer is kept between runs (kitgen.cache, keyed by fontconfig's state): one
    ``fc-match`` process costs about 12 ms, a kit asks for two to four patterns."""
    if not shutil.which("fc-match"):
        return None
    from kitgen import cache

    answer = cache.json_cached("fc-match", cache.key("fc-match", pattern, cache.fontconfig_state()),
                               lambda: _ask_fc_match(pattern))
    if answer and Path(answer[1]).is_file():
        return answer[0], answer[1]
    return _ask_fc_match(pattern)


def _ask_fc_match(pattern: str) -> tuple[str, str] | None:
    try:
        found = subprocess.run(["fc-match", "-f", "%{family[0]}\n%{file}", pattern],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = found.stdout.strip().split("\n")
    if len(lines) != 2 or not lines[1] or not Path(lines[1]).is_file():
        return None
    return lines[0].strip(), lines[1].strip()


@lru_cache(maxsize=128)
def font_info(family: str | None, bold: bool = False) -> FontInfo:
    """What kitgen writes and measures for ``family`` (None or "" means the default family)."""
    family = (family or DEFAULT_FAMILY).strip()
    entry = table().get(family.lower(), {})
    write = entry.get("write") or family
    twin = entry.get("twin") or ""
    candidates = [name for name in (twin, family) if name]
    for name in candidates:
        match = _fc_match(f"{name}:bold" if bold else name)
        if match and match[0].lower() == name.lower():
            metric = bool(entry.get("metric")) and name == twin
            return FontInfo(family, write, name, match[1], True, None, metric, entry.get("note", ""))
    fallback = _fc_match(f"{candidates[0]}:bold" if bold else candidates[0])
    return FontInfo(family, write, fallback[0] if fallback else family, fallback[1] if fallback else None,
                    False, fallback[0] if fallback else None, False, entry.get("note", ""))


def font_file(family: str | None, bold: bool = False) -> str | None:
    """The font file kitgen measures ``family`` with (its metric twin when it has one)."""
    return font_info(family, bold).measure_file


def write_name(family: str | None) -> str:
    """The family name written into files for ``family`` (Liberation Sans → Arial)."""
    return font_info(family).write_name
