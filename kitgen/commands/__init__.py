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
    "kitgen.commands.listing",    # list, preview
    "kitgen.commands.templates",  # init-org, new org, show template
    "kitgen.commands.authoring",  # new programme|tool, show tool|programme|org, schema, migrate
    "kitgen.commands.plan",       # plan --changed, clean
    "kitgen.commands.watch",      # watch
    "kitgen.commands.translate",  # translate export|import
    "kitgen.commands.diff",       # diff
    "kitgen.commands.serve",      # serve
)


def register_all(main: click.Group) -> None:
    @main.group(context_settings={"help_option_names": ["-h", "--help"]})
    def show() -> None:
        """Show one thing readably: a template, a tool, a programme or an organisation."""

    for name in MODULES:
        importlib.import_module(name).register(main, show)
