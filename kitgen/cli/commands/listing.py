"""Commands: ``kitgen list`` (what the content holds) and ``kitgen preview`` (a kit as PNG pages)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kitgen.core.findings import has_errors

from kitgen.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    _console,
    _dirs,
    _load,
    _select_ids,
    all_option,
    check_out,
    content_option,
    layouts_option,
    org_option,
    out_option,
    plain,
    usage_error,
)


@click.command("list")
@content_option
@layouts_option
@click.option("--search", "word", metavar="WORD", default=None,
              help="Only what mentions WORD (ids, titles, purposes, steps, question texts).")
def list_command(content, layouts, word) -> None:
    """List organisations, programmes and tools in the content folder (kitgen show … prints one)."""
    project = _load(content, layouts)
    from rich.table import Table

    from kitgen.cli.commands.showing import search_hits

    console = _console()
    c = project.content
    hit = search_hits(c, word)
    table = Table(title="Organisations", title_justify="left")
    for column in ("id", "name", "programme", "date", "language"):
        table.add_column(column)
    for org in filter(hit, c.orgs.values()):
        table.add_row(*map(plain, (org.id, org.name, org.programme, org.date or "", org.language)))
    console.print(table)
    table = Table(title="Programmes", title_justify="left")
    for column in ("id", "title", "slot", "blocks"):
        table.add_column(column)
    for p in filter(hit, c.programmes.values()):
        table.add_row(*map(plain, (p.id, p.title, f"{p.slot.start}–{p.slot.end}", len(p.blocks))))
    console.print(table)
    table = Table(title="Tools", title_justify="left")
    for column in ("id", "title", "min", "worksheet"):
        table.add_column(column)
    for t in filter(hit, c.tools.values()):
        table.add_row(*map(plain, (t.id, t.title, t.duration_minutes or "", "yes" if t.has_worksheet else "")))
    console.print(table)
    if word:
        for q in filter(hit, c.questions.values()):
            console.print(f"question {q.id}: {q.text}", markup=False, highlight=False)
        return
    console.print(f"{len(c.questions)} questions in {len(c.question_groups)} groups, {len(c.quotes)} quotes")
    if has_errors(project.findings):
        console.print("[yellow]The content has errors; run 'kitgen validate --all' to see them.[/]")


@click.command()
@org_option
@all_option
@content_option
@layouts_option
@out_option("Output folder holding OUT/<ID>/ (the kit is built first if needed).")
@click.option("--dpi", type=click.IntRange(30, 300), default=60, show_default=True, help="Resolution of the PNG pages.")
def preview(org_ids, all_orgs, content, layouts, out, dpi) -> None:
    """Render an organisation's kit through LibreOffice to PNG pages and contact sheets.

    Writes OUT/.preview/<ID>/<file>-<page>.png and one <file>-contact.png per output
    (beside the kit, not in it, so a rebuild keeps them), so a kit can be checked
    without PowerPoint or Word. Needs LibreOffice (soffice)
    and poppler-utils (pdftoppm).
    """
    from kitgen.build.pipeline import build_many
    from kitgen.build.preview import PreviewError, missing_tools, render_previews

    missing = missing_tools()
    if missing:
        usage_error(f"preview needs {', '.join(missing)}; install them, e.g. "
                    "'apt-get install libreoffice-impress libreoffice-writer poppler-utils'")
    content_dir, layouts_dir = _dirs(content, layouts)
    project = _load(content, layouts)
    selected = _select_ids(content_dir, org_ids, all_orgs)
    out_root = Path(out)
    check_out(out_root, content_dir, layouts_dir, selected)
    results = build_many(project, selected, out_root, jobs=1)
    console = _console()
    failed = False
    for result in results:
        if result.status == "failed":
            _console(stderr=True).print(f"[bold red]failed[/] {result.org_id}: {plain(result.message)}")
            failed = True
            continue
        try:
            sheets = render_previews(result.out_dir, dpi=dpi)
        except PreviewError as exc:
            _console(stderr=True).print(f"[bold red]preview failed[/] {result.org_id}: {plain(exc)}")
            failed = True
            continue
        for name, (pages, sheet) in sheets.items():
            console.print(f"{name}: {pages} page(s), contact sheet {sheet}", markup=False)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def register(main, show) -> None:
    """Add ``list`` and ``preview`` to ``main``."""
    main.add_command(list_command)
    main.add_command(preview)
