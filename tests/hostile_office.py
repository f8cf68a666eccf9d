"""Hostile client templates made from kitgen's own sample files, for the bad-input corpus:
Word fields that reach outside the file, ActiveX controls, OLE objects and macro-enabled
documents embedded, relationships pointing outside the package, Word style cycles."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCX = REPO / "content" / "orgs" / "AMK" / "amk-document.docx"
PPTX = REPO / "content" / "orgs" / "AMK" / "amk-deck.pptx"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _patch(source: Path, target: Path, edits, extra=None) -> None:
    """Copy the package ``source`` to ``target`` with ``(member, old, new)`` replacements and extra members."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            for member, old, new in edits:
                if info.filename == member:
                    if isinstance(old, re.Pattern):
                        data, count = old.subn(new, data, 1)
                        assert count == 1, (member, old)
                    else:
                        assert old in data, (member, old)
                        data = data.replace(old, new, 1)
            zout.writestr(info, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)


def _simple(instr: bytes, shown: bytes) -> bytes:
    return b'<w:p><w:fldSimple w:instr="' + instr + b'"><w:r><w:t>' + shown + b"</w:t></w:r></w:fldSimple></w:p>"


def _complex(instr: bytes, shown: bytes) -> bytes:
    return (b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">' + instr +
            b'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>' + shown +
            b'</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')


FIELDS = {
    "includepicture-unc": _simple(b' INCLUDEPICTURE &quot;\\\\\\\\attacker\\\\share\\\\logo.png&quot; \\d ', b"PIC"),
    "includetext": _complex(b' INCLUDETEXT "C:\\\\Users\\\\Public\\\\secret.docx" ', b"TEXT"),
    "ddeauto": _complex(b' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" ', b"DDE"),
    "dde": _simple(b' DDE excel &quot;C:\\\\x.xlsx&quot; &quot;R1C1&quot; ', b"DDE"),
    "link": _complex(b' LINK Excel.Sheet.12 "\\\\\\\\attacker\\\\x.xlsx" "Sheet1!R1C1" \\a ', b"LINKED"),
}


def docx_with_broken_part(target: Path) -> None:
    """The sample Word template whose main part is not well-formed XML (an attribute quoted wrong)."""
    _patch(DOCX, target, [("word/document.xml", b"<w:body>", b'<w:body><w:p><w:fldSimple w:instr=" DDE "x" "/></w:p>')])


def docx_with_field(kind: str, target: Path, part: str = "body") -> None:
    """The sample Word template with one outside-reaching field in its body or a header."""
    xml = FIELDS[kind]
    if part == "body":
        _patch(DOCX, target, [("word/document.xml", b"<w:body>", b"<w:body>" + xml)])
        return
    header = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/'
              b'wordprocessingml/2006/main">' + xml + b"</w:hdr>")
    _patch(DOCX, target, [
        ("[Content_Types].xml", b"</Types>", b'<Override PartName="/word/header9.xml" ContentType="application/'
         b'vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>'),
        ("word/_rels/document.xml.rels", b"</Relationships>", b'<Relationship Id="rIdH9" Type="' + R.encode() +
         b'/header" Target="header9.xml"/></Relationships>'),
        ("word/document.xml", re.compile(rb"<w:sectPr([^>]*)>"), rb'<w:sectPr\1><w:headerReference w:type="default" r:id="rIdH9"/>'),
    ], {"word/header9.xml": header})


def pptx_with_activex(target: Path) -> None:
    """The sample deck with an ActiveX button on its master and a macro-enabled workbook embedded."""
    ax = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ax:ocx xmlns:ax="http://schemas.microsoft.com/office/'
          b'2006/activeX" xmlns:r="' + R.encode() + b'" ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}" '
          b'ax:persistence="persistStorage" r:id="rId1"/>')
    ax_rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.'
               b'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/'
               b'relationships/activeXControlBinary" Target="activeX1.bin"/></Relationships>')
    _patch(PPTX, target, [
        ("[Content_Types].xml", b"</Types>", b'<Override PartName="/ppt/activeX/activeX1.xml" ContentType="application/vnd.'
         b'ms-office.activeX+xml"/><Override PartName="/ppt/activeX/activeX1.bin" ContentType="application/vnd.ms-office.'
         b'activeX"/><Override PartName="/ppt/embeddings/tool.xlsm" ContentType="application/vnd.ms-excel.sheet.'
         b'macroEnabled.12"/></Types>'),
        ("ppt/slideMasters/_rels/slideMaster1.xml.rels", b"</Relationships>", b'<Relationship Id="rIdAx" Type="' + R.encode() +
         b'/control" Target="../activeX/activeX1.xml"/><Relationship Id="rIdPk" Type="' + R.encode() +
         b'/package" Target="../embeddings/tool.xlsm"/></Relationships>'),
        ("ppt/slideMasters/slideMaster1.xml", b"</p:cSld>", b'<p:controls><p:control name="CommandButton1" r:id="rIdAx" '
         b'spid="_x0000_s9999"/></p:controls></p:cSld>'),
    ], {"ppt/activeX/activeX1.xml": ax, "ppt/activeX/_rels/activeX1.xml.rels": ax_rels,
        "ppt/activeX/activeX1.bin": b"\xd0\xcf\x11\xe0 control", "ppt/embeddings/tool.xlsm": b"PK macro workbook"})


def docx_with_activex(target: Path) -> None:
    """The sample Word template with an ActiveX control in its body and an OLE object (a Package)."""
    ax = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ax:ocx xmlns:ax="http://schemas.microsoft.com/office/'
          b'2006/activeX" ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}" ax:persistence="persistPropertyBag"/>')
    body = (b'<w:p><w:r><w:object><w:control r:id="rIdAx" w:name="TextBox1" w:shapeid="_x0000_i1025"/></w:object></w:r></w:p>'
            b'<w:p><w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" Type="Embed" ProgID="Package" '
            b'ShapeID="_x0000_i1026" DrawAspect="Icon" ObjectID="_1" r:id="rIdOle"/></w:object></w:r></w:p>')
    _patch(DOCX, target, [
        ("[Content_Types].xml", b"</Types>", b'<Override PartName="/word/activeX/activeX1.xml" ContentType="application/'
         b'vnd.ms-office.activeX+xml"/><Override PartName="/word/embeddings/oleObject1.bin" ContentType="application/'
         b'vnd.openxmlformats-officedocument.oleObject"/></Types>'),
        ("word/_rels/document.xml.rels", b"</Relationships>", b'<Relationship Id="rIdAx" Type="' + R.encode() +
         b'/control" Target="activeX/activeX1.xml"/><Relationship Id="rIdOle" Type="' + R.encode() +
         b'/oleObject" Target="embeddings/oleObject1.bin"/></Relationships>'),
        ("word/document.xml", b"<w:body>", b"<w:body>" + body),
    ], {"word/activeX/activeX1.xml": ax, "word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0 package"})


def with_relationship_outside(source: Path, target: Path, member: str, to: str) -> None:
    """``source`` with one more internal relationship in ``member`` pointing at ``to``."""
    _patch(source, target, [(member, b"</Relationships>", b'<Relationship Id="rIdOut" Type="' + R.encode() +
                             b'/image" Target="' + to.encode() + b'"/></Relationships>')])


def docx_with_style_cycle(target: Path, mode: str) -> None:
    """The sample Word template with Normal based on itself, or Heading 1 and Heading 2 based on each other."""
    if mode == "self":
        edits = [("word/styles.xml", b'<w:name w:val="Normal"/>', b'<w:name w:val="Normal"/><w:basedOn w:val="Normal"/>')]
    else:
        edits = [("word/styles.xml", re.compile(rb'(w:styleId="Heading1">(?:(?!</w:style>).)*?)<w:basedOn w:val="[^"]*"/>', re.S),
                  rb'\1<w:basedOn w:val="Heading2"/>'),
                 ("word/styles.xml", re.compile(rb'(w:styleId="Heading2">(?:(?!</w:style>).)*?)<w:basedOn w:val="[^"]*"/>', re.S),
                  rb'\1<w:basedOn w:val="Heading1"/>')]
    _patch(DOCX, target, edits)


def docx_with_list_style_cycle(target: Path) -> None:
    """The sample Word template whose List Number style has no numbering of its own and is based on
    itself: kitgen's list numbering followed "based on" for ever (build, build --all and watch hung)."""
    def rewrite(match: re.Match) -> bytes:
        style = re.sub(rb"<w:numPr>.*?</w:numPr>", b"", match.group(0), flags=re.S)
        style = re.sub(rb'<w:basedOn w:val="[^"]*"/>', b"", style)
        return style.replace(b'<w:name w:val="List Number"/>', b'<w:name w:val="List Number"/><w:basedOn w:val="ListNumber"/>')

    _patch(DOCX, target, [("word/styles.xml", re.compile(rb'<w:style [^>]*w:styleId="ListNumber">.*?</w:style>', re.S),
                           rewrite)])
