"""The old kit of ``kitgen diff --against REF``: a git worktree at the revision, and the kit built there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from kitgen.build.diff import DiffError


def git(cwd: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    if not shutil.which("git"):
        raise DiffError("kitgen diff --against needs git, which is not installed")
    return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, timeout=timeout)


def git_top(folder: Path) -> Path:
    done = git(folder, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise DiffError(f"{folder} is not inside a git checkout; --against compares with a git revision")
    return Path(done.stdout.strip())


def check_ref(top: Path, ref: str) -> str:
    """The commit REF names, checked as ``plan --changed`` checks it (no leading '-', rev-parse --verify)."""
    done = None if ref.startswith("-") else git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if done is None or done.returncode != 0:
        raise DiffError(f"unknown git revision '{ref}' in {top} (a branch, tag or commit; in a shallow clone, "
                        "fetch it first, e.g. actions/checkout with fetch-depth: 0)")
    return done.stdout.strip()


class RefWorktree:
    """A temporary ``git worktree`` of the project at a commit, with a ``content/`` submodule (or any
    submodule holding the content) checked out at the commit the ref records for it. Removed on exit."""

    def __init__(self, top: Path, commit: str, content_rel: Path, work: Path):
        self.top, self.commit, self.content_rel = top, commit, content_rel
        self.path = Path(work) / "ref"
        self._added: list[tuple[Path, Path]] = []  # (repository, worktree) to remove

    def __enter__(self) -> Path:
        done = git(self.top, "worktree", "add", "--detach", "--quiet", str(self.path), self.commit)
        if done.returncode != 0:
            raise DiffError(f"git could not check out {self.commit[:12]} in a temporary worktree: {done.stderr.strip()}")
        self._added.append((self.top, self.path))
        self._submodule()
        return self.path

    def _submodule(self) -> None:
        """When the content folder is a submodule: a worktree of the submodule's own repository at the
        commit the ref records (no clone, no network)."""
        rel = self.content_rel.as_posix()
        if rel in ("", "."):
            return
        entry = git(self.top, "ls-tree", self.commit, "--", rel)
        fields = entry.stdout.split()
        if entry.returncode != 0 or len(fields) < 3 or fields[1] != "commit":
            return  # an ordinary folder (or absent at the ref)
        sub_commit = fields[2]
        sub_repo = self.top / self.content_rel
        target = self.path / self.content_rel
        if target.exists() and not any(target.iterdir()):
            target.rmdir()
        done = git(sub_repo, "worktree", "add", "--detach", "--quiet", str(target), sub_commit)
        if done.returncode != 0:
            raise DiffError(f"the submodule {rel} has no commit {sub_commit[:12]} (the one {self.commit[:12]} records): "
                            f"{done.stderr.strip()}; run 'git submodule update --init' or fetch it")
        self._added.append((sub_repo, target))

    def __exit__(self, *exc) -> None:
        for repo, path in reversed(self._added):
            git(repo, "worktree", "remove", "--force", str(path))
            shutil.rmtree(path, ignore_errors=True)
        for repo, _path in self._added:
            git(repo, "worktree", "prune")


def build_kit(python_path: Path | None, cwd: Path, org_id: str, content: Path, layouts: Path, out: Path,
              side: str) -> Path | None:
    """Build one kit with ``python -m kitgen`` (the kitgen at ``python_path`` when given, in this venv).
    Returns the kit folder, None when the org does not exist on that side; DiffError with its output when
    the build fails."""
    if not (content / "orgs" / f"{org_id}.yaml").is_file():
        return None
    env = dict(os.environ)
    if python_path is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(python_path), *filter(None, [env.get("PYTHONPATH")])])
    command = [sys.executable, "-m", "kitgen", "build", "--org", org_id, "--content", str(content),
               "--layouts", str(layouts), "--out", str(out)]
    done = subprocess.run(command, cwd=str(cwd), capture_output=True, text=True, env=env, timeout=1800)
    kit = out / org_id
    if done.returncode != 0 or not kit.is_dir():
        shown = (done.stdout + done.stderr).strip()
        raise DiffError(f"the {side} kit of {org_id} cannot be built (kitgen build exit {done.returncode}):\n{shown}")
    return kit
