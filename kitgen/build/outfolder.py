"""The output folder kits are written into: ``OUT/.kits`` holds every kit's versions; kitgen writes
only where no other user can change what it wrote, and follows no link it did not make."""

from __future__ import annotations

import os
from pathlib import Path


KITS = ".kits"  # OUT/.kits/<ID>-<n>: the versions behind the OUT/<ID> links


class KitWriteError(Exception):
    """The kit could not be written; the previous kit, if any, is untouched."""


class NotAKitError(KitWriteError):
    """``OUT/<ID>`` holds something kitgen did not write; it is never replaced."""


class UnsafeFolderError(KitWriteError):
    """The output folder (or its ``.kits``) can be written by another user: refused (exit 2)."""


def _euid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else 0


def _others_in_group(gid: int) -> bool:
    """True when a user other than this one belongs to group ``gid`` (a user's private group has none)."""
    try:
        import grp
        import pwd
    except ImportError:  # Windows: no POSIX groups
        return False
    try:
        me = pwd.getpwuid(_euid()).pw_name
    except KeyError:
        me = None
    try:
        members = set(grp.getgrgid(gid).gr_mem) - {me}
    except KeyError:
        return True  # a group nobody can name: assume others are in it
    if members:
        return True
    try:
        return any(user.pw_gid == gid and user.pw_uid != _euid() for user in pwd.getpwall())
    except OSError:
        return True


def _writable_by_others(st) -> bool:
    """Another user can add, rename or remove entries of a folder with this ``stat``.

    Safe: owned by this user or root and not writable by group or others; a group-writable
    folder whose group holds no other user (a private group, umask 002); a folder with the
    sticky bit (``/tmp``: others can add entries but not touch ours, and kitgen checks the
    owner of every entry it replaces)."""
    import stat as stat_module

    if not hasattr(os, "geteuid"):
        return False
    if st.st_uid not in (_euid(), 0):
        return True
    if st.st_mode & stat_module.S_ISVTX:
        return False
    if st.st_mode & 0o002:
        return True
    return bool(st.st_mode & 0o020) and _others_in_group(st.st_gid)


def _mode_text(st) -> str:
    import stat as stat_module

    return f"{stat_module.filemode(st.st_mode)}, {stat_module.S_IMODE(st.st_mode):04o}, owner uid {st.st_uid}"


def unsafe_folder_reason(out_root: Path) -> str | None:
    """Why kitgen must not write kits into ``out_root``, or None.

    Refused: an output folder (or the nearest existing folder above it, when it does not
    exist yet) that another user can write, and an ``OUT/.kits`` that is not a real folder
    of this user that only this user can write (a planted link or another user's folder)."""
    out_root = Path(out_root)
    probe = out_root
    while True:
        try:
            st = os.lstat(probe)
            break
        except FileNotFoundError:
            if probe.parent == probe:
                return None
            probe = probe.parent
        except OSError:
            return None
    try:
        st = os.stat(probe)  # through a link: the folder it points at is the one written
    except OSError:
        return None
    if _writable_by_others(st):
        what = "output folder" if probe == out_root else f"folder {probe} (above the output folder {out_root})"
        return (f"the {what} {probe} can be written by other users (mode {_mode_text(st)}); kitgen writes kits "
                f"only where no one else can plant files or links: run 'chmod go-w {probe}' or use another --out")
    kits = out_root / KITS
    try:
        st = os.lstat(kits)
    except OSError:
        return None
    import stat as stat_module

    if not stat_module.S_ISDIR(st.st_mode):
        return (f"{kits} is not a folder (it is a {'link' if stat_module.S_ISLNK(st.st_mode) else 'file'}); "
                "kitgen keeps its kit versions there and follows no link: remove it or use another --out")
    if hasattr(os, "geteuid") and (st.st_uid != _euid() or st.st_mode & 0o002
                                   or (st.st_mode & 0o020 and _others_in_group(st.st_gid))):
        return (f"{kits} can be written by other users or is not yours (mode {_mode_text(st)}); kitgen keeps its "
                f"kit versions there: run 'chmod go-w {kits}' if it is yours, else remove it or use another --out")
    return None


def _mkdir(path: Path) -> None:
    """Create a folder with the user's umask (``tempfile.mkdtemp`` would force 0700); an
    existing one must be a real folder (a planted link is refused, never followed)."""
    path.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or not path.is_dir():
        raise KitWriteError(f"{path} is not a folder (a link or file was put there); kitgen follows no link: "
                            "remove it or use another --out")
