"""Accessibility rules (``a11y/…``, issue 27 point 4): each rule gets a kit that breaks it and finds it; the
shipped kits have none; ``validate --strict`` fails on them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest

from conftest import LAYOUTS, ROOT

from kitgen.validate.a11y import RULES, check_a11y, contrast, is_large, needed_contrast

ORGS = ("KK", "AMK", "BFA", "DEMO-EN")


def _plan(project, org="KK", **branding):
    from kitgen.plan.assemble import assemble

    profile = project.content.orgs[org].model_copy(deep=True)
    if branding:
        profile.branding = profile.branding.model_copy(update=branding)
    return assemble(project.content, profile, project.layouts)


def _rules(findings, rule):
    return [f for f in findings if f.rule == rule]


@pytest.mark.parametrize("org", ORGS)
def test_shipped_kits_have_no_a11y_findings(project, org):
    from kitgen.validate import check_org

    found, plan = check_org(project.content, project.content.orgs[org], project.layouts, project.settings)
    assert plan is not None
    assert [f.message for f in found if f.rule.startswith("a11y/")] == []


def test_every_rule_is_run_and_reports_in_its_own_family(project):
    plan = _plan(project)
    plan.slides[5].title = plan.slides[3].title
    assert {f.rule for f in check_a11y(plan)} == {"a11y/slide-title"}
    assert all(rule.__doc__ for rule in RULES)


def test_a_repeated_slide_title_names_both_slides_and_the_continued_form(project):
    plan = _plan(project)
    plan.slides[5].title = " " + plan.slides[3].title.upper() + " "  # the same title, as a listener hears it
    found = _rules(check_a11y(plan), "a11y/slide-title")
    assert len(found) == 1
    message = found[0].message
    assert message.startswith("slides 4 and 6 share the title") and "give slide 6 a title of its own" in message
    assert "(fortsat 2/2)" in message  # the deck's own words for a continued slide
    assert found[0].file and found[0].line, "points at the content the slide comes from"


def test_continued_slides_have_titles_of_their_own(project):
    from kitgen.plan.fit import _pages

    plan = _plan(project, "BFA")  # BFA's lists now fit one slide each: one is split here as fitting splits a long one
    number, slide = next((n, s) for n, s in enumerate(plan.slides) if s.kind == "content" and len(s.body) >= 2)
    plan.slides[number:number + 1] = _pages(slide, [slide.body[:1], slide.body[1:]], slide.body_size_pt, plan.labels)
    assert [s.title for s in plan.slides[number:number + 2]] == [f"{slide.title} (fortsat 1/2)", f"{slide.title} (fortsat 2/2)"]
    assert not _rules(check_a11y(plan), "a11y/slide-title")


def test_a_slide_without_a_title_is_a_finding(project):
    plan = _plan(project)
    plan.slides[6].title = "  "
    found = _rules(check_a11y(plan), "a11y/slide-title")
    assert [f.message.split(";")[0] for f in found] == [f"slide 7 ({plan.slides[6].kind}) has no title"]


@pytest.mark.parametrize("alt", ["", "Figur", "Prioriteringskortet"])
def test_a_figure_without_a_describing_alt_text_is_a_finding(project, alt):
    plan = _plan(project)
    number, slide = next((n, s) for n, s in enumerate(plan.slides, 1) if s.diagram is not None)
    from kitgen.render.diagrams import title_of

    named = title_of(slide.diagram, plan.language) or slide.title  # the figure's own title (a tool slide's figure has its own)
    assert slide.alt.startswith(named + ":") and len(slide.alt) > len(named) + 10, "made from the figure's labels"
    slide.alt = alt or ""
    if alt == "Prioriteringskortet":
        slide.alt = slide.title  # the title alone says nothing the slide's title does not
    found = _rules(check_a11y(plan), "a11y/alt-text")
    assert len(found) == 1 and found[0].message.startswith(f"slide {number} '")
    assert "must describe the figure" in found[0].message


def test_a_worksheet_figure_with_nothing_to_describe_it_is_a_finding(project):
    from kitgen.validate.a11y import figure_labels

    plan = _plan(project, "BFA")
    spec = next(w for w in plan.worksheets if w.diagram is not None)
    assert figure_labels(spec.diagram, "da"), "the shipped figures have labels"
    spec.diagram = SimpleNamespace(title="Figur", alt=None)  # a figure kind with no labels
    found = _rules(check_a11y(plan), "a11y/alt-text")
    assert len(found) == 1 and found[0].message.startswith(f"worksheet {spec.number} '")
    assert found[0].field == "diagram" and found[0].file.endswith(".yaml")


def test_large_text_is_18_pt_or_14_pt_bold():
    assert is_large(18) and is_large(28) and is_large(14, bold=True)
    assert not is_large(17.5) and not is_large(14) and not is_large(None) and not is_large(13.5, bold=True)
    assert needed_contrast(24) == 3.0 and needed_contrast(12) == 4.5


def test_contrast_below_three_to_one_is_a_finding_on_large_titles(project):
    plan = _plan(project, primary_color="#FFE680")  # white titles on pale yellow; pale yellow titles on white
    found = _rules(check_a11y(plan), "a11y/contrast")
    assert found, "1.3:1 fails even large text"
    message = found[0].message
    assert message.startswith("slide ") and "title" in message and "3:1 is needed" in message
    assert found[0].field == "branding" and found[0].file.endswith("KK.yaml")
    from kitgen.validate.deck import check_deck

    assert not [f for f in check_deck(plan) if "contrast" in f.rule], "one contrast rule"


def test_large_text_needs_3_to_1_and_small_text_4_5_to_1(project):
    plan = _plan(project, primary_color="#3A8FC4")  # white on it, and it on white: 3.4:1
    from kitgen.templates.background import contrast_ratio

    assert 3.0 < contrast_ratio("FFFFFF", "3A8FC4") < 4.5
    assert not contrast(plan), "every text drawn in the primary colour is large (titles ≥ 24 pt, notes 19 pt bold)"
    number, slide = next((n, s) for n, s in enumerate(plan.slides, 1) if s.kind == "content")
    slide.title_size_pt = 16  # a title shrunk below large text
    found = contrast(plan)
    assert len(found) == 1 and found[0].message.startswith(f"slide {number} (content slides): title #3A8FC4 on #FFFFFF")
    assert "16 pt" in found[0].message and "4.5:1 is needed" in found[0].message


def test_attributions_in_the_title_colour_are_measured_at_their_own_size(project):
    plan = _plan(project, "AMK", primary_color="#3A8FC4")  # 3.4:1 on white: enough for large text only
    number, slide = next((n, s) for n, s in enumerate(plan.slides, 1) if any(p.style == "attribution" for p in s.body))
    slide.body_size_pt = 20  # its source is drawn at 70 %, at least 14 pt: 14 pt, not bold, is small text
    found = contrast(plan)
    assert any(f.message.startswith(f"slide {number} ") and "attribution #3A8FC4" in f.message and "at 14 pt" in f.message
               and "4.5:1 is needed" in f.message for f in found), [f.message for f in found]
    assert not any(" title #" in f.message for f in found), "its titles are large: 3.4:1 is enough"


def _section(plan, kind):
    for spec in plan.worksheets:
        for index, section in enumerate(spec.worksheet.sections):
            if section.kind == kind:
                return spec, index, section
    raise AssertionError(kind)


def test_a_table_column_without_a_header_is_a_finding(project):
    plan = _plan(project, "BFA")
    spec, index, section = _section(plan, "table")
    columns = list(section.columns)
    columns[-1] = ""
    spec.worksheet.sections[index] = section.model_copy(update={"columns": columns})
    found = _rules(check_a11y(plan), "a11y/table-header")
    assert len(found) == 1
    assert found[0].message.startswith(f"worksheet {spec.number} '") and f"section {index + 1} (table" in found[0].message
    assert f"column {len(columns)} of the header row has no name" in found[0].message
    assert found[0].field == f"worksheet.sections[{index}].columns" and found[0].line


def test_a_column_of_row_labels_under_an_empty_corner_is_a_header_column(project):
    """BFA's "Hvad har vi konkret brug for" table: its first column names each row (like a grid)."""
    plan = _plan(project, "BFA")
    corner = [s for w in plan.worksheets for s in w.worksheet.sections if s.kind == "table" and not s.columns[0]]
    assert corner and not _rules(check_a11y(plan), "a11y/table-header")
    spec, index, section = next((w, i, s) for w in plan.worksheets for i, s in enumerate(w.worksheet.sections)
                                if s is corner[0])
    rows = [list(r) for r in section.rows]
    rows[1][0] = ""  # a row without its label: the column is no longer the rows' headers
    spec.worksheet.sections[index] = section.model_copy(update={"rows": rows})
    assert _rules(check_a11y(plan), "a11y/table-header")


def test_a_grid_column_without_a_label_is_a_finding(project):
    plan = _plan(project)
    spec, index, section = _section(plan, "grid")
    spec.worksheet.sections[index] = section.model_copy(update={"column_labels": [""] + list(section.column_labels[1:])})
    found = _rules(check_a11y(plan), "a11y/table-header")
    assert len(found) == 1 and "column 1 of the header row has no name" in found[0].message
    assert "column_labels:" in found[0].message


@pytest.mark.parametrize("kind,field,thing", [("prompts", "prompts", "prompt"), ("fields", "fields", "field"),
                                              ("checklist", "items", "item"), ("grid", "row_labels", "row")])
def test_a_field_without_a_title_saying_what_to_write_is_a_finding(project, kind, field, thing):
    plan = _plan(project, "BFA")
    spec, index, section = _section(plan, kind)
    values = list(getattr(section, field))
    values[0] = " "
    spec.worksheet.sections[index] = section.model_copy(update={field: values})
    found = _rules(check_a11y(plan), "a11y/control-title")
    assert len(found) == 1
    assert found[0].message.startswith(f"worksheet {spec.number} '") and f"{thing} 1 has no text" in found[0].message
    assert found[0].field == f"worksheet.sections[{index}].{field}"


def test_validate_strict_fails_on_an_a11y_finding(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    profile = content / "orgs" / "DEMO-EN.yaml"
    text = profile.read_text(encoding="utf-8")
    assert "primary_color:" in text
    profile.write_text("\n".join(line.split("primary_color:")[0] + 'primary_color: "#FFE680"' if "primary_color:" in line
                                 else line for line in text.splitlines()) + "\n", encoding="utf-8")

    def kitgen(*args):
        done = subprocess.run([sys.executable, "-m", "kitgen", "validate", "--org", "DEMO-EN", "--content", str(content),
                               "--layouts", str(LAYOUTS), *args], cwd=ROOT, capture_output=True, text=True)
        return done.returncode, done.stdout + done.stderr

    code, out = kitgen()
    assert code == 0 and "[a11y/contrast]" in out and "DEMO-EN.yaml" in out, out
    code, out = kitgen("--strict")
    assert code == 1 and "[a11y/contrast]" in out and "Traceback" not in out
