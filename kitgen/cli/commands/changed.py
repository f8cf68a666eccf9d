"""Commands: ``kitgen plan --changed REF`` (which kits a change touches), ``kitgen clean``.

``plan`` answers from the same per-organisation inputs as the up-to-date check
(:mod:`kitgen.build.inputs`): the files changed since the git revision REF (committed,
staged, unstaged and untracked) are matched against each organisation's input files.
A change to kitgen itself (its package's source in the checkout, whether kitgen is installed
editable or not, or the project's packaging files) touches every kit; a ``content/`` kept
as a git submodule is compared file by file; a file no organisation reads touches none. A changed content or layout file
that cannot be loaded touches every kit (who reads it cannot be known until it loads).
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import click

from kitgen.cli.options import content_option, layouts_option, out_option

PACKAGING_FILES = ("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "requirements.lock")
GITHUB_MATRIX_LIMIT = 256  # jobs GitHub Actions allows in one matrix


class PlanError(Exception):
    """Outside a git checkout, an unknown revision: a usage mistake (exit 2)."""


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    if not shutil.which("git"):
        raise PlanError("kitgen plan needs git, which is not installed")
    return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, timeout=120)


def changed_files(folder: Path, ref: str) -> tuple[Path, list[Path]]:
    """The git top folder holding ``folder`` and every file changed since ``ref``
    (working tree included: staged, unstaged, untracked; both names of a rename).

    When ``folder`` is inside a git submodule (``content/`` kept as one), the top is the
    superproject's, so layout and kitgen changes count too; and the files changed inside
    each submodule since the commit the superproject recorded for it at ``ref`` are listed
    by their own names (git lists a submodule only as one changed entry)."""
    folder = Path(folder).resolve()
    probe = folder if folder.is_dir() else folder.parent
    top = _git(probe, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise PlanError(f"{folder} is not inside a git checkout; --changed compares the files with a git revision")
    top_dir = Path(top.stdout.decode().strip())
    for _ in range(8):  # a submodule inside a submodule …: up to the outermost checkout
        above = _git(top_dir, "rev-parse", "--show-superproject-working-tree")
        outer = above.stdout.decode().strip() if above.returncode == 0 else ""
        if not outer:
            break
        top_dir = Path(outer)
    # ^{tree}: any commit-ish, or a tree such as git's empty tree (everything counts as added)
    if ref.startswith("-") or _git(top_dir, "rev-parse", "--verify", "--quiet", f"{ref}^{{tree}}").returncode != 0:
        raise PlanError(f"unknown git revision '{ref}' in {top_dir} (a branch, tag or commit; in a shallow clone, "
                        "fetch it first, e.g. actions/checkout with fetch-depth: 0)")
    names = _changed_names(top_dir, ref)
    for sub in _submodules(top_dir):
        names = [n for n in names if n != sub]
        names.extend(f"{sub}/{n}" for n in _submodule_changes(top_dir, sub, ref))
    return top_dir, [top_dir / n for n in dict.fromkeys(names)]


def _changed_names(top_dir: Path, ref: str) -> list[str]:
    diff = _git(top_dir, "diff", "--name-only", "--no-renames", "-z", ref, "--")
    untracked = _git(top_dir, "ls-files", "--others", "--exclude-standard", "-z")
    if diff.returncode != 0 or untracked.returncode != 0:
        raise PlanError(f"git could not compare with '{ref}': {(diff.stderr or untracked.stderr).decode().strip()}")
    return [n for n in (diff.stdout + untracked.stdout).decode("utf-8", "surrogateescape").split("\0") if n]


def _submodules(top_dir: Path) -> list[str]:
    """Paths of the submodules checked out in ``top_dir`` (gitlink entries of its index)."""
    staged = _git(top_dir, "ls-files", "--stage", "-z")
    if staged.returncode != 0:
        return []
    found = []
    for entry in staged.stdout.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, path = entry.partition("\t")
        if meta.startswith("160000 ") and path and (top_dir / path / ".git").exists():
            found.append(path)
    return found


def _submodule_changes(top_dir: Path, sub: str, ref: str) -> list[str]:
    """Files changed inside submodule ``sub`` since the commit recorded for it at ``ref``; every
    file of it when it did not exist then, or that commit is not in the submodule's history."""
    inner = top_dir / sub
    everything = _git(inner, "ls-files", "-z")
    untracked = _git(inner, "ls-files", "--others", "--exclude-standard", "-z")
    listed = [n for n in (everything.stdout + untracked.stdout).decode("utf-8", "surrogateescape").split("\0") if n]
    recorded = _git(top_dir, "rev-parse", "--verify", "--quiet", f"{ref}:{sub}")
    old = recorded.stdout.decode().strip() if recorded.returncode == 0 else ""
    if not old or _git(inner, "cat-file", "-e", f"{old}^{{commit}}").returncode != 0:
        return listed  # new since ref, or its old commit not fetched: everything in it counts as changed
    try:
        return _changed_names(inner, old)
    except PlanError:
        return listed


def _own_source_files() -> set[str]:
    """kitgen's installed source, as paths below its package's parent (``kitgen/render/deck.py``):
    the package folder this process runs from, whatever the install (editable, wheel, zipapp)."""
    package = Path(__file__).resolve().parents[2]
    found = set()
    for path in package.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            found.add(path.relative_to(package.parent).as_posix())
    return found


def _is_kitgen_source(shown: str, top: Path, own: set[str]) -> bool:
    """A changed file (relative to the git top) that is kitgen's own source in this checkout: a
    file of the installed package's (``…/kitgen/render/deck.py``), or a new one in a ``kitgen``
    folder at or below the project's packaging file (``pyproject.toml``; ``src/kitgen`` too)."""
    parts = shown.split("/")
    for i, part in enumerate(parts[:-1]):
        if part != "kitgen":
            continue
        tail = "/".join(parts[i:])
        if tail in own:
            return True
        for depth in range(i, -1, -1):  # the packaging file beside it, or above it (a src/ layout)
            root = top.joinpath(*parts[:depth]) if depth else top
            if any((root / name).is_file() for name in ("pyproject.toml", "setup.py", "setup.cfg")):
                return True
    return False


def _resolved(path: Path) -> Path:
    return Path(path).resolve()


def affected(content_dir: Path, layouts_dir: Path, ref: str) -> tuple[dict[str, list[str]], list[str]]:
    """{org id: the changed files (relative to the git top) that touch its kit}, and the
    changed files themselves."""
    from kitgen.build.pipeline import Project
    from kitgen.build.inputs import org_inputs
    from kitgen.build.recorded import key_path

    top, changed = changed_files(content_dir, ref)
    changed_real = {_resolved(p): p.relative_to(top).as_posix() for p in changed}
    project = Project.load(content_dir, layouts_dir)
    content = project.content
    org_ids = sorted(p.stem for p in (Path(content_dir) / "orgs").glob("*.yaml"))
    everything: list[str] = []

    package = Path(__file__).resolve().parents[2]
    own = _own_source_files()
    for real, shown in changed_real.items():
        if "__pycache__" in real.parts or real.suffix in (".pyc", ".pyo"):
            continue  # byte code, where a repository does not ignore it
        if (package in real.parents or _is_kitgen_source(shown, top, own)
                or (real.parent == top.resolve() and real.name in PACKAGING_FILES)):
            everything.append(shown)  # kitgen itself (installed editable or not): every kit
    orgs_real = _resolved(Path(content_dir) / "orgs")
    broken = {real for real in (_resolved(Path(f.file)) for f in project.findings
                                if f.file and f.severity == "error"
                                and f.rule.split("/")[0] in ("yaml", "schema", "file", "text", "layouts"))
              if real.parent != orgs_real}  # a profile that does not load touches only its own org
    everything.extend(shown for real, shown in changed_real.items() if real in broken)
    if everything:
        return {org_id: sorted(set(everything)) for org_id in org_ids}, sorted(changed_real.values())

    resolved: dict[str, Path] = {}

    def real_of(key: str) -> Path:
        if key not in resolved:
            resolved[key] = _resolved(key_path(key, content_dir, layouts_dir))
        return resolved[key]

    result: dict[str, list[str]] = {}
    file_hashes: dict = {}
    for org_id in org_ids:
        org = content.orgs.get(org_id)
        if org is None:  # a profile that does not load: its own file is all we know
            hits = [shown for real, shown in changed_real.items() if real == _resolved(Path(content_dir) / "orgs" / f"{org_id}.yaml")]
        else:
            inputs = org_inputs(content, org, content_dir, project.layout_sources, project.settings, None, file_hashes)
            keys = {real_of(k) for k in inputs.files}
            folders = [real_of(k) for k in inputs.missing]
            hits = [shown for real, shown in changed_real.items()
                    if real in keys or any(folder in real.parents for folder in folders)]
        if hits:
            result[org_id] = sorted(hits)
    return result, sorted(changed_real.values())


def changed_org_ids(content_dir: Path, layouts_dir: Path, ref: str) -> list[str]:
    """For ``build --changed``: the organisations to build, or exit 2 with the reason."""
    from kitgen.cli.options import usage_error

    try:
        return sorted(affected(content_dir, layouts_dir, ref)[0])
    except PlanError as exc:
        usage_error(str(exc))
    return []


def shard(org_ids: list[str], shards: int | None) -> list[list[str]]:
    """At most ``shards`` groups of about equal size, in order."""
    if not org_ids:
        return []
    count = min(len(org_ids), shards or len(org_ids))
    size = math.ceil(len(org_ids) / count)
    return [org_ids[i:i + size] for i in range(0, len(org_ids), size)]


@click.command()
@click.option("--changed", "ref", metavar="REF", required=True,
              help="A git revision (branch, tag, commit); the working tree is compared with it.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github-matrix"]), default="text",
              show_default=True, help="text for people; json {\"orgs\": [...]}; github-matrix for a job matrix.")
@click.option("--shards", type=click.IntRange(1, GITHUB_MATRIX_LIMIT), default=None,
              help="At most N groups of organisations (github-matrix: one job each; default: one org per job, "
                   f"grouped when there are more than {GITHUB_MATRIX_LIMIT}).")
@content_option
@layouts_option
def plan(ref, fmt, shards, content, layouts) -> None:
    """Which organisations' kits a change since the git revision REF touches.

    \b
    Uses each kit's own inputs: a tool → the organisations whose programme uses it;
    an org profile, logo or template → that organisation; a label, layout or
    template file → the organisations that use it; kitgen itself → all; a tool no
    programme uses → none. The working tree (staged, unstaged, untracked) counts.
    Exit 0, or 2 outside a git checkout or with an unknown REF.
    """
    from kitgen.cli.options import _dirs, usage_error

    content_dir, layouts_dir = _dirs(content, layouts)
    if not content_dir.is_dir():
        usage_error(f"content folder '{content_dir}' does not exist (use --content DIR)")
    try:
        touched, changed = affected(content_dir, layouts_dir, ref)
    except PlanError as exc:
        usage_error(str(exc))
    org_ids = sorted(touched)
    if fmt == "json":
        out: dict = {"orgs": org_ids}
        if shards:
            out["shards"] = shard(org_ids, shards)
        click.echo(json.dumps(out))
    elif fmt == "github-matrix":
        groups = shard(org_ids, shards or (GITHUB_MATRIX_LIMIT if len(org_ids) > GITHUB_MATRIX_LIMIT else None))
        click.echo(json.dumps({"include": [{"org": " ".join(group)} for group in groups]}))
    else:
        known = len(list((content_dir / "orgs").glob("*.yaml")))
        click.echo(f"{len(org_ids)} of {known} organisation(s) touched by {len(changed)} changed file(s) since {ref}")
        for org_id in org_ids:
            why = touched[org_id]
            more = f" (+{len(why) - 3} more)" if len(why) > 3 else ""
            click.echo(f"  {org_id}: {', '.join(why[:3])}{more}")
    sys.exit(0)


@click.command()
@out_option("Output folder holding the kits (OUT/<ID>/).")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
@content_option
def clean(out, dry_run, content) -> None:
    """Remove the kits of organisations that no longer exist.

    Only folders that are kits kitgen wrote (their kit.json says so) are removed, and
    under OUT/.kits only the names kitgen recorded as that organisation's own; anything
    else in OUT is left alone and named. Exit 0, 2 on a usage mistake or an output
    folder other users can write.
    """
    from kitgen.cli.options import _dirs, usage_error

    content_dir, _ = _dirs(content, None)
    orgs_dir = content_dir / "orgs"
    if not orgs_dir.is_dir():
        usage_error(f"there is no {orgs_dir}; name the content folder with --content DIR")
    out_root = Path(out)
    if not out_root.is_dir():
        click.echo(f"nothing to clean: {out_root} does not exist")
        sys.exit(0)
    from kitgen.build.lock import org_lock
    from kitgen.build.outfolder import KitWriteError, unsafe_folder_reason
    from kitgen.build.write import refuse_reason

    unsafe = unsafe_folder_reason(out_root)
    if unsafe:
        usage_error(unsafe)
    known = {p.stem for p in orgs_dir.glob("*.yaml")}
    removed, kept = [], []
    for entry in sorted(out_root.iterdir()):
        if entry.name.startswith(".") or entry.name in known:
            continue
        if not is_kit(entry) or refuse_reason(entry):
            kept.append(entry)
            continue
        if not dry_run:
            try:
                with org_lock(out_root, entry.name):  # not while a build of that org writes it
                    if is_kit(entry) and not refuse_reason(entry):
                        remove_kit(entry)
                        (out_root / ".kits" / f"{entry.name}.lock").unlink(missing_ok=True)  # held by us: its exact name
            except (KitWriteError, OSError) as exc:
                click.echo(f"could not remove {entry}: {getattr(exc, 'strerror', None) or exc}", err=True)
                kept.append(entry)
                continue
        removed.append(entry)
    verb = "would remove" if dry_run else "removed"
    for entry in removed:
        click.echo(f"{verb} {entry}/ (no content/orgs/{entry.name}.yaml)")
    for entry in kept:
        click.echo(f"left {entry} alone: not a kit kitgen wrote")
    if not removed:
        click.echo(f"nothing to clean in {out_root}: every kit belongs to an organisation in {orgs_dir}")
    sys.exit(0)


def register(main, show) -> None:
    """Add ``plan`` and ``clean`` to ``main``."""
    main.add_command(plan)
    main.add_command(clean)


def is_kit(path: Path) -> bool:
    """A folder (or link to one) whose kit.json says kitgen wrote it for an org of that name."""
    from kitgen.build.uptodate import read_recorded

    if not path.is_dir():
        return False
    manifest = read_recorded(path)
    if not manifest or manifest.get("org") != path.name:
        return False
    if manifest.get("generator") == "kitgen":
        return True
    return "kitgen_version" in manifest and "input_digest" in manifest and isinstance(manifest.get("files"), list)


def remove_kit(path: Path) -> None:
    """Remove a kit (with its org's lock held): the link, and in ``OUT/.kits`` exactly the names
    that org's ledger records (a plain kit folder is moved there first); see :func:`kitgen.build.write.remove_kit`."""
    from kitgen.build.write import remove_kit as remove

    remove(path)
