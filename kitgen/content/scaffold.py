"""Starter files for ``kitgen new programme`` and ``kitgen new tool``: commented, and valid as written.

Each starter explains its fields in comments where a consultant will read them (in the
file), so that the next step is editing, not looking things up. They load as they are;
``kitgen validate`` then lists each sample text (:data:`SAMPLE_TEXTS`) still to be replaced,
so that no placeholder reaches a kit.
"""

from __future__ import annotations

from kitgen.core import yamlwrite
from kitgen.content.model import Programme, format_clock, parse_clock

# The starters' sample texts: placeholders for the consultant's own words. Validation reports each
# one still in a file (content/sample-text) so that none reaches a kit. Matched at the start of a text.
SAMPLE_TEXTS = (
    "Ny workshop",
    "Undertitel til forsiden",
    "Første pointe",
    "Anden pointe",
    "Hvad du siger og gør i blokken",
    "Sæt øvelsen i gang og saml op i plenum",
    "Ny øvelse",
    "Hvad øvelsen skal give deltagerne",
    "Forklar øvelsen",
    "Hvad facilitatoren skal vide",
    "Udfyld arket undervejs",
    "Første punkt",
    "Andet punkt",
)


PROGRAMME = """\
id: ny-workshop
title: Ny workshop
subtitle: Undertitel til forsiden
slot: {start: "09:00", end: "12:00"}   # the booked time; an organisation may book another (its blocks move along)
blocks:
  - id: velkomst                   # a short name for the block, used by variants (drop, insert, override)
    minutes: 15
    title: Velkomst og program
    kind: welcome                  # welcome, talk, dialogue, exercise, break or closing
    points:                        # shown on the block's slide
      - Dagens formål
      - Program for dagen
    notes: |
      Byd velkommen og gennemgå dagens program.
    materials:
      - Program for dagen
  - id: oplaeg
    minutes: 60
    title: Oplæg
    kind: talk
    points:
      - Første pointe
      - Anden pointe
    notes: |
      Hvad du siger og gør i blokken. Linjer der begynder med "- " bliver punkter i noterne:
      - første ting at nævne
      - anden ting at nævne
  - id: pause
    minutes: 15
    title: Pause
    kind: break
  - id: oevelse
    minutes: 75
    title: Øvelse
    kind: exercise
    tools: []                      # tool ids from content/tools/ (kitgen list); {id: …, use: present} when only shown
    questions: []                  # question ids from content/questions/
    notes: |
      Sæt øvelsen i gang og saml op i plenum.
  - id: afrunding
    minutes: 15
    title: Afrunding
    kind: closing
    notes: |
      Saml op på dagen og tak for i dag.
"""


def programme_starter(programme_id: str) -> str:
    """A commented programme in minutes, valid as written (:data:`PROGRAMME` with its id)."""
    doc = yamlwrite.starter(PROGRAMME)
    doc["id"] = programme_id
    yamlwrite.set_header(doc, [
        f"Programme '{programme_id}'. Check it with: kitgen validate    See it with: kitgen show programme {programme_id}",
        '',
        "Clock times flow from the slot's start: each block starts where the one before ends,",
        'so a block is given in minutes. To pin a block to a time (lunch at 12:00), give it',
        'start: "12:00" as well; the time before it is free time.',
        'Texts with a colon go in quotes: title: "Øvelse 1: Pejlemærker".',
        'A text may be given per language: title: {da: Velkomst, en: Welcome}.',
    ])
    return yamlwrite.dumps(doc)


def variant_starter(variant_id: str, base: Programme) -> str:
    """A variant of ``base`` that changes nothing yet, with its blocks listed in comments (their
    titles come from content files: :func:`kitgen.core.yamlwrite.comment` escapes any line break in them)."""
    lines = [
        f"Programme '{variant_id}': '{base.id}' with changes. Check it with: kitgen validate",
        f"See the result with: kitgen show programme {variant_id}",
        "",
        f"The blocks of '{base.id}' (clock times flow again after your changes):",
    ]
    for block in base.blocks:
        start, end = parse_clock(block.start or ""), parse_clock(block.end or "")
        span = f"{format_clock(start)}–{format_clock(end)}" if start is not None and end is not None else "?"
        lines.append(f"  {block.id or '(no id)':<28} {span}  {block.span_minutes or '?':>3} min  {block.title}")
    first = next((b.id for b in base.blocks if b.id), "velkomst")
    lines += [
        "",
        "Changes, by block id (all optional):",
        f"  drop: [{first}]                               leave blocks out",
        "  insert:                                        add a block after (or before) another",
        f"    - after: {first}",
        "      block: {id: ekstra-pause, minutes: 15, title: Pause, kind: break}",
        "  move:                                          put a block after (or before) another",
        f"    - {{block: {first}, after: {next((b.id for b in base.blocks[1:] if b.id), first)}}}",
        "  override:                                      change fields of a block (a field replaces the whole field)",
        f"    {first}: {{minutes: 20, title: Velkomst og kaffe}}",
        "  slot: {start: \"13:00\", end: \"16:00\"}          another booked time",
        "title, subtitle, date and slot are the base's unless given here.",
        "Write your changes below these two lines (each key once).",
    ]
    doc = yamlwrite.document()
    doc["id"] = variant_id
    doc["extends"] = base.id
    yamlwrite.set_header(doc, lines)
    return yamlwrite.dumps(doc)


SECTIONS = {
    "table": """\
    - kind: table                  # a table: header row, pre-filled rows, empty rows to fill in
      heading: Plan
      columns: [Hvad, Hvem, Hvornår]
      widths: [3, 1, 1]
      empty_rows: 5
""",
    "checklist": """\
    - kind: checklist              # items with a real checkbox in front of each
      heading: Tjekliste
      items:
        - Første punkt
        - Andet punkt
""",
    "boxes": """\
    - kind: prompts                # questions, each followed by a box to write in
      heading: Refleksion
      prompts:
        - Hvad tager du med fra i dag?
        - Hvad vil du gøre anderledes i morgen?
      lines: 4
""",
}


TOOL = """\
id: ny-oevelse
kind: exercise                     # exercise (run in a block) or model (presented)
title: Ny øvelse
purpose: Hvad øvelsen skal give deltagerne.
audience: Ledere og medarbejdere
duration_minutes: 30               # the block that runs it must hold this many minutes
steps:                             # shown on the tool's slide and in the facilitator notes
  - Forklar øvelsen.
  - Deltagerne arbejder to og to.
  - Saml op i plenum.
questions: []                      # question ids from content/questions/
source: Egen øvelse                # where the tool comes from (a guide, a book, own material)
facilitator_notes: |
  Hvad facilitatoren skal vide. Linjer der begynder med "- " bliver punkter:
  - hold tiden
  - saml op
"""


def tool_starter(tool_id: str, worksheet: str | None) -> str:
    """A commented exercise (and worksheet), valid as written (:data:`TOOL`, :data:`SECTIONS`)."""
    text = TOOL + ("has_worksheet: false\n" if worksheet is None else f"""\
has_worksheet: true                # the worksheet goes into worksheets.docx; the block's materials list it
worksheet:
  title: Ny øvelse
  instructions: Udfyld arket undervejs.
  sections:
{SECTIONS[worksheet]}""")
    doc = yamlwrite.starter(text)
    doc["id"] = tool_id
    yamlwrite.set_header(doc, [
        f"Tool '{tool_id}'. Use it in a programme block: tools: [{tool_id}]   See it with: kitgen show tool {tool_id}",
        'Texts with a colon go in quotes: title: "Øvelse 1: Pejlemærker".',
        "A text may be given per language: title: {da: Øvelse, en: Exercise}.",
    ])
    return yamlwrite.dumps(doc)
