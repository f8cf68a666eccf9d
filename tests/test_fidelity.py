"""Fidelity of the shipped content to its seed documents (issue 14).

Every quote, question (and support question), tool step, definition and role-play line that
claims a seed (``seed:`` on its object or its file) must be the seed's own words, compared as
the sequence of letters and digits (case-folded) — which normalises whitespace, line-break
hyphenation ("ned-\\nsat"), quote and dash glyphs, and the "fl "/"fi " ligature splits of
seed 002. A text that is not the seed's words must say so: ``from:`` the seed sentence it
condenses (which is then checked instead), or ``editorial: true``.

Every other text a kit shows (titles, purposes, audiences, notes, points, materials, worksheet
texts, diagram labels, …) is held to the same rule (issue 24): found in its seed, or marked —
``editorial: true``, ``from:``, or the containing object's ``editorial: [field, …]``. Composed
``source`` citations are metadata; a ``slide:`` text is an editorial condensation by definition; an
``en:`` translation of a text that passes needs no mark. See content/README.md.

The seeds live beside the repository (``../shared/seeds``, or ``$KITGEN_SEEDS``).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest
from pydantic import BaseModel

from conftest import ROOT
from kitgen.core.textfield import Text

SEEDS = Path(os.environ.get("KITGEN_SEEDS", ROOT.parent / "shared" / "seeds"))

# Words about the pipeline or the editing that must never reach a participant or facilitator.
INTERNAL = re.compile(r"\bkitgen|\bseed(?:et|s)?\b|afsender ikke angivet|ingen afsender|forfatter ikke angivet"
                      r"|rettelse af|Leder \(interview\)|Lederudsagn i oplægget", re.IGNORECASE)
NOT_SHOWN = {"editor_note", "editorial", "seed", "id", "schema_version", "extends"}

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed documents are not at {SEEDS} (set KITGEN_SEEDS)")


def words(text: str) -> str:
    """Letters and digits only, case-folded: the seed's words with layout and glyphs set aside."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text).casefold() if ch.isalnum())


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {path.name: words(path.read_text(encoding="utf-8")) for path in SEEDS.glob("*.txt")}


def in_seed(text: str, seed: str, *, composite: bool = True, min_words: int = 1) -> bool:
    """The text's words occur in the seed; a composite (a label, then the seed's sentence) may
    match part by part, split at sentence ends, colons, dashes and brackets, each part at least
    ``min_words`` words long (so single common words cannot be pieced together)."""
    if words(text) in seed:
        return True
    if not composite:
        return False
    parts = [p for p in re.split(r"(?<=[.?!:;…])\s+|\n+|\s[–·-]\s|[()]", text) if words(p)]
    return len(parts) > 1 and all(words(p) in seed and len(p.split()) >= min_words for p in parts)


def claimed_texts(content):
    """(what, text, seed file, composite allowed) for every text that claims a seed."""
    for quote in content.quotes.values():
        yield f"quote {quote.id}", quote.text, quote.seed, False
    for definition in content.definitions.values():
        yield f"definition {definition.id}", definition.text, definition.seed, False
    for roleplay in content.roleplays.values():
        for index, line in enumerate(roleplay.lines):
            yield f"role-play {roleplay.id} line {index + 1}", line.line, roleplay.seed, False
    for group in content.question_groups.values():
        for question in group.questions:
            yield f"question {question.id}", question.text, group.seed, True
            for index, help_text in enumerate(question.help):
                yield f"question {question.id} help {index + 1}", help_text, group.seed, True
    for tool in content.tools.values():
        for index, step in enumerate(tool.steps):
            yield f"tool {tool.id} step {index + 1}", step, tool.seed, True


def test_every_text_that_claims_a_seed_is_its_words_or_says_what_it_is(project, seeds):
    failures = []
    for what, text, seed_name, composite in claimed_texts(project.content):
        if not seed_name:
            failures.append(f"{what}: names no seed: {str(text)[:100]!r}")
            continue
        seed = seeds.get(seed_name)
        if seed is None:
            failures.append(f"{what}: seed {seed_name} does not exist")
        elif isinstance(text, Text) and text.editorial:
            continue
        elif isinstance(text, Text) and text.condenses:
            if not in_seed(text.condenses, seed, composite=composite):
                failures.append(f"{what}: its from: is not in {seed_name}: {text.condenses[:120]!r}")
        elif not in_seed(str(text), seed, composite=composite):
            failures.append(f"{what}: not in {seed_name} (give from: the seed sentence, or editorial: true): {str(text)[:120]!r}")
    assert failures == [], "\n".join(failures)


def test_attributions_are_only_what_the_seed_gives(project, seeds):
    """An attribution names who said it, in the seed's words; where the seed names no one there is none."""
    failures = []
    for kind, table in (("quote", project.content.quotes), ("definition", project.content.definitions)):
        for item in table.values():
            # a corrected name keeps the seed's spelling in from: (content/README.md, seed typos)
            attribution = item.attribution.condenses or str(item.attribution)
            if item.attribution and not in_seed(attribution, seeds[item.seed], min_words=2):
                failures.append(f"{kind} {item.id}: attribution {str(item.attribution)!r} is not in {item.seed}")
            if not item.source:
                failures.append(f"{kind} {item.id}: no source")
    assert failures == [], "\n".join(failures)


def test_sources_name_only_organisations_the_seed_names(project, seeds):
    """Seed 001 (the 2021 workshop deck) never names Københavns Kommune; nothing from it may say so."""
    failures = []
    tables = (project.content.quotes, project.content.question_groups, project.content.tools,
              project.content.roleplays, project.content.definitions)
    for table in tables:
        for item in table.values():
            organisation = "Københavns Kommune"
            if item.seed and words(organisation) not in seeds[item.seed] and organisation.lower() in item.source.lower():
                failures.append(f"{item.id}: source {item.source!r} names {organisation}, which {item.seed} does not")
    assert failures == [], "\n".join(failures)


def _shown_strings(value, path=""):
    """Every string an output may show, with where it is (fields no output shows are left out)."""
    if isinstance(value, Text):
        yield path, str(value)
        yield from ((f"{path}.slide", s) for s in value.slide.values())
        yield from ((f"{path}.{lang}", s) for lang, s in value.translations.items())
    elif isinstance(value, str):
        yield path, value
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _shown_strings(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _shown_strings(item, f"{path}.{key}")
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in NOT_SHOWN:
                yield from _shown_strings(getattr(value, name), f"{path}.{name}" if path else name)


def test_no_internal_wording_in_any_text_an_output_shows(project):
    content = project.content
    failures = []
    for kind in ("tools", "question_groups", "quotes", "roleplays", "definitions", "programmes", "orgs"):
        for item_id, item in getattr(content, kind).items():
            for where, text in _shown_strings(item):
                if INTERNAL.search(text):
                    failures.append(f"{kind} {item_id} {where}: {INTERNAL.search(text).group(0)!r} in {text[:100]!r}")
    assert failures == [], "\n".join(failures)


# Worksheet parts that are labels (scaffolding): `editorial: [worksheet]` on the tool marks them
# as a whole. A worksheet's instructions, prompts, checklist items and text are prose: each is the
# seed's words or marked itself ({da: …, editorial: true} or from:).
WORKSHEET_LABELS = {"title", "heading", "columns", "rows", "column_labels", "row_labels", "cells", "fields"}
# Fields that are metadata, not text a participant reads as the source's: composed citations.
METADATA = {"source"}


class Seed:
    """A seed's words as one run of letters and digits, with the places where a word starts or ends,
    so that a text is found only as whole words ("Dato" is not found inside "kandidatord")."""

    def __init__(self, raw: str):
        raw = unicodedata.normalize("NFC", raw).casefold()
        chars, bounds, previous = [], {0}, ""
        for ch in raw:
            if ch.isalnum():
                if previous and (previous.isdigit() != ch.isdigit()):
                    bounds.add(len(chars))  # "19HVAD KAN VI": a page number glued to a heading
                chars.append(ch)
                previous = ch
            else:
                bounds.add(len(chars))  # also inside "fl ere", "ned-\nsat": more places, never fewer
                previous = ""
        self.text = "".join(chars)
        self.bounds = bounds
        self.bounds.add(len(self.text))

    def __contains__(self, needle: str) -> bool:
        if not needle:
            return True
        start = self.text.find(needle)
        while start != -1:
            if start in self.bounds and start + len(needle) in self.bounds:
                return True
            start = self.text.find(needle, start + 1)
        return False


def _walk(value, path, owner, owner_path):
    """(key path, Text, the nearest object that can list it in `editorial`, the path below that object)."""
    if isinstance(value, Text):
        yield path, value, owner, owner_path
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]", owner, f"{owner_path}[{index}]")
    elif isinstance(value, BaseModel):
        is_owner = "editorial" in type(value).model_fields and isinstance(getattr(value, "editorial"), list)
        for name in type(value).model_fields:
            if name in NOT_SHOWN or name in METADATA:
                continue
            sub = f"{path}.{name}" if path else name
            if is_owner:
                yield from _walk(getattr(value, name), sub, value, name)
            else:
                yield from _walk(getattr(value, name), sub, owner, f"{owner_path}.{name}")


def _field_marked(owner, owner_path: str) -> bool:
    """The owner's `editorial: [field, …]` names the field the text is in, or a path above it
    (`worksheet.instructions`, `worksheet.sections[3].prompts`); plain `worksheet` marks the
    worksheet's labels only, not its prose."""
    for entry in getattr(owner, "editorial", []):
        if entry == "worksheet":
            parts = re.findall(r"[A-Za-z_]+", owner_path)
            if parts[0] == "worksheet" and len(parts) > 1 and (parts[-1] in WORKSHEET_LABELS or "rows" in parts):
                return True
        elif owner_path == entry or owner_path.startswith((entry + ".", entry + "[")):
            return True
    return False


def shown_texts(content):
    """(file, key path, Text, owner, path below the owner, seed file) for every text a kit shows."""
    def items():
        for kind in ("tools", "question_groups", "quotes", "roleplays", "definitions"):
            for item in getattr(content, kind).values():
                yield item, item.seed
        for programme in content.programmes.values():
            yield programme, programme.seed
    for item, seed in items():
        for path, text, owner, owner_path in _walk(item, "", item, ""):
            yield item.origin.file, f"{getattr(item, 'id', '')}: {path}", text, owner, owner_path, seed


def unmarked_strings(content, seeds: dict[str, "Seed"]) -> list[str]:
    """Every shown text that is neither found in its seed nor marked, as "file  key path: text"."""
    offenders = []
    for file, where, text, owner, owner_path, seed_name in shown_texts(content):
        seed = seeds.get(seed_name or "")
        problem = None
        if text.condenses:
            if seed is None or not in_seed(text.condenses, seed):
                problem = f"its from: is not in {seed_name}: {text.condenses[:100]!r}"
        elif text.editorial or _field_marked(owner, owner_path):
            continue
        elif seed is None:
            problem = f"names no seed, and is not marked: {str(text)[:100]!r}"
        elif not in_seed(str(text), seed):
            problem = f"not in {seed_name} and not marked: {str(text)[:100]!r}"
        if problem:
            offenders.append(f"{file}  {where}: {problem}")
        # a slide text is an editorial condensation by definition (`slide:` says so); a translation
        # of a text that passes needs no mark
    return offenders


@pytest.fixture(scope="module")
def seed_words() -> dict[str, Seed]:
    return {path.name: Seed(path.read_text(encoding="utf-8")) for path in SEEDS.glob("*.txt")}


def test_every_text_a_kit_shows_is_found_in_its_seed_or_marked(project, seed_words):
    """Issue 24: every string leaf under content/ that a kit shows is the seed's words (glyphs,
    whitespace, line-break hyphenation and ligature splits set aside) or says it is not:
    ``editorial: true``, ``from:`` the seed sentence it condenses, or its object's ``editorial: [field]``."""
    unloaded = [f"{f.file}:{f.line}: {f.message}" for f in project.findings
                if f.severity == "error" and str(f.file or "").endswith(".yaml")]
    assert unloaded == [], "a content file that does not load escapes this check:\n" + "\n".join(unloaded)
    offenders = unmarked_strings(project.content, seed_words)
    assert offenders == [], f"{len(offenders)} texts are neither in their seed nor marked:\n" + "\n".join(offenders)


def test_the_seeds_own_durations_for_the_three_prototypes(project):
    tools = project.content.tools
    assert tools["styrk-din-dialog-med-naermeste-leder"].duration_minutes == 90  # "2 x 45 minutter pr. gang"
    assert tools["styrk-ledelsesgruppen"].duration_minutes == 120  # "Ca. 2 timers møde …"
    assert "30 minutters forberedelse" in tools["styrk-ledelsesgruppen"].facilitator_notes
    assert tools["styrk-jeres-organisation"].duration_minutes == 180  # "Fra 3 timer"
    invented = [t.id for t in tools.values() if t.duration_minutes and t.id not in {
        "styrk-din-dialog-med-naermeste-leder", "styrk-ledelsesgruppen", "styrk-jeres-organisation"}
        and "duration_minutes" not in t.editorial]
    assert invented == []


def test_role_play_and_definition_are_their_own_kinds(project):
    content = project.content
    roleplay = content.roleplays["en-ledergruppe-for-nylig"]
    assert [line.speaker for line in roleplay.lines] == [
        "Leder-fokusperson", "Leder-fokusperson", "Lederkollega 1", "Lederkollega 2", "Lederkollega 3"]
    monologue = str(roleplay.lines[1].line)
    assert monologue.startswith("”Jeg bliver nok mest presset") and monologue.endswith("presset af det…”.")
    assert "en-ledergruppe-for-nylig" in content.tools["trivsel-og-stressprofilen"].roleplays
    assert not [q for q in content.quotes.values() if "ledergruppe for nylig" in str(q.attribution)]
    definition = content.definitions["psykologisk-sikkerhed-edmondson"]
    assert str(definition.text).startswith("En fælles tro på") and "Mangel på" not in definition.text
    assert definition.attribution == "Amy Edmondson" and definition.attribution.condenses == "Amy Edmundson"
    assert "Edmondson" in definition.editor_note


def test_programmes_show_diagrams_and_run_the_2021_workshops_as_the_seed(project):
    content = project.content

    def diagram_tools(programme_id):
        return {use.id for block in content.programmes[programme_id].blocks for use in block.tools
                if content.tools[use.id].diagram is not None}

    assert len(diagram_tools("stressforebyggelse-iglo")) >= 2
    assert len(diagram_tools("ledertrivsel-workshop-2021-02-24")) >= 1
    kk = {block.id: block for block in content.programmes["ledertrivsel-workshop-2021-02-24"].blocks}
    assert kk["velkomst"].questions == ["ws-gd1-udbrede-de-tre-tiltag", "ws-gd2-loefte-udover-tiltagene"]
    assert kk["workshops"].tools == [] and kk["workshops"].questions == kk["velkomst"].questions
    assert {use.use for use in kk["tiltag"].tools} == {"present"}
    for programme in content.programmes.values():
        for block in programme.blocks:
            assert len(block.quotes) <= 2, (programme.id, block.id, "one quote slide per block")
