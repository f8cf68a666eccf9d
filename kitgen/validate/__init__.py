"""Validation: plain functions over the content model that return findings.

``check_content`` runs the rules that need no organisation (references, whole tools,
attributed quotes, each programme's timing); ``check_org`` adds what one
organisation's kit needs (its schedule after overrides, its files and templates, and
the kit plan's slides: notes and text that fits).
"""

from __future__ import annotations

from kitgen.findings import Finding
from kitgen.layouts import Layouts
from kitgen.model import Content, Org
from kitgen.schedule import effective_programme
from kitgen.validate.completeness import CONTENT_RULES, ORG_RULES, check_plan
from kitgen.validate.timing import TimingSettings, check_timing

__all__ = ["TimingSettings", "check_content", "check_org", "check_timing"]


def check_content(content: Content, settings: TimingSettings = TimingSettings()) -> list[Finding]:
    findings: list[Finding] = []
    for rule in CONTENT_RULES:
        findings.extend(rule(content))
    for programme in content.programmes.values():
        findings.extend(f for f in check_timing(programme, content, settings))
    return findings


def check_org(content: Content, org: Org, layouts: Layouts, settings: TimingSettings = TimingSettings()):
    """Findings for one organisation, and its kit plan when one could be assembled."""
    from kitgen.assemble import assemble

    findings: list[Finding] = []
    for rule in ORG_RULES:
        findings.extend(rule(content, org, layouts))
    programme = content.programmes.get(org.programme)
    if programme is None:
        return findings, None  # reported by the references rule
    if org.slot is not None:
        findings.extend(_for_org(f, org) for f in check_timing(effective_programme(programme, org), content, settings))
    if any(f.severity == "error" and f.rule.startswith(("org/", "template/")) for f in findings):
        return findings, None
    plan = assemble(content, org, layouts)
    findings.extend(plan.findings)
    findings.extend(check_plan(plan))
    return findings, plan


def _for_org(finding: Finding, org: Org) -> Finding:
    """A timing finding on the org's moved schedule: say so, and point at the org's slot."""
    return Finding(finding.severity, finding.rule, f"with {org.id}'s slot {org.slot.start}–{org.slot.end}: {finding.message}",
                   finding.file, finding.line, finding.field, scope=org.id)
