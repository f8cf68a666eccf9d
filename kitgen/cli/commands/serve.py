"""Command: ``kitgen serve --org ID [--port N] [--host H]``: the kit as a local page that follows the content."""

from __future__ import annotations

import sys
from pathlib import Path

import click


def register(main, show) -> None:
    """Add ``serve`` to ``main``."""
    from kitgen.cli.options import content_option, gap_option, layouts_option, out_option, stretch_option

    @main.command()
    @click.option("--org", "org_id", metavar="ID", required=True, help="The organisation whose kit to show.")
    @click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
                  help="Port to listen on (0: any free port).")
    @click.option("--host", default="127.0.0.1", show_default=True,
                  help="Address to listen on. Only this machine can connect unless you name another address.")
    @click.option("--images/--no-images", default=True, show_default=True,
                  help="Render the slides and pages as images through LibreOffice, in the background.")
    @content_option
    @layouts_option
    @out_option()
    @stretch_option
    @gap_option
    def serve(org_id, port, host, images, content, layouts, out, max_stretch, max_gap) -> None:
        """Show an organisation's kit in the browser, rebuilt and updated on every save.

        \b
        The page shows each slide (image, text and speaker notes), the worksheet and
        facilitator-note pages, and the validation findings. It updates itself after each
        rebuild; a bad edit shows its errors above the last good kit. Ctrl-C stops.
        Exit 0 when stopped, 2 on a usage mistake (or a port in use).
        """
        from kitgen.cli.options import _dirs, _select_ids, check_out, usage_error
        from kitgen.build.watch import timestamp
        from kitgen.build.serve import KitServer
        from kitgen.validate.timing import TimingSettings

        content_dir, layouts_dir = _dirs(content, layouts)
        if not content_dir.is_dir():
            usage_error(f"content folder '{content_dir}' does not exist (use --content DIR)")
        if not layouts_dir.is_dir():
            usage_error(f"layouts folder '{layouts_dir}' does not exist (use --layouts DIR)")
        selected = _select_ids(content_dir, (org_id,), False)
        out_root = Path(out)
        check_out(out_root, content_dir, layouts_dir, selected)
        if images:
            from kitgen.build.preview import missing_tools

            missing = missing_tools()
            if missing:
                click.echo(f"no slide or page images: {', '.join(missing)} not installed (the text is shown)")
                images = False
        echo = lambda text: click.echo(text) or sys.stdout.flush()  # noqa: E731
        try:
            server = KitServer(content_dir, layouts_dir, out_root, selected[0], TimingSettings(max_stretch, max_gap),
                               host=host, port=port, echo=echo, images=images)
        except OSError as exc:
            usage_error(f"cannot listen on {host}:{port}: {exc.strerror or exc} (choose another --port, or --port 0)")
        if host not in ("127.0.0.1", "::1", "localhost"):
            click.echo(f"warning: listening on {host}: other machines on the network can see this kit")
        try:
            server.run()
        except KeyboardInterrupt:
            click.echo(f"{timestamp()} stopped serving")
        sys.exit(0)
