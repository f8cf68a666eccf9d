"""kitgen translate export|import: PO files out, {da, en} fields back in, comments kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib
import pytest

from kitgen.content.load import load_content
from kitgen.build.translate import export, import_po

ROOT = Path(__file__).resolve().parent.parent


def _kitgen(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "kitgen", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture()
def exported(content_copy, tmp_path):
    po_path = tmp_path / "kk-en.po"
    count = export(content_copy, "KK", "en", po_path)
    return content_copy, po_path, count


def _fill(po_path: Path, prefix: str = "EN: ") -> polib.POFile:
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = prefix + entry.msgid
    po.save(str(po_path))
    return po


def test_export_lists_every_text_the_kit_shows_with_file_and_key_path(exported):
    content, po_path, count = exported
    po = polib.pofile(str(po_path))
    assert count == len(po) > 100
    assert po.metadata["Language"] == "en"
    contexts = [entry.msgctxt for entry in po]
    assert len(set(contexts)) == len(contexts)
    assert all(":" in c and c.startswith("content/") for c in contexts)
    kinds = {c.split("/")[1] for c in contexts}
    assert {"programmes", "tools", "questions"} <= kinds
    assert any(":worksheet." in c for c in contexts), "worksheet labels are exported"
    assert any(":diagram." in c for c in contexts), "diagram labels are exported"
    assert any(c.endswith("#slide") for c in contexts), "short slide texts are exported"
    first = po[0]
    assert first.tcomment and "shown in" in first.tcomment
    assert first.occurrences and first.occurrences[0][1].isdigit()


def test_import_writes_translations_keeping_comments_and_provenance(exported):
    content, po_path, count = exported
    before = {p: p.read_text(encoding="utf-8") for p in content.rglob("*.yaml")}
    _fill(po_path)
    report = import_po(content, po_path)
    assert report.problems == []
    assert report.written == count
    for path, text in before.items():
        comments = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
        after = path.read_text(encoding="utf-8")
        for comment in comments:
            assert comment in after, f"{path.name} lost its comment {comment!r}"
    loaded, findings = load_content(content)
    assert [f.message for f in findings if f.severity == "error"] == []
    # Nothing left to translate; provenance (from:, editorial, slide:) is kept beside the translation.
    assert export(content, "KK", "en", po_path.with_name("again.po")) == 0
    for key in ("from:", "editorial", "slide:"):
        assert sum(t.count(key) for t in before.values()) == sum(p.read_text(encoding="utf-8").count(key) for p in before)
    slides = [t for tool in loaded.tools.values() for t in tool.steps if t.slide and t.has("en")]
    assert slides and all("en" in t.slide and t.slide["en"].startswith("EN: ") for t in slides)


def test_the_english_kit_shows_the_imported_translations(exported, tmp_path):
    content, po_path, _count = exported
    _fill(po_path)
    import_po(content, po_path)
    org = content / "orgs" / "KK.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("language: da", "language: en"), encoding="utf-8")
    assert "language: en" in org.read_text(encoding="utf-8")
    result = _kitgen("build", "--org", "KK", "--content", str(content), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    from pptx import Presentation

    deck = Presentation(str(tmp_path / "out" / "KK" / "deck.pptx"))
    titles = [s.shapes.title.text_frame.text for s in deck.slides if s.shapes.title is not None]
    assert any(t.startswith("EN: ") for t in titles), titles


def test_a_source_text_changed_since_the_export_is_reported_not_overwritten(exported):
    content, po_path, _count = exported
    po = _fill(po_path)
    changed = next(e for e in po if e.msgctxt.endswith(":title") and "programmes/" in e.msgctxt)
    file = content / changed.msgctxt.split(":")[0][len("content/"):]
    file.write_text(file.read_text(encoding="utf-8").replace(changed.msgid, changed.msgid + " (ny)", 1), encoding="utf-8")
    report = import_po(content, po_path)
    assert len(report.problems) == 1
    where, line, message = report.problems[0]
    assert where == changed.msgctxt.split(":")[0] and isinstance(line, int) and "changed since the export" in message
    assert changed.msgid + " (ny)" in file.read_text(encoding="utf-8")
    assert "EN: " + changed.msgid not in file.read_text(encoding="utf-8")
    assert report.written == len(po) - 1


def test_a_danish_title_with_a_comma_and_a_colon_round_trips(content_copy, tmp_path):
    po_path = tmp_path / "x.po"
    export(content_copy, "BFA", "en", po_path)
    po = polib.pofile(str(po_path))
    chosen = next(e for e in po if e.msgctxt.startswith("content/tools/") and e.msgctxt.endswith(":steps[0]"))
    for entry in po:
        entry.msgstr = "Level: individual, group, management – and: organisation" if entry is chosen else ""
    po.save(str(po_path))
    report = import_po(content_copy, po_path)
    assert report.written == 1 and report.problems == []
    loaded, findings = load_content(content_copy)
    assert [f.message for f in findings if f.severity == "error"] == []
    tool_id = chosen.msgctxt.split("/")[-1].split(".yaml")[0]
    tool = next(t for t in loaded.tools.values() if t.origin.file.endswith(f"{tool_id}.yaml"))
    assert tool.steps[0].get("en") == "Level: individual, group, management – and: organisation"
    assert str(tool.steps[0]) == chosen.msgid


def test_cli_export_and_import(content_copy, tmp_path):
    po_path = tmp_path / "kk.po"
    done = _kitgen("translate", "export", "--org", "KK", "--lang", "en", "--out", str(po_path), "--content", str(content_copy))
    assert done.returncode == 0, done.stderr
    assert "texts to translate" in done.stdout and "kitgen translate import" in done.stdout
    _fill(po_path)
    done = _kitgen("translate", "import", str(po_path), "--content", str(content_copy))
    assert done.returncode == 0, done.stderr
    assert "translations into" in done.stdout
    wrong = _kitgen("translate", "export", "--org", "KX", "--lang", "en", "--out", str(po_path), "--content", str(content_copy))
    assert wrong.returncode == 2 and "unknown organisation 'KX'" in wrong.stderr and "Traceback" not in wrong.stderr
    garbage = tmp_path / "bad.po"
    garbage.write_bytes(b"\xff\xfe not a po file")
    done = _kitgen("translate", "import", str(garbage), "--content", str(content_copy))
    assert done.returncode in (1, 2) and "Traceback" not in done.stderr


def test_a_variants_own_texts_are_exported_and_what_it_drops_is_not(content_copy, tmp_path):
    variant = content_copy / "programmes" / "nord-kort.yaml"
    variant.write_text("id: nord-kort\nextends: ledertrivsel-workshop-2021-02-24\ndrop: [hovedkonklusioner]\n"
                       "override:\n  velkomst: {notes: Byd velkommen til Nordby.}\n", encoding="utf-8")
    org = content_copy / "orgs" / "KK.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("programme: ledertrivsel-workshop-2021-02-24",
                                                           "programme: nord-kort"), encoding="utf-8")
    po_path = tmp_path / "v.po"
    export(content_copy, "KK", "en", po_path)
    po = polib.pofile(str(po_path))
    contexts = {e.msgctxt: e for e in po}
    assert contexts["content/programmes/nord-kort.yaml:override.velkomst.notes"].msgid == "Byd velkommen til Nordby."
    assert not any("Præsentation af hovedkonklusioner" == e.msgid for e in po), "a dropped block's title is not shown"
    base_notes = [c for c in contexts if c.startswith("content/programmes/ledertrivsel") and c.endswith("blocks[0].notes")]
    assert not base_notes, "the overridden notes of the base are not shown"
    for entry in po:
        entry.msgstr = "EN: " + entry.msgid if "nord-kort" in entry.msgctxt else ""
    po.save(str(po_path))
    report = import_po(content_copy, po_path)
    assert report.problems == [] and report.written == 1
    loaded, findings = load_content(content_copy)
    assert not [f for f in findings if f.severity == "error"]
    assert "EN: Byd velkommen til Nordby." in variant.read_text(encoding="utf-8")


def test_a_translation_with_a_line_separator_adds_no_key(content_copy, tmp_path):
    po_path = tmp_path / "x.po"
    export(content_copy, "KK", "en", po_path)
    po = polib.pofile(str(po_path))
    chosen = next(e for e in po if e.msgctxt.endswith(":title") and "programmes/" in e.msgctxt)
    for entry in po:
        entry.msgstr = "Welcome\u2028programme: hijacked\u2029date: 1999-01-01" if entry is chosen else ""
    po.save(str(po_path))
    report = import_po(content_copy, po_path)
    assert report.problems == [] and report.written == 1
    loaded, findings = load_content(content_copy)
    assert not [f for f in findings if f.severity == "error"]
    programme_id = chosen.msgctxt.split("/")[-1].split(".yaml")[0]
    programme = loaded.programmes[programme_id]
    assert programme.title.get("en") == "Welcome\u2028programme: hijacked\u2029date: 1999-01-01"
    assert programme.date is None or programme.date.year != 1999
