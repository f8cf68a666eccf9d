"""Two languages: untranslated texts are warnings for an English org, and the English kit has no Danish labels."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml
from docx import Document
from pptx import Presentation

from conftest import CONTENT, LAYOUTS, ROOT
from kitgen.build.pipeline import Project, build_org

PROGRAMME = """\
id: p
title: {da: Workshop, en: Workshop}
slot: {start: "09:00", end: "10:00"}
blocks:
  - id: velkomst
    minutes: 30
    title: {da: Velkomst, en: Welcome}
    kind: welcome
    points:
      - {da: Dagens formål, en: The purpose of the day}
      - Program for dagen
    notes: {da: Byd velkommen., en: Welcome everyone.}
  - id: afrunding
    minutes: 30
    title: Afrunding
    kind: closing
    notes: {da: Tak for i dag., en: Thank you.}
"""


def kitgen(*args, cwd=ROOT):
    done = subprocess.run([sys.executable, "-m", "kitgen", *args], cwd=cwd, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def _content(tmp_path: Path, language: str) -> Path:
    root = tmp_path / "content"
    (root / "programmes").mkdir(parents=True)
    (root / "orgs").mkdir()
    (root / "programmes" / "p.yaml").write_text(PROGRAMME, encoding="utf-8")
    (root / "orgs" / "EN.yaml").write_text(f"id: EN\nname: English Ltd\nprogramme: p\nlanguage: {language}\n", encoding="utf-8")
    return root


def test_each_untranslated_text_is_a_warning_counted_unless_verbose(tmp_path):
    root = _content(tmp_path, "en")
    args = ("validate", "--org", "EN", "--content", str(root), "--layouts", str(LAYOUTS))
    code, out = kitgen(*args, cwd=tmp_path)
    assert code == 0, out
    assert "0 errors, 2 warnings" in out and "(2 untranslated texts and the info findings not listed; --verbose lists them)" in out
    assert "[language/untranslated]" not in out
    code, out = kitgen(*args, "--verbose", cwd=tmp_path)
    listed = [line for line in out.splitlines() if "[language/untranslated]" in line]
    assert listed == [
        "warning content/programmes/p.yaml:9 (blocks[0].points[1]): programme 'p': blocks[0].points[1] has no English "
        "text, so EN's kit shows the Danish; give it as {da: …, en: …} [language/untranslated]",
        "warning content/programmes/p.yaml:15 (blocks[1].title): programme 'p': blocks[1].title has no English "
        "text, so EN's kit shows the Danish; give it as {da: …, en: …} [language/untranslated]",
    ], out
    assert kitgen(*args, "--strict", cwd=tmp_path)[0] == 1
    code, out = kitgen("validate", "--org", "EN", "--content", str(_content(tmp_path / "da", "da")), "--layouts",
                       str(LAYOUTS), "--verbose", cwd=tmp_path / "da")
    assert "language/untranslated" not in out


def _danish_labels() -> list[str]:
    """Fixed Danish labels that differ from the English ones (months, headings, activity names …)."""
    da = yaml.safe_load((LAYOUTS / "labels" / "da.yaml").read_text(encoding="utf-8"))
    en = yaml.safe_load((LAYOUTS / "labels" / "en.yaml").read_text(encoding="utf-8"))
    english = {str(x) for v in en.values() for x in (v if isinstance(v, list) else [v])}
    found = {str(x) for v in da.values() for x in (v if isinstance(v, list) else [v])}
    return sorted(w for w in found - english if len(w) > 2 and "{" not in w)


def _texts(kit: Path) -> dict[str, str]:
    deck = Presentation(str(kit / "deck.pptx"))
    slides = []
    for slide in deck.slides:
        slides += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        slides += [c.text for s in slide.shapes if s.has_table for r in s.table.rows for c in r.cells]
        if slide.has_notes_slide:
            slides.append(slide.notes_slide.notes_text_frame.text)
    out = {"deck.pptx": "\n".join(slides)}
    for name in ("worksheets.docx", "facilitator-notes.docx"):
        if not (kit / name).is_file():  # a programme without worksheets has no worksheets file
            continue
        document = Document(str(kit / name))
        parts = [p.text for p in document.paragraphs]
        parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
        for section in document.sections:
            parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
        out[name] = "\n".join(parts)
    return out


def test_the_english_demo_kit_has_no_danish_fixed_text(tmp_path):
    project = Project.load(CONTENT, LAYOUTS)
    result = build_org(project, "DEMO-EN", tmp_path, force=True)
    assert result.status == "built", [f.message for f in result.findings if f.severity == "error"]
    assert not [f for f in result.findings if f.rule == "language/untranslated"]
    labels = _danish_labels()
    assert {"Program", "Pause", "Tak for i dag", "Drejebog", "Sig og gør"} <= set(labels)
    texts = _texts(tmp_path / "DEMO-EN")
    assert not (tmp_path / "DEMO-EN" / "worksheets.docx").exists(), "no worksheets in the programme: no worksheets file"
    for name, text in texts.items():
        danish = [w for w in labels if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
        assert danish == [], (name, danish)
    assert "Thank you" in texts["deck.pptx"] and "Why is the leadership team the answer?" in texts["deck.pptx"]
    assert "Run-sheet" in texts["facilitator-notes.docx"] or "Say and do" in texts["facilitator-notes.docx"]


BREAK = """\
id: p
title: {da: Workshop, en: Workshop}
slot: {start: "09:00", end: "10:00"}
blocks:
  - {id: a, minutes: 25, title: {da: Velkomst, en: Welcome}, kind: welcome, notes: {da: Byd velkommen., en: Welcome.}}
  - {id: kaffe, minutes: 10, title: Kaffepause, kind: break}
  - {id: b, minutes: 25, title: {da: Afrunding, en: Closing}, kind: closing, notes: {da: Tak., en: Thanks.}}
"""


def test_the_agenda_and_the_break_slide_call_a_break_the_same(tmp_path):
    for language, expected in (("da", "Kaffepause"), ("en", "Break")):
        root = _content(tmp_path / language, language)
        (root / "programmes" / "p.yaml").write_text(BREAK, encoding="utf-8")
        result = build_org(Project.load(root, LAYOUTS), "EN", tmp_path / language / "out", force=True)
        assert result.status == "built", [f.message for f in result.findings if f.severity == "error"]
        deck = Presentation(str(tmp_path / language / "out" / "EN" / "deck.pptx"))
        slide = next(s for s in deck.slides if s.shapes.title is not None and s.shapes.title.text in ("Program", "Programme"))
        agenda = [line for s in slide.shapes if s.has_text_frame for line in s.text_frame.text.split("\n")]
        clock = "09.25–09.35" if language == "da" else "09:25–09:35"  # as each language writes a time
        assert f"{clock}\t{expected}" in agenda, agenda
        titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
        assert expected in titles, titles
        run_sheet = Document(str(tmp_path / language / "out" / "EN" / "facilitator-notes.docx")).tables[0]
        assert expected in [row.cells[2].text for row in run_sheet.rows], [row.cells[2].text for row in run_sheet.rows]


def test_an_english_kits_word_files_and_deck_properties_carry_the_english_title(tmp_path):
    """The run-sheet's heading, the Word files' titles and the deck's properties said 'PS - Indsatsen'
    in the English demo kit: the plan's title is the programme title in the org's language."""
    from pptx import Presentation as _Presentation

    from kitgen.build.pipeline import Project as _Project, build_org as _build_org

    root = Path(__file__).resolve().parent.parent
    result = _build_org(_Project.load(root / "content", root / "layouts"), "DEMO-EN", tmp_path, force=True)
    assert result.status == "built"
    notes = Document(str(tmp_path / "DEMO-EN" / "facilitator-notes.docx"))
    assert notes.paragraphs[1].text == "The PS initiative against stress"  # the English title (content/programmes/ps-indsatsen-short-en.yaml)
    assert "Indsatsen" not in notes.core_properties.title
    deck = _Presentation(str(tmp_path / "DEMO-EN" / "deck.pptx"))
    assert "Indsatsen" not in deck.core_properties.title and "Hvorfor" not in deck.core_properties.subject
