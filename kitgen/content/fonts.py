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

from dataclasses import dataclass
from pathlib import Path

from kitgen.content.yamlfile import YamlProblem, read_yaml_kept
from kitgen.core import cache
from kitgen.core.cache import memo
from kitgen.core.environment import sha256_file


TABLE_PATH = Path(__file__).parent.parent / "data" / "fonts.yaml"
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


@memo(1)
def table() -> dict[str, dict]:
    """The font table keyed by lower-case family name."""
    try:
        data = read_yaml_kept(TABLE_PATH) or {}
    except YamlProblem:
        return {}
    return {name.lower(): {"name": name, **(entry or {})} for name, entry in (data.get("fonts") or {}).items()}


FONTCONFIG_CONFIG = ("/etc/fonts", "~/.fonts.conf", "~/.fonts.conf.d")
FONTCONFIG_CACHES = ("/var/cache/fontconfig",)           # the system's font list, as fc-cache made it
USER_FONTS = ("~/.fonts", "~/.local/share/fonts")         # fonts a user installed (names and sizes)
_STATE: list[str] = []


def fontconfig_state() -> str:
    """A digest of what fontconfig's answers depend on, by content (never mtimes): its configuration
    files (``/etc/fonts``, the user's, ``FONTCONFIG_FILE``/``FONTCONFIG_PATH``), every
    ``FONTCONFIG_*`` variable, the system's font cache and the user's font files. A new alias or
    font changes it; it keys :func:`_fc_match`'s cache and enters each kit's inputs (so a no-op
    check sees it). Where kitgen's own cache lives does not enter it. Read once per process."""
    if _STATE:
        return _STATE[0]
    import hashlib
    import os

    digest = hashlib.sha256()
    variables = sorted((k, v) for k, v in os.environ.items() if k.startswith("FONTCONFIG_"))
    digest.update(repr(variables).encode())
    home_config = os.environ.get("XDG_CONFIG_HOME") or "~/.config"
    data_home = os.environ.get("XDG_DATA_HOME") or "~/.local/share"
    places = [*FONTCONFIG_CONFIG, os.path.join(home_config, "fontconfig"), *FONTCONFIG_CACHES,
              os.environ.get("FONTCONFIG_FILE") or "", *(os.environ.get("FONTCONFIG_PATH") or "").split(os.pathsep)]
    for place in places:
        if place:
            _hash_tree(os.path.expanduser(place), "", digest, contents=True)
    for place in (*USER_FONTS, os.path.join(data_home, "fonts")):
        _hash_tree(os.path.expanduser(place), "", digest, contents=False)
    _STATE.append(digest.hexdigest())
    return _STATE[0]


def _hash_tree(place: str, name: str, digest, contents: bool, depth: int = 0) -> None:
    """A file's name (relative to where the walk began) and bytes (or size), or every file below a
    folder (symlinks followed, 6 levels, 4000 names a folder). An absent place adds nothing."""
    import os

    try:
        st = os.stat(place)
    except OSError:
        return
    digest.update(b"\0" + name.encode(errors="surrogateescape") + b"\0")
    if os.path.isdir(place):
        if depth > 6:
            return
        try:
            names = sorted(os.listdir(place))[:4000]
        except OSError:
            return
        for child in names:
            _hash_tree(os.path.join(place, child), f"{name}/{child}", digest, contents, depth + 1)
    elif not contents:
        digest.update(str(st.st_size).encode())
    else:
        try:
            with open(place, "rb") as handle:
                digest.update(handle.read(16 * 2**20))
        except OSError:
            digest.update(b"-")


@memo(128)
def _fc_match(pattern: str) -> tuple[str, str] | None:
    """(family, file) fontconfig picks for ``pattern`` — the same choice LibreOffice makes here.

    The answer is kept between runs (kitgen.core.cache "fonts", keyed by :func:`fontconfig_state`) with
    the sha256 of the file it names, and used only while that file still has those bytes: one
    ``fc-match`` process costs about 12 ms, a kit asks for two to four patterns."""
    import shutil

    if not shutil.which("fc-match"):
        return None
    def ask():
        found = _ask_fc_match(pattern)
        return [found[0], found[1], sha256_file(Path(found[1]))] if found else None

    def current(answer) -> bool:
        return (isinstance(answer, list) and len(answer) == 3 and all(isinstance(a, str) for a in answer)
                and sha256_file(Path(answer[1])) == answer[2])

    answer = cache.get_json("fonts", cache.key("fonts", pattern, fontconfig_state()), ask, current)
    return (answer[0], answer[1]) if answer else None


def _ask_fc_match(pattern: str) -> tuple[str, str] | None:
    import subprocess

    try:
        found = subprocess.run(["fc-match", "-f", "%{family[0]}\n%{file}", pattern],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = found.stdout.strip().split("\n")
    if len(lines) != 2 or not lines[1] or not Path(lines[1]).is_file():
        return None
    return lines[0].strip(), lines[1].strip()


SERIF_WORDS = ("serif", "times", "roman", "garamond", "georgia", "cambria", "caladea", "palatino", "baskerville", "minion",
               "book antiqua", "bodoni", "didot", "century schoolbook", "constantia", "song", "ming", "仿宋", "宋", "明朝")
MONO_WORDS = ("mono", "courier", "consol", "code", "menlo", "typewriter", "fixed")
WIDTH_SAMPLE = "Hamburgefonstiv ÆØÅ æøå 0123456789 The quick brown fox jumps over the lazy dog"


def font_class(family: str) -> str:
    """sans, serif or mono: the font table's ``class:``, else guessed from the name ("Sans" wins over "Serif")."""
    entry = table().get(family.lower(), {})
    if entry.get("class") in ("sans", "serif", "mono"):
        return entry["class"]
    name = family.lower()
    if any(word in name for word in MONO_WORDS):
        return "mono"
    if "sans" not in name and any(word in name for word in SERIF_WORDS):
        return "serif"
    return "sans"


@memo(1)
def classes() -> dict[str, list[str]]:
    """``classes:`` of the font table: the fonts a family of each class without a twin is measured with."""
    try:
        data = read_yaml_kept(TABLE_PATH) or {}
    except YamlProblem:
        return {}
    found = data.get("classes") if isinstance(data, dict) else None
    return {str(k): [str(n) for n in v] for k, v in (found or {}).items() if isinstance(v, list)}


@memo(8)
def widest_of_class(kind: str, bold: bool = False) -> tuple[str, str] | None:
    """(family, file) of the widest installed candidate of a class (measured on :data:`WIDTH_SAMPLE`):
    text that fits in it fits in any narrower font PowerPoint may use."""
    from PIL import ImageFont

    best, best_width = None, -1.0
    for name in classes().get(kind, []):
        match = _fc_match(f"{name}:bold" if bold else name)
        if not match or match[0].lower() != name.lower():
            continue
        try:
            width = ImageFont.truetype(match[1], size=100).getlength(WIDTH_SAMPLE)
        except OSError:
            continue
        if width > best_width:
            best, best_width = (name, match[1]), width
    return best


@memo(128)
def font_info(family: str | None, bold: bool = False) -> FontInfo:
    """What kitgen writes and measures for ``family`` (None or "" means the default family).

    Its metric twin when one is installed; else the family itself when installed; else the widest
    installed candidate of its class (:func:`font_class`, ``classes:`` of the font table), never
    whatever else fontconfig would pick."""
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
    widest = widest_of_class(font_class(family), bold)
    fallback = widest or _fc_match(f"{candidates[0]}:bold" if bold else candidates[0])
    return FontInfo(family, write, fallback[0] if fallback else family, fallback[1] if fallback else None,
                    False, fallback[0] if fallback else None, False, entry.get("note", ""))


def font_file(family: str | None, bold: bool = False) -> str | None:
    """The font file kitgen measures ``family`` with (its metric twin when it has one)."""
    return font_info(family, bold).measure_file


def write_name(family: str | None) -> str:
    """The family name written into files for ``family`` (Liberation Sans → Arial)."""
    return font_info(family).write_name
