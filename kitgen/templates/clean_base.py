"""What every part of the cleaning shares (:mod:`kitgen.templates.clean` is the door): the
error a file that cannot be used raises, where findings point, the XML parser, and the helpers
that resolve and remove relationships."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from lxml import etree

from kitgen.core.findings import Finding

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
# Elements whose only purpose is to hold a relationship reference: removed with it.
REFERENCE_ELEMENTS = {"attachedTemplate", "dataSource", "headerSource", "subDoc", "recipientData",
                      "control", "OLEObject"}  # p:control/w:control (ActiveX), o:OLEObject (its picture stays)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


class PackageError(Exception):
    """The file cannot be used as a client template; ``finding`` says why and what to do."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


@dataclass(frozen=True)
class Where:
    """Where findings about the file point (the org profile's line that names it, or the file)."""

    file: str | None
    line: int | None = None
    field: str | None = None


def _error(where: Where, rule: str, message: str) -> PackageError:
    return PackageError(Finding("error", rule, message, where.file, where.line, where.field))


def _bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rels_source(rels_name: str) -> str:
    """``ppt/slides/_rels/slide1.xml.rels`` → ``ppt/slides/slide1.xml`` (the part it belongs to)."""
    folder, file = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), file[: -len(".rels")])


def _target(source: str, target: str) -> str:
    """The part name a relationship of ``source`` points at ("" for the package root); may
    start with ``..`` when the target lies outside the package."""
    target = target.split("#", 1)[0]
    if target.startswith("/"):
        return posixpath.normpath("/" + target).lstrip("/")  # "/../x" stays inside: the root has no parent
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    return "" if joined == "." else joined


def _describe(kind: str) -> str:
    return {"attachedTemplate": "attached template", "image": "linked picture", "oleObject": "linked OLE object",
            "hyperlink": "link", "mailMergeSource": "mail-merge source"}.get(kind, kind)


def _unreference(xml: bytes, ids: set[str]) -> bytes:
    """Remove every ``r:…`` attribute naming one of ``ids``, and elements that only hold such a reference."""
    root = etree.fromstring(xml, _PARSER)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        hits = [key for key, value in element.attrib.items() if key.startswith(f"{{{R_NS}}}") and value in ids]
        if not hits:
            continue
        if etree.QName(element).localname in REFERENCE_ELEMENTS and element.getparent() is not None:
            element.getparent().remove(element)
            continue
        for key in hits:
            del element.attrib[key]
    return _bytes(root)
