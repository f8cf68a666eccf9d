"""What ``kitgen build`` prints about the kits it built: plain lines for one kit (no rich),
a table for several, and the content's errors of a kit that failed on them."""

from __future__ import annotations

import sys

import click

from kitgen.cli.options import _console, plain
from kitgen.core.findings import count, has_errors


def print_built(result) -> None:
    """What ``build`` prints for one kit built, through click (the same lines rich prints, colour on a terminal)."""
    from kitgen.core.report import escape_text

    click.echo(f"{click.style('built', fg='green')} {escape_text(str(result.out_dir))}/ for "
               f"{escape_text(str(result.org_name))}: {escape_text(result.message)}")
    for name, size in result.files.items():
        click.echo(f"  {result.out_dir / name}  ({size / 1024:.0f} KiB)")
    warnings = count(result.findings)["warning"]
    if warnings:
        click.echo(f"  {warnings} warning(s): see 'kitgen validate --org {result.org_id}'")


def print_results(results, fmt: str, elapsed: float) -> None:
    """The outcome of one or more kits, with the findings of those whose content has errors."""
    console, errors = _console(), _console(stderr=True)

    for result in results:
        if result.status == "failed" and has_errors(result.findings):  # not when it failed for another reason
            shown = [f for f in result.findings if f.severity != "info"]
            from kitgen.core.report import render_report

            errors.print(render_report(shown, fmt, title=f"{result.org_id}: the content has errors:" if fmt == "text" else ""),
                         markup=False)
    if len(results) == 1:
        result = results[0]
        if result.status == "built":
            console.print(f"[green]built[/] {plain(result.out_dir)}/ for {plain(result.org_name)}: {plain(result.message)}")
            for name, size in result.files.items():
                console.print(f"  {result.out_dir / name}  ({size / 1024:.0f} KiB)", markup=False)
            warnings = count(result.findings)["warning"]
            if warnings:
                console.print(f"  {warnings} warning(s): see 'kitgen validate --org {result.org_id}'", markup=False)
        elif result.status == "unchanged":
            console.print(f"unchanged {result.out_dir}/ ({result.message}; --force rebuilds)", markup=False)
        else:
            errors.print(f"[bold red]failed[/] {result.org_id}: {plain(result.message)}")
    elif sys.stdout.isatty():
        from rich.table import Table

        table = Table(title="kitgen build", title_justify="left")
        for column in COLUMNS:
            table.add_column(column)
        for r in results:
            style = {"built": "green", "unchanged": "dim", "failed": "red"}[r.status]
            table.add_row(r.org_id, f"[{style}]{r.status}[/]", *_cells(r)[2:-1], plain(r.message))
        console.print(table)
        console.print(_summary(results, elapsed), markup=False)
    else:  # a log (CI, a pipe): the same table as plain aligned text, without laying it out with rich
        from kitgen.core.report import escape_text

        rows = [list(COLUMNS)] + [_cells(r)[:-1] + [escape_text(r.message)] for r in results]
        widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
        lines = ["kitgen build"] + ["  ".join([c.ljust(w) for c, w in zip(row, widths)] + [row[-1]]).rstrip() for row in rows]
        click.echo("\n".join(lines + [_summary(results, elapsed)]))


COLUMNS = ("org", "status", "slides", "worksheets", "rows", "seconds", "message")


def _cells(r) -> list[str]:
    return [r.org_id, r.status, str(r.counts.get("slides", "")), str(r.counts.get("worksheets", "")),
            str(r.counts.get("run_sheet_rows", "")), f"{r.seconds:.2f}", r.message]


def _summary(results, elapsed: float) -> str:
    built = sum(r.status == "built" for r in results)
    return (f"{built} built, {sum(r.status == 'unchanged' for r in results)} unchanged, "
            f"{sum(r.status == 'failed' for r in results)} failed in {elapsed:.2f} s")
