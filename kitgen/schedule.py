"""An organisation's schedule: the programme as it will run on the day, after the org's overrides."""

from __future__ import annotations

from kitgen.model import Org, Programme, format_clock, parse_clock


def resolve_clock(programme: Programme) -> Programme:
    """Clock times from durations: a block without ``start`` starts where the one before ended
    (the first at the slot's start); ``minutes`` gives ``end``; ``start``/``end`` give ``minutes``.
    Blocks whose times cannot be computed keep what they have (the timing rules report them)."""
    if programme.slot is None:
        return programme
    previous_end = parse_clock(programme.slot.start)
    blocks = []
    for block in programme.blocks:
        start = parse_clock(block.start) if block.start is not None else previous_end
        end = parse_clock(block.end) if block.end is not None else (
            start + block.minutes if start is not None and block.minutes else None)
        update = {}
        if block.start is None and start is not None:
            update["start"] = format_clock(start % (24 * 60))
        if block.end is None and end is not None:
            update["end"] = format_clock(end % (24 * 60))
        if block.minutes is None and start is not None and end is not None:
            update["minutes"] = end - start
        new = block.model_copy(update=update) if update else block
        new._origin, new._field_lines = block._origin, block._field_lines
        blocks.append(new)
        previous_end = end
    result = programme.model_copy(update={"blocks": blocks})
    result._origin, result._field_lines = programme._origin, programme._field_lines
    return result


def slot_problem(programme: Programme, org: Org) -> str | None:
    """Why the programme cannot be moved into the org's booked slot, if it cannot."""
    if org.slot is None:
        return None
    for field in ("start", "end"):
        value = getattr(org.slot, field)
        if parse_clock(value) is None:
            return f"the booked slot's {field} '{value}' is not a clock time; write it as \"HH:MM\""
    old_start = parse_clock(programme.slot.start)
    if old_start is None:
        return None  # reported on the programme itself
    shift = parse_clock(org.slot.start) - old_start
    times = [parse_clock(t or "") for b in resolve_clock(programme).blocks for t in (b.start, b.end)]
    if any(t is not None and not 0 <= t + shift < 24 * 60 for t in times):
        return f"moved to start at {org.slot.start}, the programme '{programme.id}' would run past midnight"
    return None


def effective_programme(programme: Programme, org: Org | None) -> Programme:
    """The programme moved into the org's booked slot, if the org books one.

    Every block moves by the difference between the two slots' start times, so a
    morning programme booked for 13:00 keeps its internal timing. The slot itself
    becomes the org's, so validation then checks the blocks against what the org
    actually booked (a shorter slot makes the last blocks run over).
    """
    programme = resolve_clock(programme)
    if org is None or org.slot is None:
        return programme
    old_start, new_start = parse_clock(programme.slot.start), parse_clock(org.slot.start)
    shift = 0 if old_start is None or new_start is None else new_start - old_start

    def moved(text: str | None) -> str | None:
        minutes = parse_clock(text or "")
        if minutes is None or not 0 <= minutes + shift < 24 * 60:
            return text
        return format_clock(minutes + shift)

    blocks = [block.model_copy(update={"start": moved(block.start), "end": moved(block.end)}) for block in programme.blocks]
    for new, old in zip(blocks, programme.blocks):
        new._origin, new._field_lines = old._origin, old._field_lines
    result = programme.model_copy(update={"slot": org.slot, "blocks": blocks})
    result._origin, result._field_lines = programme._origin, programme._field_lines
    return result
