"""The files a kit holds: one entry per file, each with the renderer that writes it and when it is needed.

The build writes every needed file and ``kit.json`` lists them (and, for a file not needed, why);
``--pdf`` prints each file that names its PDF; preview renders the kit's Office files. A new kind
of output file is one module that renders it (``plan -> bytes``) and one :func:`register` call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kitgen.plan.kitplan import KitPlan
from kitgen.render.deck import render_deck
from kitgen.render.notes import render_notes
from kitgen.render.worksheets import render_worksheets


def always(plan: KitPlan) -> bool:
    return True


@dataclass(frozen=True)
class Output:
    name: str                                        # the file's name in the kit
    render: Callable[[KitPlan], bytes]
    needed: Callable[[KitPlan], bool] = always
    omitted: str = ""                                # what kit.json says when the file is not needed
    pdf: str | None = None                           # its print-ready PDF's name (kitgen build --pdf)


OUTPUTS: dict[str, Output] = {}


def register(output: Output) -> Output:
    """Add an output file (in kit order); a second entry of the same name replaces the first."""
    OUTPUTS[output.name] = output
    return output


def rendered(plan: KitPlan) -> tuple[dict[str, bytes], dict[str, str]]:
    """The kit's files (name -> bytes, in registry order) and the files left out (name -> why)."""
    files, omitted = {}, {}
    for output in OUTPUTS.values():
        if output.needed(plan):
            files[output.name] = output.render(plan)
        else:
            omitted[output.name] = output.omitted or "not needed by this kit"
    return files, omitted


def pdf_names() -> dict[str, str]:
    """Source file -> the name of its PDF, for every output that is printed."""
    return {output.name: output.pdf for output in OUTPUTS.values() if output.pdf}


register(Output("deck.pptx", render_deck, pdf="deck.pdf"))
register(Output("worksheets.docx", render_worksheets, needed=lambda plan: bool(plan.worksheets),
                omitted="the programme has no worksheet", pdf="worksheets.pdf"))
register(Output("facilitator-notes.docx", render_notes, pdf="facilitator-notes.pdf"))
