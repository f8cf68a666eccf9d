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

import importlib.util
import os
import sys
from pathlib import Path

import kitgen
from kitgen.build import outputs
from kitgen.build.recorded import LISTED_SUFFIXES, OrgInputs, display_to_key, environment, listing_now
from kitgen.core.environment import sha256_file
from kitgen.content.fonts import font_file
from kitgen.content.yamlfile import display_path
from kitgen.content import diagrams
from kitgen.content.filekinds import ID_FOLDERS
from kitgen.content.model import BLOCK_REFERENCES
from kitgen.content.schedule import programme_files
from kitgen.plan.kit import Kit
from kitgen.plan import slides

# References from a referenced object to more content: table -> {field: table}.
NESTED_REFERENCES: dict[str, dict[str, str]] = {"tools": {"questions": "questions", "roleplays": "roleplays"}}


# --- what every kit depends on besides kitgen itself: the registries' entries from outside it -------


def _module_file(module) -> str | None:
    """The source file of a module (a module object, or its import path; not imported when absent)."""
    if not isinstance(module, str):
        return getattr(module, "__file__", None)
    if module in sys.modules:
        return getattr(sys.modules[module], "__file__", None)
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None and spec.has_location else None


def registry_sources() -> dict[str, str | None]:
    """The source files of registry entries that live outside kitgen's package (an output file's renderer
    in :data:`kitgen.build.outputs.OUTPUTS`, a diagram kind's module, a slide kind's module), each with its
    sha256: inputs of every kit, as kitgen's own source is (``kit.json``, the no-op check, ``plan --changed``)."""
    package = os.path.dirname(os.path.realpath(kitgen.__file__)) + os.sep
    modules = [f.__module__ for output in outputs.OUTPUTS.values() for f in (output.render, output.needed)]
    modules += [*diagrams.KINDS.values(), *slides.MODULES.values()]
    found: dict[str, str | None] = {}
    for module in modules:
        path = _module_file(module)
        if path and not os.path.realpath(path).startswith(package):
            found[os.path.realpath(path)] = sha256_file(Path(path))
    return dict(sorted(found.items()))


# --- one organisation's inputs ---------------------------------------------------------------


def ref_id(item) -> str:
    """An id from a reference: a plain string, or an object with ``.id`` (a tool use)."""
    return item if isinstance(item, str) else getattr(item, "id", str(item))


def _block_references() -> dict[str, str]:
    return {name: table for name, (table, _kind) in BLOCK_REFERENCES.items()}


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

    files.extend(programme_files(content, programme_id))
    return list(dict.fromkeys(files)), sorted(missing)


# --- folder listings: what the no-op check compares, by content, never by mtimes -------------


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
    inputs.files.update(registry_sources())
    if layouts_dir is not None:
        inputs.folders.extend(layout_folders(layouts_dir))
    inputs.listings = _listings(content, content_dir, sorted(set(inputs.folders)), layout_sources, layouts_dir)
    return inputs


def add_fonts(inputs: OrgInputs, families, file_hashes: dict[str, str | None] | None = None) -> None:
    """The font files fitting measures with (what fontconfig picks for each family, plain and bold)."""
    file_hashes = file_hashes if file_hashes is not None else {}
    for family in sorted(set(f for f in families if f)):
        for bold in (False, True):
            path = font_file(family, bold)
            key = path or f"font:{family}{':bold' if bold else ''}"
            if key not in file_hashes:
                file_hashes[key] = sha256_file(Path(path)) if path else None
            inputs.files[key] = file_hashes[key]


# --- with a loaded project ------------------------------------------------------------------------


def project_org_inputs(project, org, kit: Kit | None = None) -> OrgInputs:
    """``org_inputs`` for a loaded :class:`kitgen.build.pipeline.Project`, fonts included (the ones
    ``kit``'s branding names, the same value validation and assembly receive)."""
    inputs = org_inputs(project.content, org, project.content_dir, getattr(project, "layout_sources", {}),
                        project.settings, project.layouts_dir, getattr(project, "file_hashes", None))
    if project.layouts is not None:
        try:
            branding = (kit if kit is not None else Kit(project.content, org, project.layouts)).branding
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
