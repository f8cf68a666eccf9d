"""A diagram slide: the title and the drawing filling the body area (drawn by kitgen.render.diagrams).

A tool's figures (its ``figures``, then its ``diagram``) are drawn once per deck, where the model is
introduced: the first block that lists the tool in ``tools:`` or names it in ``shows:``. A block
that names it in ``shows:`` gets the figures after its own slides (:func:`build`); a tool slide in a
later block refers back to them in its notes instead of drawing them again (:func:`slides_for`).
A question group's figure is drawn with its questions."""

from kitgen.content.diagrams import describe, labels
from kitgen.plan.kitplan import SlideSpec
from kitgen.plan.slides.common import bullets, notes, say, titled
from kitgen.plan.slides.items import normalise

SHOWN_BEFORE = "Figuren »{figure}« blev vist under »{block}«; vend tilbage til den, hvis gruppen har brug for den."


def labels_of(diagram, deck) -> list[str]:
    """The diagram's labels in reading order, each once, whatever its kind (for alt text and notes)."""
    return labels(diagram, lambda text: say(text, deck))


def figures_of(owner) -> list:
    """The figures a tool (or question group) shows, in deck order."""
    return [*getattr(owner, "figures", []), *([owner.diagram] if getattr(owner, "diagram", None) is not None else [])]


def introduced_in(deck, tool_id: str) -> int | None:
    """The index of the programme block that introduces the tool's figures: the first that lists the
    tool or names it in ``shows:``."""
    for index, block in enumerate(deck.programme.blocks):
        if tool_id in block.tool_ids or tool_id in getattr(block, "shows", []):
            return index
    return None


def figure_title(deck, diagram, owner_title: str) -> str:
    title = say(diagram.title, deck) if diagram.title else ""
    if not title or title.casefold() == owner_title.casefold():  # the owner's slide just before has that title
        title = titled(deck, "figure_title", owner_title, "{title}")
    return title


def _stem(word: str) -> str:
    return word[:-2] if word.endswith(("en", "et", "er")) and len(word) > 8 else word


def about_figure(deck, diagram, owner) -> list[str]:
    """The paragraphs of the owner's facilitator notes that explain this figure (they name it: "Interviewguiden har tre
    felter …" for the figure "Interviewguide": a paragraph that starts with its name): what the presenter points out, instead of the figure's own labels."""
    words = [_stem(w) for w in normalise(say(diagram.title, deck) if diagram.title else "").split() if len(w) >= 6]
    lines = bullets([getattr(owner, "facilitator_notes", "") or ""])
    named = [line for line in lines if words and normalise(line).startswith(words[0])]
    if named:
        return named
    heads = {normalise(label.split(" – ")[0]) for label in labels_of(diagram, deck)}  # "Felt 1 – Fokuser her" → "felt 1"
    heads = {head for head in heads if len(head) >= 4}
    return [line for line in lines if sum(f" {head} " in f" {normalise(line)} " for head in heads) >= 2][:1]


def described(deck, diagram) -> str:
    """What the figure shows, from its data, to follow "gå figuren igennem:": its kind's description (the alt text)
    without the figure's name in front ("Belastningskurven: en kurve over …" → "en kurve over …")."""
    text = describe(diagram, deck.language).strip().rstrip(".")
    name = say(diagram.title, deck) if diagram.title else ""
    if name and text.casefold().startswith(name.casefold() + ":"):
        text = text[len(name) + 1:].strip()
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def slide(deck, diagram, owner_title: str, owner, item) -> SlideSpec:
    title = figure_title(deck, diagram, owner_title)
    lines = about_figure(deck, diagram, owner)
    said = notes(deck, "diagram_notes", lines, diagram=diagram, block=item.block, explained=bool(lines), title=title,
                 described=described(deck, diagram))
    return SlideSpec("diagram", title, [], said,
                     origin=owner.origin, diagram=diagram, alt=describe(diagram, deck.language),
                     block=say(item.block.title, deck))


def shown_here(deck, owner, item) -> list:
    """The figures of ``owner`` that ``item``'s block draws: all of them where the model is introduced
    (or for a question group), none in a later block."""
    first = introduced_in(deck, owner.id) if hasattr(owner, "has_worksheet") else None  # a tool, not a question group
    return [] if first is not None and first < item.index else figures_of(owner)


def shows_steps(deck, tool, item) -> bool:
    """A process figure drawn in this block shows the tool's steps (one chevron a step), so its slide need
    not list them again."""
    return bool(tool.steps) and any(getattr(figure, "kind", "") == "process" and len(figure.steps) == len(tool.steps)
                                    for figure in shown_here(deck, tool, item))


def slides_for(deck, owner, owner_title: str, item, owner_slide: SlideSpec | None = None) -> list[SlideSpec]:
    """The figure slides that follow ``owner``'s slide in ``item``'s block: all its figures where the model
    is introduced; none in a later block, whose ``owner_slide`` notes then say where they were shown."""
    figures = figures_of(owner)
    if figures and not shown_here(deck, owner, item):
        first = introduced_in(deck, owner.id)
        if owner_slide is not None:
            block = deck.programme.blocks[first]
            line = deck.labels.get("figure_shown_before") or SHOWN_BEFORE
            shown = ", ".join(figure_title(deck, d, owner_title) for d in figures)
            owner_slide.notes = f"{owner_slide.notes}\n{line.format(figure=shown, block=say(block.title, deck))}".strip()
        return []
    slides = [slide(deck, diagram, owner_title, owner, item) for diagram in figures]
    moved = {line for figure in slides for line in figure.notes.split("\n") if line.startswith("– ")}
    if owner_slide is not None and moved:  # a paragraph that explains a figure is said at the figure, once
        owner_slide.notes = "\n".join(line for line in owner_slide.notes.split("\n") if line not in moved)
    return slides


def build(deck, item):
    """The figures of the tools this block names in ``shows:`` and introduces (a tool the block also
    lists is drawn after its own slide instead)."""
    slides = []
    for tool_id in getattr(item.block, "shows", []):
        tool = deck.content.tools.get(tool_id)
        if tool is None or tool_id in item.block.tool_ids or introduced_in(deck, tool_id) != item.index:
            continue
        slides += [slide(deck, diagram, say(tool.title, deck), tool, item) for diagram in figures_of(tool)]
    return slides
