"""Text templates cannot change shared data, build huge values or run away (kitgen/content/texttemplate.py)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

import kitgen.content.texttemplate
from kitgen.content.texttemplate import MAX_OUTPUT, TextTemplateError, render_text


class Block(BaseModel):
    title: str = "Velkomst"


class Programme(BaseModel):
    title: str = "Ledertrivsel"
    blocks: list[Block] = [Block(), Block(title="Pause")]


def _context():
    return {"labels": {"break": "Pause"}, "programme": Programme(), "org": Programme(title="KK"), "breaks": [1, 2]}


MUTATIONS = [
    "{{ labels.update({'break': 'HACKED'}) }}",
    "{{ labels.clear() }}",
    "{{ labels.pop('break') }}",
    "{{ labels.setdefault('x', 'y') }}",
    "{{ programme.blocks.clear() }}",
    "{{ programme.blocks.append(1) }}",
    "{{ programme.blocks.pop() }}",
    "{{ programme.blocks.reverse() }}",
    "{{ programme.blocks.sort() }}",
    "{{ breaks.extend([3]) }}",
    "{{ programme.model_copy(update={'title': 'x'}) }}",
    "{{ programme.__setattr__('title', 'x') }}",
    "{{ programme.__dict__.update(title='x') }}",
    "{% set programme.title = 'x' %}",
]


@pytest.mark.parametrize("source", MUTATIONS)
def test_a_template_cannot_change_shared_objects(source):
    context = _context()
    with pytest.raises(TextTemplateError) as refused:
        render_text(source, context)
    message = str(refused.value)
    assert "may not" in message or "cannot assign" in message or "not call their methods" in message, message
    assert context == _context(), "the template changed data other fields and organisations read"


RUNAWAYS = [
    ("{{ 'x' * 10**9 }}", "repeating a text or list 1000000000 times"),
    ("{{ [0] * 10**8 }}", "repeating a text or list 100000000 times"),
    ("{{ (10 ** 10) ** 1000 }}", "10000000000 ** 1000 is too large a number"),
    ("{{ 9 ** 999999 }}", "9 ** 999999 is too large a number"),
    ("{% for i in range(10**9) %}{% endfor %}", "the number 1000000000 is too large"),
    ("{% for i in range(50000) %}{% endfor %}", "range() of 50000 items"),
    ("{{ 'x'|center(1000000000) }}", "the number 1000000000 is too large"),
    ("{{ 'x'|indent(999999999) }}", "the number 999999999 is too large"),
    ("{{ 'x'|truncate(999999999) }}", "the number 999999999 is too large"),
    ("{{ '%0999999999d' % 1 }}", "a format width of 999999999"),
    ("{{ '%0999999999d'|format(1) }}", "a format width of 999999999"),
    ("{{ '{:>999999999}'.format(1) }}", "a format width of 999999999"),
    ("{{ 'x'.ljust(999999999) }}", "the number 999999999 is too large"),
    ("{{ 'x'.zfill(999999999) }}", "the number 999999999 is too large"),
    ("{{ 'ab'.replace('', 'x' * 90000) }}", "this replace() would make a very long text"),
    ("{{ 'ab'|replace('', 'x' * 90000) }}", "this replace() would make a very long text"),
    ("{{ ('x' * 60000) + ('y' * 60000) }}", "adding these texts or lists"),
    ("{% set s = namespace(v='x') %}{% for i in range(40) %}{% set s.v = s.v ~ s.v %}{% endfor %}", "joining texts with ~"),
    ("{% for i in range(9000) %}{{ 'x' * 90 }}{% endfor %}", "the text grew past"),
    ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "calls itself too deeply"),
]


@pytest.mark.parametrize("source, expected", RUNAWAYS)
def test_a_template_cannot_build_huge_values(source, expected):
    with pytest.raises(TextTemplateError) as refused:
        render_text(source, _context())
    assert str(refused.value).startswith("template stopped: ") and expected in str(refused.value), str(refused.value)


@pytest.mark.parametrize("source", [
    "{% for i in range(9000) %}{% for j in range(9000) %}{% endfor %}{% endfor %}",
    "{% for a in 'x' * 9000 %}{% for b in 'y' * 9000 %}{% endfor %}{% endfor %}",
])
def test_a_template_that_runs_too_long_is_stopped(source, monkeypatch):
    monkeypatch.setattr(kitgen.content.texttemplate, "TIME_BUDGET_S", 0.3)
    with pytest.raises(TextTemplateError) as refused:
        render_text(source, _context())
    assert str(refused.value) == ("template stopped: it ran longer than 0.3 s (a loop that does not end, "
                                  "or too much work for one text field)")
    assert render_text("{{ org.title }}", _context()) == "KK", "the next render is not affected"


def test_ordinary_templates_still_work():
    context = _context()
    assert render_text("{{ org.title }}: {% for b in programme.blocks %}{{ loop.index }}. {{ b.title }} {% endfor %}",
                       context) == "KK: 1. Velkomst 2. Pause"
    assert render_text("{{ ['a', 'b']|join(', ') }} {{ 2 ** 10 }} {{ 7 % 3 }} {{ 'a' ~ 'b' }} {{ '%02d' % 5 }}",
                       context) == "a, b 1024 1 ab 05"
    assert render_text("{{ 'x' * 100 }}", context) == "x" * 100
    assert len(render_text("{{ 'x' * " + str(MAX_OUTPUT) + " }}", context)) == MAX_OUTPUT
    assert "lipsum is undefined" in _error("{{ lipsum() }}") or "lipsum" in _error("{{ lipsum() }}")


def _error(source: str) -> str:
    try:
        render_text(source, _context())
    except TextTemplateError as exc:
        return str(exc)
    return ""


def test_the_same_kits_whatever_the_number_of_jobs(tmp_path):
    """Templates in one org's kit cannot reach another's: -j 1 and -j 3 give the same bytes."""
    import os
    import subprocess
    import sys

    from test_bad_inputs import LAYOUTS, ORG_PROFILE, make_content

    content = make_content(tmp_path / "content")
    notes = content / "programmes" / "p.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace(
        "notes: Byd velkommen.", 'notes: "Byd velkommen, {{ org.name }}: {{ labels | length }} {{ programme.blocks | length }}"'),
        encoding="utf-8")
    for org in ("TS2", "TS3"):
        (content / "orgs" / f"{org}.yaml").write_text(
            ORG_PROFILE.replace("id: TST", f"id: {org}").replace("name: Testkommune", f"name: {org} Kommune")
            .replace("TST/logo.png", f"{org}/logo.png"), encoding="utf-8")
        (content / "orgs" / org).mkdir()
        (content / "orgs" / org / "logo.png").write_bytes((content / "orgs" / "TST" / "logo.png").read_bytes())
    kits = {}
    for jobs in ("1", "3"):
        done = subprocess.run([sys.executable, "-m", "kitgen", "build", "--all", "--content", "content", "--layouts",
                               str(LAYOUTS), "--out", f"out-{jobs}", "--jobs", jobs], cwd=tmp_path, capture_output=True,
                              text=True, env={**os.environ, "NO_COLOR": "1"})
        assert done.returncode == 0, done.stdout + done.stderr
        kits[jobs] = {f"{org}/{p.name}": p.read_bytes() for org in ("TST", "TS2", "TS3")
                      for p in sorted((tmp_path / f"out-{jobs}" / org).iterdir())}
    assert kits["1"].keys() == kits["3"].keys() and len(kits["1"]) >= 12
    assert [name for name in kits["1"] if kits["1"][name] != kits["3"][name]] == []


def test_methods_of_other_objects_cannot_be_called():
    class Helper:
        name = "KK"

        def wipe(self):
            self.name = ""
            return "wiped"

    helper = Helper()
    with pytest.raises(TextTemplateError) as refused:
        render_text("{{ helper.wipe() }}", {"helper": helper})
    assert str(refused.value) == "template stopped: a template may read the fields of content objects but not call their methods"
    assert helper.name == "KK" and render_text("{{ helper.name }}", {"helper": helper}) == "KK"


# --- the 16 MiB budget: values repeated inside values, built a little at a time ----------------

HUGE_VALUES = [
    "{{ [[0] * 99999] * 99999 }}",
    "{{ ([['x' * 99999] * 99999] * 5) | string | length }}",
    "{% set l = ['ab' * 49999] * 99999 %}{{ l | join | length }}",
    "{% set l = ['ab' * 49999] * 99999 %}{{ l | tojson | length }}",
    "{% set l = [[0] * 99999] * 99999 %}{{ l | sum(start=[]) | length }}",
    "{% set l = ['x' * 99999] * 99999 %}{{ l | map('upper') | list | length }}",
    "{% set d = {'a': 'x' * 99999} %}{{ ([d] * 99999) | length }}",
    "{% set ns = namespace(l=['x' * 99999]) %}{% for i in range(9999) %}{% set ns.l = ns.l + [ns.l] %}{% endfor %}",
    "{% for i in range(9999) %}{% set x = 'y' * 99999 %}{% endfor %}",
    "{% set l = ['x' * 99999] %}{% for i in range(9999) %}{{ (l * 1) | length }}{% endfor %}",
]


@pytest.mark.parametrize("source", HUGE_VALUES)
def test_a_template_that_builds_more_than_16_mib_is_stopped_at_once(source):
    import time

    started = time.perf_counter()
    with pytest.raises(TextTemplateError) as stopped:
        render_text(source, _context())
    assert "MiB" in str(stopped.value) and str(stopped.value).startswith("template stopped:")
    assert time.perf_counter() - started < 2.0


def test_the_16_mib_budget_holds_in_a_real_process_under_150_mib():
    """The attack that allocated 3 GB: a process rendering it stays small and is quick."""
    import subprocess
    import sys

    script = ("import resource, sys, time\n"
              "from kitgen.content.texttemplate import render_text, TextTemplateError\n"
              "t = time.perf_counter()\n"
              "for source in sys.argv[1:]:\n"
              "    try:\n"
              "        render_text(source, {})\n"
              "    except TextTemplateError:\n"
              "        pass\n"
              "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024\n"
              "try:  # ru_maxrss keeps the parent's peak across fork+exec on Linux; VmHWM is this program's own\n"
              "    peak = int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]) // 1024\n"
              "except (OSError, StopIteration):\n"
              "    pass\n"
              "print(peak, time.perf_counter() - t)\n")
    done = subprocess.run([sys.executable, "-c", script, *HUGE_VALUES], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "KITGEN_NO_CACHE": "1"})
    assert done.returncode == 0, done.stderr
    mib, seconds = done.stdout.split()
    assert int(mib) < 150 and float(seconds) < 2 * len(HUGE_VALUES)


def test_ordinary_lists_and_texts_are_not_counted_as_huge():
    assert render_text("{{ (range(9999) | list | string | length) > 0 }}", _context()) == "True"
    assert render_text("{% for i in range(100) %}{{ ('ab' * 500) | length }}{% endfor %}", _context()).startswith("1000")


GROWING_FILTERS = [
    ("{{ range(9999) | join('x' * 99999) | length }}", "the filter join would make about"),
    ("{{ ('x\\n' * 50000) | indent(99999) | length }}", "the filter indent would make about"),
    ("{{ (range(9999) | list) | tojson(indent=99999) | length }}", "the filter tojson would make about"),
    ("{{ ('x ' * 49999) | wordwrap(1, wrapstring='y' * 99999) | length }}", "the filter wordwrap would make about"),
    ("{{ ('a' * 99999).translate({97: 'b' * 99999}) | length }}", "this translate() would make a very long text"),
]


@pytest.mark.parametrize("source, expected", GROWING_FILTERS)
def test_filters_whose_output_grows_with_an_argument_are_estimated_before_they_run(source, expected):
    import time

    started = time.perf_counter()
    with pytest.raises(TextTemplateError) as stopped:
        render_text(source, _context())
    assert expected in str(stopped.value)
    assert time.perf_counter() - started < 2.0
    ordinary = render_text("{{ ['a', 'b'] | join(', ') }}|{{ 'x\ny' | indent(2) | length }}|{{ 'abc' | wordwrap(2) }}",
                           _context())
    assert ordinary == "a, b|5|ab\nc"


@pytest.mark.parametrize("source", ["{{ ('ab' * 4).split('') }}", "{{ 1 // 0 }}", "{{ (1).to_bytes(1, 'x') }}"])
def test_an_error_a_templates_own_expression_raises_is_a_template_finding(source):
    with pytest.raises(TextTemplateError) as stopped:
        render_text(source, _context())
    assert str(stopped.value).startswith("template fails: ") and "correct the expression" in str(stopped.value)
