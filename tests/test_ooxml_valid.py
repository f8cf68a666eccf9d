"""Markup as Office writes it: schema child order, bare on/off row properties, no stale parts."""

from __future__ import annotations

import zipfile

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml.ns import qn
from lxml import etree

from conftest import LAYOUTS
from kitgen.ooxml.wordml import (
    A_PPR_ORDER,
    TC_PR_ORDER,
    TR_PR_ORDER,
    insert_in_order,
    keep_row_on_one_page,
    repeat_as_header,
    set_row_height,
    shade_cell,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _in_order(parent, order) -> bool:
    tags = [qn(name) for name in order]
    seen = [tags.index(child.tag) for child in parent if child.tag in tags]
    return seen == sorted(seen)


def test_row_properties_are_bare_and_in_schema_order():
    table = Document().add_table(rows=1, cols=1)
    row = table.rows[0]
    set_row_height(row, 1.0)
    repeat_as_header(row)
    keep_row_on_one_page(row)
    keep_row_on_one_page(row)
    tr_pr = row._tr.trPr
    assert [child.tag for child in tr_pr] == [qn("w:cantSplit"), qn("w:trHeight"), qn("w:tblHeader")]
    assert tr_pr.find(qn("w:cantSplit")).attrib == {} and tr_pr.find(qn("w:tblHeader")).attrib == {}


def test_cell_shading_goes_before_vertical_alignment():
    cell = Document().add_table(rows=1, cols=1).rows[0].cells[0]
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    shade_cell(cell, "#123456")
    shade_cell(cell, "#654321")
    tc_pr = cell._tc.tcPr
    assert _in_order(tc_pr, TC_PR_ORDER)
    assert len(tc_pr.findall(qn("w:shd"))) == 1 and tc_pr.find(qn("w:shd")).get(qn("w:fill")) == "654321"


def test_insert_in_order_puts_a_bullet_after_spacing_and_before_tabs():
    p_pr = etree.SubElement(etree.Element(qn("a:p")), qn("a:pPr"))
    etree.SubElement(p_pr, qn("a:spcBef"))
    etree.SubElement(p_pr, qn("a:tabLst"))
    insert_in_order(p_pr, etree.Element(qn("a:buNone")), A_PPR_ORDER)
    assert [etree.QName(c).localname for c in p_pr] == ["spcBef", "buNone", "tabLst"]
    assert _in_order(p_pr, A_PPR_ORDER) and TR_PR_ORDER


def test_default_word_template_has_no_styles_with_effects():
    with zipfile.ZipFile(LAYOUTS / "default" / "document.docx") as package:
        names = package.namelist()
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert "word/stylesWithEffects.xml" not in names
    assert "stylesWithEffects" not in types and "stylesWithEffects" not in rels
    styles = {s.name for s in Document(str(LAYOUTS / "default" / "document.docx")).styles}
    assert {"Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Writing Line", "Table Grid"} <= styles


def test_shipped_kits_use_bare_row_properties_in_order(shipped_kits):
    for name in ("KK/worksheets.docx", "KK/facilitator-notes.docx", "BFA/worksheets.docx", "AMK/worksheets.docx"):
        with zipfile.ZipFile(shipped_kits / name) as package:
            root = etree.fromstring(package.read("word/document.xml"))
        assert not root.xpath("//w:tblHeader[@w:val] | //w:cantSplit[@w:val]", namespaces={"w": W[1:-1]}), name
        for tr_pr in root.iter(qn("w:trPr")):
            assert _in_order(tr_pr, TR_PR_ORDER), name
        for tc_pr in root.iter(qn("w:tcPr")):
            assert _in_order(tc_pr, TC_PR_ORDER), name


# --- every part of every shipped kit against the ISO/IEC 29500 schemas and the SDK rules ---

import json  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

SCHEMAS = Path(__file__).resolve().parent / "schemas"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
SHIPPED = ("KK", "AMK", "BFA")


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "all.xsd")))


@pytest.fixture(scope="module")
def shipped_kits(project, tmp_path_factory) -> Path:
    from kitgen.build.pipeline import build_org

    out = tmp_path_factory.mktemp("shipped")
    for org_id in SHIPPED:
        result = build_org(project, org_id, out, "schema-test", force=True)
        assert result.status == "built", (org_id, result.message)
    return out


@pytest.fixture(scope="module")
def bare_files(tmp_path_factory) -> dict[str, Path]:
    """What python-pptx and python-docx write with no kitgen involved: the baseline."""
    from pptx import Presentation

    folder = tmp_path_factory.mktemp("bare")
    Document().save(str(folder / "bare.docx"))
    Presentation().save(str(folder / "bare.pptx"))
    return {".docx": folder / "bare.docx", ".pptx": folder / "bare.pptx"}


def _process_markup_compatibility(root):
    """What a consumer that knows only ISO/IEC 29500 does (Part 3, MCE): drop the elements
    and attributes of namespaces the part declares ignorable, take mc:Fallback of
    mc:AlternateContent, and drop the mc: attributes themselves."""
    ignorable = set()
    for element in root.iter():
        value = element.get(f"{{{MC}}}Ignorable")
        if value:
            ignorable.update(element.nsmap.get(prefix) for prefix in value.split())
    ignorable.discard(None)
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        parent, fallback = alternate.getparent(), alternate.find(f"{{{MC}}}Fallback")
        index = parent.index(alternate)
        parent.remove(alternate)
        for offset, child in enumerate(list(fallback) if fallback is not None else []):
            parent.insert(index + offset, child)
    for element in list(root.iter()):
        if isinstance(element.tag, str) and etree.QName(element).namespace in ignorable and element.getparent() is not None:
            element.getparent().remove(element)
            continue
        for name in list(element.attrib):
            if name.startswith(f"{{{MC}}}") or (name.startswith("{") and name[1:].split("}")[0] in ignorable):
                del element.attrib[name]
    return root


def _schema_errors(schema, path: Path) -> set[tuple[str, str]]:
    """(part kind, message) for every schema error in every XML part of the package."""
    errors = set()
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            root = _process_markup_compatibility(etree.fromstring(package.read(name)))
            if not schema.validate(etree.ElementTree(root)):
                kind = re.sub(r"\d+", "N", name)  # slide12.xml and slide3.xml are one kind of part
                errors.update((kind, error.message) for error in schema.error_log)
    return errors


def _kit_files(folder: Path) -> list[Path]:
    files = sorted(p for org in SHIPPED for p in (folder / org).iterdir() if p.suffix in (".pptx", ".docx"))
    assert len(files) == 3 * len(SHIPPED)
    return files


def test_the_schemas_are_vendored_with_their_source():
    readme = (SCHEMAS / "README.md").read_text(encoding="utf-8")
    assert "ISO/IEC 29500-4:2016" in readme and "github.com/anthropics/skills" in readme
    assert (SCHEMAS / "ISO-IEC29500-4_2016" / "wml.xsd").is_file() and (SCHEMAS / "ISO-IEC29500-4_2016" / "pml.xsd").is_file()


def test_the_schema_check_can_fail(schema, tmp_path):
    """An out-of-order w:tcPr (w:shd after w:vAlign, as kitgen once wrote it) is caught."""
    document = Document()
    cell = document.add_table(rows=1, cols=1).rows[0].cells[0]
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    cell._tc.tcPr.append(etree.fromstring(f'<w:shd xmlns:w="{W[1:-1]}" w:val="clear" w:fill="FF0000"/>'))
    document.save(str(tmp_path / "bad.docx"))
    assert any("shd" in message for _, message in _schema_errors(schema, tmp_path / "bad.docx"))


def test_every_part_of_every_shipped_kit_is_schema_valid(schema, shipped_kits, bare_files):
    baseline = {suffix: _schema_errors(schema, path) for suffix, path in bare_files.items()}
    problems = {}
    for path in _kit_files(shipped_kits):
        extra = _schema_errors(schema, path) - baseline[path.suffix]
        if extra:
            problems[f"{path.parent.name}/{path.name}"] = sorted(extra)[:5]
    assert problems == {}


def _audit(path: Path) -> list[dict]:
    """openxml-audit (a port of the Open XML SDK validator) on one file or folder, as JSON."""
    command = [str(Path(sys.executable).parent / "openxml-audit"), "-f", "microsoft365", "-o", "json", "-m", "0", "-q"]
    if shutil.which(command[0]) is None:
        command[0] = shutil.which("openxml-audit") or command[0]
    done = subprocess.run([*command, *(["-r"] if path.is_dir() else []), str(path)], capture_output=True, text=True,
                          timeout=600)
    assert done.stdout.strip().startswith("["), done.stdout + done.stderr
    return json.loads(done.stdout)


def _audit_kinds(report: dict) -> set[tuple]:
    return {(e.get("type"), e.get("part_uri") and re.sub(r"\d+", "N", e["part_uri"]), e.get("node"), e.get("path"))
            for e in report["errors"]}


def test_every_shipped_kit_passes_the_open_xml_sdk_rules(shipped_kits, bare_files):
    baseline = {suffix: _audit_kinds(_audit(path)[0]) for suffix, path in bare_files.items()}
    problems = {}
    for report in _audit(shipped_kits):
        suffix = Path(report["file"]).suffix
        extra = [e for e in report["errors"] if (e.get("type"), e.get("part_uri") and re.sub(r"\d+", "N", e["part_uri"]),
                                                   e.get("node"), e.get("path")) not in baseline[suffix]]
        if extra:
            problems[report["file"]] = [f"{e.get('part_uri')}: {e.get('description')}" for e in extra[:5]]
    assert problems == {}


def test_the_sdk_check_can_fail(tmp_path):
    """The row properties kitgen used to write (w:val="true") are what the SDK rules flag."""
    document = Document()
    row = document.add_table(rows=1, cols=1).rows[0]
    for name in ("w:cantSplit", "w:tblHeader"):
        element = etree.SubElement(row._tr.get_or_add_trPr(), qn(name))
        element.set(qn("w:val"), "true")
    document.save(str(tmp_path / "old.docx"))
    report = _audit(tmp_path / "old.docx")[0]
    flagged = {e.get("path", "").rsplit("/", 1)[-1] for e in report["errors"] if "'true'" in e["description"]}
    assert flagged == {"cantSplit[1]", "tblHeader[1]"}, report["errors"]
