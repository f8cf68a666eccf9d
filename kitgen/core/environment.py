"""What every kit and every cache entry depends on besides its own files: the interpreter, kitgen's
own source and the versions of the libraries it requires, each read once per process."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

LIBRARIES = ("python-pptx", "python-docx", "Pillow", "lxml")


def sha256_file(path: Path) -> str | None:
    """sha256 of a file's bytes (through symlinks), None when it is absent or unreadable."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (OSError, ValueError):
        return None


_ENV_CACHE: dict = {}


def kitgen_source_digest() -> str:
    """A hash of kitgen's own files, so a renderer fix rebuilds kits even when the version stays."""
    if "source" not in _ENV_CACHE:
        package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
        files = []
        for folder, dirs, names in os.walk(package):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            rel = os.path.relpath(folder, package)
            files.extend(os.path.normpath(os.path.join(rel, n)) for n in names if not n.endswith((".pyc", ".pyo")))
        digest = hashlib.sha256()
        for rel in sorted(f.replace(os.sep, "/") for f in files):
            with open(os.path.join(package, rel), "rb") as handle:
                digest.update(rel.encode() + b"\0" + handle.read() + b"\0")
        _ENV_CACHE["source"] = digest.hexdigest()
    return _ENV_CACHE["source"]


def _dist_infos() -> dict[str, str]:
    """Normalised distribution name -> its ``*.dist-info`` folder, first on ``sys.path`` wins (one
    listing per path entry: ``importlib.metadata`` costs about 60 ms, most of the no-op budget)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            match = re.fullmatch(r"(.+?)-([^-]+)\.dist-info", name)
            if match:
                found.setdefault(_normal(match.group(1)), os.path.join(entry or ".", name))
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _requirements(metadata_text: str) -> list[str]:
    """The names a distribution requires (``Requires-Dist``), leaving out those only an extra asks for."""
    names = []
    for line in metadata_text.splitlines():
        if not line.startswith("Requires-Dist:"):
            if not line.strip():
                break  # the headers end at the first empty line
            continue
        spec = line.split(":", 1)[1]
        requirement, _, marker = spec.partition(";")
        if "extra" in marker:
            continue
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
        if match:
            names.append(_normal(match.group(1)))
    return names


def _own_requirements() -> list[str]:
    """kitgen's requirements as a source checkout's pyproject.toml lists them (its installed metadata
    may be older), else the ones it is known to need. Read with a pattern, not a TOML parser (the
    no-op path is timed in milliseconds)."""
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
        block = re.search(r"^dependencies\s*=\s*\[(.*?)^\]", text, re.MULTILINE | re.DOTALL)
        deps = re.findall(r"""^\s*["']([^"']+)["']""", block.group(1), re.MULTILINE) if block else []
    except (OSError, UnicodeDecodeError):
        deps = []
    deps = deps or [*LIBRARIES, "jinja2", "pyyaml", "click", "pydantic", "rich", "watchfiles", "ruamel.yaml"]
    names = []
    for dep in deps:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", dep)
        if match and "extra" not in dep.partition(";")[2]:
            names.append(_normal(match.group(1)))
    return names


def library_versions() -> dict[str, str]:
    """The version of every distribution kitgen requires, directly or through another one
    (pydantic-core, lxml, MarkupSafe …): read once per process from the ``*.dist-info`` folders'
    ``METADATA``. A requirement that is not installed is ``absent``."""
    if "libraries" not in _ENV_CACHE:
        infos = _dist_infos()
        versions: dict[str, str] = {}
        own = infos.get("kitgen")
        todo = (_requirements(_metadata(own)) if own else []) + _own_requirements()  # a checkout's may be newer
        while todo:
            name = todo.pop()
            if name in versions:
                continue
            folder = infos.get(name)
            if folder is None:
                versions[name] = "absent"
                continue
            versions[name] = os.path.basename(folder)[: -len(".dist-info")].rpartition("-")[2]
            todo.extend(_requirements(_metadata(folder)))
        _ENV_CACHE["libraries"] = dict(sorted(versions.items()))
    return _ENV_CACHE["libraries"]


def _metadata(folder: str) -> str:
    try:
        with open(os.path.join(folder, "METADATA"), encoding="utf-8", errors="replace") as handle:
            return handle.read(256 * 1024)
    except OSError:
        return ""


def interpreter() -> str:
    """The interpreter's implementation and version (and its bytecode tag)."""
    return f"{sys.implementation.name} {sys.version.split()[0]} {sys.implementation.cache_tag}"


def environment_part() -> dict:
    """What every cache key holds besides its own inputs: the interpreter, kitgen's own source and
    the versions of everything it requires (:func:`library_versions`). Read once per process."""
    if "part" not in _ENV_CACHE:
        _ENV_CACHE["part"] = {"python": interpreter(), "kitgen_source": kitgen_source_digest(),
                              "libraries": library_versions()}
    return _ENV_CACHE["part"]
