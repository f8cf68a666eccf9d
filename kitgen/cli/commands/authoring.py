"""Commands for writing content: ``new programme|tool``, ``show tool|programme|org``, ``schema``, ``migrate``.

Each prints what a facilitator needs next (the file written, how to see or check it);
a wrong id is a usage error (exit 2) with a did-you-mean, a file that exists is never
replaced without ``--force``.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path

import click

from kitgen.content.filekinds import FILE_KINDS

EXIT_FINDINGS, EXIT_USAGE = 1, 2
CTX = {"help_option_names": ["-h", "--help"]}
content_option = click.option("--content", type=click.Path(file_okay=False), default=None,
                              help="Content folder. Default: ./content")


def register(main, show) -> None:
    """Add this module's commands to ``main`` and ``show``."""
    new = main.commands.get("new")
    if new is None:
        @main.group(context_settings=CTX)
        def new() -> None:
            """Create something new: an organisation, a programme, a tool."""
    new.add_command(new_programme, "programme")
    new.add_command(new_tool, "tool")
    show.add_command(show_tool, "tool")
    show.add_command(show_programme, "programme")
    show.add_command(show_org, "org")
    main.add_command(schema_command, "schema")
    main.add_command(migrate_command, "migrate")


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _content_dir(content) -> Path:
    from kitgen.cli.options import _dirs

    folder = _dirs(content, None)[0]
    if not folder.is_dir():
        _fail(f"content folder '{folder}' does not exist (use --content DIR)")
    return folder


def _check_id(value: str, what: str) -> None:
    from kitgen.core.names import ID_PATTERN

    if not re.match(ID_PATTERN, value):
        _fail(f"'{value}' is not a valid {what} id: use lower-case letters, digits and hyphens (e.g. min-workshop)")


def _unknown(what: str, wanted: str, known) -> None:
    close = difflib.get_close_matches(wanted, sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(sorted(known)) or '(none)'}"
    _fail(f"unknown {what} '{wanted}'{hint}")


def _load(content):
    from kitgen.content.load import load_content

    folder = _content_dir(content)
    loaded, findings = load_content(folder)
    return folder, loaded, findings


def _write_new(path: Path, text: str, force: bool) -> None:
    if path.exists() and not force:
        _fail(f"{path} exists; choose another id, or add --force to replace it")
    from kitgen.core.atomicfile import write_text

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, text)
    except OSError as exc:
        _fail(str(exc) if str(exc).startswith("cannot") else f"cannot write {path}: {exc.strerror or exc}", EXIT_FINDINGS)


def _report_new(folder: Path, path: Path, kind: str, item_id: str) -> None:
    """Validate what was written and say what to do next."""
    from kitgen.content.load import load_content
    from kitgen.content.yamlfile import display_path
    from kitgen.validate import check_programme
    from kitgen.core.report import render_report

    content, findings = load_content(folder)
    shown = display_path(path)
    findings = [f for f in findings if f.file == shown]
    if kind == "programme" and item_id in content.programmes:
        findings += check_programme(content.programmes[item_id], content)
    problems = [f for f in findings if f.severity != "info" and f.file == shown]
    click.echo(f"wrote {shown}")
    if problems:
        click.echo(render_report(problems, "text", notes=False))
        sys.exit(EXIT_FINDINGS)
    click.echo(f"  see it:    kitgen show {kind} {item_id}")
    click.echo("  check it:  kitgen validate")
    if kind == "programme":
        click.echo(f"  use it:    programme: {item_id}   (in content/orgs/<ID>.yaml)")
    else:
        click.echo(f"  use it:    tools: [{item_id}]   (in a programme block)")


@click.command(context_settings=CTX)
@click.argument("programme_id", metavar="ID")
@click.option("--from", "base_id", metavar="ID", default=None,
              help="Start from this programme: a variant that extends it (drop, insert, override blocks).")
@click.option("--force", is_flag=True, help="Replace a programme file that exists.")
@content_option
def new_programme(programme_id, base_id, force, content) -> None:
    """Write content/programmes/ID.yaml: a commented programme in minutes, valid as written.

    \b
    With --from BASE it is a variant of BASE: it lists BASE's blocks in comments and
    changes nothing until you add drop/insert/override; fixes to BASE reach it.
    """
    from kitgen.content.scaffold import programme_starter, variant_starter

    _check_id(programme_id, "programme")
    folder, loaded, _ = _load(content)
    if programme_id in loaded.programmes or programme_id in loaded.variants:
        if not force:
            _fail(f"programme '{programme_id}' exists; choose another id, or add --force to replace it")
    if base_id is not None:
        if base_id not in loaded.programmes:
            _unknown("programme", base_id, loaded.programmes)
        text = variant_starter(programme_id, loaded.programmes[base_id])
    else:
        text = programme_starter(programme_id)
    path = folder / "programmes" / f"{programme_id}.yaml"
    _write_new(path, text, force)
    _report_new(folder, path, "programme", programme_id)


@click.command(context_settings=CTX)
@click.argument("tool_id", metavar="ID")
@click.option("--worksheet", type=click.Choice(["table", "checklist", "boxes"]), default=None,
              help="Give the tool a worksheet of this kind (boxes: questions with room to write).")
@click.option("--force", is_flag=True, help="Replace a tool file that exists.")
@content_option
def new_tool(tool_id, worksheet, force, content) -> None:
    """Write content/tools/ID.yaml: a commented exercise (and worksheet), valid as written."""
    from kitgen.content.scaffold import tool_starter

    _check_id(tool_id, "tool")
    folder, loaded, _ = _load(content)
    if tool_id in loaded.tools and not force:
        _fail(f"tool '{tool_id}' exists; choose another id, or add --force to replace it")
    path = folder / "tools" / f"{tool_id}.yaml"
    _write_new(path, tool_starter(tool_id, worksheet), force)
    _report_new(folder, path, "tool", tool_id)


@click.command(context_settings=CTX)
@click.argument("tool_id", metavar="ID")
@content_option
def show_tool(tool_id, content) -> None:
    """Print one tool: purpose, steps, questions, minutes, worksheet, where it is used."""
    from kitgen.cli.commands.showing import tool_text

    _show_one("tool", tool_id, "tools", tool_text, content)


@click.command(context_settings=CTX)
@click.argument("programme_id", metavar="ID")
@content_option
def show_programme(programme_id, content) -> None:
    """Print one programme: its blocks with clock times and minutes, what it extends, who uses it."""
    from kitgen.cli.commands.showing import programme_text

    _, loaded, findings = _load(content)
    if programme_id not in loaded.programmes:
        own = {str(Path(f.file)) for f in findings if f.file and Path(f.file).name == f"{programme_id}.yaml"
               and Path(f.file).parent.name == "programmes"}  # a file that did not load names no programme
        if programme_id in loaded.variants:
            own.add(str(Path(loaded.variants[programme_id].origin.file)))
        broken = [f for f in findings if f.file and str(Path(f.file)) in own and f.severity == "error"]
        if broken:
            from kitgen.core.report import render_report

            click.echo(render_report(broken, "text", notes=False))
            sys.exit(EXIT_FINDINGS)
        _unknown("programme", programme_id, loaded.programmes)
    click.echo(programme_text(loaded, loaded.programmes[programme_id]))


@click.command(context_settings=CTX)
@click.argument("org_id", metavar="ID")
@content_option
def show_org(org_id, content) -> None:
    """Print one organisation: its programme as it runs in its slot, language and branding."""
    from kitgen.cli.commands.showing import org_text

    _show_one("organisation", org_id, "orgs", org_text, content)


def _show_one(noun: str, item_id: str, table: str, text, content) -> None:
    """Print ``text(loaded, item)`` for the item ``item_id`` of the content's ``table``; an unknown id is an
    error naming the ids there are."""
    _, loaded, _ = _load(content)
    items = getattr(loaded, table)
    if item_id not in items:
        _unknown(noun, item_id, items)
    click.echo(text(loaded, items[item_id]))


@click.command(context_settings=CTX)
@click.option("--kind", type=click.Choice(list(FILE_KINDS)), default=None,
              help="Only this kind of file (default: a schema any content file matches).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write one <kind>.schema.json per kind into this folder, and print the editor settings.")
def schema_command(kind, out_dir) -> None:
    """Print the JSON Schema of the content files, for editors that complete and check YAML.

    \b
    VS Code (YAML extension):  kitgen schema --out .schemas
    then add the printed "yaml.schemas" block to .vscode/settings.json, or put
    # yaml-language-server: $schema=../../.schemas/programme.schema.json
    as the first line of a file.
    """
    from kitgen.content.schema import KINDS, content_schema, editor_settings

    if out_dir is None:
        click.echo(json.dumps(content_schema(kind), indent=2, ensure_ascii=False))
        return
    from kitgen.core.atomicfile import write_text

    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in ([kind] if kind else KINDS):
            write_text(folder / f"{name}.schema.json", json.dumps(content_schema(name), indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        _fail(str(exc) if str(exc).startswith("cannot") else f"cannot write in {folder}: {exc.strerror or exc}", EXIT_FINDINGS)
    settings = {k: v for k, v in editor_settings(out_dir.rstrip("/")).items() if kind is None or k.endswith(f"/{kind}.schema.json")}
    click.echo(json.dumps({"yaml.schemas": settings}, indent=2))


@click.command(context_settings=CTX)
@content_option
@click.option("--check", is_flag=True, help="Only list what would change; exit 1 if anything would.")
def migrate_command(content, check) -> None:
    """Rewrite older content to the current schema (2), keeping comments and field order.

    \b
    Programmes given by clock times become blocks with an id and minutes; a block that
    does not start where the one before ended keeps its start (pinned). Each rewritten
    programme is checked to keep its clock times before it is written.
    Exit 0 done (or nothing to do), 1 a file needs rewriting by hand (or --check found work).
    """
    from kitgen.core.atomicfile import write_text
    from kitgen.content.yamlfile import display_path
    from kitgen.content.migrate import plan_migration
    from kitgen.core.report import render_report

    folder = _content_dir(content)
    migration = plan_migration(folder)
    for path, text in sorted(migration.changed.items()):
        if check:
            click.echo(f"would rewrite {display_path(path)}")
            continue
        try:
            write_text(path, text)
        except OSError as exc:
            _fail(str(exc), EXIT_FINDINGS)
        click.echo(f"rewrote {display_path(path)}")
    if migration.findings:
        click.echo(render_report(migration.findings, "text", notes=False))
    if not migration.changed and not migration.findings:
        click.echo(f"content in {display_path(folder)} is at schema 2; nothing to do")
    sys.exit(EXIT_FINDINGS if migration.findings or (check and migration.changed) else 0)
