"""Facilitator notes: a run-sheet to run the day from, and a facilitator's guide per block."""

from __future__ import annotations

import re

from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation


def _notes(kits, org="KK"):
    return Document(str(kits / org / "facilitator-notes.docx"))


def _clock(text: str) -> str:
    """"08.30" (Danish) back to the content's "08:30"."""
    return text.replace(".", ":")


def test_run_sheet_rows_match_the_programme_blocks(kits, project):
    document = _notes(kits)
    table = document.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Tid", "Min.", "Blok", "Hvad sker der", "Materialer"]
    programme = project.content.programmes["ledertrivsel-workshop-2021-02-24"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == len(programme.blocks)
    for row, block in zip(rows, programme.blocks):
        assert re.fullmatch(r"\d\d\.\d\d–\d\d\.\d\d", row[0]), "clock times as Danish writes them (08.30–08.45)"
        start, end = row[0].split("–")
        assert _clock(start) == block.start and _clock(end) == block.end
        assert row[1] == str(block.span_minutes)
        assert row[2] == block.title
    assert sum(int(r[1]) for r in rows) == 225  # 08:30–12:15, no gaps


def test_what_happens_names_activities_with_slide_numbers(kits):
    for org in ("KK", "AMK"):
        slides = len(Presentation(str(kits / org / "deck.pptx")).slides)
        rows = [[c.text for c in r.cells] for r in _notes(kits, org).tables[0].rows[1:]]
        last = 1
        for row in rows:
            what = row[3]
            assert "Citat:" not in what and not re.search(r"Spørgsmål: \d", what), "no slide counts"
            match = re.search(r"slides?\s(\d+)(?:–(\d+))?", what)
            assert match, f"slide numbers for '{row[2]}'"
            first, end = int(match.group(1)), int(match.group(2) or match.group(1))
            assert last < first <= end <= slides, "slide ranges follow the deck, in order, within it"
            last = end
        questions = [r[3] for r in rows if "spørgsmål" in r[3]]
        assert questions and all(re.search(r"((Dialog i grupper|Refleksion), spørgsmål|Dagens spørgsmål)\s\d", q) for q in questions)
        assert all(line[:1].isupper() for row in rows for line in row[3].split("\n")), "each activity starts with a capital"
        assert not [row[3] for row in rows if re.search(r"[^\W\d_,] \d|, \d", row[3])], "a number keeps with its word"


def test_presented_prototypes_and_their_worksheets_in_the_run_sheet(kits):
    row = next(r for r in _notes(kits).tables[0].rows if r.cells[2].text.startswith("Præsentation af tiltag"))
    what = row.cells[3].text.replace("\xa0", " ").split("\n")
    assert "Prototype 2: Styrk ledelsesgruppen" in what, "presented in the talk"
    assert what[-1] == "Arbejdsark 1, 2, 3 uddeles til hjemtagning", "review r5 A1: the sheets go home, not used in the room"
    assert "præsentér" not in row.cells[3].text.lower(), "no stage direction in the run-sheet"
    assert re.search(r"Arbejdsark\s((\d,\s)*2\b|1–3)", row.cells[4].text), "its worksheets named in the materials (by number)"


def test_each_block_is_a_guide_with_heading_kept_with_its_text(kits, project):
    document = _notes(kits)
    programme = project.content.programmes["ledertrivsel-workshop-2021-02-24"]
    headings = [p for p in document.paragraphs if p.style.name == "Heading 2"]
    assert [h.text.split("  ", 1)[1] for h in headings] == [b.title for b in programme.blocks]
    assert all(h.paragraph_format.keep_with_next for h in headings)
    text = "\n".join(p.text for p in document.paragraphs)
    # every block with notes says what to do, but a pause whose notes are its title ("Pause.") is only a heading
    said = [b for b in programme.blocks if b.notes and not (b.kind == "break" and b.notes.get("da").strip(" .\n") == "Pause")]
    assert text.count("Sig og gør") >= len(said)
    assert "Forløb" in text, "minutes within the block"


def test_steps_are_numbered_from_one_for_each_tool(kits):
    document = _notes(kits, "AMK")
    numbering = document.part.numbering_part.element
    runs = []  # consecutive List Number paragraphs, as Word counts them
    current, last_num = [], None
    for paragraph in document.paragraphs:
        if paragraph.style.name != "List Number":
            if current:
                runs.append((last_num, current))
            current, last_num = [], None
            continue
        num_pr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
        num_id = num_pr.numId.val if num_pr is not None and num_pr.numId is not None else None
        if current and num_id != last_num:
            runs.append((last_num, current))
            current = []
        current.append(paragraph.text)
        last_num = num_id
    if current:
        runs.append((last_num, current))
    assert len(runs) >= 2
    ids = [num_id for num_id, _ in runs]
    assert None not in ids, "every numbered list has a numbering instance of its own"
    tools = [p for p in document.paragraphs if p.text.startswith("Redskab:")]
    assert len(set(ids)) >= 2 and len(set(ids)) >= len([t for t in tools if "min." in t.text])  # run tools (with minutes)
    for num_id in set(ids):
        num = numbering.num_having_numId(num_id)
        start = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        assert start is not None and start.get(qn("w:val")) == "1", "and starts at 1"


def test_long_source_text_goes_to_the_appendix(kits):
    document = _notes(kits)
    paragraphs = [p for p in document.paragraphs]
    appendix = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1" and p.text.startswith("Bilag"))
    assert not paragraphs[appendix].paragraph_format.page_break_before, "background reading follows the last block"
    assert paragraphs[appendix].text == "Bilag: baggrundslæsning før workshoppen"
    guide = "\n".join(p.text for p in paragraphs[:appendix])
    assert "se bilag" not in guide, "no pointers: the appendix texts are titled by their block or tool"
    assert len(guide) > len("\n".join(p.text for p in paragraphs[appendix:])) / 2


def test_quotes_for_reading_aloud_and_page_numbers(kits):
    document = _notes(kits)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Til oplæsning" in text
    footer = document.sections[0].footer._element
    assert "PAGE" in " ".join(t.text for t in footer.iter(qn("w:instrText")))


def test_no_typed_bullets(kits):
    for org in ("KK", "AMK"):
        for paragraph in _notes(kits, org).paragraphs:
            assert not re.match(r"^\s*[•·\-–*]\s", paragraph.text), paragraph.text


def test_no_editor_note_in_any_output(kits, project):
    notes = [obj.editor_note for table in (project.content.tools, project.content.questions, project.content.quotes,
                                           project.content.roleplays, project.content.definitions, project.content.programmes)
             for obj in table.values() if obj.editor_note]
    notes += [b.editor_note for p in project.content.programmes.values() for b in p.blocks if b.editor_note]
    assert notes, "the shipped content has editor notes to look for"
    for org in ("KK", "AMK"):
        texts = []
        for name in ("worksheets.docx", "facilitator-notes.docx"):
            body = Document(str(kits / org / name)).element.body
            texts.append("".join(t.text or "" for t in body.iter(qn("w:t"))))
        deck = Presentation(str(kits / org / "deck.pptx"))
        for slide in deck.slides:
            texts.extend(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
            if slide.has_notes_slide:
                texts.append(slide.notes_slide.notes_text_frame.text)
        everything = "\n".join(texts)
        for note in notes:
            probe = note.strip()[:60]
            assert probe not in everything, f"{org}: editor note shown: {probe}"


def test_a_quote_in_another_language_is_tagged_as_such(content_copy, tmp_path):
    """An English-only quote in a Danish kit: its run carries w:lang en-GB, the rest da-DK."""
    from pathlib import Path

    from kitgen.build.pipeline import Project, build_org

    (content_copy / "quotes" / "english-test.yaml").write_text(
        "quotes:\n  - id: test-english-quote\n    text: {en: \"Psychological safety is a belief that one will not be punished.\"}\n"
        "    source: \"Edmondson 1999\"\n", encoding="utf-8")
    programme = content_copy / "programmes" / "ledertrivsel-workshop-2021-02-24.yaml"
    text = programme.read_text(encoding="utf-8")
    first = text.index("    notes_quotes:\n")
    programme.write_text(text[:first] + "    notes_quotes:\n      - test-english-quote\n" + text[first + len("    notes_quotes:\n"):],
                         encoding="utf-8")
    project = Project.load(content_copy, Path(__file__).resolve().parent.parent / "layouts")
    result = build_org(project, "KK", tmp_path, force=True)
    assert result.status == "built", (result.message, [f.message for f in result.findings if f.severity == "error"])
    body = Document(str(tmp_path / "KK" / "facilitator-notes.docx")).element.body
    run = next(r for r in body.iter(qn("w:r")) if "Psychological safety" in "".join(t.text or "" for t in r.iter(qn("w:t"))))
    assert run.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) == "en-GB"


def _blocks(document):
    """Each block's heading text and the paragraphs under it (up to the next block or the appendix)."""
    blocks, current = [], None
    for paragraph in document.paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        if name == "Heading 2":
            current = (paragraph.text, [])
            blocks.append(current)
        elif name == "Heading 1" and current is not None:
            current = None
        elif current is not None:
            current[1].append(paragraph)
    return blocks


def test_every_question_the_run_sheet_numbers_is_listed_in_its_block(kits):
    """"dialog i grupper, spørgsmål 1–2" in the run-sheet: the block lists two numbered questions."""
    for org in ("KK", "AMK"):
        document = _notes(kits, org)
        rows = document.tables[0].rows[1:]
        blocks = _blocks(document)
        assert len(rows) == len(blocks)
        checked = 0
        for row, (heading, paragraphs) in zip(rows, blocks):
            match = re.search(r"spørgsmål\s(\d+)(?:–(\d+))?", row.cells[3].text)
            if not match:
                continue
            wanted = int(match.group(2) or match.group(1))
            labels = [i for i, p in enumerate(paragraphs) if p.text.startswith(("Spørgsmål (", "Dagens spørgsmål"))]
            assert labels, f"{org} {heading}: the run-sheet numbers questions the block does not list"
            if "står med hjælpespørgsmål under" in paragraphs[labels[0]].text:  # the day's questions: listed where used
                later = paragraphs[labels[0]].text.split("under ", 1)[1].split(",")[0]
                assert any(later.startswith(h.split("  ")[0]) for h, _ in blocks), later
                continue
            listed = [p for p in paragraphs[labels[0] + 1:] if p.style.name == "List Number"]
            assert len(listed) >= wanted, f"{org} {heading}: {len(listed)} questions listed, the run-sheet says {wanted}"
            checked += 1
        assert checked >= 2, org


def test_a_welcome_puts_the_days_questions_without_minutes_of_their_own(kits):
    document = _notes(kits)
    heading, paragraphs = _blocks(document)[0]
    assert "Velkomst" in heading
    text = "\n".join(p.text for p in paragraphs)
    assert "Dagens spørgsmål" in text
    assert "Dialog i grupper (" not in text, "no group dialogue scheduled in a welcome"


def test_pauses_are_a_heading_not_a_say_and_do(kits):
    for heading, paragraphs in _blocks(_notes(kits)):
        if heading.endswith("Pause"):
            assert not any(p.text == "Sig og gør" for p in paragraphs)


def test_no_stage_directions_or_editorial_asides(kits):
    for org in ("KK", "AMK"):
        document = _notes(kits, org)
        text = "\n".join([p.text for p in document.paragraphs] + [c.text for r in document.tables[0].rows for c in r.cells])
        for aside in ("(på slide)", "præsentér:", "minutterne er et skøn"):
            assert aside not in text, f"{org}: {aside}"
        assert not re.search(r"\(\d,\d\)", text), f"{org}: a bare survey score"


def test_the_appendix_repeats_no_paragraph_the_guide_printed(kits):
    """Whole normalised paragraphs, not shared words; a list is kept whole with its lead-in."""
    from kitgen.render.notes_block import said_in
    from kitgen.render.sheet_layout import norm

    document = _notes(kits)
    start = next(i for i, p in enumerate(document.paragraphs) if p.text.startswith("Bilag"))
    guide = [norm(p.text) for p in document.paragraphs[:start] if p.text.strip()]
    appendix = [p for p in document.paragraphs[start + 1:] if not p.style.name.startswith("Heading")]
    for number, paragraph in enumerate(appendix):
        if paragraph.style.name.startswith("List"):
            continue
        if paragraph.text.rstrip().endswith(":"):  # a lead-in stands before its list, never alone
            assert number + 1 < len(appendix) and appendix[number + 1].style.name.startswith("List"), paragraph.text
            continue
        assert not said_in(guide, paragraph.text), paragraph.text[:80]
    texts = [norm(p.text) for p in appendix if len(p.text.split()) >= 4]
    assert len(texts) == len(set(texts)), "an appendix paragraph printed twice"


def test_the_appendix_keeps_every_theme_of_its_list(kits):
    """KK: »Psykologisk tryghed og tillid« (one of the four themes on the slide) stood in no list of the appendix:
    its words were all on a slide point, so a word-overlap filter dropped it from the themes' list."""
    document = _notes(kits, "KK")
    start = next(i for i, p in enumerate(document.paragraphs) if p.text.startswith("Bilag"))
    texts = [p.text for p in document.paragraphs[start:]]
    lead = texts.index("Dominerende temaer hos lederne:")
    themes = " ".join(texts[lead + 1:lead + 5])
    for theme in ("Indflydelse og autonomi", "Psykologisk tryghed og tillid", "Behov for restitution", "Støtte"):
        assert theme in themes, theme


def test_a_help_question_sharing_its_questions_words_is_printed(kits):
    """A help text is left out only when printed whole already, not for sharing its question's topic words."""
    texts = [p.text for p in _notes(kits, "KK").paragraphs]
    for help_text in ("Hvor ser I særlige styrker ved tiltagene ift. at løfte lederes psykiske arbejdsmiljø?",
                      "Hvilke veje ser I til at løfte lederes psykiske arbejdsmiljø?"):
        assert texts.count(help_text) == 1, f"printed {texts.count(help_text)} times (once, where the question is used): {help_text}"
    amk = [p.text for p in _notes(kits, "AMK").paragraphs]  # but one the notes say all but its first words of is not
    assert not any(t.startswith("Hvis målet er SAMMEN") for t in amk)


def test_cover_says_what_to_fill_in_where_the_org_gives_no_date_venue_or_names(kits):
    """KK's org file names no date, venue or facilitators: the cover leaves a line to write on, not nothing."""
    paragraphs = [p.text for p in _notes(kits, "KK").paragraphs[:12]]
    for name in ("Dato", "Sted", "Facilitatorer"):
        line = next((p for p in paragraphs if p.startswith(f"{name}: ")), None)
        assert line is not None, f"the cover has a '{name}:' line"
        assert line.split(": ", 1)[1].strip(" _") == "" and "____" in line, f"'{name}' is a line to fill in: {line!r}"


def test_a_sheets_source_is_said_short_in_the_notes_and_on_the_sheet(kits):
    """'Prototype 1 fra Workshop …, 24. februar 2021 (http://www.lead.eu/)' read as a past event of another firm."""
    notes = "\n".join(p.text for p in _notes(kits, "KK").paragraphs)
    sheets = "\n".join(p.text for p in Document(str(kits / "KK" / "worksheets.docx")).paragraphs)
    for text in (notes, sheets):
        assert "24. februar 2021 (http" not in text
        assert "(LEAD, 2021)" in text


def _row(notes: str, minutes: int, **extra):
    from kitgen.plan.assemble_docs import RunSheetRow, ToolGuide

    tools = [ToolGuide("t", "Belastningskurven", 10, False, "", [], "", "", 1, "Belastningskurven", [])]
    return RunSheetRow(0, "12:55", f"{12 + (55 + minutes) // 60:02d}:{(55 + minutes) % 60:02d}", minutes,
                       "Øvelse", "exercise", notes, ["Et punkt"], [], tools, ["Hvordan?"], [[]], "reflection",
                       [], [], [], **extra)


def _described(row):
    from types import SimpleNamespace

    from kitgen.plan.assemble_timing import describe

    slides = [SimpleNamespace(block_index=0) for _ in range(5)]
    describe(SimpleNamespace(labels={"minutes_short": "min.", "break": "Pause", "activity_intro": "Introduktion"}, slides=slides,
                             run_sheet=[row]))
    return [(s.start, s.end, s.text, s.minutes) for s in row.segments]


def test_forloeb_agrees_with_the_minutes_the_notes_give():
    """BFA's exercise blocks: "Sig og gør" gives "Belastningskurven (15 min.)" and "Hvordan er din
    balance? (20 min.)"; "Forløb" said "Oplæg 10 + Refleksion 25". Notes that give their parts minutes
    say the running order themselves, once: no "Forløb" of kitgen's own beside them."""
    whole = _row("Belastningskurven (15 min.): tegn kurven.\n\nHvordan er din balance? (20 min.): skriv i figuren.", 35)
    assert _described(whole) == [("12:55", "13:10", "Introduktion og Belastningskurven, arbejdsark 1", 15),
                                 ("13:10", "13:30", "Hvordan er din balance?", 20)], "the introduction inside the first part"
    # parts that leave minutes over (KK's 75-minute workshop: 25 + 25 + 15): every minute accounted for, the
    # minutes over first as the exercise's introduction, then the parts as the notes name and time them
    over = _row("Gruppedialog 1 – de tre tiltag (25 min.): forslag.\n\nOpsamling i plenum (15 min.): saml op.", 50)
    assert _described(over) == [("12:55", "13:05", "Introduktion", 10),
                                ("13:05", "13:30", "Gruppedialog 1 – de tre tiltag, arbejdsark 1", 25),  # the sheet's time
                                ("13:30", "13:45", "Opsamling i plenum", 15)]
    # notes that give no minutes: kitgen's split, the tool's own minutes in it
    plain = _described(_row("Deltagerne tegner kurven.", 35))
    assert sum(m for *_, m in plain) == 35 and ("Belastningskurven, arbejdsark 1" in [t for _, _, t, _ in plain])


def test_a_definition_the_notes_give_is_not_printed_again(kits):
    """AMK 13.30: "Sig og gør" gives the definition of psychological safety; a "Definition –" line
    under it said it again."""
    text = "\n".join(p.text for p in _notes(kits, "AMK").paragraphs)
    guide = text[:text.index("Bilag")] if "Bilag" in text else text
    assert guide.count("En fælles tro på og tillid til at kunne tage interpersonelle risici") == 1


def test_who_leads_a_block_gets_a_column_and_a_name_not_on_the_list_a_warning(content_copy):
    """A block's ``lead:`` names who runs it: the run-sheet gets a "Hvem" column and the block's guide
    says it; a name that is not one of the organisation's facilitators is a warning naming file and line."""
    from kitgen.build.pipeline import Project, check_org_safely
    from kitgen.plan.kit import Kit
    from kitgen.render.notes import render_notes
    from conftest import LAYOUTS
    import io

    programme = content_copy / "programmes" / "ledertrivsel-workshop-2021-02-24.yaml"
    text = programme.read_text(encoding="utf-8")
    text = text.replace("  - id: velkomst\n", "  - id: velkomst\n    lead: Mette Holm\n", 1)
    text = text.replace("  - id: workshops\n", "  - id: workshops\n    lead: Mete Holm\n", 1)
    programme.write_text(text, encoding="utf-8")
    org = content_copy / "orgs" / "KK.yaml"
    org.write_text(org.read_text(encoding="utf-8") + "facilitators: [Mette Holm, Jonas Berg]\n", encoding="utf-8")
    project = Project.load(content_copy, LAYOUTS)
    kk = project.content.orgs["KK"]
    findings, plan = check_org_safely(project, kk, Kit(project.content, kk, project.layouts))
    [warning] = [f for f in findings if f.rule == "org/unknown-lead"]
    assert warning.severity == "warning" and warning.file.endswith("ledertrivsel-workshop-2021-02-24.yaml")
    assert warning.line == text.splitlines().index("    lead: Mete Holm") + 1
    assert "'Mete Holm'" in warning.message and "did you mean 'Mette Holm'" in warning.message
    document = Document(io.BytesIO(render_notes(plan)))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][-1] == "Hvem"
    assert table.rows[1].cells[-1].text == "Mette Holm" and table.rows[2].cells[-1].text == ""
    guide = "\n".join(p.text for p in document.paragraphs)
    assert "Hvem: Mette Holm" in guide


def test_appendix_lead_ins_are_bold_alike_and_an_excerpts_ellipsis_stays_on_its_line(kits):
    """KK's appendix bolded "Topledelsen:" but not "MED/SU og AMO – leder, TR og AMR:" in the same list;
    a quote's closing " …" could wrap onto a line of its own."""
    document = _notes(kits)
    roles = [p for p in document.paragraphs if p.text.startswith("MED/SU og AMO – leder, TR og AMR:")]
    assert roles and all(p.runs[0].bold and p.runs[0].text == "MED/SU og AMO – leder, TR og AMR: " for p in roles)
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote" or (p.runs and p.runs[0].italic)]
    assert not [q for q in quotes if " …" in q.split("\n")[0][-2:] or q.startswith("… ")], "no breakable space at an ellipsis"


def test_a_talk_that_hands_out_sheets_keeps_its_time_for_the_talk():
    """KK 10.15–10.45 shows 12 slides and three tools whose sheets go home with the participants: its
    "Forløb" gave "Oplæg (10 min.)" as if the sheets were filled in there. A sheet to fill in (a tool
    that is run) still gives the exercise two thirds."""
    from kitgen.plan.assemble_docs import ToolGuide

    handout = _row("Præsentér de tre tiltag.", 30)
    handout.tools = [ToolGuide("t", "Prototype 1", None, True, "", [], "", "", 1, "Prototype 1", [])]
    assert [(text, minutes) for *_, text, minutes in _described(handout)] == [("Introduktion", 20), ("Refleksion", 10)]
    filled = _row("Deltagerne udfylder skemaet.", 30)
    filled.tools = [ToolGuide("t", "Energigiver", None, False, "", [], "", "", 3, "Energigiver", [])]
    assert [(text, minutes) for *_, text, minutes in _described(filled)] == [("Introduktion", 10), ("Refleksion, arbejdsark 3", 20)]


def test_role_play_lines_are_set_alike_without_quotation_marks(kits):
    """AMK's role-play: the seed quotes some lines (”Jeg bliver …”.) and not others; after the speaker's
    name every line is speech, set the same way."""
    lines = [p.text for p in _notes(kits, "AMK").paragraphs if p.runs and p.runs[0].bold
             and re.match(r"(Leder-fokusperson|Lederkollega \d): ", p.text)]
    assert len(lines) >= 4
    for line in lines:
        speech = line.split(": ", 1)[1]
        assert speech[:1] not in "”\"“»" and not speech.endswith(("”.", "\".", "”")), line


def test_a_blocks_closing_questions_are_said_once(kits):
    """AMK 14.40: the notes, a tool step and the question list each said "Hvor er vi så allerede godt på vej?"."""
    text = "\n".join(p.text for p in _notes(kits, "AMK").paragraphs)
    guide = text[:text.index("Bilag")] if "Bilag" in text else text
    assert guide.count("Hvor er vi så allerede godt på vej?") == 1


def test_danish_notes_close_up_slashes_and_use_one_kind_of_quotation_marks(kits):
    """KK: "HR/ interne konsulent", "MED/ SU/ AMO"; straight 'super-kvinde' and "Hvad hæfter …" beside »…«."""
    document = _notes(kits)
    text = "\n".join(p.text for p in document.paragraphs)
    assert not re.search(r"\w/ \w", text), re.search(r".{20}\w/ \w.{20}", text)
    assert "MED/SU" in text
    prose = [p.text for p in document.paragraphs if not p.style.name.startswith("Quote")]
    assert not [t for t in prose if re.search(r"(?<![\w'])'[^'\n]+'(?!\w)|\"[^\"\n]+\"", t)]


def test_each_appendix_text_names_its_own_source_and_the_long_workshop_is_timed(kits):
    """KK: all four 'Kilde' lines stood after prototype 3, so each read as its source; the 75-minute
    workshop (25 + 25 + 15 in its notes) had no 'Forløb' and 10 minutes unaccounted for."""
    paragraphs = [p.text for p in _notes(kits).paragraphs]
    flipa = next(i for i, t in enumerate(paragraphs) if t.startswith("Kilde:") and "FLIPA" in t)
    headings = [i for i, t in enumerate(paragraphs) if re.match(r"\d\. Prototype \d", t)]
    assert headings[0] < flipa < headings[1], "prototype 1's source under prototype 1"
    start = paragraphs.index(next(t for t in paragraphs if t.endswith("Workshops og opsamling") and "–" in t[:12]))
    timeline = paragraphs[paragraphs.index("Forløb", start) + 1:][:4]
    assert [t.replace("\xa0", " ").split("  ", 1)[1] for t in timeline] == [
        "Introduktion (10 min.)", "Gruppedialog 1 – de tre tiltag (25 min.)",
        "Gruppedialog 2 – den bredere, strukturelle dialog (25 min.)", "Opsamling i plenum på gruppernes forslag (15 min.)"]
