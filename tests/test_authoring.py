"""Authoring as a facilitator thinks: plain-word YAML messages, scaffolds, lookup, schema, migrate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import LAYOUTS, ROOT
from kitgen.load import YamlProblem, read_yaml


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
    ("{{ orgg.name }}", "template uses orgg, which is not defined; did you mean {{ org }}?"),
    ("{{ labels.breek }}", "did you mean {{ labels.break }}?"),
    ("{{ org.slot.start }}", "org.slot is not set here"),
])
def test_template_fields_are_named_in_the_contents_words(source, expected):
    from kitgen.model import Org
    from kitgen.text import TextTemplateError, render_text

    org = Org(id="X", name="X A/S", programme="p")
    with pytest.raises(TextTemplateError) as raised:
        render_text(source, {"org": org, "labels": {"break": "Pause"}})
    assert expected in str(raised.value)
    assert "kitgen." not in str(raised.value) and "object" not in str(raised.value)
