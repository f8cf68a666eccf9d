"""Commands beyond the core pipeline, one module per concern.

Each module defines ``register(main, show)``: it adds its click commands to the
``kitgen`` group (``main``) and, where it has one, a ``kitgen show <thing>``
subcommand to ``show``. Modules import their heavy dependencies inside the command
functions, so that ``kitgen build`` on an unchanged kit stays fast.
"""

from __future__ import annotations

import importlib

import click

MODULES = (
    "kitgen.cli.commands.listing",    # list, preview
    "kitgen.cli.commands.templates",  # init-org, new org, show template
    "kitgen.cli.commands.authoring",  # new programme|tool, show tool|programme|org, schema, migrate
    "kitgen.cli.commands.changed",       # plan --changed, clean
    "kitgen.cli.commands.watch",      # watch
    "kitgen.cli.commands.translate",  # translate export|import
    "kitgen.cli.commands.diff",       # diff
    "kitgen.cli.commands.serve",      # serve
)


def register_all(main: click.Group) -> None:
    @main.group(context_settings={"help_option_names": ["-h", "--help"]})
    def show() -> None:
        """Show one thing readably: a template, a tool, a programme or an organisation."""

    for name in MODULES:
        importlib.import_module(name).register(main, show)
