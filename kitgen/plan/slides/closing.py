"""The closing slide: "Tak for i dag", what the day's exercises leave the participants with, who to contact and
where the material is.

Each line comes from the content and the profile and is left off when they do not give it: the exercises
the programme runs or hands out as worksheets (``tools`` with ``use: run`` of kind ``exercise``, or
``has_worksheet``), ``contact:`` (else the facilitators
other than the organisation itself), ``materials_url:``. With none of these the slide names the programme
and its date under the thanks (never "Kontakt" followed by the client's own name).
"""

from kitgen.plan.kitplan import SlideSpec
from kitgen.plan.slides.common import notes, plain, say

TAKE_HOME_LINES = 4  # exercises named one a line on the closing card; with more the card says the worksheets


def take_home(deck) -> list[str]:
    """The exercises the programme runs and the tools it hands out as worksheets, in programme order, each once."""
    seen, out = set(), []
    for block in deck.programme.blocks:
        for use in block.tools:
            tool = deck.content.tools.get(use.id)
            if tool is not None and ((use.use == "run" and tool.kind == "exercise") or tool.has_worksheet) and use.id not in seen:
                seen.add(use.id)
                out.append(say(tool.title, deck).split(" – ")[0].strip())  # its short name: "Belastningskurven – en model …"
    return out


def build(deck, block):
    org = deck.org
    lines = []
    made = take_home(deck)
    if made and len(made) <= TAKE_HOME_LINES:  # one item a line under its lead-in, never joined with "·" (it wraps mid-item)
        lines.append(plain(f"{deck.labels.get('take_home', 'Med hjem')}:"))
        lines += [plain(name) for name in made]
    elif made:  # more than the card holds as lines: they are named in the notes
        lines.append(plain(deck.labels.get("take_home_all") or f"{deck.labels.get('take_home', 'Med hjem')}: …"))
    facilitators = ", ".join(f for f in org.facilitators if f != deck.branding.display_name)
    contact = " ".join(str(getattr(org, "contact", None) or "").split()) or facilitators
    if contact:
        lines.append(plain(f"{deck.labels.get('contact', 'Kontakt')}: {contact}"))
    url = str(getattr(org, "materials_url", None) or "").strip()
    if url:
        lines.append(plain(f"{deck.labels.get('materials_at', 'Materialet')}: {url}"))
    if not lines:
        date = deck.render.context.get("date", "")
        lines = [plain(say(deck.programme.title, deck))] + ([plain(date)] if date else [])
    said = notes(deck, "closing_notes", take_home=made, contact=contact)
    return [SlideSpec("closing", deck.labels["thanks"], lines, said, origin=deck.programme.origin,
                      alt=f"{deck.labels.get('logo', 'Logo')}: {deck.branding.display_name}", logo=deck.branding.logo)]
