"""An output file is one module and one registry entry (kitgen.build.outputs): the build writes it,
kit.json lists it (or says why it is left out), --pdf prints it and preview renders it."""

from __future__ import annotations

import json
import zipfile

import docx

from conftest import CONTENT, LAYOUTS
from kitgen.build import outputs, pipeline
from kitgen.build.outputs import OUTPUTS, Output, register
from kitgen.build.pipeline import Project, build_org
from kitgen.ooxml.package import saved


def _titles(plan) -> bytes:
    """A test's own output file: the slide titles, one a line."""
    return "".join(f"{slide.title}\n" for slide in plan.slides).encode("utf-8")


def _handout(plan) -> bytes:
    """A test's own Word output: the programme's title on a page."""
    document = docx.Document()
    document.add_paragraph(plan.title)
    return saved(document)


def test_a_registered_output_is_built_listed_and_printed(project, tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "OUTPUTS", dict(OUTPUTS))
    register(Output("titles.txt", _titles))
    register(Output("handout.docx", _handout, pdf="handout.pdf"))
    register(Output("never.txt", _titles, needed=lambda plan: False, omitted="this test never needs it"))
    printed = {}

    def kit_pdfs(files, when, names):
        printed.update(names)
        return {names[name]: b"%PDF-1.7 " + name.encode() for name in names if name in files}

    monkeypatch.setattr(pipeline, "kit_pdfs", kit_pdfs)
    monkeypatch.setattr(project, "pdf", True)
    result = build_org(project, "KK", tmp_path, force=True)
    assert result.status == "built", result.message
    kit = tmp_path / "KK"
    manifest = json.loads((kit / "kit.json").read_text(encoding="utf-8"))
    names = [entry["name"] for entry in manifest["files"]]
    assert names[:5] == ["deck.pptx", "worksheets.docx", "facilitator-notes.docx", "titles.txt", "handout.docx"]
    assert {"handout.pdf", "deck.pdf", "facilitator-notes.pdf", "worksheets.pdf"} <= set(names)
    assert printed["handout.docx"] == "handout.pdf" and "titles.txt" not in printed
    assert manifest["omitted"] == {"never.txt": "this test never needs it"}
    assert not (kit / "never.txt").exists()
    titles = (kit / "titles.txt").read_text(encoding="utf-8").splitlines()
    assert len(titles) == manifest["counts"]["slides"] and titles[0]
    with zipfile.ZipFile(kit / "handout.docx") as package:
        assert package.namelist()[0] == "[Content_Types].xml"


def test_a_programme_without_worksheets_gets_no_worksheets_file(tmp_path):
    project = Project.load(CONTENT, LAYOUTS)
    result = build_org(project, "DEMO-EN", tmp_path, force=True)
    assert result.status == "built", result.message
    manifest = json.loads((tmp_path / "DEMO-EN" / "kit.json").read_text(encoding="utf-8"))
    assert [entry["name"] for entry in manifest["files"]] == ["deck.pptx", "facilitator-notes.docx"]
    assert manifest["omitted"] == {"worksheets.docx": "the programme has no worksheet"}
    assert not (tmp_path / "DEMO-EN" / "worksheets.docx").exists()


def test_every_shipped_output_names_its_pdf():
    assert outputs.pdf_names() == {"deck.pptx": "deck.pdf", "worksheets.docx": "worksheets.pdf",
                                   "facilitator-notes.docx": "facilitator-notes.pdf"}
