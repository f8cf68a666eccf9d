"""Timing rules: each has a programme that must trigger it and the clean one that must not."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from kitgen.content.load import load_programme_file
from kitgen.content.model import Content, Org, Programme, Tool
from kitgen.content.schedule import effective_programme
from kitgen.validate.timing import TimingSettings, check_timing

CLEAN = [
    ("08:30", "08:45", "Velkomst", "welcome"),
    ("08:45", "10:00", "Oplæg", "talk"),
    ("10:00", "10:15", "Pause", "break"),
    ("10:15", "11:30", "Øvelse", "exercise"),
    ("11:30", "11:45", "Afrunding", "closing"),
]


def programme(blocks=CLEAN, slot=("08:30", "11:45"), **block_extra) -> Programme:
    return Programme.model_validate({
        "id": "p", "title": "Test", "slot": {"start": slot[0], "end": slot[1]},
        "blocks": [{"start": s, "end": e, "title": t, "kind": k, **block_extra.get(t, {})} for s, e, t, k in blocks],
    })


def rules(p: Programme, content: Content | None = None, **settings) -> dict[str, list]:
    found: dict[str, list] = {}
    for finding in check_timing(p, content or Content(root="."), TimingSettings(**settings)):
        found.setdefault(finding.rule, []).append(finding)
    return found


def replace(index, **change):
    blocks = [list(b) for b in CLEAN]
    for key, value in change.items():
        blocks[index][("start", "end", "title", "kind").index(key)] = value
    return [tuple(b) for b in blocks]


def test_clean_programme_has_no_findings():
    assert rules(programme()) == {}


def test_seed_schedule_of_24_february_2021_is_an_overlap():
    p, problems = load_programme_file(FIXTURES / "seed-original-2021-02-24.yaml")
    assert problems == [] and p is not None
    overlap = rules(p)["timing/overlap"]
    assert len(overlap) == 1
    message = overlap[0].message
    assert "'Pause' (10:00–10:15)" in message and "(09:30–10:15)" in message and "15 min" in message
    assert overlap[0].file.endswith("seed-original-2021-02-24.yaml") and overlap[0].line


def test_shipped_kk_programme_has_no_timing_errors(project):
    found = check_timing(project.content.programmes["ledertrivsel-workshop-2021-02-24"], project.content)
    assert [f for f in found if f.severity == "error"] == []


@pytest.mark.parametrize("value", ["25:00", "8.3", "8:3", "noon", "08:60", ""])
def test_invalid_clock_time(value):
    found = rules(programme(replace(1, start=value)))
    assert "timing/invalid-clock" in found
    assert f"'{value}'" in found["timing/invalid-clock"][0].message
    assert found["timing/invalid-clock"][0].field == "blocks[1].start"


def test_one_digit_hour_is_read_as_a_clock_time():
    assert rules(programme(replace(1, start="8:45"))) == {}


def test_a_malformed_time_is_one_error_without_a_knock_on_gap():
    found = rules(programme(replace(2, end="10:60")))
    assert list(found) == ["timing/invalid-clock"] and len(found["timing/invalid-clock"]) == 1
    assert "end '10:60' of block 'Pause'" in found["timing/invalid-clock"][0].message


def test_zero_duration():
    found = rules(programme(replace(1, end="08:45")))
    assert "timing/zero-duration" in found


def test_end_before_start():
    found = rules(programme(replace(1, end="08:40")))
    assert "ends at 08:40, before it starts at 08:45" in found["timing/ends-before-start"][0].message


def test_overlap_names_both_blocks():
    found = rules(programme(replace(2, start="09:50")))
    message = found["timing/overlap"][0].message
    assert "'Pause' (09:50–10:15)" in message and "'Oplæg' (08:45–10:00)" in message


def test_out_of_order():
    blocks = [CLEAN[0], CLEAN[2], CLEAN[1], CLEAN[3], CLEAN[4]]
    assert "timing/out-of-order" in rules(programme(blocks))


def test_short_gap_is_a_warning_and_long_gap_an_error():
    short = rules(programme(replace(3, start="10:25")))["timing/gap"][0]
    assert short.severity == "warning" and "10 min" in short.message
    long = rules(programme(replace(3, start="10:45")))["timing/gap"][0]
    assert long.severity == "error" and "more than the 15 min allowed" in long.message
    assert rules(programme(replace(3, start="10:45")), max_gap_minutes=60)["timing/gap"][0].severity == "warning"


def test_block_outside_slot_and_programme_overrunning():
    found = rules(programme(replace(4, end="12:00")))  # one cause, one error (the block's end is not from a file)
    assert "timing/outside-slot" not in found
    assert "15 min after its slot ends" in found["timing/overruns-slot"][0].message
    assert "'Afrunding' (11:30–12:00) runs past it" in found["timing/overruns-slot"][0].message
    early = rules(programme(replace(0, start="08:00")))
    assert "starts before the booked slot" in early["timing/outside-slot"][0].message


def test_slot_not_filled():
    found = rules(programme(slot=("08:30", "12:30")))
    assert "add up to 195 min but the slot 08:30–12:30 is 240 min" in found["timing/slot-not-filled"][0].message


def test_slot_ends_before_start():
    assert "timing/slot-ends-before-start" in rules(programme(slot=("11:45", "08:30")))


def test_tools_exceeding_their_block():
    content = Content(root=".", tools={
        "a": Tool(id="a", title="A", duration_minutes=50),
        "b": Tool(id="b", title="B", duration_minutes=40),
    })
    p = programme(**{"Øvelse": {"tools": ["a", "b"]}})
    message = rules(p, content)["timing/tools-exceed-block"][0].message
    assert "take 90 min (a 50 + b 40) but the block is 75 min" in message
    fits = Content(root=".", tools={"a": Tool(id="a", title="A", duration_minutes=50)})
    assert "timing/tools-exceed-block" not in rules(programme(**{"Øvelse": {"tools": ["a"]}}), fits)


def test_long_stretch_without_break_is_a_warning_and_configurable():
    blocks = [b for b in CLEAN if b[3] != "break"]
    blocks = [blocks[0], blocks[1], ("10:00", "11:30", "Øvelse", "exercise"), ("11:30", "11:45", "Afrunding", "closing")]
    found = rules(programme(blocks))["timing/no-break"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert "195 min without a break from 08:30" in found[0].message
    assert "timing/no-break" not in rules(programme(blocks), max_stretch_minutes=200)


def test_org_slot_moves_the_programme_and_is_checked():
    p = programme()
    org = Org.model_validate({"id": "X", "name": "X", "programme": "p", "slot": {"start": "13:00", "end": "16:00"}})
    moved = effective_programme(p, org)
    assert [b.start for b in moved.blocks] == ["13:00", "13:15", "14:30", "14:45", "16:00"]
    assert "after its slot ends at 16:00, so 'Afrunding' (16:00–16:15) runs past it" in rules(moved)["timing/overruns-slot"][0].message
