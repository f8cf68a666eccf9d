"""Facilitator notes say each thing once (review r5 D): no sentence printed twice, no editorial residue,
background reading on a page of its own, each source line once, under what it credits."""

from __future__ import annotations

import collections
import io
import re

import pytest
from docx import Document

from kitgen.plan.assemble import assemble
from kitgen.render.notes import render_notes

ORGS = ("KK", "AMK", "BFA", "DEMO-EN")
SOURCE = ("Kilde:", "Source:")


@pytest.fixture(scope="module")
def plans(project):
    return {org: assemble(project.content, project.content.orgs[org], project.layouts) for org in ORGS}


@pytest.fixture(scope="module")
def notes(plans):
    """Each organisation's facilitator notes as Word opens them (rendered from the plan, no build)."""
    return {org: Document(io.BytesIO(render_notes(plan))) for org, plan in plans.items()}


def _sentences(text: str) -> list[str]:
    """Sentences as a reader compares them: cut at . ! ? before a capital (a bracket after a sentence stays
    with it), lead-in labels off ("Kort fortalt: Trin 1: "), lower case, words only; four words or more."""
    result = []
    for line in text.split("\n"):
        parts: list[str] = []
        for part in re.split(r"(?<=[.!?])\s+(?=[»(]?[A-ZÆØÅ0-9(])", line):
            if parts and (part.startswith("(") or parts[-1].count("(") > parts[-1].count(")")
                          or re.search(r"\b(fx|dvs|bl\.a|f\.eks|ca|jf|evt|min)\.$", parts[-1])):
                parts[-1] += " " + part
            else:
                parts.append(part)
        for part in parts:
            while (m := re.match(r"^[^:]{1,60}?:\s+", part)) and len(m.group(0).split()) <= 6 and part[m.end():].strip():
                part = part[m.end():]
            words = re.findall(r"\w+", part.lower())
            if len(words) >= 4:
                result.append(" ".join(words))
    return result


def _said(document) -> list[str]:
    """The text a reader reads: body paragraphs, not headings, labels (bold runs), source lines or the checklist."""
    texts, checklist = [], False
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style.startswith("Heading"):  # "Før workshoppen" gathers the blocks' materials on purpose: a checklist
            checklist = paragraph.text in ("Før workshoppen", "Before the workshop")
        if style.startswith(("Heading", "Title")) or paragraph.text.startswith(SOURCE) or checklist:
            continue
        texts.append("".join(run.text for run in paragraph.runs if not run.bold))
    return texts


@pytest.mark.parametrize("org", ORGS)
def test_no_sentence_is_printed_twice(notes, org):
    count = collections.Counter(s for text in _said(notes[org]) for s in _sentences(text))
    repeated = {s: n for s, n in count.items() if n > 1}
    assert not repeated, f"{org}: printed more than once: {repeated}"


@pytest.mark.parametrize("org", ORGS)
def test_no_editorial_residue_and_each_source_line_once(notes, org):
    text = "\n".join(p.text for p in notes[org].paragraphs if p.style.name != "Title" and not p.text.startswith(SOURCE))
    for residue in ("facilitatornote", "citat fortsat", "se bilag", "(interview)", "see the appendix", "facilitator notes"):
        assert residue not in text.lower(), f"{org}: '{residue}' printed"
    lines = [p.text for p in notes[org].paragraphs if p.text.startswith(SOURCE)]
    appendix = next((n for n, p in enumerate(notes[org].paragraphs)
                     if p.style.name == "Heading 1" and p.text.startswith(("Bilag", "Appendix"))), None)
    guide = [p.text for p in notes[org].paragraphs[:appendix] if p.text.startswith(SOURCE)]
    assert len(set(guide)) == len(guide), f"{org}: a source named twice in the guide: {guide}"
    assert len(lines) - len(guide) <= len(set(lines)), f"{org}: {lines}"
    last = [p.text for p in notes[org].paragraphs if p.text.strip()][-2:]
    assert not all(t.startswith(SOURCE) for t in last), f"{org}: stacked source lines at the end: {last}"


def test_background_reading_follows_the_last_block(notes):
    """Background reading follows the last block on its page (review r6a: KK's guide ended on a page a third
    full before the appendix's own page); its heading says what it is."""
    for org in ("KK", "AMK", "BFA"):
        headings = [p for p in notes[org].paragraphs if p.style.name == "Heading 1"]
        appendix = [p for p in headings if p.text.startswith("Bilag")]
        assert appendix and not appendix[0].paragraph_format.page_break_before, org
        assert "baggrundslæsning" in appendix[0].text


def test_a_checklist_before_the_workshop_from_the_plan(notes):
    """Review r5 B29: copies of each worksheet, the role-play's script for each speaker (AMK: four), what
    to draw and bring — from the plan, after the run-sheet; the deck said there, not in every row."""
    def checklist(org):
        paragraphs = notes[org].paragraphs
        start = next(n for n, p in enumerate(paragraphs) if p.text in ("Før workshoppen", "Before the workshop"))
        end = next(n for n in range(start + 1, len(paragraphs)) if paragraphs[n].style.name.startswith("Heading"))
        return [p.text.replace("\xa0", " ") for p in paragraphs[start + 1:end]]

    amk = checklist("AMK")
    assert "Arbejdsark 1, 2: én kopi pr. deltager" in amk
    assert [line for line in amk if re.match(r"Rollespillet »[^«]+« \(13\.45–14\.25\): 4 kopier", line)]
    assert len([line for line in amk if line.startswith("Rollespil")]) == 1, "the script's copies counted once"
    bfa = checklist("BFA")
    assert "Arbejdsark 5, 7, 8: én kopi pr. gruppe" in bfa and "Trivselsbarometer på flipover (skala 1–10)" in bfa
    assert checklist("DEMO-EN")[1] == "Worksheets: none – this programme uses the slides only"
    demo = notes["DEMO-EN"]
    assert len(demo.tables[0].columns) == 4, "no Materials column that says 'Slides' in every row"
    assert not [p.text for p in demo.paragraphs if p.text.startswith(("Materials:", "Worksheets:")) and p.style.name != "List Bullet"]


def test_say_and_do_shows_each_slide_and_marks_what_is_said_to_the_room(notes):
    """Review r5 B28, A10: the facilitator sees which slide goes with what ("Vis slides 5–8: 6 Problemet i en
    nøddeskal · 7–8 …") in every block; text addressed to the participants is marked 'Sig: »…«'."""
    from kitgen.render.notes_text import mark_said

    for org, verb in (("KK", "Vis"), ("AMK", "Vis"), ("BFA", "Vis"), ("DEMO-EN", "Show")):
        paragraphs = notes[org].paragraphs
        blocks = [n for n, p in enumerate(paragraphs) if p.style.name == "Heading 2"]
        for start, end in zip(blocks, blocks[1:] + [len(paragraphs)]):
            if paragraphs[start].text.endswith(("Pause", "Break")):
                continue
            shows = [p.text for p in paragraphs[start + 1:start + 2] if f" · {verb} slide" in p.text]  # under the heading
            assert shows and re.search(rf"min\.? · {verb} slides?\s\d+(–\d+)?: \d", shows[0]), (org, paragraphs[start].text)
    said = mark_said("Runder i grupper (20 min.). Er I flere end fire, så del jer i flere grupper.", "Sig", "da")
    assert said == "Runder i grupper (20 min.). Sig: »Er I flere end fire, så del jer i flere grupper.«"
    for unchanged in ("I travlhed glemmer vi at mærke efter.", "G (gruppen) og I (individet).", "Spørg: »Hvad gør I?«"):
        assert mark_said(unchanged, "Sig", "da") == unchanged
    assert mark_said("Tell them what you see.", "Say", "en") == "Tell them what you see."


@pytest.mark.parametrize("org", ("KK", "AMK", "BFA"))
def test_every_block_a_plan_that_covers_its_minutes(plans, org):
    """Review r5 A1, A5, B23: "Forløb" accounts for every minute of a block, the introduction included, and
    every worksheet a block hands out gets time in it; a sheet a talk only presents goes home, said so."""
    for row in plans[org].run_sheet:
        if row.segments:
            assert sum(s.minutes for s in row.segments) == row.minutes, (org, row.title)
            assert row.segments[0].start == row.start and row.segments[-1].end == row.end
        timed = " ".join(s.text for s in row.segments).lower()
        for tool in row.tools:
            if not tool.worksheet_number:
                continue
            if tool.presented:
                assert any("uddeles til hjemtagning" in w and str(tool.worksheet_number) in w for w in row.what), row.what
            else:
                assert f"arbejdsark {tool.worksheet_number}" in timed, (org, row.title, timed)
        if any(t.worksheet_number and not t.presented for t in row.tools):
            assert row.segments and "introduktion" in row.segments[0].text.lower(), (org, row.title)


def test_a_repeated_sentence_is_left_out_and_what_is_new_keeps_its_label():
    """kitgen.render.notes_said, as the background reading uses it (KK's appendix: steps three times, ratings six)."""
    from kitgen.render.notes_said import Said, sentences

    assert sentences("Vurdér forholdene, dvs. kobling til IGLO. Tre felter: 1. Mål, 2. Aftale. Gave! (Doré, Burr 2017)") == [
        "Vurdér forholdene, dvs. kobling til IGLO.", "Tre felter: 1. Mål, 2. Aftale.", "Gave! (Doré, Burr 2017)"]
    said = Said()
    said.add("Prototype 1: Trin 1: Udfyld interviewguide. Trin 2: Lav en lederkontrakt med dig selv.")
    said.add("Vurdering (1–5): Prototype 1: 4,2 · Prototype 2: 4,4 – progression 8 %, 11 % og 4 %")
    assert said.new("Kort fortalt: Trin 1: Udfyld interviewguide. Trin 2: Lav en lederkontrakt med dig selv.") == ""
    assert said.new("Fokusgruppernes vurdering af prototype 1 (skala 1–5): 4,2 (progression: 8 %).") == ""
    assert said.new("Udfyld interviewguide. Skriv tre mål ned.") == "Udfyld interviewguide: Skriv tre mål ned."
    said.add("Sæt struktur på din egen dialog med nærmeste leder.")
    assert said.new("Ledere af medarbejdere: Sæt struktur på din egen dialog med nærmeste leder. Lav en klar aftale.") == \
        "Ledere af medarbejdere: Lav en klar aftale."


def test_questions_from_two_sets_are_named_by_set(notes):
    """Review r5 B22: BFA 12.55 lists the questions of two worksheets as one list, 1–6 as the run-sheet counts
    them; each set is named where it starts."""
    texts = [p.text for p in notes["BFA"].paragraphs]
    start = texts.index("Spørgsmål (refleksion)")
    assert texts[start + 1] == "Belastningskurven"
    assert any(t.startswith("Hvordan er din balance?") for t in texts[start + 2:start + 8])


def test_every_slide_is_named_once_in_the_guide(plans, notes):
    """Review r6a 12: the slide lines named one slide fewer than they spanned (the divider) and never the closing
    slide; now each slide of the deck, from 2 to the last, is named once."""
    for org in ORGS:
        text = "\n".join(p.text for p in notes[org].paragraphs).replace("\xa0", " ")
        named = [int(n) for line in re.findall(r"(?:Vis|Show) slides? [\d–]+: (.*)", text)
                 for part in line.split(" · ") for n in [re.match(r"(\d+)", part).group(1)]]
        spans = [range(int(a), int(b or a) + 1) for line in re.findall(r"(?:Vis|Show) slides? [\d–]+: (.*)", text)
                 for a, b in re.findall(r"(?:^| · )(\d+)(?:–(\d+))?", line)]
        covered = sorted(n for span in spans for n in span)
        breaks = [n for n, s in enumerate(plans[org].slides, start=1)
                  if s.block_index is not None and plans[org].run_sheet[s.block_index].kind == "break"]
        assert covered == [n for n in range(2, len(plans[org].slides) + 1) if n not in breaks], (org, covered)
        assert named == sorted(named)


def test_english_notes_use_english_quotation_marks(notes):
    """Review r6a 30: DEMO-EN mixed “…” with Danish »…« around the Danish article titles."""
    body = [p.text for p in notes["DEMO-EN"].paragraphs if p.style.name != "Quote"]
    assert not [t for t in body if "»" in t or "«" in t]


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def _at(texts: list[str], start: str) -> int:
    return next(n for n, text in enumerate(texts) if text.startswith(start))


def test_a_block_reads_in_running_order(notes):
    """AMK 13.45 (review r6a 4, 23): the intro, the role-play read with it, the tool's steps, the step that
    uses the five prompts, the prompts, then the closing; a quote is read after the intro, not after the closing."""
    texts = _texts(notes["AMK"])
    block = _at(texts, "13.45")
    intro, script = _at(texts[block:], "Introduktion og eksempel"), _at(texts[block:], "Rollespil")
    steps, alone = _at(texts[block:], "Redskab: Trivsels"), _at(texts[block:], "Hver for sig")
    prompts, closing = _at(texts[block:], "Spørgsmål"), _at(texts[block:], "Fælles opsamling")
    assert intro < script < steps < alone < prompts < closing, texts[block:block + 40]
    for org in ORGS:
        texts = _texts(notes[org])
        for number, text in enumerate(texts):
            if text in ("Til oplæsning", "To read aloud"):  # read before the block's tools and questions
                start = max(n for n, t in enumerate(texts[:number]) if re.match(r"\d\d[.:]\d\d–", t))
                before = texts[start:number]
                assert not any(t.startswith(("Redskab", "Spørgsmål", "Tool", "Questions")) for t in before), (org, before)


def test_the_closing_words_come_after_the_quote(notes):
    """Review r6a 23: BFA 15.20 read a quote after 'Tak for i dag.'"""
    texts = _texts(notes["BFA"])
    block = _at(texts, "15.20")
    assert _at(texts[block:], "Til oplæsning") < _at(texts[block:], "Tak for i dag"), texts[block:]


def test_copies_are_counted_per_sheet(plans):
    """Review r6a 20: a group sheet is printed once per group, a sheet to take home is said to be one."""
    from kitgen.render.notes_prep import checklist
    bfa = checklist(plans["BFA"])
    assert "Arbejdsark 5, 7, 8: én kopi pr. gruppe" in bfa, bfa
    assert "Arbejdsark 6: én kopi pr. deltager til hjemtagning" in bfa, bfa
    assert not any(line.startswith("Arbejdsark") and "6" in line and "hjemtagning" not in line for line in bfa), bfa
    assert "Arbejdsark 1–3: én kopi pr. deltager til hjemtagning" in checklist(plans["KK"])


def test_the_guide_is_set_close(notes):
    """Review r6a 38: DEMO-EN ran to a third page for two lines at the template's 10 pt after each paragraph."""
    from docx.oxml.ns import qn
    for org in ORGS:
        styles = notes[org].styles
        spacing = styles.element.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
        default = int(spacing.get(qn("w:after"), "0")) / 20 if spacing is not None else 0
        after = styles["Normal"].paragraph_format.space_after
        assert (after.pt if after is not None else default) <= 6, (org, after, default)
