"""kitgen.ooxml.wordparts: a Word numbering part for a document that has none."""

import io
import zipfile

from docx import Document

from kitgen.ooxml.wordparts import numbering


def _without_numbering() -> Document:
    document = Document()
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith("/numbering"):
            part.drop_rel(rid)
    return document


def test_a_document_without_numbering_gets_one_word_finds():
    document = _without_numbering()
    element = numbering(document)
    assert element.tag.endswith("}numbering") and len(element) == 0
    assert numbering(document) is element  # found again, not made twice
    out = io.BytesIO()
    document.save(out)
    names = zipfile.ZipFile(out).namelist()
    assert "word/numbering.xml" in names
    reopened = Document(io.BytesIO(out.getvalue()))
    assert reopened.part.numbering_part.element.tag.endswith("}numbering")


def test_an_existing_numbering_part_is_used():
    document = Document()
    assert numbering(document) is document.part.numbering_part.element
