"""Client templates: cleaned before use, inspected once, layouts chosen by what they hold."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, LAYOUTS

sys.path.insert(0, str(FIXTURES))

import client_packages as cp  # noqa: E402
from kitgen.templates.clean import PackageError, Where, clean_file, open_presentation, open_word  # noqa: E402

DECK = LAYOUTS / "default" / "deck.pptx"
DOCUMENT = LAYOUTS / "default" / "document.docx"


def _names(data: bytes) -> set[str]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return set(package.namelist())


# --- cleaning -------------------------------------------------------------------------------


@pytest.mark.parametrize("source,macros,kind,was", [
    (DECK, False, "pptx", "template (.potx)"), (DECK, True, "pptx", "macro-enabled template (.potm)"),
    (DOCUMENT, False, "docx", "template (.dotx)"), (DOCUMENT, True, "docx", "macro-enabled template (.dotm)"),
])
def test_templates_and_macro_files_open_with_macros_dropped(tmp_path, source, macros, kind, was):
    suffix = {("pptx", False): ".potx", ("pptx", True): ".potm", ("docx", False): ".dotx", ("docx", True): ".dotm"}
    path = cp.as_template(source, tmp_path / f"client{suffix[kind, macros]}", macros=macros)
    package = clean_file(path, kind, Where("content/orgs/X.yaml", 12, "branding.pptx_template"))
    assert (package.kind, package.was) == (kind, was)
    assert not any("vbaProject" in name for name in _names(package.data))
    assert b"vbaProject" not in package.data.replace(b"vbaProject.bin", b"") or not macros
    rules = [f.rule for f in package.findings]
    assert rules == (["template/macros-removed"] if macros else [])
    if macros:
        finding = package.findings[0]
        assert (finding.file, finding.line, finding.severity) == ("content/orgs/X.yaml", 12, "info")
    opened = (open_presentation if kind == "pptx" else open_word)(path)
    assert opened is not None


def test_a_potm_renamed_to_pptx_is_known_by_its_content_type(tmp_path):
    path = cp.as_template(DECK, tmp_path / "deck.pptx", macros=True)
    package = clean_file(path)
    assert package.was == "macro-enabled template (.potm)"
    assert "ppt/vbaProject.bin" not in _names(package.data)


def test_attached_template_on_a_file_server_is_dropped(tmp_path):
    path = cp.with_attached_template(DOCUMENT, tmp_path / "client.docx")
    package = clean_file(path, "docx")
    assert [f.rule for f in package.findings] == ["template/external-link-removed"]
    assert "attached template: file://///fileserver/skabeloner/Normal.dotm" in package.findings[0].message
    with zipfile.ZipFile(package.stream()) as out:
        assert b"attachedTemplate" not in out.read("word/settings.xml")
        assert b"fileserver" not in out.read("word/_rels/settings.xml.rels")
    document = open_word(path)
    assert document.paragraphs is not None


def test_linked_picture_is_dropped(tmp_path):
    package = clean_file(cp.with_linked_picture(DECK, tmp_path / "c.pptx"))
    assert "linked picture: file:///C:/Users/Public/logo.png" in package.findings[0].message
    assert b"Users/Public" not in package.data


@pytest.mark.parametrize("make,message", [
    (lambda p: cp.zip_bomb(p, 20), "inflates"),
    (lambda p: cp.with_member(DECK, p, "../../evil.sh"), "unsafe name"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) and p, "old binary Office file"),
    (lambda p: p.write_bytes(b"just text") and p, "not an Office file"),
])
def test_unusable_files_are_findings(tmp_path, make, message):
    path = tmp_path / "client.pptx"
    make(path)
    with pytest.raises(PackageError) as raised:
        clean_file(path, "pptx", Where("content/orgs/X.yaml", 3, "branding.pptx_template"))
    finding = raised.value.finding
    assert message in finding.message and finding.severity == "error" and finding.line == 3


def test_a_docx_given_as_deck_says_what_it_is(tmp_path):
    with pytest.raises(PackageError) as raised:
        clean_file(DOCUMENT, "pptx")
    assert "is a Word document, but a PowerPoint presentation" in raised.value.finding.message


def test_cleaning_is_reproducible():
    assert clean_file(DECK).data == clean_file(DECK).data
