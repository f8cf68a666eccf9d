"""The shipped content: the seed material transcribed faithfully, with its sources."""

from __future__ import annotations

import re

REQUIRED_TOOLS = {
    "trivsel-og-stressprofilen": "Martini",
    "stressforebyggende-ledelse-i-flere-retninger": "Briner, Hastings og Geddes (1996)",
    "iglo": "BFA Industri",
    "styrk-din-dialog-med-naermeste-leder": "FLIPA",
    "styrk-ledelsesgruppen": "",
    "styrk-jeres-organisation": "",
    "belastningskurven": "BFA Industri",
    "hvordan-er-din-balance": "BFA Industri",
    "trivselsbarometeret": "BFA Industri",
    "bfa-dialogguide-ledelsesniveau": "BFA Industri",
    "bfa-dialogguide-gruppeniveau": "BFA Industri",
    "fjern-stenene-i-skoen": "BFA Industri",
    "energigiver-og-draener": "BFA Industri",
    "psykologisk-tryghed-pejlemaerker": "Edmondson",
}


def test_every_tool_the_seeds_name_is_there_with_its_source(project):
    tools = project.content.tools
    for tool_id, source_word in REQUIRED_TOOLS.items():
        assert tool_id in tools, tool_id
        tool = tools[tool_id]
        assert tool.purpose and tool.source and (tool.steps or tool.kind == "model"), tool_id
        assert source_word in tool.source + " " + tool.facilitator_notes, (tool_id, tool.source)
        assert tool.seed and re.fullmatch(r"00[0-4]_[0-9a-f]{16}\.txt", tool.seed)


def test_trivsel_og_stressprofilen_keeps_its_five_prompts_and_attribution(project):
    tool = project.content.tools["trivsel-og-stressprofilen"]
    assert tool.source.startswith("Inspireret af M. Martini, M. Krarup, og C. Ahlgren Tøttrup")
    prompts = [p for s in tool.worksheet.sections if s.kind == "prompts" for p in s.prompts]
    assert prompts[0] == "De dele af mit arbejde, som ofte giver energi og arbejdsglæde, er…"  # (the comma: editorial)
    assert len(prompts) == 5


def test_the_25_ledelsesgruppe_questions_1a_to_8c(project):
    ids = [q for q in project.content.questions if q.startswith("lg-")]
    assert len(ids) == 25
    assert project.content.questions["lg-1a"].text.startswith("KLARE MÅL")
    assert "lg-8c" in ids


def test_quotes_keep_speaker_and_source(project):
    quotes = list(project.content.quotes.values())
    assert len(quotes) >= 60
    assert all(q.source for q in quotes)
    attributions = " | ".join(q.attribution for q in quotes)
    sources = " | ".join(q.source for q in quotes)
    assert "Chef i Københavns Kommune" in attributions  # the seed: "Citat fra chef i Københavns kommune" (from:)
    assert "Heber J. Grant" in attributions
    assert "Edmondson 2019" in sources + attributions


def test_programmes_have_the_seed_schedules(project):
    kk = project.content.programmes["ledertrivsel-workshop-2021-02-24"]
    assert (kk.slot.start, kk.slot.end) == ("08:30", "12:15")
    assert [(b.start, b.end) for b in kk.blocks] == [
        ("08:30", "08:45"), ("08:45", "09:30"), ("09:30", "10:00"), ("10:00", "10:15"),
        ("10:15", "10:45"), ("10:45", "12:00"), ("12:00", "12:15")]
    assert "ps-indsatsen" in project.content.programmes


def test_danish_letters_are_intact_everywhere(project):
    text = " ".join(t.title + t.purpose + " ".join(t.steps) for t in project.content.tools.values())
    assert all(letter in text for letter in "æøåÆØÅ" if letter.islower())
    assert "Ã" not in text and "\ufffd" not in text
