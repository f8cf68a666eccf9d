"""The no-op check: is a kit up to date? Answered before any content is loaded.

``kit.json`` records the inputs a kit was made from (:mod:`kitgen.build.inputs`). This module
hashes exactly those files again, recomputes the digest, lets ``kitgen.build.manifest.kit_is_current``
verify the kit's own files by sha256, and gives way to a full load when a folder in which the
kit's ids are looked up no longer holds the names ``kit.json`` recorded (a file added or
removed: it could define an id twice), compared by content, never by mtimes (copies that keep
old mtimes, clocks that run fast). Fontconfig's state is part of the kit's environment, by
content (:mod:`kitgen.core.cache`). It imports no pydantic, model or renderer: a no-op
``kitgen build --org KK`` stays well under 0.1 s.
"""

from __future__ import annotations

import os
from pathlib import Path

from kitgen.build.manifest import read_manifest
from kitgen.build.recorded import MANIFEST, environment, inputs_digest, key_path, listing_now
from kitgen.core.environment import sha256_file
from kitgen.build.manifest import kit_is_current


read_recorded = read_manifest  # the kit's kit.json as a mapping, or None (one reader, in kitgen.build.manifest)


_RUN_HASHES: dict[str, tuple[tuple, str | None]] = {}


def _hash_in_this_run(path: Path) -> str | None:
    """sha256 of a file, hashed once per process while its stat stays the same (``build --all``
    checks many kits that share fonts and templates; nothing is kept between runs)."""
    try:
        st = os.stat(path)
        stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    except OSError:
        return None
    cached = _RUN_HASHES.get(str(path))
    if cached and cached[0] == stamp:
        return cached[1]
    digest = sha256_file(path)
    _RUN_HASHES[str(path)] = (stamp, digest)
    return digest


def kit_up_to_date(out_dir: Path, org_id: str, content_dir: Path, layouts_dir: Path, settings) -> bool:
    """True when the kit in ``out_dir`` was made from exactly the inputs that are there now.

    ``settings`` is a ``TimingSettings`` or a dict of its fields (the CLI passes a dict so
    that the no-op path does not import the validation package, pydantic and the model).

    Nothing is loaded: the recorded input files are hashed again, the digest recomputed
    and compared, the kit's own files verified by sha256 (``kit_is_current``), and no
    folder in which the kit's ids are looked up may have changed its listing after the inputs
    were read. fontconfig's state is part of the environment, by content
    (:func:`kitgen.content.fonts.fontconfig_state`): a new alias or font rebuilds the kit.
    """
    out_dir = Path(out_dir)
    manifest = read_recorded(out_dir)
    recorded = manifest.get("inputs") if manifest else None
    if not isinstance(recorded, dict) or not isinstance(recorded.get("files"), dict):
        return False
    folders = recorded.get("folders", [])
    listings = recorded.get("listings")
    if not isinstance(folders, list) or not isinstance(listings, dict) or set(listings) != set(folders):
        return False  # a kit.json from before listings were recorded: load once
    for key, names in listings.items():
        if not isinstance(key, str) or listing_now(key, content_dir, layouts_dir) != names:
            return False
    files = {key: _hash_in_this_run(key_path(key, content_dir, layouts_dir)) for key in recorded["files"]}
    env = environment(settings)
    if isinstance(settings, dict):  # values from the command line over the recorded ones (no validate import)
        recorded_env = recorded.get("environment") if isinstance(recorded.get("environment"), dict) else {}
        recorded_settings = recorded_env.get("settings") if isinstance(recorded_env.get("settings"), dict) else {}
        env["settings"] = dict(sorted({**recorded_settings, **settings}.items()))
    digest = inputs_digest(files, env)
    return kit_is_current(out_dir, org_id, digest)


def mark_read_at(out_dir: Path, read_at_ns: int, inputs=None) -> None:
    """Give ``kit.json`` the time its inputs were read. With ``inputs`` (a kit found current after a full load), the
    listings it records are brought up to date too (a file beside the kit's own was edited:
    without this every later no-op check would load the content again); written beside it
    and renamed over it, under the org's lock the caller holds."""
    manifest_path = Path(out_dir) / MANIFEST
    if inputs is not None:
        _refresh_listings(manifest_path, inputs)
    try:
        os.utime(manifest_path, ns=(read_at_ns, read_at_ns))
    except OSError:
        pass


def _refresh_listings(manifest_path: Path, inputs) -> None:
    import json

    manifest = read_recorded(manifest_path.parent)
    recorded = manifest.get("inputs") if manifest else None
    fresh = inputs.manifest()
    if not isinstance(recorded, dict) or (recorded.get("listings") == fresh["listings"]
                                          and recorded.get("folders") == fresh["folders"]):
        return
    recorded["listings"], recorded["folders"] = fresh["listings"], fresh["folders"]
    try:
        real = manifest_path.resolve()
        temp = real.with_name(f".{MANIFEST}.{os.getpid()}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write((json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, real)
    except OSError:
        pass
