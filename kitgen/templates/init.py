"""What ``kitgen init-org`` writes: the org's folder, its profile, and the layout map beside its deck.

The map names master *and* layout for every slide kind (what :mod:`kitgen.templates.choose`
picked), so a consultant who disagrees changes one number or name; its ``fit:`` sizes
come from the template's own text styles (``p:txStyles`` of the content master), kept
within :data:`kitgen.content.layouts.FIT_RANGES` and shrunk where a box is too small to hold
one line at that size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from kitgen.content.layouts import FIT_RANGES, SLIDE_KINDS, FitSettings
from kitgen.templates.choose import Choice, choose_layouts
from kitgen.templates.inspect import inspect_template
from kitgen.templates.inspect_model import TemplateInfo
from kitgen.templates.inspect_word import inspect_document
from kitgen.content.layouts import LayoutsError, MapEntry, load_layouts
from kitgen.core import yamlwrite
from kitgen.core.atomicfile import copy_file
from kitgen.templates.clean_base import PackageError
from kitgen.templates.describe import chosen_lines, deck_concerns, deck_summary, document_lines, document_summary, look_summary, theme_of

INSET_PT = 7.2      # top + bottom inset of a text box


@dataclass(frozen=True)
class OrgFiles:
    pptx: Path | None = None
    docx: Path | None = None
    logo: Path | None = None
    logo_on_dark: Path | None = None
    logo_on_light: Path | None = None


@dataclass
class Booking:
    """What a kit shows of the organisation's own booking; what is not given stays a commented placeholder."""

    date: str | None = None  # YYYY-MM-DD
    venue: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    materials_url: str | None = None


@dataclass
class Report:
    """What init-org says: ``lines`` (3–5, in a consultant's words: what was chosen, what to check)
    and ``details`` (``--verbose``: every chosen layout's boxes, the theme, fitting sizes, Word styles)."""

    lines: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)
    deck: Path | None = None


def _clamp(value: float, key: str) -> float:
    low, high = FIT_RANGES[key]
    return float(min(max(value, low), high))


def derived_fit(info: TemplateInfo, choice: Choice, base: FitSettings, reference_area: float | None = None) -> dict[str, float]:
    """Fitting sizes for this template: its master's title/body sizes, fitted to its boxes.

    ``base`` holds the sizes kitgen's own template uses with a content box of
    ``reference_area`` pt²; a smaller box gets sizes scaled by the square root of the area
    ratio (so about as much text fits), a title box too low for one line a size that fits it.
    """
    master = info.masters[choice.content_master]
    content = info.layout(choice.refs["content"])
    area = content.body.box.width_pt * content.body.box.height_pt if content and content.body and content.body.box else 0
    factor = min(1.0, math.sqrt(area / reference_area)) if area and reference_area else 1.0
    title = min(master.title_size_pt or base.title_size_pt, 44.0)
    body = min(max(master.body_size_pt or base.body_size_pt, 16.0), 28.0, base.dense_size_pt * max(factor, 0.75))  # a full slide's size
    boxes = [info.layout(ref) for ref in choice.refs.values()]
    title_heights = [lay.title.box.height_pt for lay in boxes if lay and lay.title and lay.title.box]
    body = _clamp(round(body), "body_size_pt")
    # kitgen.plan.fit counts a line as size × line_spacing plus the paragraph space (scaled by size / body size)
    per_point = base.line_spacing + base.paragraph_space_pt / body
    room = min(title_heights) - INSET_PT if title_heights else title * per_point
    title = _clamp(math.floor(min(title, room / per_point)), "title_size_pt")  # one line fits the lowest title box
    three_lines = math.floor(room / (3 * base.line_spacing + base.paragraph_space_pt / body))
    min_title = _clamp(min(base.min_title_size_pt, title, max(12, three_lines)), "min_title_size_pt")  # long titles wrap
    floor = 12.0 if factor >= 0.65 else 10.0  # a box far smaller than kitgen's: small text rather than no kit
    min_body = _clamp(min(body, max(floor, math.floor(base.min_body_size_pt * factor))), "min_body_size_pt")
    quote = _clamp(max(body, round(base.quote_size_pt * factor)), "quote_size_pt")
    return {"body_size_pt": body, "quote_size_pt": quote, "min_body_size_pt": min_body,
            "title_size_pt": title, "min_title_size_pt": min(min_title, title)}


def reference_area(layouts_dir: Path) -> float | None:
    """The content box of kitgen's own deck template (pt²): what deck.yaml's sizes are made for."""
    try:
        layouts = load_layouts(layouts_dir)
        info = inspect_template(layouts.deck_template)
    except (LayoutsError, PackageError):
        return None
    choice = choose_layouts(info, {k: MapEntry(v) for k, v in layouts.layout_names.items() if v})
    layout = info.layout(choice.refs["content"]) if "content" in choice.refs else None
    if layout is None or layout.body is None or layout.body.box is None:
        return None
    return layout.body.box.width_pt * layout.body.box.height_pt


def map_document(info: TemplateInfo, choice: Choice, fit: dict[str, float], name: str):
    """The layout map beside a client's deck template (written by :mod:`kitgen.core.yamlwrite`)."""
    doc = yamlwrite.document()
    layouts = yamlwrite.document()
    for kind in SLIDE_KINDS:
        ref = choice.refs[kind]
        layouts[kind] = yamlwrite.flow({"master": ref.master + 1, "layout": yamlwrite.text_value(ref.name)})
    doc["layouts"] = layouts
    doc["fit"] = yamlwrite.document()
    for key, value in fit.items():
        doc["fit"][key] = int(value) if float(value).is_integer() else float(value)
    yamlwrite.set_header(doc, [f"Layout map for {name}, written by kitgen init-org.",
                               "Slide kind -> slide master (numbered as `kitgen show template` lists them) and layout.",
                               "Change a number or a name to use another; a kind left out is chosen by what the layouts hold."])
    yamlwrite.set_comment_before(doc, "fit", ["", "Text sizes for this template (from its master's text styles and box "
                                              "sizes; see layouts/deck.yaml)."])
    return doc


def map_text(info: TemplateInfo, choice: Choice, fit: dict[str, float], name: str) -> str:
    return yamlwrite.dumps(map_document(info, choice, fit, name))


def profile_document(org_id: str, name: str, programme: str, language: str, files: dict[str, str], theme: dict,
                     booking: Booking | None = None):
    """An organisation's profile (written by :mod:`kitgen.core.yamlwrite`: every value from a file or
    the command line goes through the emitter; the theme's values shown in comments are escaped)."""
    doc = yamlwrite.document()
    doc["id"] = org_id
    doc["name"] = yamlwrite.text_value(name)
    doc["programme"] = programme
    doc["language"] = language
    booking = booking or Booking()
    placeholders = _booking(doc, booking)
    branding = yamlwrite.document() if files else yamlwrite.flow({})
    for key, value in files.items():
        branding[key] = yamlwrite.text_value(value)
    doc["branding"] = branding
    templates = any(key in files for key in ("pptx_template", "docx_template"))
    lines = ["The templates' own colours and fonts are used. To override them, uncomment and edit:" if templates else
             "The default templates' colours and fonts are used. To set your own, add under branding: "
             "primary_color: \"#RRGGBB\", accent_color, heading_font, body_font"]
    for key, label in (("primary_color", "the deck theme's accent1"), ("accent_color", "accent2"),
                       ("heading_font", "the theme's heading font"), ("body_font", "the theme's body font")):
        if theme.get(key):
            lines.append(f"{key}: {yamlwrite.quoted(str(theme[key]))}   # {label}")
    if files:
        yamlwrite.set_comment_before(branding, next(iter(files)), lines, indent=2)
        if placeholders:
            yamlwrite.set_comment_before(doc, "branding", placeholders)
    else:
        yamlwrite.set_comment_before(doc, "branding", placeholders + lines)
    return doc


def _booking(doc, booking: Booking) -> list[str]:
    """Write what the booking gives; return the commented placeholders for what it does not."""
    placeholders = []
    if booking.date:
        doc["date"] = booking.date
    else:
        placeholders.append("date: 2027-03-15          # the workshop's date (cover, notes); without it no date is shown")
    if booking.venue:
        doc["venue"] = yamlwrite.text_value(booking.venue)
    else:
        placeholders.append('venue: "Rådhuset, lokale 2"   # where it is held (cover, notes)')
    contact = {k: v for k, v in (("name", booking.contact_name), ("email", booking.contact_email),
                                 ("phone", booking.contact_phone)) if v}
    if contact:
        doc["contact"] = yamlwrite.flow({k: yamlwrite.text_value(v) for k, v in contact.items()})
    else:
        placeholders.append('contact: {name: "…", email: "…", phone: "…"}   # who participants contact (closing slide)')
    if booking.materials_url:
        doc["materials_url"] = yamlwrite.text_value(booking.materials_url)
    else:
        placeholders.append('materials_url: "https://…"   # where participants find the material (closing slide)')
    if placeholders:
        placeholders.insert(0, "Not given yet (uncomment and edit; a kit shows only what is given here):")
    return placeholders


def profile_text(org_id: str, name: str, programme: str, language: str, files: dict[str, str], theme: dict) -> str:
    return yamlwrite.dumps(profile_document(org_id, name, programme, language, files, theme))


def _copy(source: Path, folder: Path) -> Path:
    """The client's file copied into its folder: whole or not at all (a template killed mid-copy or
    on a full disk stays as it was, never 0 bytes)."""
    return copy_file(source, folder / source.name)


def write_org(content_dir: Path, layouts_dir: Path, org_id: str, name: str, programme: str, language: str,
              files: OrgFiles, force: bool, booking: "Booking | None" = None) -> Report:
    """Copy the files, write the map and profile; the report says what was chosen and why."""
    report = Report()
    folder = content_dir / "orgs" / org_id
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    theme: dict = {}
    try:
        base = load_layouts(layouts_dir).fit
    except LayoutsError:
        base = FitSettings()
    for key in ("logo", "logo_on_dark", "logo_on_light"):
        if getattr(files, key):
            written[key] = f"{org_id}/{_copy(getattr(files, key), folder).name}"
    if files.pptx:
        deck = _copy(files.pptx, folder)
        written["pptx_template"] = f"{org_id}/{deck.name}"
        info = inspect_template(deck)
        choice = choose_layouts(info)
        if len(choice.refs) < len(SLIDE_KINDS):  # no usable layout: say so; validation gives the finding
            report.lines.append(f"deck: {deck.name} ({info.was}, {info.aspect}) cannot be used as it is")
            report.concerns += [f.message for f in choice.findings]
            return _finish(report, content_dir, org_id, name, programme, language, written, theme, folder, booking)
        fit = derived_fit(info, choice, base, reference_area(layouts_dir))
        yamlwrite.write(deck.with_suffix(".yaml"), map_document(info, choice, fit, deck.name))

        theme = theme_of(info, choice)
        report.deck = deck
        report.details += chosen_lines(info, choice, deck)
        content = info.layout(choice.refs["content"])
        area = reference_area(layouts_dir)
        small = bool(content is not None and content.body is not None and content.body.box is not None and area and
                     content.body.box.width_pt * content.body.box.height_pt < 0.45 * area)
        if small:
            report.details.append(f"note: the content text box ({content.body.box.describe()}) is less than half the size of "
                                  "kitgen's own; long slides get small text. A layout with a larger box (named in the map) helps")
        report.details.append("fitting: " + ", ".join(f"{k} {v:g}" for k, v in fit.items())
                              + " (the master's text styles and kitgen's sizes, scaled to this template's boxes)")
        report.details.append(f"wrote {deck.with_suffix('.yaml')}")
        report.lines.append(deck_summary(info, choice, deck, fit))
        report.lines.append(look_summary(theme))
        report.concerns += deck_concerns(info, choice, fit, base.body_size_pt, small)
        report.concerns += [f.message for f in info.findings if f.severity in ("error", "warning")]
    if files.docx:
        document = _copy(files.docx, folder)
        written["docx_template"] = f"{org_id}/{document.name}"

        document_info = inspect_document(document)
        report.details += document_lines(document_info)
        line, changes = document_summary(document_info)
        report.lines.append(line + (f"; {'; '.join(changes)}" if changes else ""))
    return _finish(report, content_dir, org_id, name, programme, language, written, theme, folder, booking)


def _finish(report, content_dir, org_id, name, programme, language, written, theme, folder, booking=None) -> Report:
    profile = content_dir / "orgs" / f"{org_id}.yaml"
    yamlwrite.write(profile, profile_document(org_id, name, programme, language, written, theme, booking))
    report.details.append(f"wrote {profile}" + (f" and {', '.join(written.values())} in {folder}" if written else ""))
    if not report.lines:
        report.lines.append("deck and Word files: kitgen's own (no --pptx or --docx given)")
    look = f"kitgen show template {report.deck} --png DIR shows the chosen layouts with sample text, " if report.deck else ""
    blocked = report.lines and report.lines[0].endswith("cannot be used as it is")
    report.lines.append("check: " + ("; ".join(report.concerns[:3]) + "; " if report.concerns else "nothing unusual; ")
                        + (f"then kitgen validate --org {org_id}" if blocked else f"{look}then kitgen build --org {org_id}"))
    report.lines.append(f"wrote {profile} and the layout map {report.deck.with_suffix('.yaml')} (--verbose: layouts, "
                        "boxes and sizes)" if report.deck else f"wrote {profile} (--verbose: the details)")
    return report
