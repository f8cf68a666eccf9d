"""The relationship types kitgen follows from one part to another (ECMA-376 Part 1, transitional namespace).

python-pptx and python-docx relate parts by type (``part.part_related_by(type)``, ``part.rels``) but give
the types only in their internal ``opc.constants`` modules; the strings are fixed by the standard, so kitgen
names the few it follows here and imports nothing of the libraries' package layer for them."""

from __future__ import annotations

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


class RT:
    """Relationship types, named as python-pptx and python-docx name them."""

    THEME = _R + "theme"          # a slide master's or a Word document's theme (colours and fonts)
    HEADER = _R + "header"        # a Word section's header part
    FOOTER = _R + "footer"        # a Word section's footer part
    NUMBERING = _R + "numbering"  # a Word document's list definitions
