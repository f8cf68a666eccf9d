"""Per-organisation inputs: one graph for the up-to-date check, ``kit.json``, ``plan`` and ``watch``.

An organisation's kit reads its profile, its programme (and the programmes that one
extends), the tools, question groups, quotes, definitions and role-plays its blocks
name, its logo and templates, the layout data for its language, the fonts fitting
measured with, the settings that change validation, kitgen's own source and the
versions of the libraries that write the files. :func:`org_inputs` lists exactly those,
each with the sha256 of the bytes that were loaded (content files are hashed by the
loader as it parses them; layout files and templates before they are parsed, so an edit
during a build can only cause one extra rebuild, never a stale kit).

Keys are logical, so a kit does not depend on where the checkout lives:
``content/<path>`` (relative to the content folder), ``layouts/<path>``, or an absolute
path (font files). A file that was looked for and not found (a client template's
``.yaml`` layout map, ``labels/en.yaml``) is recorded with ``None``: creating it
changes the kit.

The no-op check (:func:`kitgen.build.uptodate.kit_up_to_date`) runs before anything is loaded: it re-hashes
exactly the files recorded in ``kit.json``, recomputes the digest, verifies the kit's
files by sha256, and compares each folder in which the kit's ids are looked up with the
listing of names ``kit.json`` records: a file added or removed there (it could define an
id twice) reloads the content. Listings are compared by content, never by mtimes, so copies that
keep older mtimes (``cp -a``, ``rsync -a``, ``tar x``) and clocks that run fast are safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kitgen import __version__

MANIFEST = "kit.json"
# Folders in which a block's ids are looked up (a file added there may define a duplicate id).
ID_FOLDERS = ("tools", "questions", "quotes", "definitions", "roleplays", "programmes")
# References from a referenced object to more content: table -> {field: table}.
NESTED_REFERENCES: dict[str, dict[str, str]] = {"tools": {"questions": "questions", "roleplays": "roleplays"}}
LIBRARIES = ("python-pptx", "python-docx", "Pillow", "lxml")


def sha256_file(path: Path) -> str | None:
    """sha256 of a file's bytes (through symlinks), None when it is absent or unreadable."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (OSError, ValueError):
        return None


# --- what every kit depends on: kitgen itself, its libraries, the settings ------------------

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


def fontconfig_state() -> str:
    from kitgen.content.fonts import fontconfig_state as state

    return state()


def environment_part() -> dict:
    """What every cache key holds besides its own inputs: the interpreter, kitgen's own source and
    the versions of everything it requires (:func:`library_versions`). Read once per process."""
    if "part" not in _ENV_CACHE:
        _ENV_CACHE["part"] = {"python": interpreter(), "kitgen_source": kitgen_source_digest(),
                              "libraries": library_versions()}
    return _ENV_CACHE["part"]


def settings_dict(settings) -> dict:
    """Every validation setting (all of them change what a build accepts)."""
    import dataclasses

    if isinstance(settings, dict):  # the no-op check passes the command line's values as they are
        return dict(sorted(settings.items()))
    if dataclasses.is_dataclass(settings):
        return dataclasses.asdict(settings)
    return dict(sorted(vars(settings).items()))


def environment(settings) -> dict:
    """The inputs that are not files: kitgen, its libraries, the validation settings."""
    return {
        "kitgen": __version__,
        "kitgen_source": kitgen_source_digest(),
        "python": interpreter(),
        "libraries": library_versions(),
        "fontconfig": fontconfig_state(),
        "settings": settings_dict(settings),
    }


# --- one organisation's inputs ---------------------------------------------------------------


@dataclass
class OrgInputs:
    org_id: str
    files: dict[str, str | None] = field(default_factory=dict)  # key -> sha256 (None: looked for, absent)
    folders: list[str] = field(default_factory=list)  # keys of folders whose listing matters
    environment: dict = field(default_factory=dict)
    displays: list[str] = field(default_factory=list)  # the content files as findings name them
    missing: list[str] = field(default_factory=list)  # folders of ids it names that do not exist
    listings: dict = field(default_factory=dict)  # folder key -> {name: sha256 or None}: what was there when read

    @property
    def digest(self) -> str:
        return inputs_digest(self.files, self.environment)

    def manifest(self) -> dict:
        """What ``kit.json`` records: enough for the next no-op check to run without loading."""
        return {"files": dict(sorted(self.files.items())), "folders": sorted(set(self.folders)),
                "listings": {k: dict(sorted(v.items())) for k, v in sorted(self.listings.items())},
                "environment": self.environment}


def inputs_digest(files: dict[str, str | None], env: dict) -> str:
    text = json.dumps({"files": sorted(files.items()), "environment": env}, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def ref_id(item) -> str:
    """An id from a reference: a plain string, or an object with ``.id`` (a tool use)."""
    return item if isinstance(item, str) else getattr(item, "id", str(item))


def _block_references() -> dict[str, str]:
    try:
        from kitgen.content.model import BLOCK_REFERENCES

        return {name: table for name, (table, _kind) in BLOCK_REFERENCES.items()}
    except ImportError:  # before the model listed its references
        return {"tools": "tools", "questions": "questions", "quotes": "quotes"}


_GRAPHS: dict = {}  # for the last Content only: programme id -> its files; display -> key


def _cache_for(content) -> dict:
    """Per-Content memo (1,000 orgs on three programmes walk three programmes, not 1,000)."""
    if _GRAPHS.get("content") is not content:
        _GRAPHS.clear()
        _GRAPHS.update(content=content, programmes={}, keys={})
    return _GRAPHS


def content_graph(content, org) -> tuple[list[str], list[str]]:
    """The content files (display paths, as the loader recorded them) one organisation's kit
    reads, and the folders (``tools``, …) of the ids it names that do not exist.

    A reference to an id that does not exist depends on its whole folder: adding (or
    fixing) the file that defines it must reach this org.
    """
    programmes = _cache_for(content)["programmes"]
    if org.programme not in programmes:
        programmes[org.programme] = _programme_graph(content, org.programme)
    files, missing = programmes[org.programme]
    return list(dict.fromkeys([org.origin.file, *files])), list(missing)


def _programme_graph(content, programme_id: str) -> tuple[list[str], list[str]]:
    files: list[str] = []
    missing: set[str] = set()
    references = _block_references()
    seen: set[tuple[str, str]] = set()

    def use(table_name: str, ident: str) -> None:
        if (table_name, ident) in seen:
            return
        seen.add((table_name, ident))
        obj = getattr(content, table_name, {}).get(ident)
        if obj is None:
            missing.add(table_name)
            return
        files.append(obj.origin.file)
        for field_name, target in NESTED_REFERENCES.get(table_name, {}).items():
            for item in getattr(obj, field_name, None) or []:
                if isinstance(item, str):
                    use(target, item)

    def use_block_fields(values) -> None:
        for field_name, table_name in references.items():
            for item in values(field_name) or []:
                use(table_name, ref_id(item))

    current, chain = programme_id, set()
    while current and current not in chain:
        chain.add(current)
        programme = content.programmes.get(current)
        if programme is None:
            missing.add("programmes")
            break
        files.append(programme.origin.file)
        blocks = list(programme.blocks) + [insert.block for insert in getattr(programme, "insert", [])]
        for block in blocks:
            use_block_fields(lambda name, b=block: getattr(b, name, None))
        for changes in (getattr(programme, "override", None) or {}).values():
            if isinstance(changes, dict):
                use_block_fields(lambda name, c=changes: c.get(name) if isinstance(c.get(name), list) else None)
        current = getattr(programme, "extends", None)
    from kitgen.content.schedule import programme_files  # a resolved variant: its file and each programme it extends

    files.extend(programme_files(content, programme_id))
    return list(dict.fromkeys(files)), sorted(missing)


def display_to_key(display: str, content_dir: Path) -> str:
    """``content/<relative path>`` for a file the loader showed as ``display`` (string work: it runs
    for every org file of every org)."""
    absolute = os.path.join(os.getcwd(), display)  # display paths are relative to the working directory
    root = os.path.join(os.getcwd(), str(content_dir))
    relative = os.path.relpath(absolute, root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return os.path.normpath(absolute)
    return "content/" + Path(relative).as_posix()


def key_path(key: str, content_dir: Path, layouts_dir: Path) -> Path:
    if key.startswith("content/"):
        return Path(content_dir) / key[len("content/"):]
    if key.startswith("layouts/"):
        return Path(layouts_dir) / key[len("layouts/"):]
    return Path(key)


# --- folder listings: what the no-op check compares, by content, never by mtimes -------------

LISTED_SUFFIXES = (".yaml", ".yml")  # what the loader reads in a content folder (kitgen.content.load.yaml_files)


def listing_now(key: str, content_dir: Path, layouts_dir: Path, hash_file=None) -> dict[str, str | None]:
    """The names in folder ``key`` as it is now: in a content folder every file the loader would
    read (a file added or removed there could define an id twice); in a layouts folder its files
    and folders. The files a kit reads are recorded with their sha256 besides; a file of
    another organisation's that is edited in place does not make this kit load the content.
    ``hash_file`` is accepted for callers that pass one (names only are compared)."""
    folder = key_path(key, content_dir, layouts_dir)
    out: dict[str, str | None] = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return out
    for entry in entries:
        try:
            if key.startswith("content/"):
                if entry.name.endswith(LISTED_SUFFIXES) and entry.is_file():
                    out[entry.name] = None
            elif entry.is_dir():
                if entry.name != "__pycache__":
                    out[entry.name + "/"] = None
            elif entry.is_file():
                out[entry.name] = None
        except OSError:
            out[entry.name] = None
    return out


def _listings(content, content_dir: Path, folders: list[str], layout_sources: dict[str, str],
              layouts_dir: Path | None) -> dict[str, dict]:
    """What each folder held when the inputs were read: for content folders the files the loader
    parsed (``content.sources``: taken from the load itself, so a file added while it ran makes
    the next check load again, never a stale kit); for layouts folders
    the files hashed before the layouts were parsed and the folders beside them."""
    cache = _cache_for(content)
    if ("listings", str(content_dir)) not in cache:
        grouped: dict[str, dict] = {}
        for display, digest in content.sources.items():
            key = display_to_key(display, content_dir)
            folder, _, name = key.rpartition("/")
            if key.startswith("content/") and name.endswith(LISTED_SUFFIXES):
                grouped.setdefault(folder, {})[name] = None
        cache["listings", str(content_dir)] = grouped
    grouped = cache["listings", str(content_dir)]
    out = {}
    for folder in folders:
        if folder.startswith("content/"):
            out[folder] = dict(grouped.get(folder, {}))
        else:
            names = {key[len(folder) + 1:]: None for key in layout_sources
                     if key.startswith(folder + "/") and "/" not in key[len(folder) + 1:]}
            if layouts_dir is not None:
                names.update({n: None for n in listing_now(folder, content_dir, layouts_dir) if n.endswith("/")})
            out[folder] = names
    return out


def hash_layouts(layouts_dir: Path) -> dict[str, str]:
    """Every file under the layouts folder, hashed (call before the layouts are parsed)."""
    root = Path(layouts_dir)
    out: dict[str, str] = {}
    if root.is_dir():
        for dirpath, _dirs, names in os.walk(root, followlinks=True):
            for name in names:
                path = Path(dirpath) / name
                digest = sha256_file(path)
                if digest is not None and "__pycache__" not in path.parts:
                    out["layouts/" + path.relative_to(root).as_posix()] = digest
    return out


def layout_folders(layouts_dir: Path) -> list[str]:
    root = Path(layouts_dir)
    out = ["layouts"]
    if root.is_dir():
        for dirpath, dirs, _names in os.walk(root, followlinks=True):
            out.extend("layouts/" + (Path(dirpath) / d).relative_to(root).as_posix() for d in dirs if d != "__pycache__")
    return sorted(out)


def _layout_inputs(layout_sources: dict[str, str], language: str, client_deck: bool) -> dict:
    """The layout files a kit in ``language`` reads: all but other languages' labels and texts,
    and the default deck when the org has its own. ``da`` is the fallback language
    (read when the org's own language has no file of its own)."""
    languages = {language}
    if language != "da" and not all(f"layouts/{folder}/{language}.yaml" in layout_sources for folder in ("labels", "text")):
        languages.add("da")
    out: dict[str, str | None] = {}
    for key, digest in layout_sources.items():
        parts = key.split("/")
        if len(parts) == 3 and parts[1] in ("labels", "text") and Path(parts[2]).stem not in languages:
            continue
        if client_deck and key == "layouts/default/deck.pptx":
            continue  # (the default .docx stays: it supplies the styles a client's Word template lacks)
        out[key] = digest
    for folder in ("labels", "text"):
        for lang in languages:
            out.setdefault(f"layouts/{folder}/{lang}.yaml", None)
    return out


def org_inputs(content, org, content_dir: Path, layout_sources: dict[str, str], settings,
               layouts_dir: Path | None = None, file_hashes: dict[str, str | None] | None = None) -> OrgInputs:
    """One organisation's inputs, each with the sha256 of the bytes kitgen read."""
    content_dir = Path(content_dir)
    file_hashes = file_hashes if file_hashes is not None else {}
    inputs = OrgInputs(org.id, environment=environment(settings))
    displays, missing = content_graph(content, org)
    inputs.displays = displays
    inputs.missing = [f"content/{name}" for name in missing]
    cache = _cache_for(content)
    keys, root = cache["keys"], str(content_dir)
    for display in displays:
        if (display, root) not in keys:
            keys[display, root] = display_to_key(display, content_dir)
        inputs.files[keys[display, root]] = content.sources.get(display)
    if ("meta", root) not in cache:
        from kitgen.content.load import display_path  # the name the loader gave content.yaml, if it read one

        cache["meta", root] = display_path(content_dir / "content.yaml")
    inputs.files["content/content.yaml"] = content.sources.get(cache["meta", root])
    inputs.folders = [f"content/{name}" for name in sorted(set(ID_FOLDERS) | set(missing))]

    def hashed(path: Path) -> str | None:
        text = str(path)
        if text not in file_hashes:
            file_hashes[text] = sha256_file(path)
        return file_hashes[text]

    brand = org.branding
    base = content_dir / "orgs"
    for name in ("logo", "logo_on_dark", "logo_on_light", "pptx_template", "docx_template"):
        value = getattr(brand, name, None)
        if value:
            inputs.files[display_to_key(str(base / value), content_dir)] = hashed(base / value)
    if getattr(brand, "pptx_template", None):
        side = (base / brand.pptx_template).with_suffix(".yaml")
        inputs.files[display_to_key(str(side), content_dir)] = hashed(side)
    inputs.files.update(_layout_inputs(layout_sources, org.language, bool(brand.pptx_template)))
    if layouts_dir is not None:
        inputs.folders.extend(layout_folders(layouts_dir))
    inputs.listings = _listings(content, content_dir, sorted(set(inputs.folders)), layout_sources, layouts_dir)
    return inputs


def add_fonts(inputs: OrgInputs, families, file_hashes: dict[str, str | None] | None = None) -> None:
    """The font files fitting measures with (what fontconfig picks for each family, plain and bold)."""
    from kitgen.plan.fit import font_file

    file_hashes = file_hashes if file_hashes is not None else {}
    for family in sorted(set(f for f in families if f)):
        for bold in (False, True):
            path = font_file(family, bold)
            key = path or f"font:{family}{':bold' if bold else ''}"
            if key not in file_hashes:
                file_hashes[key] = sha256_file(Path(path)) if path else None
            inputs.files[key] = file_hashes[key]


# --- with a loaded project ------------------------------------------------------------------------


def project_org_inputs(project, org) -> OrgInputs:
    """``org_inputs`` for a loaded :class:`kitgen.build.pipeline.Project`, fonts included."""
    inputs = org_inputs(project.content, org, project.content_dir, getattr(project, "layout_sources", {}),
                        project.settings, project.layouts_dir, getattr(project, "file_hashes", None))
    if project.layouts is not None:
        from kitgen.plan.assemble import resolve_branding

        try:
            branding = resolve_branding(project.content, org, project.layouts, [])
            families = (branding.heading_font, branding.body_font)
        except Exception:  # a template that cannot be read fails the build itself, with a finding
            families = (org.branding.heading_font, org.branding.body_font)
        add_fonts(inputs, families, getattr(project, "file_hashes", None))
    return inputs


CONTENT_WIDE_NOTES = ("content/unused-",)


def org_findings_only(findings, project_findings, inputs: OrgInputs | None) -> list:
    """The findings that belong to one org's kit: its own, plus loading and content-wide findings
    on the files it reads (not notes such as unused tools, which are about the whole content)."""
    if inputs is None:
        return list(findings)
    shared = {id(f) for f in project_findings}
    own_files = set(inputs.displays)
    return [f for f in findings
            if id(f) not in shared or (f.file in own_files and not f.rule.startswith(CONTENT_WIDE_NOTES))]
