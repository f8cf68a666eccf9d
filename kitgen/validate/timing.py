"""Timing rules: does the programme run on the day as written?

Each rule is a plain function ``(programme, content, settings) -> list[Finding]``.
Blocks with a clock time that does not parse are reported once by
:func:`invalid_clock_times` and skipped by the other rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kitgen.core.findings import Finding
from kitgen.content.model import Block, Content, Org, Programme, format_clock, parse_clock
from kitgen.content.schedule import effective_programme, resolve_clock, slot_shift, written
from kitgen.core.textfield import Text


@dataclass(frozen=True)
class TimingSettings:
    """Thresholds a consultant may change (``kitgen validate --max-stretch/--max-gap``)."""

    max_stretch_minutes: int = 90  # longest run of non-break time before a warning
    max_gap_minutes: int = 15  # a gap longer than this is an error; a shorter one a warning
    shift_minutes: int = 0  # set by check_timing for an org's slot: how far every block moved
    slot_owner: str = ""  # the org whose slot the times are in ("11:15 in AMK's slot")


def _clock_hint(value: str) -> str:
    """How to write a time that is almost a clock time: "8.30" -> "08:30"."""
    match = re.match(r"^(\d{1,2})[.:,](\d{1,2})$", value.strip())
    if match:
        hours, minutes = int(match.group(1)), match.group(2).ljust(2, "0")
        if hours < 24 and int(minutes) < 60:
            return f'; did you mean "{hours:02d}:{minutes}"? Write times as "HH:MM" in quotes'
    return '; write it as "HH:MM" (00:00–23:59), in quotes'


def _in_file(text: str | None, settings: TimingSettings) -> str | None:
    """A clock time of the moved schedule as the programme has it (before the org's slot moved it)."""
    minutes = parse_clock(text or "")
    if minutes is None or not settings.shift_minutes:
        return text
    return format_clock((minutes - settings.shift_minutes) % (24 * 60))


def _when(text: str | None, settings: TimingSettings) -> str:
    """``10:45`` — or, in an org's slot, ``10:45 in the file (11:15 in AMK's slot)``."""
    if not settings.shift_minutes or parse_clock(text or "") is None:
        return str(text)
    return f"{_in_file(text, settings)} in the file ({text} in {settings.slot_owner}'s slot)"


def _span(block: Block, settings: TimingSettings = TimingSettings()) -> str:
    """The block as the user finds it: title and its times as the file has them (or as computed
    from the minutes), then the times in the org's slot when they differ."""
    if not settings.shift_minutes:
        return f"'{block.title}' ({block.start}–{block.end})"
    return (f"'{block.title}' ({_in_file(block.start, settings)}–{_in_file(block.end, settings)} in the file, "
            f"{block.start}–{block.end} in {settings.slot_owner}'s slot)")


def _at(block: Block, field: str, rule: str, message: str, severity: str = "error", index: int | None = None) -> Finding:
    where = f"blocks[{index}].{field}" if index is not None else field
    return Finding(severity, rule, message, block.origin.file, block.line_of(field), where)


def _timed(programme: Programme) -> list[tuple[int, Block]]:
    """(index, block) for blocks whose clock times parse and whose end is after their start."""
    return [
        (i, b) for i, b in enumerate(programme.blocks)
        if b.start_minutes is not None and b.end_minutes is not None and b.end_minutes > b.start_minutes
    ]


def invalid_clock_times(programme: Programme, content: Content, settings: TimingSettings) -> list[Finding]:
    """A time that is not a clock time, or a block with no length: one error each. A block whose
    start cannot be computed because the one before has no valid end is not reported again."""
    findings = []
    for field in ("start", "end"):
        value = getattr(programme.slot, field)
        if parse_clock(value) is None:
            findings.append(Finding(
                "error", "timing/invalid-clock",
                f"slot {field} '{value}' is not a clock time{_clock_hint(value)}",
                programme.origin.file, programme.slot.line_of(field) or programme.line_of("slot"), f"slot.{field}"))
    for index, block in enumerate(programme.blocks):
        if block.end is None and block.minutes is None:
            findings.append(_at(block, "title", "timing/no-length",
                f"block '{block.title}' has no length; give it minutes: N (or start: and end:)", index=index))
            continue
        for field in ("start", "end"):
            value = getattr(block, field)
            if value is not None and parse_clock(value) is None:
                findings.append(_at(block, field, "timing/invalid-clock",
                    f"{field} '{value}' of block '{block.title}' is not a clock time{_clock_hint(value)}",
                    index=index))
    return findings


def non_positive_durations(programme: Programme, content: Content, settings: TimingSettings) -> list[Finding]:
    findings = []
    start, end = parse_clock(programme.slot.start), parse_clock(programme.slot.end)
    if start is not None and end is not None and end <= start:
        findings.append(Finding("error", "timing/slot-ends-before-start",
            f"the slot ends at {_when(programme.slot.end, settings)}, not after it starts at {_when(programme.slot.start, settings)}",
            programme.origin.file, programme.line_of("slot"), "slot"))
    for index, block in enumerate(programme.blocks):
        if block.start_minutes is None or block.end_minutes is None:
            continue
        minutes = block.end_minutes - block.start_minutes
        if minutes == 0:
            findings.append(_at(block, "end", "timing/zero-duration",
                f"block {_span(block, settings)} lasts 0 minutes", index=index))
        elif minutes < 0:
            findings.append(_at(block, "end", "timing/ends-before-start",
                f"block '{block.title}' ends at {_when(block.end, settings)}, before it starts at {_when(block.start, settings)}",
                index=index))
        elif block.minutes is not None and block.minutes != minutes:
            findings.append(_at(block, "minutes", "timing/minutes-disagree",
                f"block {_span(block, settings)} runs {minutes} min but says minutes: {block.minutes}; "
                "give either end: or minutes:, not both", index=index))
    return findings


def order_overlaps_and_gaps(programme: Programme, content: Content, settings: TimingSettings) -> list[Finding]:
    """Neighbouring blocks only: a block next to one with a malformed time is not compared
    (its problem is already reported; a gap "across" it would be a knock-on error)."""
    findings = []
    timed = _timed(programme)
    for (previous_index, previous), (index, block) in zip(timed, timed[1:]):
        if index != previous_index + 1:
            continue
        if block.start_minutes < previous.start_minutes:
            findings.append(_at(block, "start", "timing/out-of-order",
                f"block {_span(block, settings)} is listed after {_span(previous, settings)} but starts earlier; "
                "list blocks in time order", index=index))
        elif block.start_minutes < previous.end_minutes:
            overlap = previous.end_minutes - block.start_minutes
            findings.append(_at(block, "start", "timing/overlap",
                f"block {_span(block, settings)} starts {overlap} min before {_span(previous, settings)} ends",
                index=index))
        elif block.start_minutes > previous.end_minutes:
            gap = block.start_minutes - previous.end_minutes
            severe = gap > settings.max_gap_minutes
            findings.append(_at(block, "start", "timing/gap",
                f"{gap} min with nothing planned between {_span(previous, settings)} and {_span(block, settings)}"
                + (f" (more than the {settings.max_gap_minutes} min allowed)" if severe else ""),
                severity="error" if severe else "warning", index=index))
    return findings


def outside_slot(programme: Programme, content: Content, settings: TimingSettings) -> list[Finding]:
    """Blocks outside the booked slot: one error per cause.

    A block whose own clock time the author wrote is reported at that line. Blocks whose times
    flow from the durations before them are pushed out by one cause — the blocks add up to
    more than the slot — so they are named in one error, at the line that made the difference:
    a variant's insert/override/move/drop, else the slot.
    """
    slot_start, slot_end = parse_clock(programme.slot.start), parse_clock(programme.slot.end)
    if slot_start is None or slot_end is None or slot_end <= slot_start:
        return []
    findings = []
    timed = _timed(programme)
    for index, block in timed:
        if block.start_minutes < slot_start:
            findings.append(_at(block, "start", "timing/outside-slot",
                f"block {_span(block, settings)} starts before the booked slot {programme.slot.start}–{programme.slot.end}",
                index=index))
        elif block.end_minutes > slot_end and (written(block, "end") or written(block, "start")):
            findings.append(_at(block, "end", "timing/outside-slot",
                f"block {_span(block, settings)} ends after the booked slot {programme.slot.start}–{programme.slot.end}",
                index=index))
    if timed:
        last_end = max(b.end_minutes for _, b in timed)
        first_start = min(b.start_minutes for _, b in timed)
        pushed = [b for _, b in timed if b.end_minutes > slot_end and b.start_minutes >= slot_start
                  and not (written(b, "end") or written(b, "start"))]
        if pushed:
            names = ", ".join(_span(b, settings) for b in pushed)
            field, line = _cause(programme, content)
            findings.append(Finding("error", "timing/overruns-slot",
                f"the programme ends at {_when(format_clock(last_end), settings)}, {last_end - slot_end} min after its slot "
                f"ends at {programme.slot.end}, so {names} {'runs' if len(pushed) == 1 else 'run'} past it; "
                "shorten or drop blocks, or book a longer slot",
                programme.origin.file, line, field))
        planned = sum(b.span_minutes for _, b in timed)
        booked = slot_end - slot_start
        whole = len(timed) == len(programme.blocks)  # an untimed block is reported already, not as unfilled time
        if whole and last_end <= slot_end and first_start >= slot_start and planned < booked:
            findings.append(Finding("warning", "timing/slot-not-filled",
                f"the blocks add up to {planned} min but the slot {programme.slot.start}–{programme.slot.end} is {booked} min",
                programme.origin.file, programme.line_of("slot"), "slot"))
    return findings


def _cause(programme: Programme, content: Content) -> tuple[str, int | None]:
    """The field and line of the programme's own file that decides its length: for a variant, its
    first change (insert, override, move, drop); else its slot."""
    variant = getattr(content, "variants", {}).get(programme.id)
    if variant is not None and variant.origin.file == programme.origin.file:
        for field in ("insert", "override", "move", "drop"):
            if getattr(variant, field, None):
                return field, variant.line_of(field)
    return "slot", programme.line_of("slot")


def tools_exceed_block(programme: Programme, content: Content, settings: TimingSettings) -> list[Finding]:
    findings = []
    for index, block in _timed(programme):
        run = [use.id for use in block.tools if use.use == "run"]  # a presented tool is not run in the block
        stated = [(tid, content.tools[tid].duration_minutes) for tid in run
                  if tid in content.tools and content.tools[tid].duration_minutes]
        total = sum(minutes for _, minutes in stated)
        if total > block.span_minutes:
            parts = " + ".join(f"{tid} {minutes}" for tid, minutes in stated)
            findings.append(_at(block, "tools", "timing/tools-exceed-block",
                f"the tools in block {_span(block, settings)} take {total} min ({parts}) but the block is {block.span_minutes} min",
                index=index))
    return findings


def long_stretch_without_break(programme: Programme, content: Content, settings: TimingSettings) -> list[Finding]:
    """Warn once per run of non-break blocks longer than ``max_stretch_minutes``.

    A gap of 10 minutes or more between blocks counts as a break.
    """
    stretches: list[list[tuple[int, Block]]] = []
    current: list[tuple[int, Block]] = []
    for index, block in _timed(programme):
        if current and block.start_minutes - current[-1][1].end_minutes >= 10:
            stretches.append(current)
            current = []
        if block.kind == "break":
            stretches.append(current)
            current = []
        else:
            current.append((index, block))
    stretches.append(current)
    findings = []
    for stretch in filter(None, stretches):
        (index, first), (_, last) = stretch[0], stretch[-1]
        minutes = last.end_minutes - first.start_minutes
        if minutes > settings.max_stretch_minutes:
            findings.append(_at(first, "start", "timing/no-break",
                f"{minutes} min without a break from {_when(first.start, settings)} ('{first.title}') to {_when(last.end, settings)} ('{last.title}'); "
                f"plan a break at least every {settings.max_stretch_minutes} min",
                severity="warning", index=index))
    return findings


# Words that place the workshop in a part of the day ("Afrund formiddagen"), and the part they name.
TIME_OF_DAY = (
    (re.compile(r"\bformiddag\w*|\bthis morning\b|\bthe morning\b", re.IGNORECASE), "morning", (0, 12 * 60)),
    (re.compile(r"\beftermiddag\w*|\bthis afternoon\b|\bthe afternoon\b", re.IGNORECASE), "afternoon", (12 * 60, 18 * 60)),
    (re.compile(r"\baften(?:en)?\b|\bthis evening\b", re.IGNORECASE), "evening", (17 * 60, 24 * 60)),
)


def _texts(obj, path: str = ""):
    """(field path, text) for every text the object shows, in the org's language and the content's."""
    from pydantic import BaseModel

    for name in type(obj).model_fields:
        if name in ("editor_note", "editorial", "source", "seed", "id"):
            continue
        value = getattr(obj, name)
        here = f"{path}.{name}" if path else name
        values = value if isinstance(value, list) else [value]
        for index, item in enumerate(values):
            where = f"{here}[{index}]" if isinstance(value, list) else here
            if isinstance(item, Text):
                for text in {str(item), *getattr(item, "translations", {}).values()}:
                    yield where, str(text)
            elif isinstance(item, BaseModel):
                yield from _texts(item, where)


def time_of_day_words(programme: Programme, content: Content, settings: TimingSettings) -> list[Finding]:
    """A text that names a part of the day ("formiddagen") the workshop's slot is not in (12.30–15.30)."""
    try:
        start, end = parse_clock(programme.slot.start), parse_clock(programme.slot.end)
    except (TypeError, ValueError):
        return []
    if start is None or end is None:
        return []
    findings: list[Finding] = []
    owner = f" ({settings.slot_owner}'s slot)" if settings.slot_owner else ""
    for index, block in [(None, programme), *enumerate(programme.blocks)]:
        for field, text in _texts(block):
            for pattern, part, (first, last) in TIME_OF_DAY:
                found = pattern.search(text)
                if found and (end <= first or start >= last):
                    top = field.split(".")[0].split("[")[0]
                    where = field if index is None else f"blocks[{index}].{field}"
                    findings.append(Finding(
                        "warning", "timing/time-of-day",
                        f"{where} says '{found.group(0)}' ({part}), but the workshop runs "
                        f"{format_clock(start)}–{format_clock(end)}{owner}; say it so that it fits any slot "
                        "(\"i dag\", \"workshoppen\")", block.origin.file if block.origin else None,
                        block.line_of(top) if block.origin else None, where))
                    break
    return findings


RULES = (
    invalid_clock_times,
    non_positive_durations,
    order_overlaps_and_gaps,
    outside_slot,
    tools_exceed_block,
    long_stretch_without_break,
    time_of_day_words,
)


def check_timing(programme: Programme, content: Content, settings: TimingSettings = TimingSettings(),
                 org: Org | None = None, moved: Programme | None = None) -> list[Finding]:
    """Every timing rule on ``programme``; with ``org``, on the programme moved into the org's
    booked slot (``moved``, when the caller has it already), the messages quoting the file's times
    first and then the slot's."""
    if org is not None and org.slot is not None:
        settings = replace(settings, shift_minutes=slot_shift(resolve_clock(programme), org), slot_owner=org.id)
        programme = moved if moved is not None else effective_programme(programme, org)
    else:
        programme = resolve_clock(programme)
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(programme, content, settings))
    own = programme.origin.file
    return [f if f.file == own else  # a block a variant took over from the programme it extends
            Finding(f.severity, f.rule, f"{f.message} (in programme '{programme.id}', {own})", f.file, f.line, f.field, f.scope)
            for f in findings]
