"""A diagram slide: the title and the drawing filling the body area (drawn by kitgen.render.diagrams)."""

from kitgen.plan.kitplan import SlideSpec
from kitgen.plan.slides.common import notes, say, titled


def labels_of(diagram, deck) -> list[str]:
    """The diagram's labels in reading order, each once, whatever its kind (for alt text and notes)."""
    out: list[str] = []
    for name in ("y_label", "x_label", "levels", "phases", "corners", "center", "rows", "columns", "cells", "steps",
                 "directions"):
        value = getattr(diagram, name, None)
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            for text in (item if isinstance(item, list) else [item]):
                shown = say(text, deck)
                if shown and shown not in out:
                    out.append(shown)
    return out


def slides_for(deck, diagram, owner_title: str, owner, item) -> list[SlideSpec]:
    title = say(diagram.title, deck) if diagram.title else ""
    if not title or title.casefold() == owner_title.casefold():  # the owner's slide just before has that title
        title = titled(deck, "figure_title", owner_title, "{title}")
    names = labels_of(diagram, deck)
    alt = say(diagram.alt, deck) if diagram.alt else f"{title}: {', '.join(names)}"
    return [SlideSpec("diagram", title, [], notes(deck, "diagram_notes", [f"– {name}" for name in names], diagram=diagram,
                                                  block=item.block),
                      origin=owner.origin, diagram=diagram, alt=alt, block=say(item.block.title, deck))]


def build(deck, item):  # made by the tool and questions kinds, right after their slide
    return []
