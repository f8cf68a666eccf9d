"""One organisation's kit plan: what goes on every slide, worksheet and run-sheet row.

The plan is the only thing renderers read. It is built from the content model, the
org profile and the layouts (labels, note texts, layout map); nothing here touches
python-pptx or python-docx except :mod:`kitgen.fit`, which reads the template's box
sizes to split text that would not fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from kitgen.findings import Finding
from kitgen.layouts import Layouts
from kitgen.model import Block, Branding, Content, Org, Origin, Programme, Question, Quote, Tool, Worksheet
from kitgen.schedule import effective_programme
from kitgen.text import TextTemplateError, render_text


RUN_SHEET_POINTS = 3  # a talk's run-sheet row shows its first points; the block detail shows all


@dataclass
class Paragraph:
    text: str
    level: int = 0
    style: str = "bullet"  # bullet | plain | quote | attribution


@dataclass
class SlideSpec:
    kind: str  # one of kitgen.layouts.SLIDE_KINDS
    title: str
    body: list[Paragraph] = field(default_factory=list)
    notes: str = ""
    origin: Origin | None = None  # the content object the slide comes from
    notes_field: str = "notes"  # the field that should have held the notes
    logo: Path | None = None
    title_size_pt: float | None = None  # the size fitting measured the title at (written on the slide)
    body_size_pt: float | None = None  # the size fitting measured the body at (written on the slide)
    overflow: str | None = None  # set by fitting when the text still does not fit


@dataclass
class WorksheetSpec:
    tool_id: str
    title: str
    tool_title: str
    purpose: str
    instructions: str
    worksheet: Worksheet
    source: str
    duration_minutes: int | None


@dataclass
class RunSheetRow:
    start: str
    end: str
    minutes: int | None
    title: str
    what: list[str]
    say_and_do: str
    materials: list[str]
    tools: list[Tool]
    questions: list[Question]
    quotes: list[Quote]
    points: list[str]


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
    overrides: frozenset = frozenset()  # written into the deck's theme
    document_overrides: frozenset = frozenset()  # written into the Word template's styles
    default_document: Path | None = None  # kitgen's default .docx, where missing Word styles come from
    fit: object = None  # kitgen.layouts.FitSettings for this template (its map's fit: over deck.yaml's)
    layout_reasons: dict = field(default_factory=dict)


@dataclass
class KitPlan:
    org: Org
    programme: Programme
    branding: ResolvedBranding
    labels: dict
    date_text: str
    slides: list[SlideSpec]
    worksheets: list[WorksheetSpec]
    run_sheet: list[RunSheetRow]
    day: Date | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.programme.title


SLIDE_LINE_CHARS = 140  # a tool's purpose and steps longer than this show their first sentence on the slide


def slide_line(text: str, limit: int = SLIDE_LINE_CHARS) -> str:
    """A long paragraph as a slide shows it: its first sentence (the whole text goes in the notes)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    match = re.search(r"^(.{20,}?[.!?])\s", text)
    if match and len(match.group(1)) <= limit:
        return match.group(1)
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–-") + "…"


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _same_start(title: str, material: str, words: int = 4) -> bool:
    """Does a material line already name this worksheet (its first words, punctuation aside)?"""
    head = " ".join(_words(title)[:words])
    return bool(head) and head in " ".join(_words(material))


def format_date(day: Date | None, labels: dict) -> str:
    if day is None:
        return ""
    month = labels.get("months", [])[day.month - 1] if labels.get("months") else str(day.month)
    return labels.get("date_format", "{day}. {month} {year}").format(day=day.day, month=month, year=day.year)


def org_folder(content: Content) -> Path:
    return Path(content.root) / "orgs"


def resolve_branding(content: Content, org: Org, layouts: Layouts, problems: list[Finding] | None = None) -> ResolvedBranding:
    brand: Branding = org.branding
    base = org_folder(content)
    problems = problems if problems is not None else []
    from kitgen.templates.brand import DEFAULTS, effective, org_where, overrides, resolve_deck

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
        # kitgen's own default templates carry kitgen's look; a client's keep theirs unless the profile says otherwise
        overrides=overrides(brand) if brand.pptx_template else frozenset(DEFAULTS),
        document_overrides=overrides(brand) if brand.docx_template else frozenset(DEFAULTS),
        default_document=layouts.document_template,
        fit=deck.fit,
        layout_reasons=dict(deck.choice.reasons),
    )


class _Texts:
    """Renders content text and kitgen's note texts, turning template errors into findings."""

    def __init__(self, context: dict, findings: list[Finding]):
        self.context = context
        self.findings = findings

    def content(self, text: str, obj, key: str, path: str | None = None, **extra) -> str:
        """Render a content field; ``key`` finds its line, ``path`` names it (``blocks[3].notes``)."""
        try:
            return render_text(text, {**self.context, **extra})
        except TextTemplateError as exc:
            self.findings.append(Finding("error", "text/template", str(exc), obj.origin.file, obj.line_of(key), path or key))
            return text

    def tool(self, tool: Tool) -> Tool:
        """The tool with its facilitator notes rendered (they may say {{ org.name }})."""
        notes = self.content(tool.facilitator_notes, tool, "facilitator_notes")
        return tool if notes == tool.facilitator_notes else tool.model_copy(update={"facilitator_notes": notes})

    def fixed(self, source: str, name: str, **extra) -> str:
        try:
            return render_text(source, {**self.context, **extra})
        except TextTemplateError as exc:
            self.findings.append(Finding("error", "layouts/text-template", f"note text '{name}': {exc}", None))
            return ""


def assemble(content: Content, org: Org, layouts: Layouts) -> KitPlan:
    """Build the kit plan for ``org``. References that do not resolve are skipped here;
    validation reports them."""
    programme = effective_programme(content.programmes[org.programme], org)
    labels = layouts.labels_for(org.language)
    texts = layouts.texts_for(org.language)
    findings: list[Finding] = []
    branding = resolve_branding(content, org, layouts, findings)
    date_text = format_date(org.date or programme.date, labels)
    breaks = [b for b in programme.blocks if b.kind == "break"]
    render = _Texts({"org": org, "programme": programme, "labels": labels, "date": date_text, "breaks": breaks}, findings)

    slides: list[SlideSpec] = []
    subtitle = [Paragraph(org.name, style="plain")]
    venue = org.venue if org.venue != org.name else ""  # "Københavns Kommune · Københavns Kommune" says nothing
    if date_text or venue:
        subtitle.append(Paragraph(" · ".join(x for x in (date_text, venue) if x), style="plain"))
    slides.append(SlideSpec("title", programme.title, subtitle, render.fixed(texts.get("title_notes", ""), "title_notes"),
                            origin=org.origin, logo=branding.logo))
    agenda = [Paragraph(f"{b.start}–{b.end}\t{labels['break'] if b.kind == 'break' else b.title}", style="plain")
              for b in programme.blocks]
    slides.append(SlideSpec("agenda", labels["agenda"], agenda, render.fixed(texts.get("agenda_notes", ""), "agenda_notes"),
                            origin=programme.origin))

    run_sheet: list[RunSheetRow] = []
    used_tools: list[Tool] = []
    rendered_tools = {tid: render.tool(tool) for tid, tool in content.tools.items()
                      if any(tid in b.tool_ids for b in programme.blocks)}
    for index, block in enumerate(programme.blocks):
        notes = render.content(block.notes, block, "notes", f"blocks[{index}].notes", block=block)
        if block.kind == "break" and not notes:
            notes = render.fixed(texts.get("break_notes", ""), "break_notes", block=block)
        points = [render.content(p, block, "points", f"blocks[{index}].points[{n}]", block=block)
                  for n, p in enumerate(block.points)]
        tools = [rendered_tools[t] for t in block.tool_ids if t in rendered_tools]
        questions = [content.questions[q] for q in block.questions if q in content.questions]
        quotes = [content.quotes[q] for q in block.quotes if q in content.quotes]
        slides.extend(_block_slides(block, index, notes, points, tools, questions, quotes, labels, texts, render))
        used_tools.extend(t for t in tools if t not in used_tools)
        what = [f"{labels['tool']}: {t.title}" + (f" ({t.duration_minutes} {labels['minutes_short']})" if t.duration_minutes else "")
                for t in tools]
        if questions:
            what.append(f"{labels['questions']}: {len(questions)}")
        if quotes:
            what.append(f"{labels['quote']}: {len(quotes)}")
        if not what:  # a talk: its first points say what happens
            what = points[:RUN_SHEET_POINTS] + (["…"] if len(points) > RUN_SHEET_POINTS else [])
        materials = list(block.materials)
        for tool in tools:
            if tool.has_worksheet and tool.worksheet:
                title = tool.worksheet.title or tool.title
                if not any(_same_start(title, m) for m in materials):  # the content may list it already
                    materials.append(f"{labels['worksheets']}: {title}")
        run_sheet.append(RunSheetRow(block.start, block.end, block.span_minutes, block.title, what, notes,
                                     materials, tools, questions, quotes, points))

    closing_lines = [Paragraph(branding.display_name, style="plain")]
    facilitators = ", ".join(f for f in org.facilitators if f != branding.display_name)
    if facilitators:
        closing_lines.append(Paragraph(facilitators, style="plain"))
    slides.append(SlideSpec("closing", labels["thanks"], closing_lines,
                            render.fixed(texts.get("closing_notes", ""), "closing_notes"), origin=programme.origin))

    worksheets = [
        WorksheetSpec(
            tool_id=tool.id,
            title=tool.worksheet.title or tool.title,
            tool_title=tool.title,
            purpose=tool.purpose,
            instructions=tool.worksheet.instructions or "",
            worksheet=tool.worksheet,
            source=tool.source,
            duration_minutes=tool.duration_minutes,
        )
        for tool in used_tools
        if tool.has_worksheet and tool.worksheet is not None
    ]
    plan = KitPlan(org, programme, branding, labels, date_text, slides, worksheets, run_sheet,
                   org.date or programme.date, findings)
    from kitgen.fit import fit_slides  # fit reads the template; imported here, as fit imports Paragraph from here

    plan.slides = fit_slides(plan.slides, branding, branding.fit or layouts.fit, findings, labels)
    return plan


def _block_slides(block: Block, index: int, notes: str, points: list[str], tools: list[Tool], questions: list[Question],
                  quotes: list[Quote], labels: dict, texts: dict, render: _Texts) -> list[SlideSpec]:
    """A block's slides: its opening slide (points, or a section slide), then its quotes, tools and questions."""
    span = f"{block.start}–{block.end}"
    notes_field = f"blocks[{index}].notes"
    if block.kind == "break":
        return [SlideSpec("section", block.title or labels["break"], [Paragraph(span, style="plain")], notes,
                          origin=block.origin, notes_field=notes_field)]
    slides: list[SlideSpec] = []
    minutes = f" · {block.span_minutes} {labels['minutes_short']}" if block.span_minutes and block.span_minutes > 0 else ""
    if points:
        slides.append(SlideSpec("content", block.title, [Paragraph(p) for p in points], notes, origin=block.origin,
                                notes_field=notes_field))
    else:
        slides.append(SlideSpec("section", block.title, [Paragraph(span + minutes, style="plain")], notes,
                                origin=block.origin, notes_field=notes_field))
    for quote in quotes:
        body = [Paragraph(quote.text, style="quote")]
        if quote.attribution:
            body.append(Paragraph(f"– {quote.attribution}", style="attribution"))
        slides.append(SlideSpec("quote", labels["quote"], body,
                                render.fixed(texts.get("quote_notes", ""), "quote_notes", quote=quote),
                                origin=quote.origin))
    for tool in tools:
        body = []
        if tool.purpose:
            body.append(Paragraph(slide_line(tool.purpose), style="plain"))
        body += [Paragraph(slide_line(step)) for step in tool.steps]
        slides.append(SlideSpec("tool", tool.title, body,
                                render.fixed(texts.get("tool_notes", ""), "tool_notes", tool=tool),
                                origin=tool.origin, notes_field="facilitator_notes"))
    if questions:
        kind = "dialogue" if any(q.kind == "dialogue" for q in questions) or block.kind == "dialogue" else "reflection"
        slides.append(SlideSpec("questions", labels["questions"], [Paragraph(q.text) for q in questions],
                                render.fixed(texts.get("questions_notes", ""), "questions_notes", questions=questions, kind=kind,
                                             block=block),
                                origin=block.origin))
    return slides
