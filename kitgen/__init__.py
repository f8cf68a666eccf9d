"""kitgen: one body of workshop content → branded workshop kits (deck, worksheets, facilitator notes)."""

__version__ = "0.1.0"
