"""The shipped content reads as edited Danish (review r5, text faults): one kind of quotation mark, dashes not
hyphens, no spaced slashes, quotes that do not look cut, block timings that cover their block, and source lines
a client can read. Each check walks the texts a kit shows (not `from:`, `editor_note` or `en:`)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

CONTENT = Path(__file__).resolve().parent.parent / "content"
NOT_SHOWN = {"from", "editor_note", "en", "seed", "id", "logo", "pptx_template", "docx_template", "materials_url",
             "line"}  # role-play lines: the notes print them without their quotation marks


@cache
def texts() -> tuple:
    """(file, key path, text) for every text leaf under content/ that a kit may show."""
    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in NOT_SHOWN:
                    yield from walk(item, [*path, str(key)])
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, [*path, str(index)])
        elif isinstance(value, str):
            yield ".".join(path), value

    return tuple((f"{file.relative_to(CONTENT)} {path}", text) for file in sorted(CONTENT.rglob("*.yaml"))
                 for path, text in walk(yaml.safe_load(file.read_text(encoding="utf-8")), []))


FAULTS = {
    "a spaced slash ('og/ eller', 'HR/ interne')": re.compile(r"\w/ \w|\w /\w"),
    "single quotes as quotation marks (’mindset’: write »mindset«)": re.compile(r"(?<!\w)[’‘]\w"),
    "”…” in Danish text (write »…«)": re.compile(r"[”“]"),
    "a hyphen used as a dash ('leverer - og': write –)": re.compile(r"\w - \w"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_no_text_has(fault):
    found = [f"{where}: …{FAULTS[fault].search(text).group(0)}…" for where, text in texts() if FAULTS[fault].search(text)]
    assert found == [], f"{fault}:\n" + "\n".join(found)


def test_a_quote_ends_on_its_punctuation_so_it_does_not_look_cut():
    """The notes add ' …' to a quote without final punctuation (an excerpt); a whole sentence ends on its stop."""
    cut = []
    for file in sorted((CONTENT / "quotes").glob("*.yaml")):
        for quote in yaml.safe_load(file.read_text(encoding="utf-8"))["quotes"]:
            text = quote["text"]["da"] if isinstance(quote["text"], dict) else quote["text"]
            text = text.strip()
            if text[0].isupper() and text[-1] not in ".!?…«»)\"":
                cut.append(f"{file.name} {quote['id']}: …{text[-30:]}")
    assert cut == [], "\n".join(cut)


_PART = re.compile(r"\((\d+) min\.\)")
_FIRST = re.compile(r"de første (\d+) minutter")


@pytest.mark.parametrize("programme", sorted(p.name for p in (CONTENT / "programmes").glob("*.yaml")))
def test_a_block_whose_notes_time_its_parts_times_all_of_it(programme):
    """KK 10.45 timed 25 + 25 + 15 of 75 minutes, AMK's Redskab 1 5 + 20 of 40: the parts a block's notes time add up
    to the block's minutes (review r5)."""
    data = yaml.safe_load((CONTENT / "programmes" / programme).read_text(encoding="utf-8"))
    short = []
    for block in data.get("blocks", []):
        notes = block.get("notes") or ""
        notes = notes.get("da", "") if isinstance(notes, dict) else notes
        parts = [int(m) for m in _PART.findall(notes)] + [int(m) for m in _FIRST.findall(notes)]
        if len(parts) >= 2 and sum(parts) != block["minutes"]:
            short.append(f"{block['id']}: {' + '.join(map(str, parts))} = {sum(parts)} of {block['minutes']} min.")
    assert short == [], "\n".join(short)


def test_source_lines_name_the_guide_as_a_client_reads_it():
    """'Kilde: BFA Industri: guide om … i Industrien' stood on every BFA sheet: no double colon, no capital mid-line,
    no internal section pointer ('(indledningen)')."""
    bad = [f"{where}: {text}" for where, text in texts()
           if re.search(r"(?:^|\.)(?:source|credit)(?:\.da)?$", where)
           and ("BFA Industri: guide" in text or "i Industrien" in text or "(indledningen)" in text)]
    assert bad == [], "\n".join(bad)


def test_a_title_says_the_programme_not_its_label():
    """AMK's cover read 'PS - Indsatsen' (a spaced hyphen and the programme's name as the workshop title)."""
    titles = {}
    for file in sorted((CONTENT / "programmes").glob("*.yaml")):
        title = yaml.safe_load(file.read_text(encoding="utf-8")).get("title")
        titles[file.name] = title.get("da") if isinstance(title, dict) else title
    assert not [t for t in titles.values() if t and " - " in t], titles
    assert titles["ps-indsatsen.yaml"] == "Stressforebyggelse i ledergruppen"
