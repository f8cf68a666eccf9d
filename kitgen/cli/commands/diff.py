"""Command: ``kitgen diff OLD NEW`` and ``kitgen diff --org ID --against REF`` (see :mod:`kitgen.build.diff`)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from kitgen.cli.options import content_option, layouts_option


@click.command()
@click.argument("folders", nargs=-1, metavar="[OLD NEW]")
@click.option("--org", "org_id", metavar="ID", default=None,
              help="With --against: the organisation whose kit is built on both sides.")
@click.option("--against", "ref", metavar="REF", default=None,
              help="A git revision (branch, tag, commit): the old kit is built there, by that revision's kitgen "
                   "and content; the new one from the working tree.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "github"]), default="text",
              show_default=True, help="text for people; json for programs; html with the changed slides and "
              "pages side by side as images (LibreOffice); github for a job summary (markdown).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--html", "html_output", type=click.Path(dir_okay=False), default=None,
              help="Also write the HTML report to this file (e.g. with --format github in CI: one build, both reports).")
@click.option("--pages/--no-pages", default=None,
              help="Also compare Word files page by page through LibreOffice (default: when it is installed).")
@content_option
@layouts_option
def diff(folders, org_id, ref, fmt, output, html_output, pages, content, layouts) -> None:
    """What changed between two kits: slides, sections and pages added, removed and changed.

    \b
    kitgen diff OLD NEW                  two kit folders (e.g. output/KK and a copy)
    kitgen diff --org KK --against main  the kit at a git revision vs. the working tree
    Decks are compared slide by slide (text and speaker notes), Word files section by
    section, and page by page when LibreOffice is installed; the report says which.
    Exit 0 no difference, 1 a difference, 2 a usage mistake or a side that cannot be built.
    """
    from kitgen.cli.options import _dirs, check_org_ids, usage_error
    from kitgen.build.diff import DiffError, libreoffice_available

    if pages and not libreoffice_available():
        usage_error("--pages needs LibreOffice (soffice), pdftoppm and pdftotext; install them or leave --pages out")
    if (fmt == "html" or html_output) and pages is None and not libreoffice_available():
        pages = False
    with tempfile.TemporaryDirectory(prefix="kitgen-diff-") as work:
        work_dir = Path(work)
        try:
            if ref is not None or org_id is not None:
                if folders:
                    usage_error("give either two kit folders or --org ID --against REF, not both")
                if ref is None or org_id is None:
                    usage_error("--org ID and --against REF go together: the kit of ID at REF vs. the working tree")
                content_dir, layouts_dir = _dirs(content, layouts)
                if not content_dir.is_dir():
                    usage_error(f"content folder '{content_dir}' does not exist (use --content DIR)")
                check_org_ids((org_id,), [org_id])  # the id's form; existence is checked on each side
                old, new = _build_sides(content_dir, layouts_dir, org_id, ref, work_dir)
                title = f"{org_id}: {ref} → working tree"
            else:
                if len(folders) != 2:
                    usage_error("give two kit folders (kitgen diff OLD NEW), or --org ID --against REF")
                old, new = (Path(f) for f in folders)
                for side, folder in (("OLD", old), ("NEW", new)):
                    if not folder.is_dir():
                        usage_error(f"{side} '{folder}' is not a folder; give two kit folders, e.g. output/KK")
                    if not any(p.name == "kit.json" or p.suffix in (".pptx", ".docx") for p in folder.iterdir()):
                        usage_error(f"{side} '{folder}' is not a kit: it has no kit.json, deck or Word file "
                                    "(give OUT/<ID>, e.g. output/KK)")
                title = f"{old} → {new}"
            from kitgen.build.diff import diff_kits
            from kitgen.build.diff_report import render_github, render_html, render_json, render_text

            result = diff_kits(old, new, pages=pages, workdir=work_dir / "pages")
            result["title"] = title
            if fmt == "json":
                text = render_json(result)
            elif fmt == "github":
                text = render_github(result, title)
            elif fmt == "html":
                text = render_html(result, title, workdir=work_dir / "images")
            else:
                text = render_text(result, title)
            if html_output:
                page = text if fmt == "html" else render_html(result, title, workdir=work_dir / "images")
                _write(html_output, page)
        except DiffError as exc:
            usage_error(str(exc))
    if output:
        _write(output, text)
        click.echo(f"{title}: {'no difference' if result['identical'] else 'differences'}; report in {output}")
    else:
        click.echo(text)
    sys.exit(0 if result["identical"] else 1)


def register(main, show) -> None:
    """Add ``diff`` to ``main``."""
    main.add_command(diff)


def _write(path: str, text: str) -> None:
    from kitgen.cli.options import usage_error

    try:
        Path(path).write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    except OSError as exc:
        usage_error(f"cannot write {path}: {exc.strerror or exc}")


def _build_sides(content_dir: Path, layouts_dir: Path, org_id: str, ref: str, work: Path):
    """(old kit or None, new kit or None): the old built at REF by REF's kitgen, the new from the working tree."""
    from kitgen.build.diff import DiffError
    from kitgen.build.diff_git import RefWorktree, build_kit, check_ref, git_top

    top = git_top(content_dir.resolve())
    from kitgen.build.diff_git import git as _git

    outer = _git(top, "rev-parse", "--show-superproject-working-tree").stdout.strip()
    if outer:  # the content folder is a submodule: the revision is the project's (the outer repository's)
        top = Path(outer)
    commit = check_ref(top, ref)
    try:
        content_rel = content_dir.resolve().relative_to(top)
        layouts_rel = layouts_dir.resolve().relative_to(top)
    except ValueError:
        raise DiffError(f"the content and layouts folders must be inside the git checkout {top} "
                        "to be built at a revision") from None
    new = build_kit(None, Path.cwd(), org_id, content_dir.resolve(), layouts_dir.resolve(), work / "new-out", "new")
    with RefWorktree(top, commit, content_rel, work) as tree:
        old = build_kit(tree, tree, org_id, tree / content_rel, tree / layouts_rel, work / "old-out", f"old ({ref})")
        if old is not None:  # copy it out before the worktree goes
            import shutil

            kept = work / "old-kit" / org_id
            shutil.copytree(old, kept)
            old = kept
    if old is None and new is None:
        raise DiffError(f"there is no organisation '{org_id}' at {ref} nor in the working tree (content/orgs/{org_id}.yaml)")
    return old, new
