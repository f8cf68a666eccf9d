"""Notes slides from one prepared notes part, through python-pptx's part API.

``slide.notes_slide`` on a slide without notes makes a notes slide the generic way, every
time: it walks every part of the package to find a free part name (``next_partname``, so
a deck of n slides walks the package n times) and clones the notes master's placeholders
one by one. The notes slides of one deck are all alike until their text is set, so
:func:`add_notes_part` makes that first state once per presentation, with python-pptx's
own code (``CT_NotesSlide.new`` and ``clone_master_placeholders``), and gives each slide a
deep copy of it as a :class:`~pptx.parts.slide.NotesSlidePart`, related exactly as
python-pptx relates it (notes master, then slide; then the slide to its notes), with the
part name python-pptx would choose. ``slide.notes_slide`` then finds this part. The notes
text goes through python-pptx's text frame of the notes placeholder, found once in the
prepared notes slide (``notes_text_frame`` would search the placeholders of every notes
slide again). The bytes written are the same as on the generic path.
"""

from __future__ import annotations

import copy
from collections import OrderedDict

from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml.slide import CT_NotesSlide
from pptx.parts.slide import NotesSlidePart
from pptx.shapes.placeholder import NotesSlidePlaceholder
from kitgen.core import cache

NOTES_NAME = "/ppt/notesSlides/notesSlide%d.xml"


_KEPT: OrderedDict[str, tuple] = OrderedDict()  # template digest → (prepared notes element, body position)
KEPT = 32


class _PreparedNotes:
    """One presentation's notes master, its prepared notes slide and the part names in use.

    The prepared notes slide depends on the notes master alone, which is the template's (or
    python-pptx's default when the template has none): it is kept per template digest.
    """

    def __init__(self, prs, digest: str | None = None):
        package = prs.part.package
        self.package = package
        self.master_part = prs.part.notes_master_part  # python-pptx makes a default one when the template has none

        if not cache.enabled():
            digest = None  # KITGEN_NO_CACHE: prepared again for every presentation
        kept = _KEPT.get(digest) if digest is not None else None
        if kept is None:
            scratch = NotesSlidePart(PackURI(NOTES_NAME % 0), CT.PML_NOTES_SLIDE, package, CT_NotesSlide.new())
            scratch.notes_slide.clone_master_placeholders(self.master_part.notes_master)
            body = scratch.notes_slide.notes_placeholder  # the first BODY placeholder, as notes_text_frame finds it
            spTree = scratch._element.cSld.spTree
            kept = (scratch._element, list(spTree).index(body._element) if body is not None else None)
            if digest is not None:
                _KEPT[digest] = kept
                while len(_KEPT) > KEPT:
                    _KEPT.popitem(last=False)
        else:
            _KEPT.move_to_end(digest)
        self.element, self.body = kept  # copied for every slide, never handed out
        prefix = NOTES_NAME.split("%")[0]
        self.taken = {str(p.partname) for p in package.iter_parts() if str(p.partname).startswith(prefix)}

    def next_partname(self) -> PackURI:
        """What ``package.next_partname`` returns while the names in use are 1..n: n + 1."""
        number = len(self.taken) + 1
        while NOTES_NAME % number in self.taken:
            number += 1
        name = NOTES_NAME % number
        self.taken.add(name)
        return PackURI(name)


def add_notes_part(prs, slide, digest: str | None = None) -> NotesSlidePart:
    """Give ``slide`` (new, without notes) its notes slide part; ``slide.notes_slide`` returns it.
    ``digest`` (the template file's sha256) lets the prepared notes slide be reused by the next deck."""
    prepared = getattr(prs.part, "_kitgen_prepared_notes", None)
    if prepared is None:
        prepared = _PreparedNotes(prs, digest)
        prs.part._kitgen_prepared_notes = prepared
    part = NotesSlidePart(prepared.next_partname(), CT.PML_NOTES_SLIDE, prepared.package, copy.deepcopy(prepared.element))
    part.relate_to(prepared.master_part, RT.NOTES_MASTER)
    part.relate_to(slide.part, RT.SLIDE)
    slide.part.relate_to(part, RT.NOTES_SLIDE)
    part._kitgen_body = prepared.body
    return part


def set_notes_text(part: NotesSlidePart, text: str) -> None:
    """``notes_slide.notes_text_frame.text = text`` for a part made by :func:`add_notes_part`."""
    notes_slide = part.notes_slide
    if part._kitgen_body is None:
        notes_slide.notes_text_frame.text = text  # no notes placeholder: python-pptx says so as it always did
        return
    NotesSlidePlaceholder(part._element.cSld.spTree[part._kitgen_body], notes_slide).text_frame.text = text
