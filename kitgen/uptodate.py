"""The no-op check: is a kit up to date? Answered before any content is loaded.

``kit.json`` records the inputs a kit was made from (:mod:`kitgen.inputs`). This module
hashes exactly those files again, recomputes the digest, lets ``kitgen.write.kit_is_current``
verify the kit's own files by sha256, and gives way to a full load when a file was added to
or removed from a folder in which the kit's ids are looked up (a new file there could define
an id twice) since the inputs were read: the folders' mtimes
against ``kit.json``'s, which a build sets to the moment it read its inputs
(:func:`mark_read_at`). It imports no pydantic, model or renderer: a no-op
``kitgen build --org KK`` stays well under 0.1 s.
"""

from __future__ import annotations

import os
from pathlib import Path

from kitgen.write import read_manifest
from kitgen.inputs import MANIFEST, environment, inputs_digest, key_path, sha256_file


read_recorded = read_manifest  # the kit's kit.json as a mapping, or None (one reader, in kitgen.write)


def _newest_mtime(paths) -> int:
    newest = 0
    for path in paths:
        try:
            newest = max(newest, os.stat(path).st_mtime_ns)
        except OSError:
            continue
    return newest


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
    (:func:`kitgen.fonts.fontconfig_state`): a new alias or font rebuilds the kit.
    """
    from kitgen.write import kit_is_current

    out_dir = Path(out_dir)
    manifest = read_recorded(out_dir)
    recorded = manifest.get("inputs") if manifest else None
    if not isinstance(recorded, dict) or not isinstance(recorded.get("files"), dict):
        return False
    try:
        read_at = os.stat(out_dir / MANIFEST).st_mtime_ns
    except OSError:
        return False
    folders = [key_path(k, content_dir, layouts_dir) for k in recorded.get("folders", []) if isinstance(k, str)]
    if _newest_mtime(folders) > read_at:
        return False
    files = {key: _hash_in_this_run(key_path(key, content_dir, layouts_dir)) for key in recorded["files"]}
    env = environment(settings)
    if isinstance(settings, dict):  # values from the command line over the recorded ones (no validate import)
        recorded_env = recorded.get("environment") if isinstance(recorded.get("environment"), dict) else {}
        recorded_settings = recorded_env.get("settings") if isinstance(recorded_env.get("settings"), dict) else {}
        env["settings"] = dict(sorted({**recorded_settings, **settings}.items()))
    digest = inputs_digest(files, env)
    return kit_is_current(out_dir, org_id, digest)


def mark_read_at(out_dir: Path, read_at_ns: int) -> None:
    """Give ``kit.json`` the time its inputs were read (what :func:`kit_up_to_date` compares
    folder mtimes with). The file's bytes are not touched."""
    try:
        os.utime(Path(out_dir) / MANIFEST, ns=(read_at_ns, read_at_ns))
    except OSError:
        pass
