"""A diagram kind is one module and one registry entry (issue 19.4): a kind defined by a file under
tests/ alone — its model, labels, aspect, drawing and description — is read from the content, drawn
in a built deck, printed on the tool's worksheet and described to a screen reader."""

from __future__ import annotations

import io
import sys
import zipfile

import pytest
from pptx import Presentation

from conftest import FIXTURES, LAYOUTS
from kitgen.build.pipeline import Project, build_org
from kitgen.content import diagrams

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture()
def balance_kind(monkeypatch):
    monkeypatch.syspath_prepend(str(FIXTURES))
    monkeypatch.setitem(diagrams.KINDS, "balance", "diagram_kind_balance")
    yield
    sys.modules.pop("diagram_kind_balance", None)


def test_a_kind_from_a_file_under_tests_appears_in_a_built_kit(balance_kind, content_copy, tmp_path):
    tool = content_copy / "tools" / "trivselsbarometeret.yaml"
    text = tool.read_text(encoding="utf-8")
    text = text[:text.index("diagram:")] + ("diagram:\n  kind: balance\n  title: Krav og ressourcer\n"
                                            "  left: {da: Krav, editorial: true}\n  right: {da: Ressourcer, editorial: true}\n")
    tool.write_text(text, encoding="utf-8")
    project = Project.load(content_copy, LAYOUTS)
    result = build_org(project, "BFA", tmp_path / "out", force=True)
    assert result.status == "built", (result.message, [f.message for f in result.findings if f.severity == "error"])

    deck = Presentation(tmp_path / "out" / "BFA" / "deck.pptx")
    groups = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 6]
    balance = [g for g in groups if g.name == "Krav og ressourcer"]
    assert len(balance) == 1, [g.name for g in groups]
    assert balance[0]._element.nvGrpSpPr.cNvPr.get("descr") == (
        "Krav og ressourcer: en vægt med Krav til venstre og Ressourcer til højre.")
    texts = sorted(shape.text_frame.text for shape in balance[0].shapes if shape.has_text_frame and shape.text_frame.text)
    assert texts == ["Krav", "Ressourcer"]
    sizes = {run.font.size.pt for shape in balance[0].shapes if shape.has_text_frame
             for p in shape.text_frame.paragraphs for run in p.runs}
    assert sizes and min(sizes) >= 18

    with zipfile.ZipFile(tmp_path / "out" / "BFA" / "worksheets.docx") as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert 'descr="Krav og ressourcer: en vægt med Krav til venstre og Ressourcer til højre."' in document


def test_an_unknown_kind_names_the_kinds_there_are():
    from pydantic import TypeAdapter, ValidationError

    from kitgen.content.diagrams.schema import Diagram

    with pytest.raises(ValidationError) as error:
        TypeAdapter(Diagram).validate_python({"kind": "balance", "left": "A", "right": "B"})
    message = str(error.value)
    assert "'balance'" in message and "'levels'" in message and "'scale'" in message
