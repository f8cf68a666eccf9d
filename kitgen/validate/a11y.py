"""Accessibility rules (``a11y/…``): what EN 301 549 clause 10 (WCAG 2.1 AA for documents) asks of a
kit, checked on its :class:`~kitgen.plan.KitPlan` before anything is rendered.

Each rule is a plain function ``rule(plan) -> list[Finding]``; :data:`RULES` lists them. A finding
names the slide by its number, or the worksheet and its section, and says what to change. They are
warnings: the kit is built, ``validate --strict`` refuses it.

* ``a11y/slide-title``: every slide has a title, and no two slides of a deck share one (a
  continued slide says so: "Titel (fortsat 2/3)", the labels' ``continued_title``);
* ``a11y/alt-text``: a figure has alternative text that describes it from its data (more than
  its title or a word such as "Figur"), and a worksheet's figure has labels to describe it with;
* ``a11y/contrast``: text reaches 4.5:1 against what lies behind it, large text (≥ 18 pt, or
  ≥ 14 pt bold) 3:1 — titles, body text, the attributions and step numbers drawn in the title
  colour; measured on the deck template with the org's colours written over its theme, with
  :mod:`kitgen.templates.background`. (A logo's 3:1 is kitgen's own rule: WCAG exempts logotypes.)
* ``a11y/table-header``: every worksheet table and grid has a header row whose every column is
  named, so it can be marked as a header row (``w:tblHeader``) and read out with each cell;
* ``a11y/control-title``: every field to write in or box to tick gets a title that says what to
  write (the prompt, the field's name, the grid's row and column) — none is empty.
"""

from __future__ import annotations

from kitgen.content.diagrams import below_floor
from kitgen.content.diagrams.figure import EMU_PER_PT
from kitgen.core.findings import Finding
from kitgen.plan.fit import placed, template_boxes
from kitgen.plan.measure import text_width_pt
from kitgen.plan.slides.kinds import layout_kind
from kitgen.templates.background import _scheme, contrast_ratio
from kitgen.templates.clean import clean_file
from kitgen.templates.clean_base import PackageError
from kitgen.core.textfield import Text
from kitgen.validate.deck import _elements, _pair  # the deck template's colours, read once per template and layout

TEXT_CONTRAST = 4.5  # WCAG 2.1 SC 1.4.3
LARGE_TEXT_CONTRAST = 3.0  # large text: at least 18 pt, or 14 pt bold
LARGE_PT, LARGE_BOLD_PT = 18.0, 14.0
GENERIC_ALT = {"figur", "figure", "diagram", "billede", "picture", "image", "graphic", "grafik", "model", "illustration"}


def check_a11y(plan) -> list[Finding]:
    """Every ``a11y/`` finding of ``plan`` (warnings)."""
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(plan))
    return findings


def is_large(size_pt: float | None, bold: bool = False) -> bool:
    """Large text as WCAG 2.1 defines it: at least 18 pt, or at least 14 pt and bold."""
    return size_pt is not None and (size_pt >= LARGE_PT or (bold and size_pt >= LARGE_BOLD_PT))


def needed_contrast(size_pt: float | None, bold: bool = False) -> float:
    return LARGE_TEXT_CONTRAST if is_large(size_pt, bold) else TEXT_CONTRAST


def _where(slide) -> tuple:
    origin = slide.origin
    return (origin.file if origin else None, origin.line if origin else None)


def _norm(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _short(text: str, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- slide titles -----------------------------------------------------------------------------


def slide_titles(plan) -> list[Finding]:
    """Every slide has a title of its own (a screen reader's list of slides is the list of titles)."""
    out: list[Finding] = []
    seen: dict[str, int] = {}
    pattern = (plan.labels or {}).get("continued_title") or "{title} (fortsat {n}/{of})"
    for number, slide in enumerate(plan.slides, 1):
        key = _norm(slide.title)
        if not key:
            out.append(Finding("warning", "a11y/slide-title",
                f"slide {number} ({slide.kind}) has no title; give it one (a screen reader lists a deck's slides by their titles)",
                *_where(slide)))
            continue
        if key in seen:
            example = pattern.format(title=_short(slide.title, 40), n=2, of=2)
            out.append(Finding("warning", "a11y/slide-title",
                f"slides {seen[key]} and {number} share the title '{_short(slide.title)}'; give slide {number} a title of its "
                f"own (a continued slide says so: '{example}')", *_where(slide)))
        seen.setdefault(key, number)
    return out


# --- alternative text -------------------------------------------------------------------------


def figure_labels(diagram, language: str = "da") -> list[str]:
    """The texts a figure shows (its labels, levels, steps, axes …), each once, in ``language``: what its
    alternative text is made of. Read from the model's own fields, whatever the diagram's kind."""
    out: list[str] = []

    def walk(value):
        if isinstance(value, str):
            text = " ".join((value.get(language) if isinstance(value, Text) else value).split())
            if text and text not in out:
                out.append(text)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif hasattr(type(value), "model_fields"):
            for name in type(value).model_fields:
                if name not in ("kind", "title", "alt", "dense", "id"):
                    walk(getattr(value, name, None))

    walk(diagram)
    return out


def alt_texts(plan) -> list[Finding]:
    """Figures on slides say what they show; figures on worksheets have labels to say it with."""
    out: list[Finding] = []
    for number, slide in enumerate(plan.slides, 1):
        if slide.diagram is None:
            continue
        alt = _norm(slide.alt).rstrip(" .:")
        bare = {_norm(slide.title).rstrip(" .:"), _norm(getattr(slide.diagram, "title", "") or "").rstrip(" .:")} | GENERIC_ALT
        if not alt or alt in bare:
            said = f"'{_short(slide.alt)}'" if alt else "none"
            out.append(Finding("warning", "a11y/alt-text",
                f"slide {number} '{_short(slide.title, 50)}': the figure's alternative text is {said}; it must describe the "
                "figure (kitgen makes it from the figure's labels: give the diagram its labels, or write one in its alt:)",
                *_where(slide)))
    for spec in plan.worksheets:
        diagram = getattr(spec, "diagram", None)
        if diagram is None or getattr(diagram, "alt", None) or figure_labels(diagram, plan.language):
            continue
        origin = spec.worksheet.origin if hasattr(spec.worksheet, "origin") else None
        out.append(Finding("warning", "a11y/alt-text",
            f"worksheet {spec.number} '{_short(spec.title, 50)}': its figure has no labels to describe it with; "
            "give the tool's diagram its labels or an alt: text", origin.file if origin else None,
            origin.line if origin else None, "diagram"))
    return out


def figure_text(plan) -> list[Finding]:
    """A figure's lettering reaches the deck's figure size (18 pt; 16 pt for a figure marked ``dense``) in the
    box the deck draws it in: the body box of its layout in this organisation's template."""
    out: list[Finding] = []
    branding = plan.branding
    for number, slide in enumerate(plan.slides, 1):
        if slide.diagram is None:
            continue
        kind = layout_kind(slide.kind, plan.kinds)
        box = placed(branding, kind, template_boxes(str(branding.pptx_template), branding.layout_names.get(kind, "")), slide.kind).body
        if box is None:
            continue
        small = below_floor(slide.diagram, box.width_pt * EMU_PER_PT, box.height_pt * EMU_PER_PT, language=plan.language,
                            measure=lambda text, size, bold: text_width_pt(text, branding.body_font, size, bold),
                            fit=branding.fit)
        if small:
            floor = 16 if getattr(slide.diagram, "dense", False) else 18
            shown = ", ".join(f"'{_short(text, 30)}' at {size:g} pt" for text, size in small[:3])
            out.append(Finding("warning", "a11y/figure-text",
                f"slide {number} '{_short(slide.title, 50)}': in its {box.width_pt:.0f}×{box.height_pt:.0f} pt box the figure "
                f"draws {shown}, below {floor} pt; shorten those labels, mark the diagram dense: true (16 pt), or give "
                "figure slides a layout with a larger body", *_where(slide), "diagram"))
    return out


# --- contrast ---------------------------------------------------------------------------------


def contrast(plan) -> list[Finding]:
    """Text against what lies behind it, per layout the deck uses and per size drawn on it:
    4.5:1, or 3:1 for large text. One finding per layout, part and colour pair (named by its first slide)."""
    branding = plan.branding
    overrides = {}
    if "primary_color" in branding.overrides:
        overrides.update(dk2=branding.primary_color, accent1=branding.primary_color)
    if "accent_color" in branding.overrides:
        overrides["accent2"] = branding.accent_color
    template = str(branding.pptx_template)
    try:
        digest = clean_file(branding.pptx_template).digest
    except (OSError, PackageError):
        return []  # an unreadable template: the org and template rules report it
    key_overrides = tuple(sorted((k, v.lstrip("#").upper()) for k, v in overrides.items()))
    worst: dict[tuple, tuple] = {}  # (layout, part, text colour, background) → (ratio, needed, slide number, slide, size)
    for number, slide in enumerate(plan.slides, 1):
        ref = branding.layout_names.get(layout_kind(slide.kind, plan.kinds))
        if ref is None:
            continue
        for part, text, background, size, bold in _texts(template, digest, ref, slide, key_overrides):
            ratio, needed = contrast_ratio(text, background), needed_contrast(size, bold)
            key = (str(ref), part, text, background)
            if ratio < needed and (key not in worst or needed > worst[key][1]):
                worst[key] = (ratio, needed, number, slide, size, bold)
    out = []
    for (_, part, text, background), (ratio, needed, number, slide, size, bold) in worst.items():
        drawn = f"{size:g} pt{' bold' if bold else ''}" if size else "default size"
        out.append(Finding("warning", "a11y/contrast",
            f"slide {number} ({slide.kind} slides): {part} #{text} on #{background} has a contrast of {ratio:.1f}:1 at "
            f"{drawn} (at least {needed:g}:1 is needed); choose a darker or lighter colour in the branding or template",
            plan.org.origin.file if plan.org.origin else None, plan.org.line_of("branding"), "branding"))
    return sorted(out, key=lambda f: f.message)


def _texts(template: str, digest: str, ref, slide, overrides: tuple):
    """(part, text colour, background colour, size in pt, bold) of each text a slide draws on its layout."""
    title = _pair(template, digest, ref, "title", overrides)
    if title is not None and slide.title:
        yield ("title", *title, slide.title_size_pt, False)
    if not slide.body or slide.diagram is not None:
        return
    body = _pair(template, digest, ref, "body", overrides)
    if body is None:
        return
    size = slide.body_size_pt
    styles = {p.style for p in slide.body}
    if styles - {"attribution", "meta"}:
        yield ("body text", *body, size, False)
    accent = styles & {"attribution", "meta", "step"}
    if accent:  # drawn in the template's title colour (TEXT_2) on the body's background (kitgen.render.deck)
        found = _elements(template, digest, ref, "body")
        title_colour = _scheme(found[0], dict(overrides)).get("tx2") if found else None
        if title_colour:
            background = body[1]
            if "step" in accent:
                yield ("step numbers", title_colour, background, size, True)
            if "attribution" in accent:
                yield ("attribution", title_colour, background, None if size is None else max(size * 0.7, 14), False)
            if "meta" in accent:
                small = None if size is None else max(size * (0.6 if slide.kind == "questions" else 0.7), 14)
                yield ("note under the questions", title_colour, background, small, True)


# --- worksheets ---------------------------------------------------------------------------------


def _section_where(spec, index: int, section) -> tuple:
    origin = getattr(section, "_origin", None) or (spec.worksheet._origin if hasattr(spec.worksheet, "_origin") else None)
    heading = f" '{_short(section.heading, 50)}'" if getattr(section, "heading", None) else ""
    text = f"worksheet {spec.number} '{_short(spec.title, 50)}', section {index + 1} ({section.kind}{heading})"
    return text, (origin.file if origin else None, origin.line if origin else None, f"worksheet.sections[{index}]")


def table_headers(plan) -> list[Finding]:
    """Every table and grid has a header row naming each column (the row the Word file marks as its header)."""
    out: list[Finding] = []
    for spec in plan.worksheets:
        for index, section in enumerate(spec.worksheet.sections):
            if section.kind == "table":
                names = list(section.columns)
                field = "columns"
            elif section.kind == "grid":
                names = list(section.column_labels)
                field = "column_labels"
            else:
                continue
            empty = [n for n, name in enumerate(names, 1) if not " ".join(str(name or "").split())]
            if section.kind == "table" and empty[:1] == [1] and _labels_rows(section):
                empty = empty[1:]  # a column of row labels under an empty corner, as a grid has (the labels are its headers)
            if empty:
                where, (file, line, path) = _section_where(spec, index, section)
                which = ", ".join(str(n) for n in empty)
                out.append(Finding("warning", "a11y/table-header",
                    f"{where}: column{'s' if len(empty) > 1 else ''} {which} of the header row {'have' if len(empty) > 1 else 'has'} "
                    f"no name; name every column in {field}: (the header row is read out with each cell)",
                    file, line, f"{path}.{field}"))
    return out


def _labels_rows(section) -> bool:
    """Whether a table's first column holds a label in every row (and the table has no empty rows): its row headers."""
    return bool(section.rows) and not section.empty_rows and all(row and " ".join(str(row[0]).split()) for row in section.rows)


def control_titles(plan) -> list[Finding]:
    """Every field and checkbox has a title saying what to write: the prompt, the field's name, the grid's labels."""
    out: list[Finding] = []
    for spec in plan.worksheets:
        for index, section in enumerate(spec.worksheet.sections):
            kind = section.kind
            if kind == "prompts":
                named = [("prompts", n, p) for n, p in enumerate(section.prompts, 1)]
            elif kind == "fields":
                named = [("fields", n, f) for n, f in enumerate(section.fields, 1)]
            elif kind == "checklist":
                named = [("items", n, i) for n, i in enumerate(section.items, 1)]
            elif kind == "grid":
                named = [("row_labels", n, r) for n, r in enumerate(section.row_labels, 1)]
            else:
                continue
            for field, number, text in named:
                if " ".join(str(text or "").replace("\u2610", "").split()):
                    continue
                where, (file, line, path) = _section_where(spec, index, section)
                thing = {"prompts": "prompt", "fields": "field", "items": "item", "row_labels": "row"}[field]
                out.append(Finding("warning", "a11y/control-title",
                    f"{where}: {thing} {number} has no text, so its {'checkbox' if kind == 'checklist' else 'writing field'} "
                    f"has no title saying what to write; write the {thing}'s text in {field}:", file, line, f"{path}.{field}"))
    return out


RULES = (slide_titles, alt_texts, figure_text, contrast, table_headers, control_titles)
