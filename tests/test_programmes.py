"""Programmes as a facilitator writes them: durations, pinned blocks, variants of other programmes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from conftest import LAYOUTS
from kitgen.build.pipeline import Project, build_org
from kitgen.content.load import load_content
from kitgen.content.schedule import programme_files
from kitgen.validate import check_programme

BASE = """\
id: base
title: Grundforløb
slot: {start: "09:00", end: "11:45"}
blocks:
  - id: velkomst
    minutes: 15
    title: Velkomst
    kind: welcome
    notes: Byd velkommen.
  - id: oplaeg
    minutes: 45
    title: Oplæg
    kind: talk
    points: [Et punkt]
    notes: Hold oplægget.
  - id: pause
    minutes: 15
    title: Pause
    kind: break
  - id: oevelse
    minutes: 75
    title: Øvelse
    kind: exercise
    notes: Kør øvelsen.
  - id: afrunding
    minutes: 15
    title: Afrunding
    kind: closing
    notes: Tak for i dag.
"""

KORT = """\
# Base without the talk; a dialogue before the close; a shorter exercise.
id: kort
extends: base
slot: {start: "09:00", end: "11:05"}
drop: [oplaeg]
insert:
  - before: afrunding
    block: {id: dialog, minutes: 20, title: Dialog i grupper, kind: dialogue, notes: Tal sammen.}
override:
  oevelse: {minutes: 60, title: Kort øvelse}
"""

KORTERE = """\
id: kortere
extends: kort
slot: {start: "09:00", end: "10:45"}
drop: [dialog]
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def load(tmp_path: Path, **programmes: str):
    files = {f"programmes/{name}.yaml": text for name, text in programmes.items()}
    content, findings = load_content(write(tmp_path / "content", files))
    return content, findings


def clock(programme) -> list[tuple[str, str, str]]:
    return [(b.start, b.end, str(b.title)) for b in programme.blocks]


def errors(findings) -> list[str]:
    return [f.message for f in findings if f.severity == "error"]


def test_durations_flow_from_the_slot_start_and_a_pinned_block_keeps_its_time(tmp_path):
    pinned = BASE.replace("    title: Pause\n", "    start: \"10:15\"\n    title: Pause\n")
    content, findings = load(tmp_path, base=pinned)
    assert findings == []
    programme = content.programmes["base"]
    assert clock(programme)[:4] == [("09:00", "09:15", "Velkomst"), ("09:15", "10:00", "Oplæg"),
                                    ("10:15", "10:30", "Pause"), ("10:30", "11:45", "Øvelse")]
    found = check_programme(programme, content)
    gap = [f for f in found if f.rule == "timing/gap"]
    assert len(gap) == 1 and gap[0].severity == "warning" and "15 min with nothing planned" in gap[0].message
    # The block before the pinned one runs past it: an overlap naming both.
    long = pinned.replace("    minutes: 45\n", "    minutes: 90\n")
    content, _ = load(tmp_path / "long", base=long)
    overlap = [f for f in check_programme(content.programmes["base"], content) if f.rule == "timing/overlap"]
    assert len(overlap) == 1
    assert "'Pause' (10:15–10:30) starts 30 min before 'Oplæg' (09:15–10:45) ends" in overlap[0].message


def test_a_block_without_a_length_is_one_error(tmp_path):
    content, _ = load(tmp_path, base=BASE.replace("    minutes: 45\n", "", 1))
    found = check_programme(content.programmes["base"], content)
    assert [f.rule for f in found if f.severity == "error"] == ["timing/no-length"]
    assert "block 'Oplæg' has no length; give it minutes: N" in found[0].message


def test_variant_and_variant_of_a_variant_get_their_own_clock(tmp_path):
    content, findings = load(tmp_path, base=BASE, kort=KORT, kortere=KORTERE)
    assert findings == []
    assert clock(content.programmes["kort"]) == [
        ("09:00", "09:15", "Velkomst"), ("09:15", "09:30", "Pause"), ("09:30", "10:30", "Kort øvelse"),
        ("10:30", "10:50", "Dialog i grupper"), ("10:50", "11:05", "Afrunding")]
    assert clock(content.programmes["kortere"])[-2:] == [("09:30", "10:30", "Kort øvelse"), ("10:30", "10:45", "Afrunding")]
    assert content.programmes["base"].blocks[1].title == "Oplæg"  # the base is untouched
    for pid in ("base", "kort", "kortere"):
        assert errors(check_programme(content.programmes[pid], content)) == []
    root = content.programmes["base"].origin.file.rsplit("/", 1)[0]
    assert programme_files(content, "kortere") == [f"{root}/kortere.yaml", f"{root}/kort.yaml", f"{root}/base.yaml"]
    assert programme_files(content, "base") == [f"{root}/base.yaml"]


@pytest.mark.parametrize("change, expected", [
    ("drop: [oplaeg]", "drop: 'oplaeg' is not a block of 'kort'"),  # kort dropped it already
    ("drop: [pauze]", "drop: 'pauze' is not a block of 'kort'; did you mean 'pause'?"),
    ("insert:\n  - after: velkomstt\n    block: {id: x, minutes: 5, title: X, kind: talk}",
     "insert[0] after: 'velkomstt' is not a block of 'kort'; did you mean 'velkomst'?"),
    ("insert:\n  - block: {id: x, minutes: 5, title: X, kind: talk}", "needs exactly one of after: <block id> or before: <block id>"),
    ("override:\n  oevelse: {id: ny}", "a block's id cannot be overridden"),
    ("override:\n  oevelse: {minuttes: 5}", "unknown block field 'minuttes'; did you mean 'minutes'?"),
    ("override:\n  pauze: {minutes: 5}", "override: 'pauze' is not a block of 'kort'; did you mean 'pause'?"),
])
def test_unknown_ids_in_a_variant_are_errors_with_did_you_mean(tmp_path, change, expected):
    variant = f"id: ekstra\nextends: kort\n{change}\n"
    content, findings = load(tmp_path, base=BASE, kort=KORT, ekstra=variant)
    assert len(errors(findings)) == 1 and expected in errors(findings)[0], errors(findings)
    assert findings[0].file.endswith("ekstra.yaml") and findings[0].line
    assert "ekstra" not in content.programmes and "kort" in content.programmes


def test_unknown_base_and_cycles(tmp_path):
    content, findings = load(tmp_path, base=BASE, v=KORT.replace("extends: base", "extends: bsae").replace("id: kort", "id: v"))
    assert errors(findings) == ["programme 'v' extends 'bsae', which does not exist; did you mean 'base'?"]
    assert findings[0].field == "extends" and findings[0].line == 3
    content, findings = load(tmp_path / "cycle", a="id: a\nextends: b\n", b="id: b\nextends: a\n", c="id: c\nextends: a\n")
    assert len(errors(findings)) == 1
    assert "extend each other in a circle (a → b → a)" in errors(findings)[0]
    assert not {"a", "b", "c"} & set(content.programmes)


def test_timing_messages_quote_the_files_times_then_the_orgs_slot(tmp_path):
    late = BASE.replace("    minutes: 75\n", "    minutes: 105\n")
    root = write(tmp_path / "content", {"programmes/base.yaml": late,
                                         "orgs/AMK.yaml": "id: AMK\nname: A\nprogramme: base\nslot: {start: \"09:30\", end: \"12:15\"}\n"})
    project = Project.load(root, LAYOUTS)
    from kitgen.validate import check_org

    found, _ = check_org(project.content, project.content.orgs["AMK"], project.layouts)
    # The blocks' clocks are computed: they are pushed out by one cause, named in one error.
    assert not [f for f in found if f.rule == "timing/outside-slot"]
    overrun = [f for f in found if f.rule == "timing/overruns-slot"]
    assert len(overrun) == 1
    assert "'Øvelse' (10:15–12:00 in the file, 10:45–12:30 in AMK's slot)" in overrun[0].message


def _build(tmp_path: Path, org: str) -> Path:
    root = write(tmp_path / "content", {"programmes/base.yaml": BASE, "programmes/kort.yaml": KORT,
                                         "programmes/kortere.yaml": KORTERE, "orgs/X.yaml": org})
    project = Project.load(root, LAYOUTS)
    result = build_org(project, "X", tmp_path / "out", force=True)
    assert result.status == "built", [f.message for f in result.findings if f.severity == "error"]
    return tmp_path / "out" / "X"


def _agenda(kit: Path) -> list[str]:
    deck = Presentation(str(kit / "deck.pptx"))
    slide = next(s for s in deck.slides if s.shapes.title is not None and s.shapes.title.text in ("Program", "Programme"))
    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame and s != slide.shapes.title]
    return [line for text in texts for line in text.split("\n") if "\t" in line]


def _run_sheet(kit: Path) -> list[list[str]]:
    table = Document(str(kit / "facilitator-notes.docx")).tables[0]
    rows = [[c.text for c in row.cells[:3]] for row in table.rows[1:]]  # "09.00–09.15", minutes, block
    return [[*row[0].replace(".", ":").split("–"), *row[1:]] for row in rows]  # Danish writes 09.00


def test_a_variant_kit_has_the_computed_clock_on_agenda_and_run_sheet(tmp_path):
    kit = _build(tmp_path, "id: X\nname: X A/S\nprogramme: kort\n")
    assert _agenda(kit) == ["09.00–09.15\tVelkomst", "09.15–09.30\tPause", "09.30–10.30\tKort øvelse",
                            "10.30–10.50\tDialog i grupper", "10.50–11.05\tAfrunding"]  # as Danish writes them
    assert _run_sheet(kit) == [["09:00", "09:15", "15", "Velkomst"], ["09:15", "09:30", "15", "Pause"],
                               ["09:30", "10:30", "60", "Kort øvelse"], ["10:30", "10:50", "20", "Dialog i grupper"],
                               ["10:50", "11:05", "15", "Afrunding"]]


def test_a_variant_of_a_variant_in_an_orgs_slot(tmp_path):
    kit = _build(tmp_path, 'id: X\nname: X A/S\nprogramme: kortere\nslot: {start: "13:00", end: "14:45"}\n')
    assert _agenda(kit)[-2:] == ["13.30–14.30\tKort øvelse", "14.30–14.45\tAfrunding"]
    assert [row[:2] for row in _run_sheet(kit)] == [["13:00", "13:15"], ["13:15", "13:30"], ["13:30", "14:30"], ["14:30", "14:45"]]


def test_an_edit_to_the_base_programme_rebuilds_the_variants_kit(tmp_path):
    kit = _build(tmp_path, "id: X\nname: X A/S\nprogramme: kortere\n")
    root = tmp_path / "content"
    again = build_org(Project.load(root, LAYOUTS), "X", tmp_path / "out")
    assert again.status == "unchanged"
    base = root / "programmes" / "base.yaml"
    base.write_text(base.read_text(encoding="utf-8").replace("title: Velkomst", "title: Velkommen"), encoding="utf-8")
    rebuilt = build_org(Project.load(root, LAYOUTS), "X", tmp_path / "out")
    assert rebuilt.status == "built"
    assert _agenda(kit)[0] == "09.00–09.15\tVelkommen"
