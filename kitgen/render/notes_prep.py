"""What the facilitator prepares (kitgen.render.notes): the "Før workshoppen" checklist after the
run-sheet — the deck, copies of each worksheet, a role-play's script for each speaker, every material
the blocks list — all from the plan, nothing invented; and each block's own materials, the deck
(shown in every block) said once in the checklist instead of in every row."""

from __future__ import annotations

from kitgen.plan.assemble_docs import RunSheetRow, format_time, label
from kitgen.plan.kitplan import KitPlan
from kitgen.render.document import add_styled
from kitgen.render.notes_block import KEEP, _keep_together, block_materials


def _span(numbers: list[int]) -> str:
    """1, 2, 3, 5 → "1–3, 5"."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def _copies(plan: KitPlan) -> list[str]:
    """How many copies of each worksheet: one per participant, one per group for a sheet a group fills in
    together (a fields section with ``personal: false``), one per participant to take home for a sheet
    whose tool is only presented (review r6a 20: one line for all sheets printed the wrong number)."""
    labels = plan.labels
    home = {t.worksheet_number for row in plan.run_sheet for t in row.tools if t.presented and t.worksheet_number}
    used = {t.worksheet_number for row in plan.run_sheet for t in row.tools if not t.presented and t.worksheet_number}
    kinds: dict[str, list[int]] = {"copies_each": [], "copies_group": [], "copies_home": []}
    for sheet in plan.worksheets:
        group = any(getattr(s, "personal", True) is False for s in sheet.worksheet.sections)
        kind = "copies_home" if sheet.number in home - used else "copies_group" if group else "copies_each"
        kinds[kind].append(sheet.number)
    word = label(labels, "worksheet_no")
    return [label(labels, kind).format(what=f"{word} {_span(numbers)}") for kind, numbers in kinds.items() if numbers]


def checklist(plan: KitPlan) -> list[str]:
    """The checklist's lines, in the order they are prepared."""
    labels = plan.labels
    lines = [label(labels, "deck_ready").format(n=len(plan.slides))]
    if plan.worksheets:
        lines += _copies(plan)
    else:
        lines.append(f"{labels['worksheets']}: {label(labels, 'no_worksheets')}")
    scripts = []
    for row in plan.run_sheet:
        for script in list(row.roleplays) + [s for tool in row.tools for s in tool.roleplays]:
            if script.title in scripts:
                continue
            scripts.append(script.title)
            roles = list(dict.fromkeys(speaker for speaker, _ in script.lines))
            lines.append(label(labels, "copies_roles").format(
                title=script.title, n=len(roles), roles=", ".join(roles),
                time=f"{format_time(row.start, labels)}–{format_time(row.end, labels)}"))
    word = label(labels, "worksheet_no")
    for row in plan.run_sheet:
        for material in block_materials(row, labels):  # a role-play's copies or a worksheet are counted above
            if (material.startswith(word) or material in lines or any(title in material for title in scripts)
                    or (scripts and material.lower().startswith(label(labels, "roleplay").lower()))):
                continue
            lines.append(material)
    # "Flipover" goes in "Flipover til gruppernes aftaler": one thing to bring, said once
    return [line for line in lines if not any(other != line and other.startswith(line + " ") for other in lines)]


def before_workshop(document, plan: KitPlan) -> None:
    """"Før workshoppen": one bullet a thing to prepare, kept on one page."""
    add_styled(document, label(plan.labels, "before_workshop"), "Heading 1", KEEP)
    _keep_together([add_styled(document, line, "List Bullet") for line in checklist(plan)])
