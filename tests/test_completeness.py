"""Completeness rules and the loader's findings, on copies of the shipped content with one thing broken."""

from __future__ import annotations

import pytest

import re
from pathlib import Path

from conftest import LAYOUTS
from kitgen.build.pipeline import Project
from kitgen.validate import check_org


def findings_for(content: Path, org_id: str = "KK"):
    project = Project.load(content, LAYOUTS)
    found = list(project.findings)
    if not any(f.severity == "error" for f in found):
        found += check_org(project.content, project.content.orgs[org_id], project.layouts, project.settings)[0]
    return found


def by_rule(found, rule):
    return [f for f in found if f.rule == rule]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_shipped_content_is_clean_for_every_org(project):
    assert [f for f in project.findings if f.severity == "error"] == []
    for org in project.content.orgs.values():
        found, plan = check_org(project.content, org, project.layouts, project.settings)
        assert [f.message for f in found if f.severity == "error"] == [], org.id
        assert plan is not None and plan.slides


def test_unknown_tool_reference_names_block_and_suggests(content_copy):
    programme = content_copy / "programmes" / "ledertrivsel-workshop-2021-02-24.yaml"
    edit(programme, "{id: styrk-ledelsesgruppen, use: present}", "{id: styrk-ledelsesgrupen, use: present}")
    [finding] = by_rule(findings_for(content_copy), "refs/unknown-tool")
    assert "refers to tool 'styrk-ledelsesgrupen', which does not exist; did you mean 'styrk-ledelsesgruppen'?" in finding.message
    assert finding.file.endswith("ledertrivsel-workshop-2021-02-24.yaml") and finding.line
    assert re.fullmatch(r"blocks\[\d\]\.tools", finding.field)


def test_unknown_quote_and_question_references(content_copy):
    programme = content_copy / "programmes" / "ledertrivsel-workshop-2021-02-24.yaml"
    edit(programme, "      - ws-pres-hver-dag\n", "      - ws-findes-ikke\n")
    edit(programme, "      - ws-refleksion-haefter-jer-ved\n", "      - ws-findes-heller-ikke\n")
    found = findings_for(content_copy)
    assert "quote 'ws-findes-ikke'" in by_rule(found, "refs/unknown-quote")[0].message
    assert "question 'ws-findes-heller-ikke'" in by_rule(found, "refs/unknown-question")[0].message


def test_unknown_programme_in_org(content_copy):
    edit(content_copy / "orgs" / "KK.yaml", "programme: ledertrivsel-workshop-2021-02-24", "programme: ledertrivsel-2021")
    [finding] = by_rule(findings_for(content_copy), "refs/unknown-programme")
    assert "uses programme 'ledertrivsel-2021', which does not exist" in finding.message
    assert finding.file.endswith("KK.yaml") and finding.line == 4


def test_tool_without_purpose_steps_or_source(content_copy):
    tool = content_copy / "tools" / "iglo.yaml"
    text = tool.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^purpose:.*\n", "", text)
    text = re.sub(r"(?m)^source:.*\n(  .*\n)*", "", text)
    tool.write_text(text, encoding="utf-8")
    found = findings_for(content_copy)
    assert by_rule(found, "tools/missing-purpose")[0].message == "tool 'iglo' has no purpose"
    assert by_rule(found, "tools/missing-source")[0].message == "tool 'iglo' has no source"
    assert by_rule(found, "tools/missing-source")[0].file.endswith("tools/iglo.yaml")


def test_tool_marked_with_worksheet_but_without_one(content_copy):
    tool = content_copy / "tools" / "iglo.yaml"
    text = tool.read_text(encoding="utf-8")
    tool.write_text(text[: text.index("\nworksheet:")] + "\n", encoding="utf-8")
    [finding] = by_rule(findings_for(content_copy), "tools/missing-worksheet")
    assert "marked has_worksheet: true but has no worksheet" in finding.message


def content_findings(content: Path):
    """The content-wide findings only (loading and the content rules), without assembling a kit."""
    return list(Project.load(content, LAYOUTS).findings)


def test_a_quote_needs_a_source_but_not_an_attribution(content_copy):
    quotes = content_copy / "quotes" / "workshop-2021.yaml"
    text = quotes.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^    attribution:.*\n", "", text, count=1)  # the seed names no one: allowed
    quotes.write_text(re.sub(r"(?m)^    source:.*\n", "", text, count=1), encoding="utf-8")
    found = content_findings(content_copy)
    assert [f.rule for f in found if "attribution" in f.message] == []
    [finding] = by_rule(found, "quotes/missing-source")
    assert finding.severity == "error" and finding.file.endswith("workshop-2021.yaml")
    assert "quote 'ws-alfa-omega' has no source" in finding.message


def test_a_model_needs_no_steps_but_an_exercise_does(content_copy):
    tool = content_copy / "tools" / "ledelse-et-hoejrisikoarbejdsmiljoe.yaml"
    assert "kind: model" in tool.read_text(encoding="utf-8") and "steps:" not in tool.read_text(encoding="utf-8")
    assert by_rule(content_findings(content_copy), "tools/missing-steps") == []
    edit(tool, "kind: model", "kind: exercise")
    [finding] = by_rule(content_findings(content_copy), "tools/missing-steps")
    assert "has no steps" in finding.message and finding.file.endswith("ledelse-et-hoejrisikoarbejdsmiljoe.yaml")


def test_editor_notes_and_estimates_are_listed_as_information(content_copy):
    found = content_findings(content_copy)
    notes = by_rule(found, "content/editor-note")
    assert notes and all(f.severity == "info" for f in notes)
    edmondson = [f for f in notes if "psykologisk-sikkerhed-edmondson" in f.message]
    assert edmondson and "Edmondson" in edmondson[0].message and edmondson[0].field == "editor_note"
    estimates = by_rule(found, "content/editorial")
    assert any("programme 'ps-indsatsen'" in f.message and "minutes" in f.message for f in estimates)
    assert all(f.severity == "info" for f in estimates)


def test_block_without_notes_means_a_slide_without_notes(content_copy):
    programme = content_copy / "programmes" / "ledertrivsel-workshop-2021-02-24.yaml"
    text = programme.read_text(encoding="utf-8")
    start = text.index("    notes: |", text.index("title: Præsentation af hovedkonklusioner"))
    end = text.find("\n  - ", start)
    programme.write_text(text[:start] + (text[end:] if end != -1 else "\n"), encoding="utf-8")
    [finding] = by_rule(findings_for(content_copy), "slides/missing-notes")
    # the block's points slide, titled by its headline, carries the block's notes; kitgen's own lines do not count
    assert "'Krydspres præger lederes psykiske arbejdsmiljø' would have no speaker notes; write 'blocks[2].notes'" \
        in finding.message
    assert finding.file.endswith("ledertrivsel-workshop-2021-02-24.yaml")


def test_missing_logo_and_non_png_logo(content_copy):
    (content_copy / "orgs" / "KK" / "logo.png").unlink()
    [missing] = by_rule(findings_for(content_copy), "org/missing-file")
    assert "logo file 'KK/logo.png' does not exist" in missing.message and missing.field == "branding.logo"
    (content_copy / "orgs" / "KK" / "logo.png").write_text("<svg/>")
    [wrong] = by_rule(findings_for(content_copy), "org/wrong-file-type")
    assert "is an SVG drawing; kitgen takes PNG logos" in wrong.message and "Export" in wrong.message


def test_template_that_is_not_an_office_file(content_copy):
    """A .potx is welcome (kitgen.templates.clean opens it); one that is no Office package is not."""
    org = content_copy / "orgs" / "KK.yaml"
    edit(org, "  logo: KK/logo.png", "  logo: KK/logo.png\n  pptx_template: KK/brand.potx\n  docx_template: KK/brand.docx")
    (content_copy / "orgs" / "KK" / "brand.potx").write_bytes(b"PK\x03\x04 not really")
    (content_copy / "orgs" / "KK" / "brand.docx").write_text("hello")
    found = by_rule(findings_for(content_copy), "org/wrong-file-type")
    messages = " | ".join(f.message for f in found)
    assert "'brand.potx' is not an Office file (it is not a zip package)" in messages
    assert "'brand.docx' is not an Office file (it is not a zip package)" in messages
    assert {f.field for f in found} == {"branding.pptx_template", "branding.docx_template"}


def test_template_missing_a_layout_or_style(content_copy):
    from docx import Document
    from pptx import Presentation

    prs = Presentation()  # python-pptx's own default template, with its "Section Header" renamed away
    prs.slide_layouts.get_by_name("Section Header").name = "Afsnit"
    prs.save(content_copy / "orgs" / "KK" / "brand.pptx")
    document = Document()  # python-docx's default template, without "List Number"
    document.styles["List Number"].delete()
    document.save(content_copy / "orgs" / "KK" / "brand.docx")
    org = content_copy / "orgs" / "KK.yaml"
    edit(org, "  logo: KK/logo.png",
         "  logo: KK/logo.png\n  pptx_template: KK/brand.pptx\n  docx_template: KK/brand.docx")
    (content_copy / "orgs" / "KK" / "brand.yaml").write_text("layouts:\n  section: Section Header\n", encoding="utf-8")
    found = findings_for(content_copy)
    [layout] = by_rule(found, "template/missing-layout")
    assert "has no slide layout 'Section Header' (for section slides)" in layout.message
    assert "Afsnit" in layout.message and layout.file.endswith("brand.yaml") and layout.line == 2
    [style] = by_rule(found, "template/style-added")  # kitgen copies it from its default document
    assert style.severity == "info"
    assert "the Word template 'brand.docx' has no 'List Number'; kitgen adds it from its default document" in style.message
    assert style.field == "branding.docx_template" and style.file.endswith("KK.yaml")


def test_unused_content_is_information(project):
    unused = [f for f in project.findings if f.rule.startswith("content/unused")]
    assert unused and all(f.severity == "info" for f in unused)


def test_unknown_field_suggests_the_right_one(content_copy):
    edit(content_copy / "quotes" / "workshop-2021.yaml", "    attribution:", "    attribtion:")
    [finding] = by_rule(findings_for(content_copy), "schema/unknown-field")
    assert finding.message == "unknown field 'attribtion'; did you mean 'attribution'?"
    assert finding.file.endswith("workshop-2021.yaml") and finding.line and finding.field.startswith("quotes[4]")


def test_duplicate_id_across_files_points_at_both(content_copy):
    source = (content_copy / "tools" / "iglo.yaml").read_text(encoding="utf-8")
    (content_copy / "tools" / "iglo-copy.yaml").write_text(source, encoding="utf-8")
    [finding] = by_rule(findings_for(content_copy), "content/duplicate-id")
    assert "tool id 'iglo' is defined twice; first at" in finding.message
    # one file is named in the message, the other is the finding's own location
    assert {finding.message.rsplit("/", 1)[1].split(":")[0], Path(finding.file).name} == {"iglo.yaml", "iglo-copy.yaml"}


def test_template_layout_without_a_body_placeholder(content_copy):
    from pptx import Presentation

    from kitgen.build.default_layouts import build_deck_template

    path = content_copy / "orgs" / "KK" / "brand.pptx"
    build_deck_template(path)
    (content_copy / "orgs" / "KK" / "brand.yaml").write_text("layouts:\n  content: Title Only\n", encoding="utf-8")
    assert Presentation(str(path)).slide_layouts.get_by_name("Title Only") is not None
    edit(content_copy / "orgs" / "KK.yaml", "  logo: KK/logo.png", "  logo: KK/logo.png\n  pptx_template: KK/brand.pptx")
    [finding] = by_rule(findings_for(content_copy), "template/missing-placeholder")
    assert "slide layout 'Title Only' (master 1) of 'brand.pptx' has no text box (body or subtitle), so content slides would lose" in finding.message


def test_org_files_must_stay_in_the_org_folder(content_copy):
    edit(content_copy / "orgs" / "KK.yaml", "  logo: KK/logo.png", "  logo: ../../../../etc/passwd")
    [finding] = by_rule(findings_for(content_copy), "org/file-outside")
    assert "logo '../../../../etc/passwd' points outside" in finding.message and finding.field == "branding.logo"


def test_org_slot_past_midnight_points_at_the_org(content_copy):
    edit(content_copy / "orgs" / "KK.yaml", "language: da", 'language: da\nslot: {start: "22:00", end: "23:59"}')
    [finding] = by_rule(findings_for(content_copy), "timing/org-slot")
    assert "would run past midnight" in finding.message and finding.file.endswith("KK.yaml") and finding.field == "slot"


def test_jinja_in_facilitator_notes_is_rendered_in_the_sandbox(content_copy):
    tool = content_copy / "tools" / "styrk-ledelsesgruppen.yaml"
    text = tool.read_text(encoding="utf-8")
    tool.write_text(text.replace("facilitator_notes: |\n", "facilitator_notes: |\n  Til {{ org.name }}: {{ ''.__class__.__mro__ }}\n", 1),
                    encoding="utf-8")
    [finding] = by_rule(findings_for(content_copy), "text/template")
    assert "may not" in finding.message and finding.field == "facilitator_notes"


def test_the_default_templates_are_what_default_layouts_makes(tmp_path):
    """layouts/default/ is regenerated by `python -m kitgen.build.default_layouts`: the committed files are
    exactly its output (so a change there is never lost, nor the trimmed Word styles brought back)."""
    import zipfile

    from kitgen.build.default_layouts import main

    assert main([str(tmp_path)]) == 0
    for name in ("deck.pptx", "document.docx"):
        made, committed = zipfile.ZipFile(tmp_path / name), zipfile.ZipFile(LAYOUTS / "default" / name)
        assert made.namelist() == committed.namelist(), name
        assert [n for n in made.namelist() if made.read(n) != committed.read(n)] == [], name
