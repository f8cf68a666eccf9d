"""Issue 19.4, "a test proves it": an output file, a diagram kind and a slide kind, each added from files
under tests/ only (tests/fixtures/{output_kind_handout,diagram_kind_balance,slide_kind_checklist}.py and a
layouts copy whose deck.yaml names the slide kind), are found in a built kit, in kit.json, in what --pdf
prints, in what preview renders and in what `plan --changed` says a change to their module touches."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from conftest import CONTENT, FIXTURES, LAYOUTS
from kitgen.build import outputs, pipeline, preview
from kitgen.build.pipeline import Project, build_org
from kitgen.cli.commands.changed import affected
from kitgen.content import diagrams
from kitgen.plan import slides

MODULES = ("output_kind_handout", "diagram_kind_balance", "slide_kind_checklist")
CHECKLIST = "  checklist: {scope: closing, layout: content, role: content, needs: [title, body], splittable: true}\n"


@pytest.fixture()
def project_with_extensions(tmp_path, monkeypatch):
    """A git checkout holding a content copy (BFA's tool draws a 'balance'), a layouts copy with the
    'checklist' kind and the three modules, registered from there."""
    top = tmp_path / "repo"
    shutil.copytree(CONTENT, top / "content")
    shutil.copytree(LAYOUTS, top / "layouts")
    (top / "ext").mkdir()
    for name in MODULES:
        shutil.copy(FIXTURES / f"{name}.py", top / "ext" / f"{name}.py")
    deck = top / "layouts" / "deck.yaml"
    text = deck.read_text(encoding="utf-8")
    closing = text.index("  closing:    {scope: closing")
    deck.write_text(text[:closing] + CHECKLIST + text[closing:], encoding="utf-8")
    tool = top / "content" / "tools" / "trivselsbarometeret.yaml"
    text = tool.read_text(encoding="utf-8")
    tool.write_text(text[:text.index("diagram:")] + "diagram:\n  kind: balance\n  title: Krav og ressourcer\n"
                    "  left: {da: Krav, editorial: true}\n  right: {da: Ressourcer, editorial: true}\n", encoding="utf-8")
    for name in MODULES:
        sys.modules.pop(name, None)
    monkeypatch.syspath_prepend(str(top / "ext"))
    monkeypatch.setattr(outputs, "OUTPUTS", dict(outputs.OUTPUTS))
    import output_kind_handout

    outputs.register(output_kind_handout.OUTPUT)
    monkeypatch.setitem(diagrams.KINDS, "balance", "diagram_kind_balance")
    monkeypatch.setitem(slides.MODULES, "checklist", "slide_kind_checklist")
    yield top
    for name in MODULES:
        sys.modules.pop(name, None)


def test_an_output_a_diagram_kind_and_a_slide_kind_from_tests_reach_every_part_of_a_kit(project_with_extensions,
                                                                                       tmp_path, monkeypatch):
    top = project_with_extensions
    printed = {}

    def kit_pdfs(files, when, names):  # what --pdf prints (LibreOffice itself is tests/test_pdf.py's)
        printed.update({name: pdf for name, pdf in names.items() if name in files})
        return {names[name]: b"%PDF-1.7 " + name.encode() for name in names if name in files}

    monkeypatch.setattr(pipeline, "kit_pdfs", kit_pdfs)
    project = Project.load(top / "content", top / "layouts")
    monkeypatch.setattr(project, "pdf", True)
    result = build_org(project, "BFA", tmp_path / "out", force=True)
    assert result.status == "built", (result.message, [f.message for f in result.findings if f.severity == "error"])
    kit = tmp_path / "out" / "BFA"

    # the built kit: the handout lists the checklist slide; the deck shows it and draws the balance
    deck = Presentation(kit / "deck.pptx")
    titles = [slide.shapes.title.text for slide in deck.slides if slide.shapes.title is not None]
    assert "Tjekliste før næste gang" in titles
    assert titles.index("Tjekliste før næste gang") == len(deck.slides) - 2, "before the closing card"
    groups = [shape.name for slide in deck.slides for shape in slide.shapes if shape.shape_type == 6]
    assert "Krav og ressourcer" in groups
    handout = [p.text for p in Document(kit / "handout.docx").paragraphs]
    assert "Tjekliste før næste gang" in handout
    with zipfile.ZipFile(kit / "worksheets.docx") as package:
        assert "en vægt med Krav til venstre og Ressourcer til højre" in package.read("word/document.xml").decode()

    # kit.json: the file is listed, and the three modules are inputs of the kit
    manifest = json.loads((kit / "kit.json").read_text(encoding="utf-8"))
    assert "handout.docx" in [entry["name"] for entry in manifest["files"]]
    inputs = manifest["inputs"]["files"]
    for name in MODULES:
        assert str((top / "ext" / f"{name}.py").resolve()) in inputs, name
    assert manifest["counts"]["slides"] == len(deck.slides)

    # --pdf prints the handout beside the shipped files
    assert printed == {"deck.pptx": "deck.pdf", "worksheets.docx": "worksheets.pdf",
                       "facilitator-notes.docx": "facilitator-notes.pdf", "handout.docx": "handout.pdf"}
    assert (kit / "handout.pdf").read_bytes().startswith(b"%PDF")

    # preview renders the handout with the kit's other Office files
    converted = []
    monkeypatch.setattr(preview, "to_pdf", lambda files, folder: {f: folder / f"{f.stem}.pdf" for f in converted.extend(files) or files})
    monkeypatch.setattr(preview, "to_png", lambda pdf, folder, dpi: [pdf.with_suffix(".png")])
    monkeypatch.setattr(preview, "contact_sheet", lambda pages, target: target)
    shown = preview.render_previews(kit, dpi=30, preview=tmp_path / "preview")
    assert set(shown) == {"deck.pptx", "worksheets.docx", "facilitator-notes.docx", "handout.docx"}

    # plan --changed: a change to any of the three modules touches every kit
    git = ["git", "-C", str(top), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    orgs = sorted(p.stem for p in (top / "content" / "orgs").glob("*.yaml"))
    for name in MODULES:
        module = top / "ext" / f"{name}.py"
        module.write_text(module.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
        touched, changed = affected(top / "content", top / "layouts", "HEAD")
        assert changed == [f"ext/{name}.py"]
        assert sorted(touched) == orgs and all(files == [f"ext/{name}.py"] for files in touched.values()), (name, touched)
        subprocess.run([*git, "checkout", "-q", "--", f"ext/{name}.py"], check=True)
    deck_yaml = top / "layouts" / "deck.yaml"
    deck_yaml.write_text(deck_yaml.read_text(encoding="utf-8").replace(CHECKLIST, CHECKLIST.replace(
        "splittable: true", "splittable: false")), encoding="utf-8")
    touched, _ = affected(top / "content", top / "layouts", "HEAD")
    assert sorted(touched) == orgs, "the slide kind's deck.yaml entry is an input of every kit"
