"""What the ``kitgen`` commands share: the folder options, organisation selection, usage errors and
the console they print on."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from kitgen.core.names import ORG_ID_PATTERN


EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _console(stderr: bool = False):
    """Rich console; when piped (CI, grep) it is wide, so ids and paths are never folded.

    rich is imported here, not at the top: a no-op build should not pay for it.
    """
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else 240
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=width)


def _default_dir(name: str) -> Path:
    """``./name`` if it exists, else the one beside the kitgen package (a source checkout)."""
    here = Path.cwd() / name
    if here.exists():
        return here
    beside = Path(__file__).resolve().parents[2] / name
    return beside if beside.exists() else here


def _dirs(content, layouts):
    return Path(content) if content else _default_dir("content"), Path(layouts) if layouts else _default_dir("layouts")


def plain(text: object) -> str:
    """User text (paths, ids, messages quoting content) safe to print with rich markup on:
    control characters shown escaped, and ``[...]`` not taken as markup (a folder named
    ``out[/b]`` would otherwise crash rich)."""
    from rich.markup import escape

    from kitgen.core.report import escape_text

    return escape(escape_text(str(text)))


def usage_error(message: str) -> None:
    _console(stderr=True).print(f"[bold red]error:[/] {plain(message)}", markup=True)
    sys.exit(EXIT_USAGE)


def check_org_ids(org_ids: tuple[str, ...], known: list[str]) -> list[str]:
    """Refuse unsafe or unknown org ids before any path is built from them."""
    for org_id in org_ids:
        if not re.match(ORG_ID_PATTERN, org_id):
            from kitgen.core.report import escape_text  # only here: it loads the model (the no-op path must not)

            usage_error(f"'{escape_text(org_id)}' is not a valid organisation id: 1 to 32 letters, digits, '-' "
                        "or '_', starting with a letter or digit (the name of its file in content/orgs/, no paths)")
    unknown = [o for o in org_ids if o not in known]
    if unknown:
        usage_error(f"unknown organisation '{unknown[0]}'; known organisations: {', '.join(known) or '(none)'}")
    return list(dict.fromkeys(org_ids))


content_option = click.option("--content", type=click.Path(file_okay=False), default=None,
                              help="Content folder (tools/, questions/, quotes/, programmes/, orgs/). Default: ./content")


layouts_option = click.option("--layouts", type=click.Path(file_okay=False), default=None,
                              help="Layouts folder (templates, labels, note texts). Default: ./layouts")


def out_option(help: str = "Output folder; each kit goes to OUT/<ID>/."):
    """The --out option every command that writes or reads kits shares."""
    return click.option("--out", type=click.Path(file_okay=False), default="output", show_default=True, help=help)


org_option = click.option("--org", "org_ids", multiple=True, metavar="ID",
                          help="Organisation id, as in content/orgs/<ID>.yaml. Repeat for several.")


all_option = click.option("--all", "all_orgs", is_flag=True, help="Every organisation in content/orgs/.")


stretch_option = click.option("--max-stretch", type=click.IntRange(15, 600), default=90, show_default=True,
                              help="Minutes without a break before a warning.")


gap_option = click.option("--max-gap", type=click.IntRange(0, 600), default=15, show_default=True,
                          help="Minutes of gap between blocks before a warning becomes an error.")


def _load(content, layouts, max_stretch=90, max_gap=15):
    from kitgen.build.pipeline import Project
    from kitgen.validate.timing import TimingSettings

    content_dir, layouts_dir = _dirs(content, layouts)
    if not content_dir.is_dir():
        usage_error(f"content folder '{content_dir}' does not exist (use --content DIR)")
    if not layouts_dir.is_dir():
        usage_error(f"layouts folder '{layouts_dir}' does not exist (use --layouts DIR)")
    return Project.load(content_dir, layouts_dir, TimingSettings(max_stretch, max_gap))


def _select_ids(content_dir: Path, org_ids, all_orgs) -> list[str]:
    """Select organisations by their profile files, before (and without) loading the content."""
    known = sorted(p.stem for p in (content_dir / "orgs").glob("*.yaml")) if (content_dir / "orgs").is_dir() else []
    if all_orgs:
        if org_ids:
            usage_error("use either --org or --all, not both")
        if not known:
            usage_error(f"there are no organisations in {content_dir / 'orgs'}")
        return known
    if not org_ids:
        usage_error(f"name an organisation with --org ID (or --all); known organisations: {', '.join(known) or '(none)'}")
    return check_org_ids(org_ids, known)


def check_out(out_root: Path, content_dir: Path, layouts_dir: Path, org_ids: list[str]) -> None:
    """Refuse an --out that would write into the inputs, or replace something that is not a kit."""
    from kitgen.build.write import refuse_reason

    out = out_root.resolve()
    for name, folder in (("content", content_dir), ("layouts", layouts_dir)):
        inputs = folder.resolve()
        if out == inputs or inputs in out.parents:
            usage_error(f"--out {out_root} is inside the {name} folder {folder}; kits must go elsewhere "
                        "(the default is ./output)")
    for org_id in org_ids:
        reason = refuse_reason(out_root / org_id)
        if reason:
            usage_error(reason)
