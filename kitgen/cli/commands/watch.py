"""Command: ``kitgen watch --org ID [--org …] [--preview]``: the watch itself is :class:`kitgen.build.watch.Watcher`."""

from __future__ import annotations

import sys
from pathlib import Path

import click


def register(main, show) -> None:
    """Add ``watch`` to ``main``."""
    from kitgen.cli.options import content_option, gap_option, layouts_option, org_option, out_option, stretch_option

    @main.command()
    @org_option
    @content_option
    @layouts_option
    @out_option()
    @click.option("--preview", is_flag=True, help="Also render PNG previews through LibreOffice, in the background.")
    @click.option("--dpi", type=click.IntRange(30, 300), default=60, show_default=True, help="Resolution of previews.")
    @stretch_option
    @gap_option
    def watch(org_ids, content, layouts, out, preview, dpi, max_stretch, max_gap) -> None:
        """Rebuild organisations' kits whenever a file they read changes.

        \b
        Watches the content and layouts folders. Only the kits that read a changed
        file are rebuilt; findings are printed as they appear, and a bad edit leaves
        the last good kit in place. Ctrl-C stops. Exit 0 when stopped, 2 usage error.
        """
        from kitgen.build.watch import Watcher, timestamp
        from kitgen.cli.options import _dirs, _select_ids, check_out, usage_error
        from kitgen.validate.timing import TimingSettings

        content_dir, layouts_dir = _dirs(content, layouts)
        if not content_dir.is_dir():
            usage_error(f"content folder '{content_dir}' does not exist (use --content DIR)")
        if not layouts_dir.is_dir():
            usage_error(f"layouts folder '{layouts_dir}' does not exist (use --layouts DIR)")
        if preview:
            from kitgen.build.preview import missing_tools

            missing = missing_tools()
            if missing:
                usage_error(f"--preview needs {', '.join(missing)}; install them or watch without --preview")
        selected = _select_ids(content_dir, org_ids, False)
        out_root = Path(out)
        check_out(out_root, content_dir, layouts_dir, selected)
        watcher = Watcher(content_dir, layouts_dir, out_root, selected, TimingSettings(max_stretch, max_gap),
                          echo=lambda text: click.echo(text, nl=True) or sys.stdout.flush(), preview=preview, dpi=dpi)
        try:
            watcher.start()
            watcher.run()
        except KeyboardInterrupt:
            click.echo(f"{timestamp()} stopped watching")
        sys.exit(0)
