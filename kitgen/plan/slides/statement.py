"""A statement slide: a block's key figures shown large ("4,2 · 4,4 · 3,9"), under a headline that says what they mean.

Made only where the block's content gives a ``statement:`` (headline, figures, and where they come from); never
filled with a default. Each figure is one paragraph "value<tab>label" of style ``figure``: the renderer draws the
values large in a row with their labels under them; the source is a ``meta`` line. The figures' points leave the
block's points slide (:func:`kitgen.plan.slides.items.points_shown_elsewhere` compares the numbers).
"""

from kitgen.plan.kitplan import Paragraph, SlideSpec
from kitgen.plan.slides.common import notes, say


def figures(statement, deck) -> list[tuple[str, str]]:
    """(value, label) of each of the statement's figures, in the kit's language."""
    return [(say(f.value, deck), say(f.label, deck)) for f in statement.figures if say(f.value, deck)]


def build(deck, item):
    statement = getattr(item.block, "statement", None)
    if statement is None:
        return []
    shown = figures(statement, deck)
    if not shown:
        return []
    body = [Paragraph(f"{value}\t{label}" if label else value, style="figure") for value, label in shown]
    source = say(statement.source, deck)
    if source:
        body.append(Paragraph(source, style="meta"))
    lines = [f"– {value}: {label}" if label else f"– {value}" for value, label in shown]
    return [SlideSpec("statement", say(statement.headline, deck), body,
                      notes(deck, "statement_notes", lines, block=item.block, headline=say(statement.headline, deck),
                            figures_from=source),
                      origin=item.block.origin, notes_field=f"blocks[{item.index}].statement", block=say(item.block.title, deck))]
