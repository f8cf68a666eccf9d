"""Authoring as a facilitator thinks: plain-word YAML messages, scaffolds, lookup, schema, migrate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import LAYOUTS, ROOT
from kitgen.content.yamlfile import YamlProblem, read_yaml


def kitgen(*args, cwd=ROOT):
    done = subprocess.run([sys.executable, "-m", "kitgen", *args], cwd=cwd, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def problem(tmp_path: Path, text: str):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(YamlProblem) as raised:
        read_yaml(path)
    return raised.value.finding


@pytest.mark.parametrize("text, line, expected", [
    ("id: x\ntitle: Øvelse 1: Pejlemærker\nkind: talk\n", 2,
     'put the text in quotes: title: "Øvelse 1: Pejlemærker"'),
    ("blocks:\n  - title: Øvelse 1: Pejlemærker\n    kind: talk\n", 2,
     'put the text in quotes: - title: "Øvelse 1: Pejlemærker"'),
    ("blocks:\n  - id: a\n    title: b\n   kind: talk\n", 4,
     "this line is indented 3 spaces but the line above 4: use the same number of spaces as the line above (kind: talk)"),
    ("blocks:\n  - id: a\n    title: b\n      kind: talk\n", 4, "this line is indented 6 spaces but the line above 4"),
    ("id: a\n\ttitle: b\n", 2, "a tab character; YAML indents with spaces only: replace the tab with spaces"),
    ("points:\n  - a\n  b\n", 3, 'this line is in a list but does not start with "- ": b  — write it as:   - b'),
    ("blocks:\n  - id: a\n    title: b\n  id: c\n", 4,
     'this line is in the list that starts on line 2 but does not start with "- ": id: c'),
    ('id: a\ntitle: "Øvelse\nkind: talk\n', 2,
     "a quoted text that starts here is never closed (a missing \" or '): title: \"Øvelse"),
])
def test_common_yaml_mistakes_are_explained_with_the_fix(tmp_path, text, line, expected):
    finding = problem(tmp_path, text)
    assert finding.line == line
    assert expected in finding.message, finding.message
    for parser_words in ("mapping values are not allowed", "did not find expected", "could not find expected"):
        assert parser_words not in finding.message


@pytest.mark.parametrize("source, expected", [
    ("{{ org.navn }}", "template uses {{ org.navn }}, but org has no field 'navn'; did you mean {{ org.name }}?"),
    ("{{ orgg.name }}", "template uses 'orgg', which is not defined; did you mean {{ org }}?"),
    ("{{ labels.breek }}", "did you mean {{ labels.break }}?"),
    ("{{ org.slot.start }}", "org.slot is not set here"),
])
def test_template_fields_are_named_in_the_contents_words(source, expected):
    from kitgen.content.model import Org
    from kitgen.content.texttemplate import TextTemplateError, render_text

    org = Org(id="X", name="X A/S", programme="p")
    with pytest.raises(TextTemplateError) as raised:
        render_text(source, {"org": org, "labels": {"break": "Pause"}})
    assert expected in str(raised.value)
    assert "kitgen." not in str(raised.value) and "object" not in str(raised.value)


def _empty_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    for folder in ("programmes", "tools", "orgs"):
        (root / folder).mkdir(parents=True)
    return root


def test_scaffolds_validate_as_written(tmp_path):
    root = _empty_content(tmp_path)
    code, out = kitgen("new", "programme", "min-workshop", "--content", str(root), cwd=tmp_path)
    assert code == 0 and "wrote content/programmes/min-workshop.yaml" in out, out
    code, out = kitgen("new", "programme", "kort", "--from", "min-workshop", "--content", str(root), cwd=tmp_path)
    assert code == 0, out
    assert "#   oevelse                      10:30–11:45   75 min  Øvelse" in (root / "programmes" / "kort.yaml").read_text()
    for kind in ("table", "checklist", "boxes"):
        code, out = kitgen("new", "tool", f"oevelse-{kind}", "--worksheet", kind, "--content", str(root), cwd=tmp_path)
        assert code == 0, out
    code, out = kitgen("new", "tool", "uden-ark", "--content", str(root), cwd=tmp_path)
    assert code == 0, out
    code, out = kitgen("validate", "--content", str(root), "--layouts", str(LAYOUTS), "--verbose", cwd=tmp_path)
    # The starters load as written; their only errors are the sample texts to replace (none may reach a kit).
    errors = [line for line in out.splitlines() if line.startswith("error")]
    assert code == 1 and errors and all("[content/sample-text]" in line for line in errors), out
    assert "0 warnings" in out, out
    code, out = kitgen("show", "programme", "kort", "--content", str(root), cwd=tmp_path)
    assert code == 0 and "extends: min-workshop; no changes yet" in out
    assert "  10:30–11:45   75 min  oevelse" in out


def test_new_refuses_an_existing_id_and_suggests_a_known_base(tmp_path):
    root = _empty_content(tmp_path)
    assert kitgen("new", "programme", "ny", "--content", str(root), cwd=tmp_path)[0] == 0
    code, out = kitgen("new", "programme", "ny", "--content", str(root), cwd=tmp_path)
    assert code == 2 and "programme 'ny' exists; choose another id, or add --force" in out
    code, out = kitgen("new", "programme", "nyere", "--from", "nyy", "--content", str(root), cwd=tmp_path)
    assert code == 2 and "unknown programme 'nyy'; did you mean 'ny'?" in out
    assert not (root / "programmes" / "nyere.yaml").exists()


def test_show_and_search_use_the_shipped_content():
    code, out = kitgen("show", "programme", "ps-indsatsen")
    assert code == 0 and "  13:45–14:25   40 min  trivsel-og-stressprofilen" in out and "used by: AMK" in out
    code, out = kitgen("show", "tool", "trivsel-og-stressprofilen")
    assert code == 0 and "Steps:\n  1. " in out and "ps-indsatsen / trivsel-og-stressprofilen  13:45–14:25 (run)" in out
    code, out = kitgen("show", "org", "BFA")
    assert code == 0 and "in its own slot 12:30–15:30" in out and "  12:30–12:40   10 min  velkomst" in out
    code, out = kitgen("show", "tool", "trivsel-og-stressprofilenn")
    assert code == 2 and "did you mean 'trivsel-og-stressprofilen'?" in out
    code, out = kitgen("list", "--search", "IGLO")
    assert code == 0 and "stressforebyggelse-iglo" in out and "ps-indsatsen" not in out


def test_schema_is_json_schema_that_the_shipped_files_match(tmp_path):
    import jsonschema
    from kitgen.content.yamlparse import _parse

    code, out = kitgen("schema")
    assert code == 0
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    checked = 0
    for path in sorted((ROOT / "content").glob("*/*.yaml")) + [ROOT / "content" / "content.yaml"]:
        data = json.loads(json.dumps(_parse(path.read_text(encoding="utf-8")), default=str))
        if data is None:
            continue  # a file another engineer is rewriting
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
        assert errors == [], (path, [e.message[:200] for e in errors[:3]])
        checked += 1
    assert checked > 50
    wrong = {"id": "x", "title": "X", "slot": {"start": "09:00", "end": "10:00"},
             "blocks": [{"id": "a", "minutes": 60, "title": "A", "kind": "talk", "minuttes": 5}]}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(wrong))
    code, out = kitgen("schema", "--out", str(tmp_path / "schemas"))
    assert code == 0 and json.loads(out)["yaml.schemas"][f"{tmp_path / 'schemas'}/programme.schema.json"] == "content/programmes/*.yaml"
    assert (tmp_path / "schemas" / "tool.schema.json").is_file()


OLD = """\
# A schema-1 programme: clock times.
id: gammel
title: Gammel workshop
slot: {start: "9:00", end: "12:00"}
blocks:
  - start: "09:00"
    end: "09:15"    # kort velkomst
    title: Velkomst
    kind: welcome
    notes: Byd velkommen.
  - title: Øvelse 1: Pejlemærker
    kind: exercise
    start: "09:15"
    end: "10:30"
    notes: Kør øvelsen.
  - start: "10:45"
    end: "11:00"
    title: Pause
    kind: break
  - start: "11:00"
    end: "12:00"
    title: Afrunding
    kind: closing
    notes: Tak.
"""


def test_migrate_rewrites_clock_times_to_minutes_keeping_comments(tmp_path):
    root = _empty_content(tmp_path)
    (root / "programmes" / "gammel.yaml").write_text(OLD.replace("Øvelse 1: Pejlemærker", '"Øvelse 1: Pejlemærker"'))
    before = load_clock(root)
    code, out = kitgen("migrate", "--check", "--content", str(root), cwd=tmp_path)
    assert code == 1 and "would rewrite content/programmes/gammel.yaml" in out and "would rewrite content/content.yaml" in out
    code, out = kitgen("migrate", "--content", str(root), cwd=tmp_path)
    assert code == 0 and "rewrote content/programmes/gammel.yaml" in out, out
    text = (root / "programmes" / "gammel.yaml").read_text()
    assert "# A schema-1 programme: clock times." in text and "minutes: 15    # kort velkomst" in text
    assert "  - id: velkomst\n    minutes: 15" in text
    assert '    id: oevelse-1-pejlemaerker\n    minutes: 75\n' in text  # keys after the title keep their place
    assert '  - id: pause\n    start: "10:45"  # pinned' in text  # a gap before it: pinned
    assert "\n    end:" not in text
    assert load_clock(root) == before
    assert "schema_version: 2" in (root / "content.yaml").read_text()
    code, out = kitgen("migrate", "--content", str(root), cwd=tmp_path)
    assert code == 0 and "nothing to do" in out


def load_clock(root: Path):
    from kitgen.content.load import load_content

    content, findings = load_content(root)
    assert [f for f in findings if f.severity == "error"] == []
    return [(b.start, b.end) for b in content.programmes["gammel"].blocks]


def test_a_colon_inside_a_list_item_says_to_quote_the_text(tmp_path):
    from kitgen.content.load import load_content

    root = tmp_path / "content"
    (root / "programmes").mkdir(parents=True)
    (root / "programmes" / "p.yaml").write_text(
        'id: p\ntitle: P\nslot: {start: "09:00", end: "09:30"}\nblocks:\n  - id: a\n    minutes: 30\n'
        "    title: Velkomst\n    kind: welcome\n    points:\n      - Fase 1: afdækning\n", encoding="utf-8")
    _, findings = load_content(root)
    assert [(f.line, f.field, f.message) for f in findings] == [
        (10, "blocks[0].points[0]",
         'the text has ": " inside, which YAML reads as a field name; put the text in quotes: "Fase 1: afdækning"')]
