"""A corpus of bad inputs: each must give its exact error, and nothing may be written.

Every case starts from a small, valid, self-contained content folder (built in
``tmp_path`` by :func:`make_content`: one tool with a worksheet, one question group,
one quote file, one programme and one organisation ``TST`` with a tiny PNG logo),
changes one thing, and runs the real command line::

    python -m kitgen build --org TST --content content --layouts <repo>/layouts --out out

It then checks the exit code, a precise fragment of the message (file:line, field and
the words that explain), that no traceback was printed, and that nothing was written
(no ``out/TST`` kit, no ``.TST.partial-*`` folder). Cases marked ``previous=True``
first put a good kit in ``out/TST`` and check it is left byte-identical.

Raw files that are easier to keep as files (non-UTF-8 bytes, tabs, fake Office
files) are under ``tests/bad_inputs/``.

A case that shows a real kitgen bug keeps the expectation a user would want and is
marked ``xfail(strict=True, reason="BUG: ...")``.

The CLI calls of all selected cases run a few at a time in the session fixture
``outcomes`` (each in its own folder); ``test_bad_input`` then checks each case on its
own, so every case is still reported individually.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

REPO = Path(__file__).resolve().parent.parent
LAYOUTS = REPO / "layouts"
BAD_INPUTS = Path(__file__).resolve().parent / "bad_inputs"
ORG = "TST"

# --- the good fixture -----------------------------------------------------------------------
# Line numbers matter: the expected messages below point at them.

TOOL = """\
id: tsp
title: Trivselsprofilen
purpose: Styrk trivslen i lederteamet
audience: Ledere
duration_minutes: 20
steps:
  - Udfyld profilen hver for sig
  - Drøft svarene to og to
questions: [tsp-energi]
source: Testkilde
facilitator_notes: Fortæl kort om profilen.
has_worksheet: true
worksheet:
  title: Trivselsprofilen
  instructions: Udfyld felterne.
  sections:
    - kind: fields
      fields: [Navn, Dato]
    - kind: prompts
      prompts:
        - Det giver mig energi
      lines: 3
"""

QUESTIONS = """\
id: tsp-spm
title: Spørgsmål til profilen
source: Testkilde
questions:
  - id: tsp-energi
    text: Hvad giver dig energi?
    kind: reflection
  - id: tsp-pres
    text: Hvad presser dig?
    kind: dialogue
"""

QUOTES = """\
quotes:
  - id: leder-citat
    text: Jeg har forsøgt mig med alt.
    attribution: Citat fra en leder
    source: Testkilde
"""

#   line 7: blocks[0]   line 13: blocks[1]   line 21: blocks[2] (break)   line 25: blocks[3]
PROGRAMME = """\
id: p
title: Testworkshop
subtitle: En lille workshop
date: 2021-02-24
slot: {start: "09:00", end: "10:30"}
blocks:
  - start: "09:00"
    end: "09:15"
    title: Velkomst
    kind: welcome
    points: [Formål, Program]
    notes: Byd velkommen.
  - start: "09:15"
    end: "09:45"
    title: Trivselsprofilen
    kind: exercise
    tools: [tsp]
    questions: [tsp-energi]
    quotes: [leder-citat]
    notes: Introducér øvelsen.
  - start: "09:45"
    end: "10:00"
    title: Pause
    kind: break
  - start: "10:00"
    end: "10:30"
    title: Afslutning
    kind: closing
    notes: Tak for i dag.
"""

ORG_PROFILE = """\
id: TST
name: Testkommune
programme: p
date: 2021-02-24
venue: Rådhuset
facilitators: [Anna Andersen]
language: da
branding:
  display_name: Testkommune
  logo: TST/logo.png
  primary_color: "#1F4E79"
  accent_color: "#C55A11"
  heading_font: DejaVu Sans
  body_font: DejaVu Sans
"""

FILES = {
    "tools/tsp.yaml": TOOL,
    "questions/tsp-spm.yaml": QUESTIONS,
    "quotes/citater.yaml": QUOTES,
    "programmes/p.yaml": PROGRAMME,
    "orgs/TST.yaml": ORG_PROFILE,
}

# Paths as kitgen shows them: relative to the working directory (tmp_path).
TOOL_F, QUESTIONS_F, QUOTES_F, PROG_F, ORG_F = (f"content/{name}" for name in FILES)


def tiny_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (31, 78, 121)).save(buffer, "PNG")
    return buffer.getvalue()


def make_content(root: Path) -> Path:
    """Write the good content folder under ``root`` and return it."""
    root = Path(root)
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "orgs" / ORG).mkdir(parents=True, exist_ok=True)
    (root / "orgs" / ORG / "logo.png").write_bytes(tiny_png())
    return root


def run_build(cwd: Path, org: str = ORG, content: str = "content", out: str = "out",
              timeout: float = 120) -> tuple[int | None, str]:
    """Run the real command line; (exit code, stdout + stderr). A timeout gives (None, ...)."""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "kitgen", "build", "--org", org, "--content", content, "--layouts", str(LAYOUTS),
             "--out", out],
            cwd=cwd, capture_output=True, text=True, encoding="utf-8", errors="replace",
            env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200", "NO_COLOR": "1"},
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None, f"(kitgen did not finish within {timeout} s and was stopped)"
    return proc.returncode, proc.stdout + proc.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- mutations --------------------------------------------------------------------------------

Edit = Callable[[Path], None]


def replace(name: str, old: str, new: str) -> Edit:
    """Replace the one occurrence of ``old`` in content file ``name``."""

    def edit(root: Path) -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"fixture edit: {old!r} occurs {text.count(old)} times in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return edit


def write(name: str, data: str | bytes) -> Edit:
    def edit(root: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    return edit


def copy_bad(source: str, name: str) -> Edit:
    """Put ``tests/bad_inputs/<source>`` at content file ``name``."""

    def edit(root: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BAD_INPUTS / source, path)

    return edit


def copy_file(source: Path, name: str) -> Edit:
    def edit(root: Path) -> None:
        shutil.copyfile(source, root / name)

    return edit


def delete(name: str) -> Edit:
    return lambda root: (root / name).unlink()


def first_block_start(value: str) -> Edit:
    return replace("programmes/p.yaml", 'start: "09:00"\n    end: "09:15"', f'start: {value}\n    end: "09:15"')


def last_block_end(value: str) -> Edit:
    return replace("programmes/p.yaml", 'end: "10:30"\n    title: Afslutning', f"end: {value}\n    title: Afslutning")


def org_slot(start: str, end: str) -> Edit:
    """Give the org its own booked slot (line 8 of orgs/TST.yaml)."""
    return replace("orgs/TST.yaml", "language: da\n", f'language: da\nslot: {{start: "{start}", end: "{end}"}}\n')


@dataclass
class Case:
    id: str
    edits: list[Edit]
    expect: list[str]  # fragments that must all appear in stdout+stderr
    code: int = 1
    org: str = ORG
    previous: bool = False  # put a good kit in out/TST first; it must stay byte-identical
    bug: str | None = None  # a real kitgen bug: the case is a strict xfail
    absent: list[str] = field(default_factory=list)  # fragments that must not appear
    timeout: float = 60


LONG_TITLE = ("Ledertrivsel og psykisk arbejdsmiljø i praksis " * 110)[:5000]
assert len(LONG_TITLE) == 5000
HUGE_QUOTES = "quotes:\n  - id: stor\n    text: " + "a" * 2_100_000 + "\n"

CASES = [
    # --- malformed YAML --------------------------------------------------------------------
    Case("yaml-bad-indentation", [copy_bad("programme-bad-indent.yaml", "programmes/p.yaml")],
         [f"{PROG_F}:7: YAML syntax error: this line is indented 5 spaces but the line above 4: "
          "use the same number of spaces as the line above", "[yaml/syntax]"]),
    Case("yaml-unclosed-quote", [copy_bad("quotes-unclosed-quote.yaml", "quotes/citater.yaml")],
         [f"{QUOTES_F}:", "YAML syntax error: a quoted text that starts here is never closed", "[yaml/syntax]"]),
    Case("yaml-unclosed-quote-line", [copy_bad("quotes-unclosed-quote.yaml", "quotes/citater.yaml")],
         [f"{QUOTES_F}:3:"]),
    Case("yaml-tab-indent", [copy_bad("tool-tab-indent.yaml", "tools/tsp.yaml")],
         [f"{TOOL_F}:5:", "YAML syntax error: a tab character; YAML indents with spaces only"]),
    Case("yaml-tab-named", [copy_bad("tool-tab-indent.yaml", "tools/tsp.yaml")],
         [f"{TOOL_F}:5:", "tab"]),
    Case("yaml-unclosed-bracket", [replace("programmes/p.yaml", "tools: [tsp]", "tools: [tsp")],
         [f"{PROG_F}:17:", "YAML syntax error: a [ list that starts here is not closed with ]"], previous=True),
    # --- whole file of the wrong shape ------------------------------------------------------
    Case("file-is-a-list", [write("tools/tsp.yaml", "- id: tsp\n- title: Trivselsprofilen\n")],
         [f"{TOOL_F}:1:", "expected a mapping of fields, the file is a list", "[schema/not-a-mapping]"],
         absent=["LineList"]),
    Case("file-is-empty", [write("programmes/p.yaml", "")],
         [f"{PROG_F}:1:", "expected a mapping of fields, the file is empty", "[schema/not-a-mapping]"]),
    Case("file-is-only-a-comment", [write("orgs/TST.yaml", "# TST: to do\n")],
         [f"{ORG_F}:1:", "the file is empty"]),
    Case("file-is-a-string", [write("quotes/citater.yaml", "Jeg har forsøgt mig med alt.\n")],
         [f"{QUOTES_F}:1:", "expected a mapping of fields, the file is a"]),
    Case("file-not-utf8", [copy_bad("tool-latin1.yaml", "tools/tsp.yaml")],
         [f"{TOOL_F}:5:", "file is not UTF-8 text", "[yaml/encoding]"]),
    # --- duplicates -------------------------------------------------------------------------
    Case("duplicate-key", [replace("tools/tsp.yaml", "audience: Ledere\n", "audience: Ledere\ntitle: Profilen\n")],
         [f"{TOOL_F}:5:", "duplicate key 'title' (first written on line 2)"]),
    Case("duplicate-key-in-block", [replace("programmes/p.yaml", "    notes: Byd velkommen.\n",
                                            "    notes: Byd velkommen.\n    kind: talk\n")],
         [f"{PROG_F}:13:", "duplicate key 'kind' (first written on line 10)"]),
    Case("duplicate-tool-id-across-files", [write("tools/udvidet.yaml", TOOL)],
         [f"content/tools/udvidet.yaml:1 (id): tool id 'tsp' is defined twice; first at {TOOL_F}:1",
          "[content/duplicate-id]"], previous=True),
    Case("duplicate-question-id-across-files",
         [write("questions/udvidet.yaml",
                QUESTIONS.replace("id: tsp-spm", "id: udvidet").replace("id: tsp-pres", "id: mere-pres"))],
         [f"content/questions/udvidet.yaml:5 (id): question id 'tsp-energi' is defined twice; first at {QUESTIONS_F}:5"]),
    Case("duplicate-quote-id-across-files", [write("quotes/flere.yaml", QUOTES)],
         [f"content/quotes/flere.yaml:2 (id): quote id 'leder-citat' is defined twice; first at {QUOTES_F}:2"]),
    # --- wrong types ------------------------------------------------------------------------
    Case("string-for-a-list", [replace("tools/tsp.yaml",
                                       "steps:\n  - Udfyld profilen hver for sig\n  - Drøft svarene to og to\n",
                                       "steps: Udfyld profilen hver for sig\n")],
         [f"{TOOL_F}:6 (steps):", "input should be a valid list, got 'Udfyld profilen hver for sig'", "[schema/wrong-type]"]),
    Case("list-for-a-string", [replace("programmes/p.yaml", "title: Velkomst", "title: [Velkomst, Program]")],
         [f"{PROG_F}:9 (blocks[0].title):", "input should be a valid string, got a list", "[schema/wrong-type]"]),
    Case("duration-not-an-integer", [replace("tools/tsp.yaml", "duration_minutes: 20", "duration_minutes: tyve")],
         [f"{TOOL_F}:5 (duration_minutes):", "valid integer", "'tyve'", "[schema/wrong-type]"]),
    Case("duration-fractional", [replace("tools/tsp.yaml", "duration_minutes: 20", "duration_minutes: 20.5")],
         [f"{TOOL_F}:5 (duration_minutes):", "20.5", "[schema/wrong-type]"]),
    Case("lines-not-an-integer", [replace("tools/tsp.yaml", "lines: 3", "lines: tre")],
         [f"{TOOL_F}:22 (worksheet.sections[1].lines):", "got 'tre'"]),
    # --- unknown fields with "did you mean" -------------------------------------------------
    Case("unknown-field-titel",
         [replace("tools/tsp.yaml", "title: Trivselsprofilen\npurpose", "titel: Trivselsprofilen\npurpose")],
         [f"{TOOL_F}:2 (titel): unknown field 'titel'; did you mean 'title'?", "[schema/unknown-field]",
          f"{TOOL_F}:1 (title): required field 'title' is missing"]),
    Case("unknown-field-attribtion", [replace("quotes/citater.yaml", "attribution:", "attribtion:")],
         [f"{QUOTES_F}:4 (quotes[0].attribtion): unknown field 'attribtion'; did you mean 'attribution'?"]),
    Case("unknown-field-in-block", [replace("programmes/p.yaml", "notes: Byd velkommen.", "noter: Byd velkommen.")],
         [f"{PROG_F}:12 (blocks[0].noter): unknown field 'noter'; did you mean 'notes'?"]),
    Case("unknown-field-in-worksheet-section", [replace("tools/tsp.yaml", "      prompts:\n", "      promts:\n")],
         [f"{TOOL_F}:20 (worksheet.sections[1].promts): unknown field 'promts'; did you mean 'prompts'?"]),
    Case("unknown-field-in-branding", [replace("orgs/TST.yaml", "primary_color:", "primary_colour:")],
         [f"{ORG_F}:11 (branding.primary_colour): unknown field 'primary_colour'; did you mean 'primary_color'?"]),
    Case("unknown-section-kind", [replace("tools/tsp.yaml", "- kind: fields", "- kind: felter")],
         [f"{TOOL_F}:17 (worksheet.sections[0]):", "unknown section kind 'felter'"]),
    # --- missing required fields ------------------------------------------------------------
    Case("missing-block-kind", [replace("programmes/p.yaml", "    kind: welcome\n", "")],
         [f"{PROG_F}:7 (blocks[0].kind): required field 'kind' is missing", "[schema/missing-field]"]),
    Case("missing-org-name", [replace("orgs/TST.yaml", "\nname: Testkommune\n", "\n")],
         [f"{ORG_F}:1 (name): required field 'name' is missing"]),
    Case("missing-programme-slot", [replace("programmes/p.yaml", 'slot: {start: "09:00", end: "10:30"}\n', "")],
         [f"{PROG_F}:1 (slot): required field 'slot' is missing"]),
    Case("missing-question-text", [replace("questions/tsp-spm.yaml", "    text: Hvad presser dig?\n", "")],
         [f"{QUESTIONS_F}:8 (questions[1].text): required field 'text' is missing"]),
    Case("missing-worksheet", [replace("tools/tsp.yaml", TOOL[TOOL.index("\nworksheet:") + 1:], "")],
         [f"{TOOL_F}:12 (worksheet): tool 'tsp' is marked has_worksheet: true but has no worksheet"]),
    # --- unknown references -----------------------------------------------------------------
    Case("unknown-tool-in-block", [replace("programmes/p.yaml", "tools: [tsp]", "tools: [tps]")],
         [f"{PROG_F}:17 (blocks[1].tools): block 'Trivselsprofilen' refers to tool 'tps', which does not exist; "
          "did you mean 'tsp'?", "[refs/unknown-tool]"], previous=True),
    Case("unknown-question-in-block", [replace("programmes/p.yaml", "questions: [tsp-energi]", "questions: [tsp-energy]")],
         [f"{PROG_F}:18 (blocks[1].questions): block 'Trivselsprofilen' refers to question 'tsp-energy', which does not exist; "
          "did you mean 'tsp-energi'?"]),
    Case("unknown-quote-in-block", [replace("programmes/p.yaml", "quotes: [leder-citat]", "quotes: [lederens-citat]")],
         [f"{PROG_F}:19 (blocks[1].quotes): block 'Trivselsprofilen' refers to quote 'lederens-citat', which does not exist; "
          "did you mean 'leder-citat'?"]),
    Case("unknown-question-in-tool", [replace("tools/tsp.yaml", "questions: [tsp-energi]", "questions: [tsp-enrgi]")],
         [f"{TOOL_F}:9 (questions): tool 'tsp' refers to question 'tsp-enrgi', which does not exist; "
          "did you mean 'tsp-energi'?"]),
    Case("unknown-programme-in-org", [replace("orgs/TST.yaml", "programme: p\n", "programme: pp\n")],
         [f"{ORG_F}:3 (programme): organisation 'TST' uses programme 'pp', which does not exist; did you mean 'p'?",
          "[refs/unknown-programme]"]),
    Case("unknown-programme-in-org-no-close-match", [replace("orgs/TST.yaml", "programme: p\n", "programme: ledertrivsel\n")],
         [f"{ORG_F}:3 (programme): organisation 'TST' uses programme 'ledertrivsel', which does not exist; known: p"]),
    # --- clock times ------------------------------------------------------------------------
    Case("clock-25-00", [last_block_end('"25:00"')],
         [f"{PROG_F}:26 (blocks[3].end): end '25:00' of block 'Afslutning' is not a clock time", '"HH:MM"',
          "[timing/invalid-clock]"]),
    Case("clock-8.3-unquoted", [first_block_start("8.3")],
         [f"{PROG_F}:7 (blocks[0].start): start '8.3' of block 'Velkomst' is not a clock time", '"08:30"', '"HH:MM"']),
    Case("clock-8:30-unquoted", [first_block_start("8:30")],
         [f"{PROG_F}:7 (blocks[0].start): start '8:30' of block 'Velkomst' is not a clock time", '"08:30"', '"HH:MM"']),
    Case("clock-noon", [replace("programmes/p.yaml", 'start: "10:00"', 'start: noon')],
         [f"{PROG_F}:25 (blocks[3].start): start 'noon' of block 'Afslutning' is not a clock time", '"HH:MM"']),
    Case("clock-slot-invalid", [replace("programmes/p.yaml", 'end: "10:30"}', 'end: "10.30"}')],
         [f"{PROG_F}:5 (slot.end): slot end '10.30' is not a clock time"]),
    Case("block-ends-before-start", [replace("programmes/p.yaml", 'end: "09:15"', 'end: "08:50"')],
         [f"{PROG_F}:8 (blocks[0].end): block 'Velkomst' ends at 08:50, before it starts at 09:00",
          "[timing/ends-before-start]"]),
    Case("blocks-overlap", [replace("programmes/p.yaml", 'start: "09:15"', 'start: "09:10"')],
         [f"{PROG_F}:13 (blocks[1].start): block 'Trivselsprofilen' (09:10–09:45) starts 5 min before 'Velkomst' "
          "(09:00–09:15) ends", "[timing/overlap]"], previous=True),
    Case("block-outside-slot", [last_block_end('"10:45"')],
         [f"{PROG_F}:26 (blocks[3].end): block 'Afslutning' (10:00–10:45) ends after the booked slot 09:00–10:30",
          "[timing/outside-slot]"]),
    # --- org files --------------------------------------------------------------------------
    Case("logo-missing", [delete("orgs/TST/logo.png")],
         [f"{ORG_F}:10 (branding.logo): logo file 'TST/logo.png' does not exist", "[org/missing-file]"]),
    Case("logo-not-a-png", [copy_bad("logo-not-png.png", "orgs/TST/logo.png")],
         [f"{ORG_F}:10 (branding.logo): logo 'TST/logo.png' is not a PNG image", "[org/wrong-file-type]"], previous=True),
    Case("pptx-template-is-text", [copy_bad("fake.pptx", "orgs/TST/skabelon.pptx"),
                                   replace("orgs/TST.yaml", "  body_font: DejaVu Sans\n",
                                           "  body_font: DejaVu Sans\n  pptx_template: TST/skabelon.pptx\n")],
         [f"{ORG_F}:15 (branding.pptx_template): 'skabelon.pptx' is not an Office file (it is not a zip package)"]),
    Case("pptx-template-is-potx", [copy_file(LAYOUTS / "default" / "deck.pptx", "orgs/TST/skabelon.potx"),
                                   replace("orgs/TST.yaml", "  body_font: DejaVu Sans\n",
                                           "  body_font: DejaVu Sans\n  pptx_template: TST/skabelon.potx\n")],
         [f"built out/{ORG}/"], code=0, built=[ORG]),  # a .potx is opened as the presentation it is (kitgen.templates.clean)
    Case("pptx-template-is-a-docx", [copy_file(LAYOUTS / "default" / "document.docx", "orgs/TST/skabelon.pptx"),
                                     replace("orgs/TST.yaml", "  body_font: DejaVu Sans\n",
                                             "  body_font: DejaVu Sans\n  pptx_template: TST/skabelon.pptx\n")],
         [f"{ORG_F}:15 (branding.pptx_template): 'skabelon.pptx' is a Word document, but a PowerPoint presentation"]),
    Case("docx-template-is-text", [copy_bad("fake.docx", "orgs/TST/skabelon.docx"),
                                   replace("orgs/TST.yaml", "  body_font: DejaVu Sans\n",
                                           "  body_font: DejaVu Sans\n  docx_template: TST/skabelon.docx\n")],
         [f"{ORG_F}:15 (branding.docx_template): 'skabelon.docx' is not an Office file (it is not a zip package)"]),
    Case("template-missing", [replace("orgs/TST.yaml", "  body_font: DejaVu Sans\n",
                                      "  body_font: DejaVu Sans\n  docx_template: TST/findes-ikke.docx\n")],
         [f"{ORG_F}:15 (branding.docx_template): template 'TST/findes-ikke.docx' does not exist"]),
    Case("org-id-does-not-match-file-name", [replace("orgs/TST.yaml", "id: TST\n", "id: TSX\n")],
         [f"{ORG_F}:1 (id): org id 'TSX' does not match its file name 'TST.yaml'; name the file TSX.yaml", "[org/file-name]"]),
    Case("bad-colour", [replace("orgs/TST.yaml", '"#1F4E79"', "blue")],
         [f"{ORG_F}:11 (branding.primary_color): 'blue' is not a colour; write it as \"#RRGGBB\""]),
    Case("bad-colour-short-hex", [replace("orgs/TST.yaml", '"#C55A11"', '"#C5A"')],
         [f"{ORG_F}:12 (branding.accent_color): '#C5A' is not a colour"]),
    Case("language-not-da-or-en", [replace("orgs/TST.yaml", "language: da", "language: de")],
         [f"{ORG_F}:7 (language): 'de' is not allowed here; use one of 'da' or 'en'"]),
    # --- unsafe / unknown org ids on the command line (usage errors) ------------------------
    Case("org-id-path-traversal", [], ["'../../etc' is not a valid organisation id"], code=2, org="../../etc"),
    Case("org-id-with-slash", [], ["'a/b' is not a valid organisation id"], code=2, org="a/b"),
    Case("org-id-with-semicolon", [], ["'KK;rm' is not a valid organisation id"], code=2, org="KK;rm"),
    Case("org-id-unknown", [write("orgs/AMK.yaml", ORG_PROFILE.replace("TST", "AMK"))],
         ["unknown organisation 'KK'; known organisations: AMK, TST"], code=2, org="KK"),
    Case("org-id-empty", [], ["'' is not a valid organisation id"], code=2, org=""),
    Case("org-id-too-long", [], [f"'{'T' * 40}' is not a valid organisation id"], code=2, org="T" * 40),
    Case("org-id-wrong-case", [], ["unknown organisation 'tst'; known organisations: TST"], code=2, org="tst"),
    # --- Jinja2 in content ------------------------------------------------------------------
    Case("jinja-class-mro", [replace("programmes/p.yaml", "notes: Byd velkommen.", "notes: \"{{ ''.__class__.__mro__ }}\"")],
         [f"{PROG_F}:12 ",
          "template tries to reach something it may not (access to attribute '__class__' of 'str' object is unsafe.)",
          "only plain fields such as {{ org.name }} are allowed", "[text/template]"]),
    Case("jinja-init-globals", [replace("programmes/p.yaml", "points: [Formål, Program]",
                                        "points: [\"{{ org.__init__.__globals__ }}\", Program]")],
         [f"{PROG_F}:11 ",
          "template tries to reach something it may not (access to attribute '__init__' of 'Org' object is unsafe.)"],
         previous=True),
    Case("jinja-undefined-variable", [replace("programmes/p.yaml", "notes: Tak for i dag.", "notes: Tak, {{ nonexistent }}!")],
         [f"{PROG_F}:29 ", "'nonexistent', which is not defined", "[text/template]"]),
    # --- text that cannot go in a file ------------------------------------------------------
    Case("control-char-bel-in-title", [replace("programmes/p.yaml", "title: Velkomst", 'title: "Velkomst\\a"')],
         [f"{PROG_F}:9 (blocks[0].title): text contains the control character U+0007", "[text/illegal-character]"]),
    Case("control-char-esc-in-tool-title", [replace("tools/tsp.yaml", "title: Trivselsprofilen\npurpose",
                                                    'title: "\\e[31mTrivselsprofilen"\npurpose')],
         [f"{TOOL_F}:2 (title): text contains the control character U+001B"]),
    Case("very-long-block-title", [replace("programmes/p.yaml", "title: Velkomst", f"title: {LONG_TITLE}")],
         [f"{PROG_F}:7: slide '{LONG_TITLE[:60]}': the title is too long for its box", "[slides/overflow]"]),
    # --- more schema, timing and completeness mistakes ----------------------------------------
    Case("impossible-date", [replace("orgs/TST.yaml", "date: 2021-02-24", "date: 2021-02-30")],
         [f"{ORG_F}:4", "date"]),
    Case("date-not-a-date", [replace("programmes/p.yaml", "date: 2021-02-24", "date: 24. februar 2021")],
         [f"{PROG_F}:4 (date): input should be a valid date or datetime", "got '24. februar 2021'"]),
    Case("python-tag-refused", [replace("tools/tsp.yaml", "title: Trivselsprofilen\npurpose",
                                        'title: !!python/object/apply:os.system ["echo pwned"]\npurpose')],
         [f"{TOOL_F}:2:", "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"],
         absent=["pwned\n"]),
    Case("two-yaml-documents", [replace("tools/tsp.yaml", "id: tsp\n", "id: tsp\n---\nid: tsp2\n")],
         [f"{TOOL_F}:2:", "expected a single document in the stream, but found another document"]),
    Case("file-too-large", [write("quotes/stor.yaml", HUGE_QUOTES)],
         [f"content/quotes/stor.yaml: file is {len(HUGE_QUOTES):,} bytes; the limit is 2,000,000", "[file/too-large]"]),
    Case("yaml-alias-bomb", [write("quotes/bombe.yaml", "\n".join(
            ["a0: &a0 [ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
            + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
            + ["quotes: [{id: bombe, text: ha, attribution: a, source: s}]"]) + "\n")],
         ["content/quotes/bombe.yaml:", "YAML aliases (*name) are not allowed in content files"],
         # refused in about 1 ms; 30 s covers a cold CLI start on a busy CI machine and is still far
         # below the minutes these nested aliases took to expand before they were refused
         timeout=30),
    Case("empty-blocks", [write("programmes/p.yaml", PROGRAMME[:PROGRAMME.index("blocks:")] + "blocks: []\n")],
         [f"{PROG_F}:6 (blocks): needs at least 1 item(s), got 0"]),
    Case("block-kind-not-allowed", [replace("programmes/p.yaml", "kind: break", "kind: pause")],
         [f"{PROG_F}:24 (blocks[2].kind): 'pause' is not allowed here; use one of 'welcome', 'talk', 'dialogue', "
          "'exercise', 'break' or 'closing'"]),
    Case("boolean-not-a-boolean", [replace("tools/tsp.yaml", "has_worksheet: true", "has_worksheet: maybe")],
         [f"{TOOL_F}:12 (has_worksheet): input should be a valid boolean", "got 'maybe'"]),
    Case("upper-case-id", [replace("tools/tsp.yaml", "id: tsp\n", "id: TSP\n")],
         [f"{TOOL_F}:1 (id): 'TSP' is not a valid id: use lower-case letters, digits and hyphens"]),
    Case("non-string-key", [replace("tools/tsp.yaml", "audience: Ledere\n", "audience: Ledere\n42: svar\n")],
         [f"{TOOL_F}:5: the field name 42 must be a word, not a number", "[schema/invalid-key]"]),
    Case("null-title", [replace("programmes/p.yaml", "title: Velkomst", "title:")],
         [f"{PROG_F}:9 (blocks[0].title): input should be a valid string, got None"]),
    Case("nested-list-in-points", [replace("programmes/p.yaml", "points: [Formål, Program]", "points: [[Formål], {a: b}]")],
         [f"{PROG_F}:11 (blocks[0].points[0]): input should be a valid string, got a list",
          f"{PROG_F}:11 (blocks[0].points[1]): unknown key 'a' in a text; did you mean 'da'? [schema/unknown-field]"]),
    Case("duplicate-org-yml-and-yaml", [write("orgs/TST.yml", ORG_PROFILE)],
         [f"content/orgs/TST.yml:1 (id): organisation id 'TST' is defined twice; first at {ORG_F}:1"]),
    Case("quote-without-source", [replace("quotes/citater.yaml", "source: Testkilde", 'source: ""')],
         [f"{QUOTES_F}:5 (source): quote 'leder-citat' has no source", "[quotes/missing-source]"]),
    Case("block-without-notes", [replace("programmes/p.yaml", "    notes: Byd velkommen.\n", "")],
         [f"{PROG_F}:7 ", "slide 3 'Velkomst' would have no speaker notes; write 'blocks[0].notes'", "[slides/missing-notes]"]),
    Case("tools-longer-than-block", [replace("tools/tsp.yaml", "duration_minutes: 20", "duration_minutes: 45")],
         [f"{PROG_F}:17 (blocks[1].tools): the tools in block 'Trivselsprofilen' (09:15–09:45) take 45 min (tsp 45) "
          "but the block is 30 min"]),
    Case("gap-too-long", [replace("programmes/p.yaml", 'start: "10:00"', 'start: "10:20"')],
         [f"{PROG_F}:25 (blocks[3].start): 20 min with nothing planned between 'Pause' (09:45–10:00) and "
          "'Afslutning' (10:20–10:30) (more than the 15 min allowed)", "[timing/gap]"]),
    Case("blocks-out-of-order", [replace("programmes/p.yaml", 'start: "10:00"', 'start: "08:00"')],
         [f"{PROG_F}:25 (blocks[3].start): block 'Afslutning' (08:00–10:30) is listed after 'Pause' (09:45–10:00) "
          "but starts earlier; list blocks in time order"]),
    Case("slot-ends-before-start", [replace("programmes/p.yaml", 'end: "10:30"}', 'end: "08:30"}')],
         [f"{PROG_F}:5 (slot): the slot ends at 08:30, not after it starts at 09:00"]),
    Case("org-slot-too-short", [org_slot("13:00", "14:00")],
         [f"{PROG_F}:26 (blocks[3].end): with TST's slot 13:00–14:00: block 'Afslutning' (14:00–14:30) ends after "
          "the booked slot 13:00–14:00"]),
    Case("org-slot-invalid-clock", [org_slot("1 pm", "14:00")],
         [f"{ORG_F}:8 (slot): the booked slot's start '1 pm' is not a clock time"]),
    Case("org-slot-past-midnight", [org_slot("23:00", "23:59")],
         [f"{ORG_F}:8 (slot): moved to start at 23:00, the programme 'p' would run past midnight"],
         absent=["ends at 10:00, before it starts at 23:45"]),
    Case("jinja-in-tool-facilitator-notes", [replace("tools/tsp.yaml", "facilitator_notes: Fortæl kort om profilen.",
                                                     "facilitator_notes: \"{{ ''.__class__.__mro__ }}\"")],
         [f"{TOOL_F}:11 ", "template tries to reach something it may not"]),
    Case("jinja-error-field-path", [replace("programmes/p.yaml", "notes: Tak for i dag.", "notes: Tak, {{ nonexistent }}!")],
         [f"{PROG_F}:29 (blocks[3].notes):"]),
    Case("jinja-syntax-error", [replace("programmes/p.yaml", "notes: Byd velkommen.", 'notes: "Byd {{ velkommen"')],
         [f"{PROG_F}:12 ", "template error: unexpected end of template"]),
    Case("control-char-in-key", [replace("programmes/p.yaml", "title: Velkomst", '"tit\\ale": Velkomst')],
         [f"{PROG_F}:9 "], absent=["\x07", "unknown field 'title'; did you mean 'title'?"]),
    Case("noncharacter-in-title", [replace("programmes/p.yaml", "title: Velkomst", 'title: "Vel\\ufffekomst"')],
         [f"{PROG_F}:9 (blocks[0].title): text contains the control character U+FFFE"]),
]


@pytest.fixture(scope="session")
def good_kit(tmp_path_factory) -> Path:
    """A kit built from the good fixture (also proves the fixture is valid)."""
    cwd = tmp_path_factory.mktemp("good")
    make_content(cwd / "content")
    code, output = run_build(cwd)
    assert code == 0, output
    assert "Traceback" not in output
    kit = cwd / "out" / ORG
    assert sorted(p.name for p in kit.iterdir()) == ["deck.pptx", "facilitator-notes.docx", "kit.json", "worksheets.docx"]
    return kit


@dataclass
class Outcome:
    cwd: Path
    code: int | None
    output: str
    before: dict[str, bytes] | None  # out/TST before the build, for cases with a previous kit


def _run_case(case: Case, cwd: Path, good_kit: Path) -> Outcome:
    content = make_content(cwd / "content")
    before = None
    if case.previous:
        shutil.copytree(good_kit, cwd / "out" / ORG)
        before = snapshot(cwd / "out" / ORG)
    for edit in case.edits:
        edit(content)
    code, output = run_build(cwd, org=case.org, timeout=case.timeout)
    return Outcome(cwd, code, output, before)


@pytest.fixture(scope="session")
def outcomes(request, tmp_path_factory, good_kit) -> dict[str, Outcome]:
    """Run every selected case's CLI call, a few at a time (each is its own process and folder)."""
    selected = [item.callspec.params["case"] for item in request.session.items
                if item.originalname == "test_bad_input" and hasattr(item, "callspec")]
    with ThreadPoolExecutor(max_workers=min(8, max(4, (os.cpu_count() or 2) * 4))) as pool:
        futures = {case.id: pool.submit(_run_case, case, tmp_path_factory.mktemp(case.id), good_kit) for case in selected}
        return {case_id: future.result() for case_id, future in futures.items()}


def _param(case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=f"BUG: {case.bug}")] if case.bug else []
    return pytest.param(case, id=case.id, marks=marks)


def test_corpus_is_big_enough():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_input(case: Case, outcomes: dict[str, Outcome]):
    result = outcomes[case.id]
    output, out = result.output, result.cwd / "out"

    assert "Traceback" not in output, output
    for fragment in case.expect:
        assert fragment in output, f"missing {fragment!r} in:\n{output}"
    for fragment in case.absent:
        assert fragment not in output, f"{fragment!r} should not be in:\n{output}"
    assert result.code == case.code, output
    # Nothing was written: no kit (or the previous kit, byte for byte), no staging folders.
    leftovers = sorted(p.name for p in out.iterdir()) if out.exists() else []
    if result.before is not None:
        assert leftovers == [ORG], leftovers
        assert snapshot(out / ORG) == result.before
    else:
        assert leftovers == [], leftovers
    assert not list(result.cwd.rglob(f".{ORG}.partial-*")) and not list(result.cwd.rglob(f".{ORG}.old-*"))
    assert sorted(p.name for p in result.cwd.iterdir()) == ["content"] + (["out"] if result.before else [])
    if case.org == "../../etc":
        assert not (result.cwd.parent / "etc").exists()


MIXED = "Ledertrivsel 😀 – Ελληνικά – العربية – 日本語"
MIXED_QUESTION = "Hvad giver dig energi? 🙂 Ποιο; ما؟ 何ですか？ Ægte æøå"


def deck_text(path: Path) -> tuple[str, str]:
    """(text on the slides, text of the speaker notes) of a deck."""
    from pptx import Presentation

    slides, notes = [], []
    for slide in Presentation(str(path)).slides:
        slides.extend(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        if slide.has_notes_slide:
            notes.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(slides), "\n".join(notes)


def _add_bom(name: str) -> Edit:
    return lambda root: (root / name).write_bytes(b"\xef\xbb\xbf" + (root / name).read_bytes())


def _crlf(name: str) -> Edit:
    return lambda root: (root / name).write_bytes((root / name).read_bytes().replace(b"\n", b"\r\n"))


# (edits, text that must be on the slides, text that must be in the speaker notes)
ACCEPTED = [
    pytest.param([replace("programmes/p.yaml", "points: [Formål, Program]", f'points: ["{MIXED}", Program]'),
                  replace("questions/tsp-spm.yaml", "text: Hvad giver dig energi?", f'text: "{MIXED_QUESTION}"')],
                 [MIXED, MIXED_QUESTION], [], id="emoji-and-mixed-scripts"),
    pytest.param([replace("programmes/p.yaml", 'start: "10:00"\n', "start: 10:00\n")],
                 ["10:00–10:30"], [], id="unquoted-two-digit-clock-time"),
    pytest.param([replace("programmes/p.yaml", "notes: Tak for i dag.", "notes: Tak for i dag, {{ org.name }}.")],
                 [], ["Tak for i dag, Testkommune."], id="jinja-plain-field-in-notes"),
    pytest.param([_add_bom("tools/tsp.yaml"), _crlf("programmes/p.yaml")],
                 ["Trivselsprofilen", "Velkomst"], ["Byd velkommen."], id="utf8-bom-and-crlf-line-ends"),
]


@pytest.mark.parametrize("edits, on_slides, in_notes", ACCEPTED)
def test_accepted_input(edits, on_slides, in_notes, tmp_path: Path):
    content = make_content(tmp_path / "content")
    for edit in edits:
        edit(content)
    code, output = run_build(tmp_path)
    assert "Traceback" not in output, output
    assert code == 0, output
    assert f"built out/{ORG}/" in output
    kit = tmp_path / "out" / ORG
    assert sorted(p.name for p in kit.iterdir()) == ["deck.pptx", "facilitator-notes.docx", "kit.json", "worksheets.docx"]
    slides, notes = deck_text(kit / "deck.pptx")
    for fragment in on_slides:
        assert fragment in slides, f"{fragment!r} not on the slides"
    for fragment in in_notes:
        assert fragment in notes, f"{fragment!r} not in the speaker notes"
