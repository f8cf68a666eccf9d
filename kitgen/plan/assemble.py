"""One organisation's kit plan: what goes on every slide, worksheet and run-sheet row.

The plan is the only thing renderers read. It is built from the content model, the
org profile and the layouts (labels, note texts, layout map); nothing here touches
python-pptx or python-docx except :mod:`kitgen.plan.fit`, which reads the template's box
sizes to split text that would not fit.
"""

from __future__ import annotations

from datetime import date as Date

from kitgen.core.findings import Finding
from kitgen.content.layouts import Layouts
from kitgen.plan.fit import fit_slides, type_scale
from pydantic import BaseModel

from kitgen.content.model import Content, Org, Tool
from kitgen.core.textfield import DEFAULT_LANGUAGE, Text
from kitgen.plan.kitplan import KitPlan
from kitgen.plan.slides import BlockSlides, Deck, build_slides
from kitgen.plan.slides.kinds import kinds_for
from kitgen.plan.slides.common import SLIDE_LINE_CHARS
from kitgen.plan.slides.sentences import first_sentences
from kitgen.content.texttemplate import TextTemplateError, has_markup, render_text
from kitgen.plan.assemble_docs import localise, plan_documents
from kitgen.plan.assemble_timing import describe
from kitgen.plan.kit import Kit




def slide_line(text: str, limit: int = SLIDE_LINE_CHARS) -> str:
    """A long paragraph as a slide shows it: whole sentences up to ``limit`` (never cut mid-sentence)."""
    return first_sentences(text, limit)


def format_date(day: Date | None, labels: dict) -> str:
    if day is None:
        return ""
    month = labels.get("months", [])[day.month - 1] if labels.get("months") else str(day.month)
    return labels.get("date_format", "{day}. {month} {year}").format(day=day.day, month=month, year=day.year)


class _Texts:
    """Renders content text and kitgen's note texts, turning template errors into findings."""

    def __init__(self, context: dict, findings: list[Finding]):
        self.context = context
        self.findings = findings
        self.language = getattr(context.get("org"), "language", DEFAULT_LANGUAGE)
        self._localised: dict[int, object] = {}

    def _in_language(self, values: dict) -> dict:
        """The template context in the org's language: ``{{ block.title }}`` in an English kit is the
        English title (a :class:`Text` is a str whose value is the Danish text). Cached per object."""
        if self.language == DEFAULT_LANGUAGE:
            return values
        out = {}
        for name, value in values.items():
            if isinstance(value, (Text, BaseModel, list)):
                if id(value) not in self._localised:
                    self._localised[id(value)] = (value, localise(value, self.language))
                value = self._localised[id(value)][1]
            out[name] = value
        return out

    def content(self, text: str, obj, key: str, path: str | None = None, **extra) -> str:
        """Render a content field; ``key`` finds its line, ``path`` names it (``blocks[3].notes``)."""
        if isinstance(text, Text) and self.language != DEFAULT_LANGUAGE:
            # the org's language as the str value; translations and slide texts kept for the slides
            text = Text(text.get(self.language), text.translations, text.slide, text.condenses, text.editorial)
        if not has_markup(text):
            return text  # plain text: no context to make in the org's language
        try:
            return render_text(text, self._in_language({**self.context, **extra}))
        except TextTemplateError as exc:
            self.findings.append(Finding("error", "text/template", str(exc), obj.origin.file, obj.line_of(key), path or key))
            return text

    def tool(self, tool: Tool) -> Tool:
        """The tool with its facilitator notes rendered (they may say {{ org.name }})."""
        notes = self.content(tool.facilitator_notes, tool, "facilitator_notes")
        return tool if notes == tool.facilitator_notes else tool.model_copy(update={"facilitator_notes": notes})

    def fixed(self, source: str, name: str, **extra) -> str:
        if not has_markup(source):
            return source
        try:
            return render_text(source, self._in_language({**self.context, **extra}))
        except TextTemplateError as exc:
            self.findings.append(Finding("error", "layouts/text-template", f"note text '{name}': {exc}", None))
            return ""


def assemble(content: Content, org: Org, layouts: Layouts, kit: Kit | None = None) -> KitPlan:
    """Build the kit plan for ``org`` (from ``kit``, its programme and branding worked out once).
    References that do not resolve are skipped here; validation reports them."""
    kit = kit if kit is not None else Kit(content, org, layouts)
    programme = kit.programme
    labels = layouts.labels_for(org.language)
    texts = layouts.texts_for(org.language)
    branding = kit.branding
    findings: list[Finding] = list(kit.problems)
    # A kit's date is the organisation's own booking or nothing: a programme's date is the seed's
    # event, not this client's (issue 24, D1).
    date_text = format_date(org.date, labels)
    breaks = [b for b in programme.blocks if b.kind == "break"]
    render = _Texts({"org": org, "programme": programme, "labels": labels, "date": date_text, "breaks": breaks}, findings)

    deck = Deck(content, org, programme, branding, labels, texts, org.language, render, kinds_for(layouts.root))
    rendered_tools = {tid: render.tool(tool) for tid, tool in content.tools.items()
                      if any(tid in b.tool_ids for b in programme.blocks)}
    blocks, number = [], 0
    for index, block in enumerate(programme.blocks):
        notes = render.content(block.notes, block, "notes", f"blocks[{index}].notes", block=block)
        if block.kind == "break" and not notes:
            notes = render.fixed(texts.get("break_notes", ""), "break_notes", block=block)
        points = [render.content(p, block, "points", f"blocks[{index}].points[{n}]", block=block)
                  for n, p in enumerate(block.points)]
        number += block.kind != "break"
        questions = [content.questions[q] for q in block.questions if q in content.questions]
        asked = {q.id for q in questions}  # by id: comparing pydantic objects field by field cost ~10 ms a kit
        groups = [g for g in content.question_groups.values() if any(q.id in asked for q in g.questions)]
        blocks.append(BlockSlides(
            block, index, number, notes, points,
            [(rendered_tools[use.id], use.use) for use in block.tools if use.id in rendered_tools],
            questions, groups,
            [content.quotes[q] for q in block.quotes if q in content.quotes],
            [content.definitions[d] for d in block.definitions if d in content.definitions]))
    slides = build_slides(deck, blocks)

    plan = KitPlan(org, programme, branding, labels, date_text, slides, [], [],
                   org.date, findings, org.language, deck.kinds)
    plan.slides = fit_slides(plan.slides, branding, type_scale(branding, layouts), findings, labels, deck.kinds,
                             layouts.traits)
    plan.worksheets, plan.run_sheet = plan_documents(content, org, programme, labels, render)
    describe(plan)  # the run-sheet's slide numbers, after fitting
    return plan
