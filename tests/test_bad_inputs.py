"""A corpus of bad inputs: each must give its exact error, and nothing may be written.

Every case starts from a small, valid, self-contained content folder (built in
``tmp_path`` by :func:`make_content`: one tool with a worksheet, one question group,
one quote file, one programme and one organisation ``TST`` with a tiny PNG logo),
changes one thing, and runs the real command line::

    python -m kitgen build --org TST --content content --layouts <repo>/layouts --out out

It then checks the exit code, a precise fragment of the message (file:line, field and
the words that explain), that no traceback was printed, and that nothing was written
(no ``out/TST`` kit, no ``.TST.partial-*`` folder). Cases marked ``previous=True``
first put a good kit in ``out/TST`` and check it is left byte-identical. For every case
the whole working folder (content, out/, a user's own folders and links) is compared
before and after the run: only the kits a case names in ``built`` (and lock files under
``out/.kits``) may change. The hardening cases run other command lines (``args``:
``build --all``, ``validate --all``, other ``--out`` folders) and prepare the working
folder first (``setup``).

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
import json
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


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every file (bytes) and link (its target) under ``folder``, links not followed: what a run may not touch."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = "-> " + os.readlink(path)
        elif path.is_file():
            found[name] = path.read_bytes()
    return found


def run_cli(cwd: Path, args: list[str], env: dict[str, str], timeout: float) -> tuple[int | None, str]:
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "kitgen", *[a.replace("{layouts}", str(LAYOUTS)) for a in args]],
            cwd=cwd, capture_output=True, text=True, encoding="utf-8", errors="replace",
            env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200", "NO_COLOR": "1", **env}, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"(kitgen did not finish within {timeout} s and was stopped)"
    return proc.returncode, proc.stdout + proc.stderr


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
    args: list[str] | None = None  # another command line than 'build --org TST' ({layouts} is filled in)
    setup: list[Edit] = field(default_factory=list)  # changes to the working folder (e.g. out/) before the run
    built: list[str] = field(default_factory=list)  # organisations whose kits may be written (and must be whole)
    env: dict[str, str] = field(default_factory=dict)


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
         [f"{PROG_F}:7 (blocks[0].start): block 'Velkomst' (08:30–09:15) starts before the booked slot 09:00–10:30"]),  # 8:30 is 08:30
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
         [f"{ORG_F}:10 (branding.logo): logo 'TST/logo.png' is an SVG drawing; kitgen takes PNG logos", "[org/wrong-file-type]"], previous=True),
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
    Case("org-id-too-long", [], [f"'{'T' * 40}' is not a valid organisation id: 1 to 32 letters, digits, '-' or '_', "
                                 "starting with a letter or digit"], code=2, org="T" * 40),
    Case("org-id-leading-dash", [], ["'-KK' is not a valid organisation id: 1 to 32 letters", "starting with a letter"],
         code=2, org="-KK"),
    Case("org-id-with-newline", [], ["'KK\\nerror   forged' is not a valid organisation id"], code=2,
         org="KK\nerror   forged", absent=["\nerror   forged'"]),
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
         [f"{TOOL_F}:2: the YAML tag !!python/object/apply:os.system is not allowed in content files"],
         absent=["pwned\n"]),
    Case("two-yaml-documents", [replace("tools/tsp.yaml", "id: tsp\n", "id: tsp\n---\nid: tsp2\n")],
         [f"{TOOL_F}:2:", "expected a single document in the stream, but found another document"]),
    Case("file-too-large", [write("quotes/stor.yaml", HUGE_QUOTES)],
         [f"content/quotes/stor.yaml:1: file is {len(HUGE_QUOTES):,} bytes; the limit is 2,000,000", "[file/too-large]"]),
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
         [f"{PROG_F}:7 ", "slide 4 'Velkomst' would have no speaker notes; write 'blocks[0].notes'", "[slides/missing-notes]"]),
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
         [f"{PROG_F}:26 (blocks[3].end): with TST's slot 13:00–14:00: block 'Afslutning' (10:00–10:30 in the file, "
          "14:00–14:30 in TST's slot) ends after the booked slot 13:00–14:00"]),
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


# --- hardening (issue 11): only kits replaced, plain YAML, bounded templates, escaped output,
# one org's failure its own, usage errors stay exit 2 ---------------------------------------------


def at(relative: str, data: str | bytes | None = None, link: str | None = None) -> Edit:
    """Make ``relative`` in the working folder: a folder (data None), a file, or a link."""

    def edit(cwd: Path) -> None:
        path = cwd / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if link is not None:
            path.symlink_to(link)
        elif data is None:
            path.mkdir()
        else:
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    return edit


def add_org(org_id: str, *profile_edits: tuple[str, str]) -> Edit:
    """A second organisation with its own folder and logo (optionally with its profile changed)."""

    def edit(root: Path) -> None:
        text = ORG_PROFILE.replace("id: TST", f"id: {org_id}").replace("TST/logo.png", f"{org_id}/logo.png")
        for old, new in profile_edits:
            text = text.replace(old, new)
        (root / "orgs" / f"{org_id}.yaml").write_text(text, encoding="utf-8")
        (root / "orgs" / org_id).mkdir(exist_ok=True)
        (root / "orgs" / org_id / "logo.png").write_bytes(tiny_png())

    return edit


def notes_template(source: str, where: str = "prog") -> Edit:
    """Put a template in the first block's notes (line 12) or in the tool's facilitator notes (line 11)."""
    quoted = '"' + source.replace('"', '\\"') + '"'
    if where == "tool":
        return replace("tools/tsp.yaml", "facilitator_notes: Fortæl kort om profilen.", f"facilitator_notes: {quoted}")
    return replace("programmes/p.yaml", "notes: Byd velkommen.", f"notes: {quoted}")


BUILD = ["build", "--org", ORG, "--content", "content", "--layouts", "{layouts}"]
BUILD_ALL = ["build", "--all", "--content", "content", "--layouts", "{layouts}", "--out", "out"]
VALIDATE_ALL = ["validate", "--all", "--content", "content", "--layouts", "{layouts}"]
NOT_A_KIT = "exists and is not a kit kitgen wrote (no kit.json from kitgen in it); kitgen replaces only its own kits"
TAG_RULE = "is not allowed in content files; write plain text, a number, true/false, a date, a list or a mapping"
STOP = f"{PROG_F}:12 (blocks[0].notes): template stopped: "
REACH = f"{PROG_F}:12 (blocks[0].notes): template tries to reach something it may not"
FORGED = "error   content/x.yaml:1: forged [yaml/syntax]"

HARDENING = [
    # only kits are replaced; --out never inside the inputs (exit 2, nothing touched)
    Case("out-user-folder", [], [f"error: out/{ORG} {NOT_A_KIT}"], code=2,
         setup=[at("out/TST"), at("out/TST/speciale.docx", b"years of work")]),
    Case("out-user-folder-empty", [], [f"error: out/{ORG} {NOT_A_KIT}"], code=2, setup=[at("out/TST")]),
    Case("out-foreign-kit-json", [], [f"error: out/{ORG} {NOT_A_KIT}"], code=2,
         setup=[at("out/TST"), at("out/TST/kit.json", '{"name": "my own kit"}')]),
    Case("out-kit-json-not-json", [], [f"error: out/{ORG} {NOT_A_KIT}"], code=2,
         setup=[at("out/TST"), at("out/TST/kit.json", "not json at all")]),
    Case("out-kit-json-a-list", [], [f"error: out/{ORG} {NOT_A_KIT}"], code=2,
         setup=[at("out/TST"), at("out/TST/kit.json", "[1, 2]")]),
    Case("out-kit-json-of-another-org", [], [f"error: out/{ORG} {NOT_A_KIT}"], code=2,
         setup=[at("out/TST"), at("out/TST/kit.json", '{"generator": "kitgen", "org": "AMK", "files": []}')]),
    Case("out-is-a-file", [], [f"error: out/{ORG} is a file, not a kit kitgen wrote; move it away or use another --out"],
         code=2, setup=[at("out/TST", "my notes")]),
    Case("out-dangling-link", [], [f"error: out/{ORG} is a broken link to /nonexistent/kit, not a kit kitgen wrote"],
         code=2, setup=[at("out/TST", link="/nonexistent/kit")]),
    Case("out-link-to-user-folder", [], [f"error: out/{ORG} {NOT_A_KIT}"], code=2,
         setup=[at("mine"), at("mine/notes.txt", "mine"), at("out/TST", link="../mine")]),
    Case("out-user-folder-with-all", [], [f"error: out/{ORG} {NOT_A_KIT}"], code=2, args=BUILD_ALL,
         setup=[at("out/TST"), at("out/TST/a.txt", "a")]),
    Case("out-equals-content", [], ["error: --out content is inside the content folder content; kits must go elsewhere"],
         code=2, args=[*BUILD, "--out", "content"]),
    Case("out-inside-content", [], ["error: --out content/orgs is inside the content folder content"],
         code=2, args=[*BUILD, "--out", "content/orgs"]),
    Case("out-inside-content-dotdot", [], ["is inside the content folder content"], code=2,
         args=[*BUILD, "--out", "out/../content/orgs"]),
    Case("out-inside-content-via-link", [], ["error: --out alias is inside the content folder content"], code=2,
         args=[*BUILD, "--out", "alias"], setup=[at("alias", link="content")]),
    Case("out-equals-layouts", [], [f"error: --out {LAYOUTS} is inside the layouts folder {LAYOUTS}"], code=2,
         args=[*BUILD, "--out", str(LAYOUTS)]),
    Case("out-inside-layouts", [], [f"is inside the layouts folder {LAYOUTS}"], code=2,
         args=[*BUILD, "--out", str(LAYOUTS / "default")]),
    Case("out-is-an-existing-file", [], ["Invalid value for '--out'", "is a file"], code=2,
         args=[*BUILD, "--out", "outfile"], setup=[at("outfile", "x")]),
    Case("out-under-a-file", [], ["failed TST: cannot write to blocker/out: Not a directory"], code=1,
         args=[*BUILD, "--out", "blocker/out"], setup=[at("blocker", "x")]),
    # a kit folder from before the versioned layout, out of date: rebuilt, and taken over (an
    # up-to-date one is simply "unchanged")
    Case("out-legacy-kit-is-taken-over", [replace("programmes/p.yaml", "title: Velkomst", "title: Velkomst og formål")],
         ["built out/TST/"], code=0, previous=True, built=[ORG]),
    # plain data only from YAML: tags refused with file and line
    Case("yaml-set", [replace("tools/tsp.yaml", "questions: [tsp-energi]", "questions: !!set {tsp-energi}")],
         [f"{TOOL_F}:9: the YAML tag !!set {TAG_RULE}", "[yaml/refused]"]),
    Case("yaml-set-of-steps", [replace("tools/tsp.yaml", "steps:\n", "steps: !!set\n")],
         [f"{TOOL_F}:6: the YAML tag !!set {TAG_RULE}"]),
    Case("yaml-binary-with-nul", [replace("programmes/p.yaml", "title: Velkomst", "title: !!binary AEFC")],
         [f"{PROG_F}:9: the YAML tag !!binary {TAG_RULE}"]),
    Case("yaml-omap", [replace("orgs/TST.yaml", "facilitators: [Anna Andersen]", "facilitators: !!omap [a: 1]")],
         [f"{ORG_F}:6: the YAML tag !!omap {TAG_RULE}"]),
    Case("yaml-pairs", [replace("quotes/citater.yaml", "text: Jeg har forsøgt mig med alt.", "text: !!pairs [a: 1]")],
         [f"{QUOTES_F}:3: the YAML tag !!pairs {TAG_RULE}"]),
    Case("yaml-python-apply", [replace("tools/tsp.yaml", "source: Testkilde", "source: !!python/object/apply:os.system [id]")],
         [f"{TOOL_F}:10: the YAML tag !!python/object/apply:os.system {TAG_RULE}"]),
    Case("yaml-python-name", [replace("tools/tsp.yaml", "source: Testkilde", "source: !!python/name:os.system ''")],
         [f"{TOOL_F}:10: the YAML tag !!python/name:os.system {TAG_RULE}"]),
    Case("yaml-python-object", [replace("tools/tsp.yaml", "source: Testkilde", "source: !!python/object:object {}")],
         [f"{TOOL_F}:10: the YAML tag !!python/object:object {TAG_RULE}"]),
    Case("yaml-own-tag", [replace("programmes/p.yaml", "notes: Tak for i dag.", "notes: !include tak.txt")],
         [f"{PROG_F}:29: the YAML tag !include {TAG_RULE}"]),
    Case("yaml-merge-key", [replace("orgs/TST.yaml", "venue: Rådhuset\n", "venue: Rådhuset\n<<: {language: en}\n")],
         [f"{ORG_F}:6: the YAML tag !!merge (a '<<' merge key) {TAG_RULE}"]),
    Case("yaml-complex-key-list", [replace("tools/tsp.yaml", "audience: Ledere\n", "audience: Ledere\n? [a, b]\n: c\n")],
         [f"{TOOL_F}:5: a key must be a plain name, not a list or mapping (a '?' complex key)"]),
    Case("yaml-complex-key-mapping", [replace("tools/tsp.yaml", "audience: Ledere\n", "audience: Ledere\n? {a: 1}\n: c\n")],
         [f"{TOOL_F}:5: a key must be a plain name, not a list or mapping"]),
    Case("yaml-tagged-document", [write("quotes/citater.yaml", "--- !!set\n? a\n? b\n")],
         [f"{QUOTES_F}:1: the YAML tag !!set {TAG_RULE}"]),
    Case("yaml-str-tag-on-a-map", [replace("orgs/TST.yaml", "branding:\n", "branding: !!str\n")],
         [f"{ORG_F}:"], absent=["Traceback"]),
    Case("yaml-raw-nul-line", [write("programmes/p.yaml", PROGRAMME.replace("title: Afslutning", "title: Afslut\0ning"))],
         [f"{PROG_F}:27: the file contains the control character U+0000, which YAML and Office files cannot hold",
          "[text/illegal-character]"], absent=["position"]),
    Case("yaml-raw-nul-first-line", [write("tools/tsp.yaml", "\0" + TOOL)],
         [f"{TOOL_F}:1: the file contains the control character U+0000"]),
    Case("yaml-escaped-nul", [replace("programmes/p.yaml", "title: Velkomst", 'title: "Vel\\0komst"')],
         [f"{PROG_F}:9 (blocks[0].title): text contains the control character U+0000"]),
    # templates: bounded size and time, no side effects (each a text/template finding, exit 1)
    Case("template-repeat-huge", [notes_template("{{ 'x' * 10**9 }}")], [STOP + "repeating a text or list 1000000000 times"]),
    Case("template-list-repeat-huge", [notes_template("{{ [0] * 10**8 }}")], [STOP + "repeating a text or list 100000000 times"]),
    Case("template-power-huge", [notes_template("{{ 9 ** 999999 }}")], [STOP + "9 ** 999999 is too large a number"]),
    Case("template-range-huge", [notes_template("{% for i in range(10**9) %}x{% endfor %}")],
         [STOP + "the number 1000000000 is too large for a text template"]),
    Case("template-range-long", [notes_template("{% for i in range(50000) %}{% endfor %}")],
         [STOP + "range() of 50000 items; a text template may loop over at most 10000 items"]),
    Case("template-center-huge", [notes_template("{{ 'x'|center(1000000000) }}")],
         [STOP + "the number 1000000000 is too large for a text template"]),
    Case("template-percent-width", [notes_template("{{ '%0999999999d' % 1 }}")], [STOP + "a format width of 999999999"]),
    Case("template-format-width", [notes_template("{{ '{:>999999999}'.format(1) }}")], [STOP + "a format width of 999999999"]),
    Case("template-replace-huge", [notes_template("{{ 'ab'.replace('', 'x' * 90000) }}")],
         [STOP + "this replace() would make a very long text"]),
    Case("template-doubling", [notes_template("{% set s = namespace(v='x') %}{% for i in range(40) %}"
                                              "{% set s.v = s.v ~ s.v %}{% endfor %}{{ s.v }}")],
         [STOP + "joining texts with ~ makes 131072 characters"]),
    Case("template-output-huge", [notes_template("{% for i in range(9000) %}{{ 'x' * 90 }}{% endfor %}")],
         [STOP + "the text grew past"]),
    Case("template-runs-too-long", [notes_template("{% for i in range(9000) %}{% for j in range(9000) %}{% endfor %}"
                                                   "{% endfor %}")],
         [STOP + "it ran longer than 0.5 s (a loop that does not end, or too much work for one text field)"],
         env={"KITGEN_TEMPLATE_SECONDS": "0.5"}),
    Case("template-recursion", [notes_template("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}")],
         [STOP + "it calls itself too deeply (a recursive macro?)"]),
    Case("template-in-tool-huge", [notes_template("{{ 'x' * 10**9 }}", where="tool")],
         [f"{TOOL_F}:11 (facilitator_notes): template stopped: repeating a text or list 1000000000 times"]),
    Case("template-clears-labels", [notes_template("{{ labels.clear() }}")],
         [REACH + " (access to attribute 'clear' of", "object is unsafe.)"]),
    Case("template-updates-labels", [notes_template("{{ labels.update({'break': 'x'}) }}")],
         [REACH + " (access to attribute 'update' of", "object is unsafe.)"]),
    Case("template-clears-blocks", [notes_template("{{ programme.blocks.clear() }}")],
         [REACH + " (access to attribute 'clear' of 'list' object is unsafe.)"]),
    Case("template-appends-break", [notes_template("{{ breaks.append(1) }}")],
         [REACH + " (access to attribute 'append' of 'list' object is unsafe.)"]),
    Case("template-copies-model", [notes_template("{{ org.model_copy() }}")], [REACH, "model_copy"]),
    Case("template-sets-attribute", [notes_template("{% set programme.title = 'x' %}")],
         [f"{PROG_F}:12 (blocks[0].notes): template error: cannot assign attribute on non-namespace object"]),
    # user text cannot forge a finding line (control characters shown escaped)
    Case("escape-newline-in-tool-ref", [replace("programmes/p.yaml", "tools: [tsp]", f'tools: ["tsp\\n{FORGED}"]')],
         [f"{PROG_F}:17 (blocks[1].tools):", "\\nerror   content/x.yaml:1: forged"], absent=[f"\n{FORGED}"]),
    Case("escape-newline-in-block-title", [replace("programmes/p.yaml", "title: Afslutning", f'title: "Afslutning\\n{FORGED}"'),
                                           replace("programmes/p.yaml", 'start: "10:00"', 'start: "08:00"')],
         ["is listed after", "Afslutning\\nerror   content/x.yaml:1: forged"], absent=[f"\n{FORGED}"]),
    Case("escape-carriage-return", [replace("programmes/p.yaml", "tools: [tsp]", 'tools: ["tsp\\rerror   forged"]')],
         ["\\rerror   forged"], absent=["\rerror   forged"]),
    Case("escape-ansi-in-question-ref", [replace("tools/tsp.yaml", "questions: [tsp-energi]", 'questions: ["\\e[31mred"]')],
         [f"{TOOL_F}:9 (questions[0]): text contains the control character U+001B"], absent=["\x1b[31m"]),
    # one organisation's failure is its own: the others build; the summary says which
    Case("all-one-org-unknown-programme", [add_org("TS2", ("programme: p", "programme: findes-ikke"))],
         ["TS2", "1 built, 0 unchanged, 1 failed"], args=BUILD_ALL, built=[ORG]),
    Case("all-one-org-broken-template", [add_org("TS2", ("  body_font: DejaVu Sans\n",
                                                          "  body_font: DejaVu Sans\n  pptx_template: TS2/s.pptx\n")),
                                         copy_bad("fake.pptx", "orgs/TS2/s.pptx")],
         ["content/orgs/TS2.yaml:15 (branding.pptx_template)", "1 built, 0 unchanged, 1 failed"], args=BUILD_ALL, built=[ORG]),
    Case("all-one-org-broken-template-jobs", [add_org("TS2", ("  body_font: DejaVu Sans\n",
                                                               "  body_font: DejaVu Sans\n  pptx_template: TS2/s.pptx\n")),
                                              copy_bad("fake.pptx", "orgs/TS2/s.pptx")],
         ["content/orgs/TS2.yaml:15 (branding.pptx_template)", "1 built, 0 unchanged, 1 failed"],
         args=[*BUILD_ALL, "--jobs", "2"], built=[ORG]),
    Case("all-one-org-logo-not-png", [add_org("TS2"), copy_bad("logo-not-png.png", "orgs/TS2/logo.png")],
         ["content/orgs/TS2.yaml:", "1 built, 0 unchanged, 1 failed"], args=BUILD_ALL, built=[ORG]),
    Case("all-one-org-missing-logo", [add_org("TS2"), lambda root: (root / "orgs" / "TS2" / "logo.png").unlink()],
         ["content/orgs/TS2.yaml:", "1 built, 0 unchanged, 1 failed"], args=BUILD_ALL, built=[ORG]),
    Case("validate-all-one-org-broken", [add_org("TS2", ("programme: p", "programme: findes-ikke"))],
         ["content/orgs/TS2.yaml:", "findes-ikke"], args=VALIDATE_ALL),
    Case("all-user-folder-for-one-org", [add_org("TS2")], ["error: out/TS2 " + NOT_A_KIT], code=2, args=BUILD_ALL,
         setup=[at("out/TS2"), at("out/TS2/mine.txt", "mine")]),
    Case("logo-decompression-bomb", [copy_bad("logo-bomb.png", "orgs/TST/logo.png")],
         ["failed TST: an image this kit uses is too large to open safely (Image size (400000000 pixels) exceeds limit"],
         absent=["the content has errors", "unexpected error"]),
    Case("all-one-org-logo-bomb", [add_org("TS2"), copy_bad("logo-bomb.png", "orgs/TS2/logo.png")],
         ["an image this kit uses is too large to open safely", "1 built, 0 unchanged, 1 failed"], args=BUILD_ALL,
         built=[ORG]),
    Case("out-name-with-markup-brackets", [], [f"error: o[/b]/TST {NOT_A_KIT}"], code=2,
         args=[*BUILD, "--out", "o[/b]"], setup=[at("o[/b]/TST"), at("o[/b]/TST/mine.txt", "mine")]),
    Case("out-name-with-newline", [], [f"error: o\\nerror   forged/TST {NOT_A_KIT}"], code=2,
         args=[*BUILD, "--out", "o\nerror   forged"], setup=[at("o\nerror   forged/TST")],
         absent=["\nerror   forged/TST"]),
    Case("list-title-with-markup-and-newline",
         [replace("programmes/p.yaml", "title: Testworkshop", 'title: "Test [/b] workshop\\nerror   forged"')],
         ["Test [/b] workshop\\nerror   forged"], code=0, args=["list", "--content", "content", "--layouts", "{layouts}"]),
    Case("validate-runaway-template", [notes_template("{% for i in range(9000) %}{% for j in range(9000) %}{% endfor %}"
                                                      "{% endfor %}")],
         [STOP + "it ran longer than 0.5 s"], args=VALIDATE_ALL, env={"KITGEN_TEMPLATE_SECONDS": "0.5"}),
    Case("validate-huge-template", [notes_template("{{ 'x' * 10**9 }}")], [STOP + "repeating a text or list"],
         args=VALIDATE_ALL),
    # usage mistakes stay exit 2 with click's message (not "Aborted!", not exit 3)
    Case("usage-unknown-option", [], ["No such option '--bogus'"], code=2, args=[*BUILD, "--bogus"]),
    Case("usage-unknown-command", [], ["No such command 'bogus'"], code=2, args=["bogus"]),
    Case("usage-jobs-zero", [], ["Invalid value for '--jobs'"], code=2, args=[*BUILD, "--jobs", "0"]),
    Case("usage-no-org", [], ["error: name an organisation with --org ID (or --all)"], code=2,
         args=["build", "--content", "content", "--layouts", "{layouts}"]),
]
CASES += HARDENING


# --- hardening, second round (issue 28): each class of the attacks, as a class ----------------

VALIDATE_V = ["validate", "--org", ORG, "--content", "content", "--layouts", "{layouts}", "-v"]
DOCX_LINE = f"{ORG_F}:15 (branding.docx_template): 'skabelon.docx'"
PPTX_LINE = f"{ORG_F}:15 (branding.pptx_template): 'skabelon.pptx'"


def client_file(kind: str, make: Callable[[Path], None]) -> Edit:
    """The org uses a client template (``kind`` pptx or docx) made by ``make`` (tests/hostile_office.py)."""
    def edit(root: Path) -> None:
        make(root / "orgs" / ORG / f"skabelon.{kind}")
        replace("orgs/TST.yaml", "  body_font: DejaVu Sans\n",
                f"  body_font: DejaVu Sans\n  {kind}_template: TST/skabelon.{kind}\n")(root)
    return edit


def hostile(name: str, *args) -> Callable[[Path], None]:
    def make(target: Path) -> None:
        import hostile_office

        if name == "docx_with_field":
            hostile_office.docx_with_field(args[0], target, *args[1:])
        else:
            getattr(hostile_office, name)(target, *args)
    return make


def outside(kind: str, member: str, to: str) -> Callable[[Path], None]:
    def make(target: Path) -> None:
        import hostile_office

        hostile_office.with_relationship_outside(hostile_office.DOCX if kind == "docx" else hostile_office.PPTX,
                                                 target, member, to)
    return make


def kitgen_kit(org: str, version: str, ledger: bool = False) -> list[Edit]:
    """A kit kitgen wrote for ``org``: ``out/<org>`` linking to ``out/.kits/<version>``."""
    manifest = json.dumps({"generator": "kitgen", "org": org, "kitgen_version": "0.1.0", "input_digest": "x",
                           "files": [{"name": "deck.pptx", "sha256": "0" * 64, "bytes": 4}]})
    edits = [at(f"out/.kits/{version}"), at(f"out/.kits/{version}/deck.pptx", b"deck"),
             at(f"out/.kits/{version}/kit.json", manifest), at(f"out/{org}", link=f".kits/{version}")]
    if ledger:
        edits.append(at(f"out/.kits/{org}.own", json.dumps([version])))
    return edits


def chmod(relative: str, mode: int) -> Edit:
    return lambda cwd: os.chmod(cwd / relative, mode)


def tool_value(line: str) -> Edit:
    """Replace line 5 of the tool (``duration_minutes: 20``)."""
    return replace("tools/tsp.yaml", "duration_minutes: 20\n", line + "\n")


BAD_VALUE = f"{TOOL_F}:5: "
SLOW_MACHINE = {"KITGEN_TEMPLATE_SECONDS": "30"}
HUGE_NUMBER = "1" * 5000
CLEAN_ARGS = ["clean", "--out", "out", "--content", "content"]

HARDENING_2 = [
    # class 2: client templates carry no active content; each removal is named (info), the kit builds
    *[Case(f"docx-field-{kind}-{part}", [client_file("docx", hostile("docx_with_field", kind, part))],
           [DOCX_LINE, "which fetches or runs something outside the file when the document opens",
            "[template/outside-field-removed]"], code=0, args=VALIDATE_V)
      for kind in ("includepicture-unc", "includetext", "ddeauto", "dde", "link") for part in ("body", "header")],
    Case("docx-field-ddeauto-build", [client_file("docx", hostile("docx_with_field", "ddeauto", "body"))],
         [f"built out/{ORG}/"], code=0, args=[*BUILD, "--out", "out"], built=[ORG]),
    Case("docx-part-not-well-formed", [client_file("docx", hostile("docx_with_broken_part"))],
         [DOCX_LINE + " has a part that is not well-formed XML", "[template/damaged]"], absent=["unexpected error"]),
    Case("pptx-activex-and-macro-workbook", [client_file("pptx", hostile("pptx_with_activex"))],
         [PPTX_LINE, "ppt/activeX/activeX1.xml is an embedded ActiveX control",
          "ppt/embeddings/tool.xlsm is an embedded macro-enabled document", "[template/active-content-removed]"],
         code=0, args=VALIDATE_V),
    Case("pptx-activex-build", [client_file("pptx", hostile("pptx_with_activex"))], [f"built out/{ORG}/"], code=0,
         args=[*BUILD, "--out", "out"], built=[ORG]),
    Case("docx-activex-and-ole-package", [client_file("docx", hostile("docx_with_activex"))],
         [DOCX_LINE, "word/activeX/activeX1.xml is an embedded ActiveX control",
          "word/embeddings/oleObject1.bin is an embedded OLE object", "[template/active-content-removed]"],
         code=0, args=VALIDATE_V),
    Case("docx-style-based-on-itself", [client_file("docx", hostile("docx_with_style_cycle", "self"))],
         [DOCX_LINE, "the Word style 'Normal' is based on itself", "'Style based on'", "[template/style-cycle]"],
         code=0, args=VALIDATE_V, timeout=60),
    Case("docx-style-cycle-two", [client_file("docx", hostile("docx_with_style_cycle", "ab"))],
         [DOCX_LINE, "is based on a style that is based on it", "[template/style-cycle]"], code=0, args=VALIDATE_V,
         timeout=60),
    Case("docx-list-style-based-on-itself-build-ends", [client_file("docx", hostile("docx_with_list_style_cycle"))],
         [f"built out/{ORG}/"], code=0, args=[*BUILD, "--out", "out"], built=[ORG], timeout=60),
    Case("docx-list-style-based-on-itself", [client_file("docx", hostile("docx_with_list_style_cycle"))],
         [DOCX_LINE, "the Word style 'List Number' is based on itself", "[template/style-cycle]"], code=0,
         args=VALIDATE_V, timeout=60),
    Case("docx-style-cycle-build-ends", [client_file("docx", hostile("docx_with_style_cycle", "ab"))],
         [f"built out/{ORG}/"], code=0, args=[*BUILD, "--out", "out"], built=[ORG], timeout=60),
    # class 5: relationships pointing outside the package: a finding, never exit 3
    *[Case(f"{kind}-relationship-{name}", [client_file(kind, outside(kind, member, to))],
           [DOCX_LINE if kind == "docx" else PPTX_LINE, what, "[template/broken-link-removed]"], code=0, args=VALIDATE_V)
      for kind, member in (("docx", "word/_rels/document.xml.rels"), ("pptx", "ppt/slideMasters/_rels/slideMaster1.xml.rels"))
      for name, to, what in (("outside", "../../../../etc/passwd", "refers to outside the file"),
                             ("absolute-outside", "/../../x.png", "refers to a part the file does not have"),
                             ("missing", "media/findes-ikke.png", "refers to a part the file does not have"))],
    Case("docx-relationship-outside-build", [client_file("docx", outside("docx", "word/_rels/document.xml.rels",
                                                                         "../../../../etc/passwd"))],
         [f"built out/{ORG}/"], code=0, args=[*BUILD, "--out", "out"], built=[ORG]),
    # class 5: YAML values outside JSON's types: a finding with file and line
    Case("yaml-tag-int-abc", [tool_value("duration_minutes: !!int abc")],
         [BAD_VALUE + "'abc' is not a whole number (the tag !!int asks for one)", "[yaml/bad-value]"]),
    Case("yaml-tag-float-empty", [tool_value("duration_minutes: !!float")],
         [BAD_VALUE + "'' is not a finite number", "[yaml/bad-value]"]),
    Case("yaml-tag-bool-maybe", [tool_value("duration_minutes: !!bool maybe")],
         [BAD_VALUE + "'maybe' is not true or false", "[yaml/bad-value]"]),
    Case("yaml-number-5000-digits", [tool_value("duration_minutes: " + HUGE_NUMBER)],
         [BAD_VALUE + "a number of 5000 digits is too long (at most 100); if it is text, put it in quotes"]),
    Case("yaml-tag-float-5000-digits", [tool_value("duration_minutes: !!float " + HUGE_NUMBER)],
         [BAD_VALUE + "a number of 5000 digits is too long"]),
    Case("yaml-tag-int-hex-huge", [tool_value("duration_minutes: 0x" + "f" * 400)], [BAD_VALUE + "a number of 402 digits"]),
    Case("yaml-float-infinite", [tool_value("duration_minutes: .inf")], [BAD_VALUE + "'.inf' is not a finite number"]),
    Case("yaml-float-nan", [tool_value("duration_minutes: .nan")], [BAD_VALUE + "'.nan' is not a finite number"]),
    Case("yaml-tag-float-overflow", [tool_value("duration_minutes: !!float 1.0e999")],
         [BAD_VALUE + "'1.0e999' is not a finite number"]),
    Case("yaml-tag-null-with-text", [tool_value("duration_minutes: !!null tyve")], [BAD_VALUE + "'tyve' is not empty"]),
    Case("yaml-tag-timestamp-abc", [tool_value("duration_minutes: !!timestamp abc")],
         [BAD_VALUE + "'abc' is not a date (YYYY-MM-DD)"]),
    Case("yaml-tag-map-on-value", [tool_value("duration_minutes: !!map abc")],
         [BAD_VALUE + "the YAML tag !!map belongs on a mapping"]),
    Case("yaml-tag-seq-on-value", [tool_value("duration_minutes: !!seq abc")],
         [BAD_VALUE + "the YAML tag !!seq belongs on a list"]),
    Case("yaml-tag-str-on-list", [tool_value("duration_minutes: !!str [1, 2]")],
         [BAD_VALUE + "the YAML tag !!str belongs on a single value"]),
    Case("yaml-tag-int-in-org", [replace("orgs/TST.yaml", "date: 2021-02-24\n", "date: !!int 2021-02-24\n")],
         [f"{ORG_F}:4: '2021-02-24' is not a whole number"]),
    Case("yaml-tag-custom-local", [tool_value("duration_minutes: !kitgen/tid 20")], [f"{TOOL_F}:5: the YAML tag !kitgen/tid {TAG_RULE}"]),
    Case("yaml-tag-bool-maybe-validate-all", [tool_value("duration_minutes: !!bool maybe")],
         [BAD_VALUE + "'maybe' is not true or false"], args=VALIDATE_ALL),
    # class 5: KITGEN_* numbers: exit 2 naming the variable and its range
    *[Case(f"env-{name.lower().replace('_', '-')}-{label}", [],
           [f"error: the environment variable {name}={value!r}", f"from {low} to {high}"], code=2,
           args=[*BUILD, "--out", "out"], env={name: value})
      for name, low, high in (("KITGEN_LOCK_TIMEOUT", "0", "86400"), ("KITGEN_TEMPLATE_SECONDS", "0.1", "600"))
      for label, value in (("text", "abc"), ("negative", "-5"), ("huge", "99999999999"), ("nan", "nan"),
                           ("inf", "inf"), ("exponent", "1e999"))],
    Case("env-template-seconds-validate", [], ["KITGEN_TEMPLATE_SECONDS='0'", "is out of range"], code=2,
         args=VALIDATE_ALL, env={"KITGEN_TEMPLATE_SECONDS": "0"}),
    Case("env-lock-timeout-clean", [], ["KITGEN_LOCK_TIMEOUT='x'"], code=2, args=CLEAN_ARGS, env={"KITGEN_LOCK_TIMEOUT": "x"}),
    # class 6: a note template that builds more than 16 MiB of values stops at once (the 2 s budget itself is
    # measured in tests/test_sandbox.py; here a loaded machine must not turn the size finding into a time one)
    Case("template-nested-list-repeat", [notes_template("{{ [[0] * 99999] * 99999 }}")], [STOP + "repeating a list 99999 times"], env=SLOW_MACHINE),
    Case("template-list-string-huge", [notes_template("{{ ([['x' * 99999] * 99999] * 5) | string | length }}")],
         [STOP, "MiB"], env=SLOW_MACHINE),
    Case("template-list-doubling", [notes_template("{% set ns = namespace(l=['x' * 99999]) %}{% for i in range(9999) %}"
                                                   "{% set ns.l = ns.l + [ns.l] %}{% endfor %}")], [STOP, "MiB"], env=SLOW_MACHINE),
    Case("template-many-values", [notes_template("{% for i in range(9999) %}{% set x = 'y' * 99999 %}{% endfor %}")],
         [STOP + "the template built more than 16 MiB of values"], env=SLOW_MACHINE),
    Case("template-tojson-huge", [notes_template("{% set l = ['ab' * 49999] * 99999 %}{{ l | tojson | length }}")],
         [STOP, "MiB"], env=SLOW_MACHINE),
    Case("template-expression-raises", [notes_template("{{ ('ab' * 4).split('') }}")],
         [STOP.replace("stopped: ", "fails: ValueError: empty separator; correct the expression in the field")],
         absent=["unexpected error"]),
    # class 4: the output folder: only names recorded as the org's own are touched
    Case("out-prefix-org-kit-stays", [], [f"built out/{ORG}/"], code=0, args=[*BUILD, "--out", "out"], built=[ORG],
         setup=kitgen_kit("TST-old", "TST-old-1", ledger=True)),
    Case("out-prefix-org-kit-without-ledger-stays", [], [f"built out/{ORG}/"], code=0, args=[*BUILD, "--out", "out"],
         built=[ORG], setup=kitgen_kit("TST-old", "TST-old-3")),
    Case("out-users-dot-folders-stay", [], [f"built out/{ORG}/"], code=0, args=[*BUILD, "--out", "out"], built=[ORG],
         setup=[at("out/.TST.old-2024"), at("out/.TST.old-2024/gammel.pptx", b"mine"), at("out/.TST.partial-review"),
                at("out/.TST.partial-review/noter.txt", "mine"), at("out/.TST.link-1", link="elsewhere")]),
    Case("out-version-name-taken-by-user", [], [f"built out/{ORG}/"], code=0, args=[*BUILD, "--out", "out"],
         built=[ORG], setup=[at("out/.kits/TST-1"), at("out/.kits/TST-1/mine.txt", "mine"), at("out/.kits/TST-old-2")]),
    Case("out-version-name-is-a-link", [], [f"built out/{ORG}/"], code=0, args=[*BUILD, "--out", "out"], built=[ORG],
         setup=[at("victim"), at("victim/keep.txt", "keep"), at("out/.kits/TST-1", link="../../victim")]),
    Case("out-world-writable", [], ["error: the output folder out can be written by other users (mode drwxrwxrwx, 0777",
                                    "chmod go-w out"], code=2, args=[*BUILD, "--out", "out"],
         setup=[at("out"), chmod("out", 0o777)]),
    Case("out-world-writable-clean", [], ["can be written by other users (mode drwxrwxrwx, 0777"], code=2, args=CLEAN_ARGS,
         setup=[at("out"), chmod("out", 0o777)]),
    Case("out-sticky-world-writable-is-safe", [], [f"built out/{ORG}/"], code=0, args=[*BUILD, "--out", "out"],
         built=[ORG], setup=[at("out"), chmod("out", 0o1777)]),
    Case("out-kits-is-a-link", [], ["error: out/.kits is not a folder (it is a link)"], code=2,
         args=[*BUILD, "--out", "out"], setup=[at("victim"), at("out"), at("out/.kits", link="../victim")]),
    Case("out-kits-world-writable", [], ["out/.kits can be written by other users or is not yours (mode drwxrwxrwx"],
         code=2, args=[*BUILD, "--out", "out"], setup=[at("out/.kits"), chmod("out/.kits", 0o777)]),
    Case("out-lock-is-a-link", [], [f"failed {ORG}", "cannot write to out"], code=1, args=[*BUILD, "--out", "out"],
         setup=[at("victim.txt", "keep"), at("out/.kits"), at(f"out/.kits/{ORG}.lock", link="../../victim.txt")]),
]
CASES += HARDENING_2


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
    everything: dict[str, bytes | str] | None = None  # the whole working folder just before the run


def _run_case(case: Case, cwd: Path, good_kit: Path) -> Outcome:
    content = make_content(cwd / "content")
    before = None
    if case.previous:
        shutil.copytree(good_kit, cwd / "out" / ORG)
        before = snapshot(cwd / "out" / ORG)
    for edit in case.edits:
        edit(content)
    for edit in case.setup:
        edit(cwd)
    everything = tree(cwd)
    if case.args is None and not case.env:
        code, output = run_build(cwd, org=case.org, timeout=case.timeout)
    else:
        args = case.args or ["build", "--org", case.org, "--content", "content", "--layouts", "{layouts}", "--out", "out"]
        code, output = run_cli(cwd, args, case.env, case.timeout)
    return Outcome(cwd, code, output, before, everything)


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
    assert len(CASES) >= 150


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
    # Nothing outside the kits this case may build changed: content, layouts, a user's own folders.
    now = tree(result.cwd)
    changed = {name for name in set(now) | set(result.everything) if now.get(name) != result.everything.get(name)}
    allowed = [f"out/{org}" for org in case.built] + [f"out/.kits/{org}-" for org in case.built] + \
        [f"out/.kits/{org}.own" for org in case.built]  # the ledger of names kitgen made for the org
    unexpected = sorted(n for n in changed if not any(n == a or n.startswith(a + "/") or
                                                       (a.endswith("-") and n.startswith(a)) for a in allowed)
                        and not (n.startswith("out/.kits/") and n.endswith(".lock")))
    assert unexpected == [], unexpected
    for org in case.built:
        assert (out / org / "kit.json").is_file() and (out / org).is_symlink(), f"no whole kit for {org}"
    if case.setup or case.built or case.args:
        return
    # Nothing was written: no kit (or the previous kit, byte for byte), no staging folders.
    leftovers = sorted(p.name for p in out.iterdir() if p.name != ".kits") if out.exists() else []
    if (out / ".kits").exists():  # a build that failed after validation took the org's lock, nothing else
        assert all(p.suffix == ".lock" for p in (out / ".kits").iterdir()), list((out / ".kits").iterdir())
    if result.before is not None:
        assert leftovers == [ORG], leftovers
        assert snapshot(out / ORG) == result.before
    else:
        assert leftovers == [], leftovers
    assert not list(result.cwd.rglob(f".{ORG}.partial-*")) and not list(result.cwd.rglob(f".{ORG}.old-*"))
    assert sorted(p.name for p in result.cwd.iterdir()) == ["content"] + (["out"] if out.exists() else [])
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
                 ["10.00–10.30"], [], id="unquoted-two-digit-clock-time"),
    pytest.param([replace("programmes/p.yaml", "notes: Tak for i dag.", "notes: Tak for i dag, {{ org.name }}.")],
                 [], ["Tak for i dag, Testkommune."], id="jinja-plain-field-in-notes"),
    pytest.param([_add_bom("tools/tsp.yaml"), _crlf("programmes/p.yaml")],
                 ["Trivselsprofilen", "Velkomst"], ["Introducér øvelsen."], id="utf8-bom-and-crlf-line-ends"),
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
