"""One org's deck template resolved: cleaned, inspected, its layouts chosen, its own theme read.

``kitgen.plan.kit.resolve_branding`` calls :func:`resolve_deck`; what comes back fills
``ResolvedBranding``: the layout per slide kind as a :class:`LayoutRef` (master + layout),
the fitting settings (the template map's ``fit:`` over ``layouts/deck.yaml``'s), and the
effective colours and fonts — the profile's when it sets them, else the template's own
theme (accent1/accent2, major/minor Latin font of the master the content slides use).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pptx.oxml.ns import qn

from kitgen.core.findings import Finding
from kitgen.content.fonts import font_info
from kitgen.content.layouts import FitSettings, Layouts, MapEntry, read_template_map
from kitgen.content.yamlfile import display_path
from kitgen.templates.choose import Choice, choose_layouts
from kitgen.templates.clean_base import PackageError, Where
from kitgen.templates.inspect import inspect_template
from kitgen.templates.inspect_model import TemplateInfo

DEFAULTS = {"primary_color": "#1F4E79", "accent_color": "#C55A11", "heading_font": "DejaVu Sans", "body_font": "DejaVu Sans"}


@dataclass
class DeckResolution:
    template: Path
    info: TemplateInfo | None
    choice: Choice
    fit: FitSettings
    theme: dict = field(default_factory=dict)      # primary_color, accent_color, heading_font, body_font found in the theme
    map_path: Path | None = None


def org_where(org, field_name: str) -> Where:
    line = org.branding.line_of(field_name) or org.line_of("branding") or (org.origin.line if org.origin else None)
    return Where(org.origin.file if org.origin else None, line, f"branding.{field_name}")


def resolve_deck(template: Path, layouts: Layouts, client: bool, where: Where, problems: list[Finding]) -> DeckResolution:
    """Inspect ``template`` and choose its layouts; every problem lands in ``problems``."""
    if client:
        mapping = read_template_map(template, layouts.fit, problems)
        entries, fit, map_path = mapping.layouts, mapping.fit, mapping.path
        map_where = (display_path(map_path), None) if map_path else (where.file, where.line)
    else:
        entries = {kind: MapEntry(name) for kind, name in layouts.layout_names.items() if name}
        fit, map_path = layouts.fit, layouts.root / "deck.yaml"
        map_where = (display_path(map_path), None)
    try:
        info = inspect_template(template, where if client else Where(display_path(template)))
    except PackageError as problem:
        problems.append(problem.finding)
        return DeckResolution(template, None, Choice(), fit, {}, map_path)
    problems.extend(info.findings)
    choice = choose_layouts(info, entries, map_where)
    problems.extend(choice.findings)
    master = info.masters[choice.content_master] if info.masters else None
    theme = {}
    if master is not None:
        major, minor = tuple(master.theme_fonts or (None, None))
        for key, value in (("primary_color", master.colours.get("accent1")), ("accent_color", master.colours.get("accent2")),
                           ("heading_font", installed_or(master.heading_font, major)),
                           ("body_font", installed_or(master.body_font, minor))):
            if value and not value.startswith("+"):  # "+mj-lt" style references are not family names
                theme[key] = value
        problems.extend(_fallback_findings(template, master, theme, where))
    return DeckResolution(template, info, choice, fit, theme, map_path)


def installed_or(named: str | None, theme_font: str | None) -> str | None:
    """``named`` (a font a master's text style names), else the theme's font where ``named`` is not installed here
    and has no metric twin but the theme's font is (LibreOffice's Midnightblue names "Source Sans Pro Semibold";
    its theme says Arial): one typeface on every shape, never a named font drawn as some other font here."""
    if not named or not theme_font or theme_font.startswith("+") or named.casefold() == theme_font.casefold():
        return named
    return theme_font if not font_info(named).found and font_info(theme_font).found else named


def _fallback_findings(template: Path, master, theme: dict, where: Where) -> list[Finding]:
    found = []
    for key, named, what in (("heading_font", master.heading_font, "heading"), ("body_font", master.body_font, "body")):
        if named and theme.get(key) and theme[key] != named:
            found.append(Finding("warning", "template/font-not-installed",
                f"the {what} font of '{template.name}', '{named}', is not installed here; the deck uses the theme's "
                f"font '{theme[key]}' for it on every slide; install '{named}' (copy its files to ~/.fonts and run "
                f"fc-cache) and build again to use it, or set branding.{key} in the profile",
                where.file, where.line, where.field))
    return found


WEIGHT_NAMES = ("semibold", "semi bold", "demibold", "demi bold", "medium", "light", "thin", "extralight", "book")


def theme_font_for_missing(root, heading: str, body: str) -> None:
    """In a master's or layout's XML (``root``): every Latin typeface that is not installed here (and has no
    metric twin) becomes the deck's ``heading`` font inside title placeholders and the title style, else its
    ``body`` font — where that one is installed. A family named by its weight ("Source Sans Pro Semibold") set
    bold (LibreOffice marks the semibold face so) is the theme's regular weight: body text stays lighter than
    the titles (Midnightblue's bold titles over bold lists)."""
    usable = {name: bool(name) and font_info(name).found for name in (heading, body)}
    title_tags = (qn("p:titleStyle"),)
    for latin in list(root.iter(qn("a:latin"))):
        family = latin.get("typeface") or ""
        if not family or family.startswith("+") or font_info(family).found:
            continue
        in_title = any(a.tag in title_tags or _is_title_shape(a) for a in latin.iterancestors())
        instead = heading if in_title else body
        if not usable.get(instead):
            continue
        latin.set("typeface", instead)
        props = latin.getparent()
        if props is not None and props.get("b") in ("1", "true") and any(w in family.casefold() for w in WEIGHT_NAMES):
            props.set("b", "0")


def _is_title_shape(element) -> bool:
    if element.tag != qn("p:sp"):
        return False
    ph = element.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
    return ph is not None and ph.get("type") in ("title", "ctrTitle")


def effective(brand, theme: dict) -> dict:
    """Colours and fonts as the kit uses them: the profile's, else the template's, else kitgen's defaults."""
    return {key: getattr(brand, key, None) or theme.get(key) or default for key, default in DEFAULTS.items()}


def overrides(brand) -> frozenset[str]:
    """Which of the colours and fonts the profile sets (only these are written into the templates)."""
    return frozenset(key for key in DEFAULTS if getattr(brand, key, None))
