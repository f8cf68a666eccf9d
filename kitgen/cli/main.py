"""The ``kitgen`` command: parse, call, print, exit code. No logic of its own.

Exit codes: 0 success; 1 the content has errors (or warnings with --strict) or a kit
failed to build; 2 a usage mistake (unknown organisation, bad option, missing tool);
3 an internal error (a bug in kitgen; KITGEN_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from kitgen import __version__
from kitgen.core.findings import Finding, count, has_errors
from kitgen.cli.options import (
    EXIT_FINDINGS, EXIT_OK, _console, _dirs, _load, _select_ids, all_option, check_out, content_option, gap_option, layouts_option, org_option, out_option, plain, stretch_option, usage_error,
)

_FAST_EXIT = False  # set by run(): only a real process may end with os._exit (not click's test runner)


def _exit(code: int) -> None:
    """End a build. Every kit file is closed and fsync'd by now (kitgen.build.write), so after
    flushing stdout and stderr the process ends without the interpreter's teardown (its
    final garbage-collection pass over everything the build made, 70–80 ms)."""
    if _FAST_EXIT:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    sys.exit(code)


class _Commands(click.Group):
    """The ``kitgen`` group. ``build`` and ``validate`` are defined here; the other commands
    (:mod:`kitgen.cli.commands`) are added when one of them is asked for or ``--help`` lists them, so
    ``kitgen build`` does not import them."""

    _all_added = False

    def _add_all(self) -> None:
        if not self._all_added:
            self._all_added = True
            from kitgen.cli.commands import register_all

            register_all(self)

    def get_command(self, ctx, cmd_name):
        found = super().get_command(ctx, cmd_name)
        if found is None and not self._all_added:
            self._add_all()
            found = super().get_command(ctx, cmd_name)
        return found

    def list_commands(self, ctx):
        self._add_all()
        return super().list_commands(ctx)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kitgen")
def main() -> None:
    """Turn one body of workshop content into branded workshop kits.

    \b
    A kit for one client organisation is:
      deck.pptx               slides in the organisation's branding, speaker notes on every slide
      worksheets.docx         editable worksheets for participants (tables, boxes, fields)
      facilitator-notes.docx  run-sheet with clock times, and what to say and do per block
      kit.json                manifest: files, sha256, content version, validation summary

    \b
    Typical use:
      kitgen list                      what organisations, programmes and tools exist
      kitgen validate --org KK         check timing and completeness, build nothing
      kitgen build --org KK            build output/KK/ (refuses content with errors)
      kitgen build --all               build every organisation, in parallel
      kitgen preview --org KK          render the kit to PNG pages via LibreOffice
      kitgen watch --org KK            rebuild on every save that touches KK's kit

    \b
    Onboarding and writing:
      kitgen init-org ID --name NAME --pptx FILE --docx FILE --logo PNG
      kitgen new programme ID --from ID    a variant of a programme (drop, insert, override)
      kitgen show tool|programme|org ID   (and: kitgen show template FILE)
      kitgen schema --out .schemas         JSON Schema for editors

    \b
    CI:
      kitgen validate --all --format github
      kitgen plan --changed origin/main --format github-matrix

    Exit codes: 0 ok, 1 content errors or a failed kit, 2 usage mistake,
    130 interrupted, 143 terminated.
    """
    from kitgen.core.envvars import check

    check()  # a KITGEN_* number kitgen cannot use is a usage mistake before anything runs


def _unchanged(org_id: str, out_root: Path):
    from kitgen.build.result import BuildResult

    return BuildResult(org_id, "unchanged", out_root / org_id, message="inputs unchanged since the last build")


@main.command()
@org_option
@all_option
@content_option
@layouts_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text for people, json for programs, github for ::error annotations in CI.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also list info findings (e.g. content no programme uses); by default text and github only count them.")
@stretch_option
@gap_option
def validate(org_ids, all_orgs, content, layouts, fmt, strict, verbose, max_stretch, max_gap) -> None:
    """Check timing and completeness of the content, and of each organisation's kit.

    \b
    Without --org or --all, checks the content on its own (every programme's timing,
    references, tools, quotes). With --org, also that organisation's schedule, files,
    templates and slides (speaker notes, text that fits). Builds nothing.
    Exit 0 clean, 1 errors (or warnings with --strict), 2 usage error.
    """
    from kitgen.validate import check_programme
    from kitgen.core.report import render_report

    project = _load(content, layouts, max_stretch, max_gap)
    findings: list[Finding] = list(project.findings)
    selected = _select_ids(project.content_dir, org_ids, all_orgs) if (org_ids or all_orgs) else []
    if not selected:
        for programme in project.content.programmes.values():
            findings.extend(check_programme(programme, project.content, project.settings))
    if project.layouts is not None and not has_errors(project.findings):
        from kitgen.build.pipeline import check_org_safely

        for org_id in selected:  # one org's unexpected failure is that org's finding; the others are checked
            org = project.content.orgs.get(org_id)
            if org is not None:
                findings.extend(check_org_safely(project, org)[0])
    scope = ", ".join(selected) if selected else "content"
    title = f"kitgen validate ({scope}):" if fmt == "text" else ""
    output = render_report(findings, fmt, title=title, notes=verbose or fmt == "json")
    if output:
        click.echo(output)
    counts = count(findings)
    failed = counts["error"] > 0 or (strict and counts["warning"] > 0)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@main.command()
@org_option
@all_option
@content_option
@layouts_option
@out_option()
@click.option("--force", is_flag=True, help="Rebuild even when the inputs have not changed.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Parallel builds (default: number of cores).")
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="How findings are printed when the content has errors.")
@click.option("--changed", "changed_ref", metavar="REF", default=None,
              help="Build only the organisations a change since the git revision REF touches (see 'kitgen plan').")
@click.option("--pdf/--no-pdf", default=None,
              help="Give the kit print-ready PDFs (worksheets, facilitator notes, a deck handout with the speaker "
                   "notes), through LibreOffice; later builds keep them current until --no-pdf drops them.")
@stretch_option
@gap_option
def build(org_ids, all_orgs, content, layouts, out, force, jobs, fmt, changed_ref, max_stretch, max_gap, pdf=None) -> None:
    """Build the kit of one or more organisations into OUT/<ID>/.

    \b
    Validates first and writes nothing when the content has errors. Each kit is
    written to a new folder OUT/.kits/<ID>-<n>; OUT/<ID> is a link switched to it
    in one step once every file is written, so a failed or interrupted build leaves
    the previous kit untouched. OUT/<ID> is only ever replaced when it is a kit
    kitgen wrote; two builds of one organisation take turns. A kit whose
    inputs (content, layouts, kitgen) have not changed is not rebuilt; --force
    rebuilds it. Exit 0 when every kit built, 1 when any failed, 2 usage error.
    """
    from kitgen.build.uptodate import kit_up_to_date

    started = time.perf_counter()
    content_dir, layouts_dir = _dirs(content, layouts)
    out_root = Path(out)
    if not content_dir.is_dir():
        usage_error(f"content folder '{content_dir}' does not exist (use --content DIR)")
    if changed_ref is not None:
        from kitgen.cli.commands.changed import changed_org_ids

        if org_ids or all_orgs:
            usage_error("use one of --org, --all or --changed")
        selected = changed_org_ids(content_dir, layouts_dir, changed_ref)
        if not selected:
            click.echo(f"no organisation's kit is touched by the changes since {changed_ref}; nothing to build")
            sys.exit(EXIT_OK)
    else:
        selected = _select_ids(content_dir, org_ids, all_orgs)
    check_out(out_root, content_dir, layouts_dir, selected)
    from kitgen.build.pdf import kit_has_pdfs, soffice_missing

    if pdf or (pdf is None and any(kit_has_pdfs(out_root / o) for o in selected)):
        if soffice_missing():
            usage_error(soffice_missing() + ("" if pdf else "; these kits have PDFs: --no-pdf drops them"))
    settings = {"max_stretch_minutes": max_stretch, "max_gap_minutes": max_gap}  # TimingSettings' fields
    # Kits whose own inputs are unchanged are not rebuilt; the content is not even loaded for them.
    current = set() if force else {o for o in selected
                                   if kit_up_to_date(out_root / o, o, content_dir, layouts_dir, settings)
                                   and (pdf is None or kit_has_pdfs(out_root / o) == pdf)}
    digest = ""  # each kit's digest is its own (kitgen.build.inputs)
    pending = [o for o in selected if o not in current]
    results = {}
    if pending:
        from kitgen.build.pipeline import build_many

        project = _load(content, layouts, max_stretch, max_gap)
        project.pdf = pdf
        if len(pending) == 1:
            built = build_many(project, pending, out_root, digest, force=force, jobs=1)
        elif not sys.stderr.isatty():  # no progress bar to draw: rich is not even imported
            built = build_many(project, pending, out_root, digest, force=force, jobs=jobs)
        else:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            errors = _console(stderr=True)
            with Progress(TextColumn("building kits"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=errors, transient=True, disable=not errors.is_terminal) as progress:
                task = progress.add_task("build", total=len(pending))
                built = build_many(project, pending, out_root, digest, force=force, jobs=jobs,
                                   on_done=lambda _result: progress.advance(task))
        results.update((r.org_id, r) for r in built)
    results.update((o, _unchanged(o, out_root)) for o in current)
    results = [results[o] for o in selected]
    if len(results) == 1 and results[0].status == "unchanged":  # the fast path prints without rich
        click.echo(f"unchanged {results[0].out_dir}/ ({results[0].message}; --force rebuilds)")
        _exit(EXIT_OK)
    if len(results) == 1 and results[0].status == "built":  # one kit built: plain lines, rich is not imported
        from kitgen.cli.buildprint import print_built

        print_built(results[0])
        _exit(EXIT_OK)
    from kitgen.cli.buildprint import print_results

    print_results(results, fmt, time.perf_counter() - started)
    _exit(EXIT_FINDINGS if any(r.status == "failed" for r in results) else EXIT_OK)


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that cleanup runs as for Ctrl-C."""


def _on_sigterm(_signum, _frame) -> None:
    raise Terminated()


def run() -> None:
    """Console-script entry point: no traceback for a user's mistake.

    Ctrl-C prints "interrupted" and exits 130, SIGTERM "terminated" and 143 (128 + the
    signal number, as shells report them); running workers are stopped and a kit is
    swapped in by one rename, so only whole kits remain. click's own handling
    (standalone mode) would print "Aborted!" and exit 1, so it is switched off.
    """
    import gc
    import signal

    # A kitgen process is short: its garbage goes with it. The cyclic collector, which would
    # otherwise walk every object of the loaded content ~150 times (about 45 ms of a one-kit
    # build), is switched off; a build of several kits and watch switch it on again for
    # their workers (kitgen.build.pipeline.build_many), which live longer.
    gc.disable()
    global _FAST_EXIT
    _FAST_EXIT = True
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        code = main(standalone_mode=False)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt) or isinstance(exc.__context__, KeyboardInterrupt):
            _interrupted("interrupted", 130)
        _console(stderr=True).print("aborted")
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _interrupted("interrupted", 130)
    except Terminated:
        _interrupted("terminated", 143)
    except Exception as exc:  # a bug in kitgen, not a mistake in the content: say so plainly
        if os.environ.get("KITGEN_DEBUG"):
            raise
        _console(stderr=True).print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {plain(exc)}\n"
            "This is a bug in kitgen, not in your content. Nothing was written. "
            "Run again with KITGEN_DEBUG=1 for the details and report them.", markup=True)
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _interrupted(word: str, code: int) -> None:
    """Stop quietly: any kit being written is dropped, the previous one stays in place."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the message
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        sys.stderr.write(f"{word}; kits already built are whole, nothing half-written was kept\n")
        sys.stderr.flush()
    except OSError:
        pass
    _exit(code)  # the workers are stopped and joined (kitgen.build.pipeline._stop): no teardown to print over the message


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    run()
