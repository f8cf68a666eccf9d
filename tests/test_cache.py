"""What kitgen keeps between kits and runs (kitgen.cache) and how it repacks files (kitgen.zippack):
never a different kit than without them."""

from __future__ import annotations

import io
import zipfile

import pytest
from pydantic import TypeAdapter

from kitgen import cache
from kitgen.diagrams.schema import Diagram
from kitgen.render.diagrams import png
from kitgen.zippack import repack

MATRIX = {"kind": "matrix", "title": "Kort", "rows": ["Høj", "Lav"], "columns": ["Lav", "Høj"],
          "cells": [["Fokuser", "Hold fast"], ["Overvej", "Forstå"]]}


def diagram(data):
    return TypeAdapter(Diagram).validate_python(data)


@pytest.fixture()
def on(tmp_path, monkeypatch):
    """The cache switched on, in a folder of this test's own."""
    monkeypatch.delenv("KITGEN_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(cache, "_MEMORY", {})
    return tmp_path / "xdg" / "kitgen"


def test_a_diagram_differing_only_in_its_english_labels_gets_its_own_picture(on):
    danish_only = diagram(MATRIX)
    translated = diagram(MATRIX | {"cells": [[{"da": "Fokuser", "en": "Focus"}, "Hold fast"], ["Overvej", "Forstå"]]})
    first = png(danish_only, 900, 500, language="en", font_file=None)
    second = png(translated, 900, 500, language="en", font_file=None)
    assert first != second  # the English kit shows "Focus", not the Danish picture from the cache
    assert len(list((on / "diagram-png").iterdir())) == 2


def test_a_cached_picture_is_the_picture_rendered_without_cache(on, monkeypatch):
    cached_run = png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    monkeypatch.setattr(cache, "_MEMORY", {})
    from_disk = png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    monkeypatch.setenv("KITGEN_NO_CACHE", "1")
    assert cached_run == from_disk == png(diagram(MATRIX), 900, 500, language="da", font_file=None)


def test_a_damaged_cache_entry_is_made_again(on, monkeypatch):
    good = png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    (entry,) = (on / "diagram-png").iterdir()
    entry.write_bytes(good[: len(good) // 2])  # a half-written file, as after a full disk
    monkeypatch.setattr(cache, "_MEMORY", {})
    assert png(diagram(MATRIX), 900, 500, language="da", font_file=None) == good


def test_kitgen_no_cache_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("KITGEN_NO_CACHE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    png(diagram(MATRIX), 900, 500, language="da", font_file=None)
    assert not (tmp_path / "xdg").exists()


def _zipfile_reference(data: bytes) -> bytes:
    """What kitgen wrote before zippack: every part inflated and deflated again by zipfile."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr, info.create_system = zipfile.ZIP_DEFLATED, 0o644 << 16, 0
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()


def test_repacking_gives_the_bytes_zipfile_gives_and_a_readable_package():
    original = io.BytesIO()
    with zipfile.ZipFile(original, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>" * 200)
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(zipfile.ZipInfo("word/media/billede-æ.png"), b"\x89PNG" + bytes(range(256)) * 20,
                   compress_type=zipfile.ZIP_STORED)  # stored by another program: deflated here
        z.writestr("word/empty.xml", "")
    data = original.getvalue()
    repacked = repack(data)
    assert repacked == _zipfile_reference(data)
    package = zipfile.ZipFile(io.BytesIO(repacked))
    assert package.testzip() is None
    assert package.namelist()[0] == "[Content_Types].xml"
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in package.infolist())
    assert package.read("word/media/billede-æ.png") == b"\x89PNG" + bytes(range(256)) * 20


def test_a_built_deck_repacks_to_the_same_bytes(kits):
    deck = (kits / "KK" / "deck.pptx").read_bytes()
    assert repack(deck) == deck == _zipfile_reference(deck)


# --- content files kept parsed (kitgen.loadcache) and compiled note templates (kitgen.text) ----------


def _load_fresh_process(content):
    """load_content as a new process sees it: nothing kept in this process, only the disk pack."""
    from kitgen import loadcache
    from kitgen.load import load_content

    loadcache._PROCESS.clear()
    return load_content(content)


def test_an_unchanged_content_file_is_not_parsed_again(on, content_copy, monkeypatch):
    first, first_findings = _load_fresh_process(content_copy)
    from kitgen import yamlfile

    monkeypatch.setattr(yamlfile, "_parse", lambda text: pytest.fail("an unchanged file was parsed again"))
    again, again_findings = _load_fresh_process(content_copy)
    assert again.model_dump() == first.model_dump() and again.sources == first.sources
    assert again.tools["belastningskurven"].title.translations == first.tools["belastningskurven"].title.translations
    assert again_findings == first_findings


def test_an_edited_file_is_read_anew_and_its_new_mistake_reported(on, content_copy):
    _load_fresh_process(content_copy)
    path = content_copy / "tools" / "belastningskurven.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title:", "title: Ny titel\nold_title:", 1), encoding="utf-8")
    _, findings = _load_fresh_process(content_copy)
    assert any(f.file.endswith("belastningskurven.yaml") and f.field == "old_title" for f in findings), findings
    path.write_text(text, encoding="utf-8")
    content, findings = _load_fresh_process(content_copy)
    assert not [f for f in findings if f.severity == "error"]
    assert content.tools["belastningskurven"].title != "Ny titel"


def test_a_file_mistake_kept_in_the_cache_is_reported_every_time(on, content_copy):
    (content_copy / "quotes" / "broken.yaml").write_text("quotes: [\n", encoding="utf-8")
    _, first = _load_fresh_process(content_copy)
    _, second = _load_fresh_process(content_copy)
    assert [f for f in first if "broken.yaml" in f.file] == [f for f in second if "broken.yaml" in f.file] != []


def test_each_load_gets_its_own_objects(on, content_copy):
    from kitgen.load import load_content

    first, _ = load_content(content_copy)
    first.tools["belastningskurven"].steps.append("changed by the first run")
    second, _ = load_content(content_copy)  # from this process's memory
    assert "changed by the first run" not in second.tools["belastningskurven"].steps


def test_a_damaged_content_pack_is_ignored(on, content_copy):
    expected, _ = _load_fresh_process(content_copy)
    (pack,) = (on / "content").iterdir()
    pack.write_bytes(pack.read_bytes()[:100])
    again, findings = _load_fresh_process(content_copy)
    assert again.model_dump() == expected.model_dump() and not [f for f in findings if f.severity == "error"]


def test_a_note_template_compiled_in_an_earlier_run_renders_the_same(on, monkeypatch):
    from kitgen import text

    source = "{{ org.name | upper }} kl. {{ '08:30' | clock }}{% for x in items %} {{ x }}{% endfor %}"
    context = {"org": {"name": "Ærø Kommune"}, "items": [1, 2], "language": "da"}
    text._compile.cache_clear()
    made = text.render_text(source, context)
    text._compile.cache_clear()
    monkeypatch.setattr(cache, "_MEMORY", {})
    monkeypatch.setattr(text._ENV, "compile", lambda *a, **k: pytest.fail("compiled again"))
    assert text.render_text(source, context) == made


def test_a_kept_layouts_file_gives_the_same_data_and_a_broken_one_its_finding_every_time(on, tmp_path):
    from kitgen.yamlfile import YamlProblem, read_yaml, read_yaml_kept

    good = tmp_path / "labels.yaml"
    good.write_text("title: Øvelse\nitems:\n  - en\n  - to\n", encoding="utf-8")
    first, again = read_yaml_kept(good), read_yaml_kept(good)
    assert first == again == read_yaml(good) and again.key_lines == {"title": 1, "items": 2} and again["items"].line == 3
    good.write_text("title: Ændret\n", encoding="utf-8")
    assert read_yaml_kept(good) == {"title": "Ændret"}
    bad = tmp_path / "broken.yaml"
    bad.write_text("title: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(YamlProblem) as problem:
            read_yaml_kept(bad)
        assert problem.value.finding.file.endswith("broken.yaml") and problem.value.finding.line


def test_a_cache_entry_another_user_could_have_written_is_not_read(on, content_copy, monkeypatch):
    """Entries hold pickles and compiled code: a group- or world-writable one is made anew, not read."""
    import kitgen.yamlparse

    expected, _ = _load_fresh_process(content_copy)
    (pack,) = (on / "content").iterdir()
    pack.chmod(0o666)

    parsed = []
    original = kitgen.yamlparse.parse_text
    monkeypatch.setattr(kitgen.yamlparse, "parse_text", lambda *a: parsed.append(a) or original(*a))
    again, _ = _load_fresh_process(content_copy)
    assert parsed and again.model_dump() == expected.model_dump()  # parsed anew, same content
    monkeypatch.setattr(cache, "_MEMORY", {})
    entry = on / "jinja"
    source = "{{ org.name }}"
    from kitgen import text

    text._compile.cache_clear()
    text.render_text(source, {"org": {"name": "A"}})
    for item in entry.iterdir():
        item.chmod(0o666)
    text._compile.cache_clear()
    monkeypatch.setattr(cache, "_MEMORY", {})
    compiled = []
    real = text._ENV.compile
    monkeypatch.setattr(text._ENV, "compile", lambda *a, **k: compiled.append(1) or real(*a, **k))
    assert text.render_text(source, {"org": {"name": "B"}}) == "B" and compiled


def test_a_repeated_build_parses_no_yaml_and_builds_no_schema(tmp_path):
    """What keeps a repeated `kitgen build --org KK --force` short: with its files kept parsed, the
    second process imports no PyYAML and builds no pydantic schema, and writes the same kit."""
    import os
    import subprocess
    import sys

    from conftest import CONTENT, LAYOUTS

    env = {k: v for k, v in os.environ.items() if k != "KITGEN_NO_CACHE"} | {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    script = ("import sys\nfrom kitgen.cli import main\ntry:\n    main(standalone_mode=False)\nexcept SystemExit:\n    pass\n"
              "import kitgen.model as m, pydantic\nfrom pydantic._internal._mock_val_ser import MockValSer\n"
              "built = sorted(n for n, c in vars(m).items() if isinstance(c, type) and issubclass(c, pydantic.BaseModel)"
              " and not isinstance(c.__pydantic_validator__, MockValSer))\n"
              "print('yaml' in sys.modules, built)")
    outputs = []
    for run in ("first", "second"):
        done = subprocess.run([sys.executable, "-c", script, "build", "--org", "KK", "--force", "--content", str(CONTENT),
                               "--layouts", str(LAYOUTS), "--out", str(tmp_path / run)],
                              capture_output=True, text=True, timeout=300, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        outputs.append(done.stdout.splitlines()[-1])
    assert outputs[0].startswith("True")  # the first build parses (and fills the cache)
    assert outputs[1] == "False []", outputs[1]
    for name in ("deck.pptx", "worksheets.docx", "facilitator-notes.docx"):
        assert (tmp_path / "first" / "KK" / name).read_bytes() == (tmp_path / "second" / "KK" / name).read_bytes()


def test_a_kept_template_inspection_is_the_inspection_and_says_this_profiles_findings(on, tmp_path, monkeypatch):
    import shutil
    import sys

    from conftest import FIXTURES, LAYOUTS

    from kitgen.templates import clean, inspect
    from kitgen.templates.clean import Where

    sys.path.insert(0, str(FIXTURES))
    import client_packages

    shutil.copyfile(LAYOUTS / "default" / "deck.pptx", tmp_path / "plain.pptx")
    template = client_packages.as_template(tmp_path / "plain.pptx", tmp_path / "kunde.potm", macros=True)
    first = inspect.inspect_template(template, Where("orgs/A.yaml", 3, "branding.pptx_template"))
    assert [f.rule for f in first.findings] == ["template/macros-removed"]
    monkeypatch.setattr(inspect, "_CACHE", {})
    monkeypatch.setattr(clean, "_CACHE", {})
    monkeypatch.setattr(cache, "_MEMORY", {})
    monkeypatch.setattr(inspect, "_open", lambda *a: pytest.fail("the template was opened again"))
    again = inspect.inspect_template(template, Where("orgs/B.yaml", 7, "branding.pptx_template"))
    assert again.layouts == first.layouts and again.masters == first.masters
    assert all(f.file == "orgs/B.yaml" and f.line == 7 for f in again.findings)
    assert [f.rule for f in again.findings] == [f.rule for f in first.findings]


def test_text_widths_kept_between_runs_are_the_measured_widths(on, monkeypatch):
    from kitgen import fit

    monkeypatch.setattr(fit, "_WIDTHS", {})
    monkeypatch.setattr(fit, "_MEASURED", set())
    words = ["Belastningskurven", "Æblegrød", "08.30–09.15\tVelkomst", "ﬁ"]
    measured = [fit.text_width_pt(w, "Carlito", 17.5, bold) for w in words for bold in (False, True)]
    fit.keep_measured()
    monkeypatch.setattr(fit, "_WIDTHS", {})  # a new process: only the disk
    monkeypatch.setattr(fit, "_font", lambda *a: pytest.fail("measured again"))
    assert [fit.text_width_pt(w, "Carlito", 17.5, bold) for w in words for bold in (False, True)] == measured


def test_a_kept_contrast_check_warns_as_the_check_does(on, monkeypatch):
    from conftest import CONTENT, LAYOUTS

    from kitgen.assemble import assemble
    from kitgen.build import Project
    from kitgen.validate import deck

    project = Project.load(CONTENT, LAYOUTS)
    org = project.content.orgs["KK"].model_copy(deep=True)
    org.branding = org.branding.model_copy(update={"primary_color": "#FFE680"})  # white title text on pale yellow
    plan = assemble(project.content, org, project.layouts)
    first = [f.message for f in deck.contrast(plan)]
    assert first and "4.5" in first[0]
    deck._pair.cache_clear()
    monkeypatch.setattr(cache, "_MEMORY", {})
    monkeypatch.setattr(deck, "_presentation", lambda *a: pytest.fail("the template was opened again"))
    assert [f.message for f in deck.contrast(plan)] == first


def test_kept_relationship_parts_give_the_same_deck(on, monkeypatch, project):
    from kitgen.render import pptxzip
    from kitgen.render.deck import render_deck
    from kitgen.validate import check_org

    _, plan = check_org(project.content, project.content.orgs["KK"], project.layouts, project.settings)
    for attr, value in (("_XML", pptxzip.OrderedDict()), ("_LOADED", []), ("_NEW", [])):
        monkeypatch.setattr(pptxzip, attr, value)
    first = render_deck(plan)
    assert (on / "pptx-xml").is_dir()
    for attr, value in (("_XML", pptxzip.OrderedDict()), ("_LOADED", []), ("_NEW", [])):
        monkeypatch.setattr(pptxzip, attr, value)  # a new process: only the pack on disk
    monkeypatch.setattr(pptxzip, "_content_types", lambda writer: pytest.fail("worked out again"))
    assert render_deck(plan) == first


def test_word_shapes_kept_between_runs_give_the_same_files(on, monkeypatch, project):
    from kitgen.render import stamps
    from kitgen.render.notes import render_notes
    from kitgen.render.worksheets import render_worksheets
    from kitgen.validate import check_org

    _, plan = check_org(project.content, project.content.orgs["KK"], project.layouts, project.settings)
    for attr, value in (("_KEPT", {}), ("_DISK", []), ("_NEW", {})):
        monkeypatch.setattr(stamps, attr, value)
    first = (render_worksheets(plan), render_notes(plan))
    stamps.keep_on_disk()
    for attr, value in (("_KEPT", {}), ("_DISK", []), ("_NEW", {})):
        monkeypatch.setattr(stamps, attr, value)  # a new process: only the pack on disk
    assert (render_worksheets(plan), render_notes(plan)) == first
    assert stamps._DISK[0] and not stamps._NEW  # every shape came from the pack; none was built again


def test_a_kept_diagram_group_is_inserted_without_working_the_figure_out(on, monkeypatch, project):
    import kitgen.render.diagrams as diagrams
    from kitgen.render.diagrams import pptx
    from kitgen.render.deck import render_deck
    from kitgen.validate import check_org

    _, plan = check_org(project.content, project.content.orgs["KK"], project.layouts, project.settings)
    monkeypatch.setattr(pptx, "_DRAWN", pptx.OrderedDict())
    first = render_deck(plan)
    monkeypatch.setattr(pptx, "_DRAWN", pptx.OrderedDict())  # a new process: only the disk
    monkeypatch.setattr(cache, "_MEMORY", {})
    monkeypatch.setattr(diagrams, "figure", lambda *a, **k: pytest.fail("the figure was worked out again"))
    assert render_deck(plan) == first
