"""What a kit's ``kit.json`` says: reading it, the digest of a kit's inputs, and whether a kit
on disk is current (every file as hashed in ``kit.json``, made from exactly these inputs)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from kitgen import __version__
from kitgen.build.outfolder import KITS

MANIFEST = "kit.json"
GENERATOR = "kitgen"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(target: Path) -> dict | None:
    try:
        manifest = json.loads((Path(target) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def input_digest(content_dir: Path, layouts_dir: Path) -> str:
    """A hash of everything a kit is made from: content, layouts, and kitgen itself."""
    digest = hashlib.sha256(f"kitgen {__version__}".encode())
    package = Path(__file__).resolve().parent.parent
    for root in (Path(content_dir), Path(layouts_dir), package):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape"))
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def kit_is_current(out_dir: Path, org_id: str, digest: str) -> bool:
    """True when ``out_dir`` holds a complete kit made from exactly these inputs, every file as hashed in kit.json,
    and no interrupted build of it left anything behind (its ledger's temporary file): then the build runs,
    under the lock, and :func:`kitgen.build.write.clean_leftovers` removes it."""
    if os.path.lexists(Path(out_dir).parent / KITS / f"{org_id}.own.new"):
        return False
    manifest = read_manifest(out_dir)
    if not manifest or manifest.get("input_digest") != digest or manifest.get("org") != org_id:
        return False
    entries = manifest.get("files")
    if not isinstance(entries, list) or not entries:
        return False
    for entry in entries:
        try:
            name, expected = entry["name"], entry["sha256"]
            if "/" in name or "\\" in name or name.startswith("."):
                return False
            if sha256((Path(out_dir) / name).read_bytes()) != expected:
                return False
        except (OSError, KeyError, TypeError):
            return False
    return True
