"""Programmes as they run: variants resolved, clock times computed, an org's slot applied.

Resolution happens once, right after loading (:func:`resolve_programmes`, called at the
end of ``kitgen.content.load.load_content``), so validation, assembly and the per-org input graph
all see whole programmes:

1. ``extends``: a variant starts from the blocks of the programme it names *as written*
   (durations, not computed clock times), so that clock times flow again after its changes;
   a variant of a variant is resolved base first;
2. ``drop`` / ``insert`` / ``override`` by block id, in that order;
3. durations → clock (:func:`resolve_clock`): each block starts where the one before
   ended, the first at the slot's start; a block that gives ``start`` is pinned there.

An organisation's booked slot then moves every block, pinned ones included
(:func:`effective_programme`). Problems (unknown ids, cycles, bad overrides) are
findings on the variant's file and line with a did-you-mean.
"""

from __future__ import annotations

import difflib
import re

from pydantic import ValidationError

from kitgen.core.findings import Finding
from kitgen.content.model import Block, Content, Org, Programme, ProgrammeVariant, format_clock, parse_clock

_SHORT_CLOCK = re.compile(r"^(\d):([0-5]\d)$")


def normal_clock(text: str | None) -> str | None:
    """``9:00`` is read as ``09:00``; anything else is kept as written (the timing rules judge it)."""
    if text is None:
        return None
    match = _SHORT_CLOCK.match(text.strip())
    return f"0{match.group(1)}:{match.group(2)}" if match else text


def _keep_origin(new, old):
    new._origin, new._field_lines = old._origin, old._field_lines
    return new


def written(block: Block, field: str) -> bool:
    """Whether the author wrote ``field`` for this block (``start`` written = a pinned block)."""
    return field in block._field_lines


def resolve_clock(programme: Programme) -> Programme:
    """Clock times from durations: a block without ``start`` starts where the one before ended
    (the first at the slot's start); ``minutes`` gives ``end``; ``start``/``end`` give ``minutes``.
    Blocks whose times cannot be computed keep what they have (the timing rules report them once:
    a block after a malformed time gets no clock rather than a knock-on error)."""
    slot = programme.slot
    slot_update = {f: normal_clock(getattr(slot, f)) for f in ("start", "end")}
    if any(slot_update[f] != getattr(slot, f) for f in slot_update):
        slot = _keep_origin(slot.model_copy(update=slot_update), programme.slot)
    previous_end = parse_clock(slot.start)
    blocks = []
    for block in programme.blocks:
        given_start, given_end = normal_clock(block.start), normal_clock(block.end)
        start = parse_clock(given_start) if given_start is not None else previous_end
        if given_end is not None:
            end = parse_clock(given_end)
        elif start is not None and block.minutes:
            end = start + block.minutes
        else:
            end = None
        update = {"start": given_start, "end": given_end}
        if given_start is None and start is not None:
            update["start"] = format_clock(start % (24 * 60))
        if given_end is None and end is not None:
            update["end"] = format_clock(end % (24 * 60))
        if block.minutes is None and start is not None and end is not None:
            update["minutes"] = end - start if end > start else None
        changed = {k: v for k, v in update.items() if getattr(block, k) != v}
        blocks.append(_keep_origin(block.model_copy(update=changed), block) if changed else block)
        previous_end = end
    return _keep_origin(programme.model_copy(update={"blocks": blocks, "slot": slot}), programme)


# --- variants -----------------------------------------------------------------------------


def _suggest(wanted: str, known) -> str:
    close = difflib.get_close_matches(wanted, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class _Resolver:
    """Expands variants into programmes (blocks as written); collects findings."""

    def __init__(self, content: Content):
        self.content = content
        self.written = dict(content.programmes)
        self.done: dict[str, Programme | None] = {}
        self.findings: list[Finding] = []

    def error(self, variant: ProgrammeVariant, field: str, rule: str, message: str) -> None:
        self.findings.append(Finding("error", rule, message, variant.origin.file, variant.line_of(field), field))

    def expand(self, vid: str, stack: tuple[str, ...] = ()) -> Programme | None:
        if vid in self.done:
            return self.done[vid]
        variant = self.content.variants[vid]
        if vid in stack:
            circle = " → ".join((*stack[stack.index(vid):], vid))
            self.error(self.content.variants[stack[-1]], "extends", "programmes/variant-cycle",
                       f"programme variants extend each other in a circle ({circle}); "
                       "one of them must extend a programme that has its own blocks")
            for member in stack[stack.index(vid):]:
                self.done[member] = None
            return None
        base_id = variant.extends
        if base_id in self.written:
            base = self.written[base_id]
        elif base_id in self.content.variants:
            base = self.expand(base_id, (*stack, vid))
            if vid in self.done:  # part of a cycle found further down
                return self.done[vid]
            if base is None:  # the base variant is broken: reported there
                self.done[vid] = None
                return None
        else:
            known = set(self.written) | set(self.content.variants)
            hint = _suggest(base_id, known) or ("; known programmes: " + ", ".join(sorted(known)) if known else "")
            self.error(variant, "extends", "programmes/unknown-base",
                       f"programme '{vid}' extends '{base_id}', which does not exist{hint}")
            self.done[vid] = None
            return None
        self.done[vid] = result = self.apply(variant, base)
        return result

    def apply(self, variant: ProgrammeVariant, base: Programme) -> Programme | None:
        failed = len(self.findings)
        blocks = list(base.blocks)
        ids = [b.id for b in blocks]
        for block_id in variant.drop:
            if block_id not in ids:
                self.error(variant, "drop", "programmes/unknown-block",
                           f"drop: '{block_id}' is not a block of '{variant.extends}'{self._known(block_id, ids)}")
                continue
            del blocks[ids.index(block_id)]
            ids.remove(block_id)
        for index, insert in enumerate(variant.insert):
            anchor = insert.after or insert.before
            if (insert.after is None) == (insert.before is None):
                self.error(variant, "insert", "programmes/insert-place",
                           f"insert[{index}] ('{insert.block.title}') needs exactly one of after: <block id> or before: <block id>")
                continue
            if insert.block.id is None:
                self.error(variant, "insert", "programmes/insert-id",
                           f"insert[{index}] ('{insert.block.title}') needs an id (a slug, e.g. id: ekstra-pause)")
                continue
            if insert.block.id in ids:
                self.error(variant, "insert", "programmes/duplicate-block",
                           f"insert[{index}]: a block with id '{insert.block.id}' is already in the programme; choose another id")
                continue
            if anchor not in ids:
                where = "after" if insert.after is not None else "before"
                gone = " (it is dropped)" if anchor in variant.drop else self._known(anchor, ids)
                self.error(variant, "insert", "programmes/unknown-block",
                           f"insert[{index}] {where}: '{anchor}' is not a block of '{variant.extends}'{gone}")
                continue
            position = ids.index(anchor) + (1 if insert.after is not None else 0)
            blocks.insert(position, insert.block)
            ids.insert(position, insert.block.id)
        for index, move in enumerate(variant.move):
            anchor = move.after or move.before
            where = "after" if move.after is not None else "before"
            if (move.after is None) == (move.before is None):
                self.error(variant, "move", "programmes/move-place",
                           f"move[{index}] ('{move.block}') needs exactly one of after: <block id> or before: <block id>")
                continue
            missing = [name for name in (move.block, anchor) if name not in ids]
            if missing:
                gone = " (it is dropped)" if missing[0] in variant.drop else self._known(missing[0], ids)
                self.error(variant, "move", "programmes/unknown-block",
                           f"move[{index}]: '{missing[0]}' is not a block of '{variant.extends}'{gone}")
                continue
            if move.block == anchor:
                self.error(variant, "move", "programmes/move-place", f"move[{index}]: a block cannot move {where} itself")
                continue
            block = blocks.pop(ids.index(move.block))
            ids.remove(move.block)
            position = ids.index(anchor) + (1 if move.after is not None else 0)
            blocks.insert(position, block)
            ids.insert(position, move.block)
        for block_id, fields in variant.override.items():
            if block_id not in ids:
                gone = " (it is dropped)" if block_id in variant.drop else self._known(block_id, ids)
                self.error(variant, "override", "programmes/unknown-block",
                           f"override: '{block_id}' is not a block of '{variant.extends}'{gone}")
                continue
            position = ids.index(block_id)
            new = self._override(variant, blocks[position], fields)
            if new is not None:
                blocks[position] = new
        if len(self.findings) > failed:
            return None
        self._dropped_mentioned(variant, base, blocks)
        update = {"id": variant.id, "blocks": blocks, "editor_note": variant.editor_note, "editorial": variant.editorial}
        for field in ("title", "subtitle", "date", "slot", "seed", "schema_version"):
            if getattr(variant, field) is not None:
                update[field] = getattr(variant, field)
        return _keep_origin(base.model_copy(update=update), variant)

    def _dropped_mentioned(self, variant: ProgrammeVariant, base: Programme, blocks: list[Block]) -> None:
        """A warning for each kept block whose notes still name a block the variant drops."""
        dropped = [b for b in base.blocks if b.id in variant.drop]
        for block in blocks:
            notes = " ".join(str(n) for n in [getattr(block, "notes", None), *(getattr(block, "points", None) or [])] if n)
            if not notes:
                continue
            lowered = notes.lower()
            for gone in dropped:
                names = [str(gone.title)] + ([gone.id] if gone.id and len(gone.id) > 5 else [])
                named = next((n for n in names if n and n.lower() in lowered), None)
                if named:
                    self.findings.append(Finding(
                        "warning", "programmes/dropped-block-named",
                        f"block '{block.title}' still mentions '{named}', which this variant drops; "
                        f"override its notes (override: {{{block.id or 'ID'}: {{notes: …}}}})",
                        variant.origin.file, variant.line_of("drop"), "drop"))

    def _known(self, wanted: str, ids) -> str:
        named = [i for i in ids if i]
        if not named:
            return "; its blocks have no ids: give each an id (kitgen migrate adds them)"
        return _suggest(wanted, named) or "; its blocks: " + ", ".join(named)

    def _override(self, variant: ProgrammeVariant, block: Block, fields: dict) -> Block | None:
        where = f"override.{block.id}"
        if "id" in fields:
            self.error(variant, "override", "programmes/override-id",
                       f"{where}: a block's id cannot be overridden; drop the block and insert a new one instead")
            return None
        unknown = [f for f in fields if f not in Block.model_fields]
        for name in unknown:
            self.error(variant, "override", "schema/unknown-field",
                       f"{where}: unknown block field '{name}'{_suggest(str(name), Block.model_fields)}")
        if unknown:
            return None
        data = {name: getattr(block, name) for name in block.model_fields_set}
        data.update(fields)
        try:
            new = Block.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"])
                self.error(variant, "override", "schema/invalid", f"{where}.{field}: {err['msg'][:1].lower()}{err['msg'][1:]}")
            return None
        # The block now points at the variant (where it was changed); fields it did not
        # change keep their lines only as "written" markers (pinned or not).
        new._origin = variant.origin
        line = variant.line_of("override")
        new._field_lines = {name: line for name in {*block._field_lines, *fields}}
        return new


def resolve_programmes(content: Content) -> list[Finding]:
    """Resolve every variant into ``content.programmes`` and compute every programme's clock.

    Programmes keep their order; variants follow, sorted by id. A variant that cannot be
    resolved is left out of ``content.programmes`` (its problem is one finding on its file).
    Org slots are normalised too (``9:00`` → ``09:00``).
    """
    resolver = _Resolver(content)
    for vid in sorted(content.variants):
        resolver.expand(vid)
    programmes = {pid: resolve_clock(p) for pid, p in content.programmes.items()}
    for vid in sorted(content.variants):
        if resolver.done.get(vid) is not None:
            programmes[vid] = resolve_clock(resolver.done[vid])
    content.programmes = programmes
    for org_id, org in list(content.orgs.items()):
        if org.slot is not None:
            slot = {f: normal_clock(getattr(org.slot, f)) for f in ("start", "end")}
            if slot != {"start": org.slot.start, "end": org.slot.end}:
                new_slot = _keep_origin(org.slot.model_copy(update=slot), org.slot)
                content.orgs[org_id] = _keep_origin(org.model_copy(update={"slot": new_slot}), org)
    return resolver.findings


def programme_files(content: Content, programme_id: str) -> list[str]:
    """The files a (resolved) programme is made of: its own, then each programme it extends.

    Paths as in ``content.sources`` (display paths). An unknown id gives an empty list.
    """
    files: list[str] = []
    current = programme_id
    while current is not None and len(files) < 50:
        variant = content.variants.get(current)
        if variant is not None:
            item, current = variant, variant.extends
        elif current in content.programmes and current not in content.variants:
            item, current = content.programmes[current], None
        else:
            break
        if item.origin.file not in files:
            files.append(item.origin.file)
        elif variant is not None:
            break  # a cycle: reported by resolution
    return files


# --- an organisation's slot ---------------------------------------------------------------


def slot_shift(programme: Programme, org: Org | None) -> int:
    """Minutes every block moves for the org's booked slot (0 when it books none)."""
    if org is None or org.slot is None:
        return 0
    old_start, new_start = parse_clock(programme.slot.start), parse_clock(normal_clock(org.slot.start))
    return 0 if old_start is None or new_start is None else new_start - old_start


def slot_problem(programme: Programme, org: Org) -> str | None:
    """Why the programme cannot be moved into the org's booked slot, if it cannot."""
    if org.slot is None:
        return None
    for field in ("start", "end"):
        value = getattr(org.slot, field)
        if parse_clock(normal_clock(value)) is None:
            return f"the booked slot's {field} '{value}' is not a clock time; write it as \"HH:MM\""
    if parse_clock(programme.slot.start) is None:
        return None  # reported on the programme itself
    shift = slot_shift(programme, org)
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
    shift = slot_shift(programme, org)

    def moved(text: str | None) -> str | None:
        minutes = parse_clock(text or "")
        if minutes is None or not 0 <= minutes + shift < 24 * 60:
            return text
        return format_clock(minutes + shift)

    blocks = [_keep_origin(block.model_copy(update={"start": moved(block.start), "end": moved(block.end)}), block)
              for block in programme.blocks]
    slot = org.slot.model_copy(update={f: normal_clock(getattr(org.slot, f)) for f in ("start", "end")})
    _keep_origin(slot, org.slot)
    return _keep_origin(programme.model_copy(update={"slot": slot, "blocks": blocks}), programme)
