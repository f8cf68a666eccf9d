"""What ``kit.json`` records about a kit's inputs, and what the no-op check recomputes from it without
loading any content: the keys of input files, folder listings, the environment and the digest.

:mod:`kitgen.build.inputs` works the inputs out from a loaded content; this module only needs paths.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from kitgen import __version__
from kitgen.content.fonts import fontconfig_state
from kitgen.core.environment import interpreter, kitgen_source_digest, library_versions


MANIFEST = "kit.json"


def settings_dict(settings) -> dict:
    """Every validation setting (all of them change what a build accepts)."""
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


LISTED_SUFFIXES = (".yaml", ".yml")  # what the loader reads in a content folder (kitgen.content.load.yaml_files)


def listing_now(key: str, content_dir: Path, layouts_dir: Path) -> dict[str, str | None]:
    """The names in folder ``key`` as it is now: in a content folder every file the loader would
    read (a file added or removed there could define an id twice); in a layouts folder its files
    and folders. The files a kit reads are recorded with their sha256 besides; a file of
    another organisation's that is edited in place does not make this kit load the content."""
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
