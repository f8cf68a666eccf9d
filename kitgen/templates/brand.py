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

from kitgen.core.findings import Finding
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
        for key, value in (("primary_color", master.colours.get("accent1")), ("accent_color", master.colours.get("accent2")),
                           ("heading_font", master.heading_font), ("body_font", master.body_font)):
            if value and not value.startswith("+"):  # "+mj-lt" style references are not family names
                theme[key] = value
    return DeckResolution(template, info, choice, fit, theme, map_path)


def effective(brand, theme: dict) -> dict:
    """Colours and fonts as the kit uses them: the profile's, else the template's, else kitgen's defaults."""
    return {key: getattr(brand, key, None) or theme.get(key) or default for key, default in DEFAULTS.items()}


def overrides(brand) -> frozenset[str]:
    """Which of the colours and fonts the profile sets (only these are written into the templates)."""
    return frozenset(key for key in DEFAULTS if getattr(brand, key, None))
