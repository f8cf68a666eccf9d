"""The one place kitgen makes an OPC part itself: a Word numbering part.

python-docx reads a document's numbering (``document.part.numbering_part``) but has no public
way to add one: ``numbering_part`` raises ``NotImplementedError`` for a document without it, and
``NumberingPart.new()`` is not implemented. A worksheet template without lists still needs one
when kitgen copies a numbered style into it, so the part is made here with python-docx's own
``NumberingPart`` and related to the main document part as Word expects (the ``numbering``
relationship is what Word follows to find it). Nothing else in kitgen creates a part or a
``PackURI``.
"""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.packuri import PackURI
from docx.oxml.parser import parse_xml
from docx.parts.numbering import NumberingPart

from kitgen.ooxml.rels import RT

_EMPTY = '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'


def numbering(document):
    """The document's ``w:numbering``; a new, empty numbering part when it has none."""
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        pass
    taken = {str(part.partname) for part in document.part.package.iter_parts()}
    name = next(f"/word/numbering{n or ''}.xml" for n in range(100) if f"/word/numbering{n or ''}.xml" not in taken)
    part = NumberingPart(PackURI(name), CT.WML_NUMBERING, parse_xml(_EMPTY), document.part.package)
    document.part.relate_to(part, RT.NUMBERING)
    return part.element
