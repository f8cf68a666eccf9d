"""The kit plan's types: what renderers read, in a module of its own.

:mod:`kitgen.plan.assemble` builds a :class:`KitPlan`; :mod:`kitgen.plan.fit` measures its
:class:`SlideSpec` paragraphs; the renderers read it. The types live here, below both, so
``fit`` and ``assemble`` import them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from kitgen.core.findings import Finding
from kitgen.content.model import Org, Programme
from kitgen.core.modelbase import Origin


@dataclass
class Paragraph:
    text: str
    level: int = 0
    style: str = "bullet"  # bullet | plain | quote | attribution | term


@dataclass
class SlideSpec:
    kind: str  # a slide kind of kitgen.plan.slides (layouts/deck.yaml → slides:)
    title: str
    body: list[Paragraph] = field(default_factory=list)
    notes: str = ""
    origin: Origin | None = None  # the content object the slide comes from
    notes_field: str = "notes"  # the field that should have held the notes
    logo: Path | None = None
    title_size_pt: float | None = None  # the size fitting measured the title at (written on the slide)
    body_size_pt: float | None = None  # the size fitting measured the body at (written on the slide)
    overflow: str | None = None  # set by fitting when the text still does not fit
    diagram: object = None  # a kitgen.content.diagrams.schema diagram drawn in the body area (diagram slides)
    alt: str = ""  # alt text for the drawing or picture on the slide
    block: str = ""  # the block title the slide belongs to (titles made unique with it)
    block_index: int | None = None  # the programme block the slide belongs to (run-sheet slide numbers)
    tracker: list = field(default_factory=list)  # a divider's agenda tracker: (label, is the current block) per block


@dataclass
class ResolvedBranding:
    """Branding with files resolved against the org profile's folder.

    The colours and fonts are the effective ones (the profile's, else the deck template's
    own theme, else kitgen's defaults); ``overrides`` names those the profile sets, the
    only ones renderers write into a template. ``layout_names`` holds, per slide kind, the
    layout chosen for it as a ``LayoutRef`` (master index, layout index, name).
    """

    display_name: str
    primary_color: str
    accent_color: str
    heading_font: str
    body_font: str
    logo: Path | None
    pptx_template: Path
    docx_template: Path
    layout_names: dict  # kind -> kitgen.templates.inspect.LayoutRef
    overrides: frozenset = frozenset()
    document_overrides: frozenset = frozenset()  # the colours and fonts written into the Word template
    default_document: Path | None = None  # kitgen's default .docx (styles a client's template lacks)
    fit: object = None  # kitgen.content.layouts.FitSettings for this template (its map's fit: over deck.yaml's)
    boxes: dict = field(default_factory=dict)  # kind -> {"title"/"body": Box (EMU)}: where kitgen places text off the layout's box
    layout_reasons: dict = field(default_factory=dict)
    logo_on_dark: Path | None = None  # the profile's logo variants (branding.logo_on_dark / logo_on_light)
    logo_on_light: Path | None = None


@dataclass
class KitPlan:
    org: Org
    programme: Programme
    branding: ResolvedBranding
    labels: dict
    date_text: str
    slides: list[SlideSpec]
    worksheets: list  # WorksheetSpec (kitgen.plan.assemble_docs)
    run_sheet: list  # RunSheetRow (kitgen.plan.assemble_docs)
    day: Date | None
    findings: list[Finding] = field(default_factory=list)
    language: str = "da"
    kinds: dict = field(default_factory=dict)  # slide kind -> its Kind (layouts/deck.yaml -> slides:), as planned

    @property
    def title(self) -> str:
        """The programme's title in the org's language (an English kit gets the English title)."""
        title = self.programme.title
        return title.get(self.language) if hasattr(title, "get") else str(title)

    @property
    def lang_tag(self) -> str:
        """The BCP-47 tag written on every run (a:rPr/@lang): da-DK or en-GB."""
        return {"da": "da-DK", "en": "en-GB"}.get(self.language, "da-DK")
