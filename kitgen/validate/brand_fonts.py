"""Brand fonts an organisation names: installed here, and known to the font table?

* A font fontconfig cannot find is a **warning** naming the font used instead: fitting
  measures with that fallback and LibreOffice previews show it, so line breaks on the
  client's PC may differ from what kitgen checked.
* A font the shared font table (``kitgen/data/fonts.yaml``) does not know, or knows to
  have no metric twin, is **info** with a suggestion: kitgen cannot promise that the
  client's Windows PCs have it, nor measure it with the widths PowerPoint will use.
"""

from __future__ import annotations

from kitgen.core.findings import Finding
from kitgen.content.fonts import font_info, table
from kitgen.content.model import Content, Org

SUGGESTION = "Arial, Calibri, Cambria or Times New Roman (each has a metric twin kitgen measures with)"


def brand_fonts(content: Content, org: Org, layouts=None) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[str] = set()
    for field in ("heading_font", "body_font"):
        family = getattr(org.branding, field)
        if not family or family.lower() in seen:
            continue
        seen.add(family.lower())
        where = (org.origin.file, org.branding.line_of(field) or org.line_of("branding"), f"branding.{field}")
        info = font_info(family)
        if not info.found:
            instead = info.substitute or "the default font"
            findings.append(Finding(
                "warning", "fonts/not-installed",
                f"the font '{family}' is not installed here, so {instead} is used instead: kitgen fits text with "
                f"{instead} and previews show it; install '{family}' (copy its files to ~/.fonts and run fc-cache) "
                "or name an installed font", *where, scope=org.id))
        entry = table().get(family.lower())
        if entry is None:
            findings.append(Finding(
                "info", "fonts/unknown",
                f"the font '{family}' is not in kitgen's font table (kitgen/data/fonts.yaml): kitgen cannot tell "
                f"whether the client's Windows PCs have it, nor measure it with their widths; if they do, add it "
                f"to the table with its metric twin, or use {SUGGESTION}", *where, scope=org.id))
        elif not entry.get("twin"):
            note = entry.get("note") or "it has no metric twin"
            findings.append(Finding(
                "info", "fonts/no-twin",
                f"the font '{family}' has no metric twin here ({note}); kitgen's fitting may break lines where "
                f"PowerPoint does not; for predictable fitting use {SUGGESTION}", *where, scope=org.id))
    return findings
