"""One organisation's kit, worked out once: its programme as it runs and its branding with the
template facts behind it. Validation, the input graph, assembly and (through the plan) rendering
all receive the same :class:`Kit`; each part is worked out the first time something asks for it,
so a kit whose content has errors pays only for what its checks read."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from kitgen.content.layouts import Layouts
from kitgen.content.model import Branding, Content, Org, Programme
from kitgen.content.schedule import effective_programme
from kitgen.core.findings import Finding
from kitgen.plan.kitplan import ResolvedBranding
from kitgen.templates.brand import DEFAULTS, effective, org_where, overrides, resolve_deck


def org_folder(content: Content) -> Path:
    return Path(content.root) / "orgs"


def resolve_branding(content: Content, org: Org, layouts: Layouts, problems: list[Finding] | None = None) -> ResolvedBranding:
    brand: Branding = org.branding
    base = org_folder(content)
    problems = problems if problems is not None else []

    pptx = base / brand.pptx_template if brand.pptx_template else layouts.deck_template
    docx = base / brand.docx_template if brand.docx_template else layouts.document_template
    usable = not brand.pptx_template or (pptx.resolve().is_relative_to(base.resolve()) and pptx.is_file())
    deck = resolve_deck(pptx if usable else layouts.deck_template, layouts, bool(brand.pptx_template) and usable,
                        org_where(org, "pptx_template"), problems)
    return ResolvedBranding(
        display_name=brand.display_name or org.name,
        **effective(brand, deck.theme),
        logo=base / brand.logo if brand.logo else None,
        pptx_template=pptx,
        docx_template=docx,
        layout_names=dict(deck.choice.refs),
        boxes=dict(deck.choice.boxes),  # kitgen's placement on the template's free area (kitgen.templates.place)
        # kitgen's own default templates carry kitgen's look; a client's keep theirs unless the profile says otherwise
        overrides=overrides(brand) if brand.pptx_template else frozenset(DEFAULTS),
        document_overrides=overrides(brand) if brand.docx_template else frozenset(DEFAULTS),
        default_document=layouts.document_template,
        fit=deck.fit,
        layout_reasons=dict(deck.choice.reasons),
        logo_on_dark=base / brand.logo_on_dark if brand.logo_on_dark else None,
        logo_on_light=base / brand.logo_on_light if brand.logo_on_light else None,
    )


class Kit:
    """One organisation's kit: ``programme`` (variants resolved, moved into the org's booked slot) and
    ``branding`` (the deck template cleaned, inspected and its layouts chosen; the Word template; the
    theme), each worked out once, on first use. ``problems`` holds what resolving the branding found."""

    def __init__(self, content: Content, org: Org, layouts: Layouts):
        self.content, self.org, self.layouts = content, org, layouts
        self.problems: list[Finding] = []

    @cached_property
    def programme(self) -> Programme:
        return effective_programme(self.content.programmes[self.org.programme], self.org)

    @cached_property
    def branding(self) -> ResolvedBranding:
        problems: list[Finding] = []
        branding = resolve_branding(self.content, self.org, self.layouts, problems)
        self.problems = problems
        return branding
