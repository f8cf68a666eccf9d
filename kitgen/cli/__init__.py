"""Layer 9, cli: the ``kitgen`` command, its options, report formats and commands."""
