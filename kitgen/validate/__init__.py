"""Validation: plain functions over the content model that return findings.

Three scopes, so that one programme's problem does not block another's kits:

* ``check_content``: what every kit depends on (tools, quotes, their references);
* ``check_programme``: one programme's timing and block references;
* ``check_org``: one organisation's kit — its programme as moved into its booked slot,
  its files and templates, and the kit plan's slides (speaker notes, text that fits).
"""

from __future__ import annotations

from kitgen.core.findings import Finding
from kitgen.content.layouts import Layouts
from kitgen.content.model import Content, Org, Programme
from kitgen.content.schedule import slot_problem
from kitgen.plan.kit import Kit
from kitgen.validate.completeness import CONTENT_RULES, ORG_RULES, block_references, check_plan
from kitgen.validate.a11y import check_a11y
from kitgen.validate.brand_fonts import brand_fonts
from kitgen.validate.language import untranslated, wording
from kitgen.validate.timing import TimingSettings, check_timing
from kitgen.plan.assemble import assemble
from kitgen.validate.deck import check_deck

__all__ = ["TimingSettings", "check_content", "check_org", "check_programme", "check_timing"]


def check_content(content: Content) -> list[Finding]:
    findings: list[Finding] = []
    for rule in CONTENT_RULES:
        findings.extend(rule(content))
    return findings


def check_programme(programme: Programme, content: Content, settings: TimingSettings = TimingSettings()) -> list[Finding]:
    return check_timing(programme, content, settings) + block_references(programme, content)


def check_org(content: Content, org: Org, layouts: Layouts, settings: TimingSettings = TimingSettings(),
              kit: Kit | None = None):
    """Findings for one organisation, and its kit plan when one could be assembled (from ``kit``: its
    programme and branding, worked out once for validation, the input graph and assembly)."""
    kit = kit if kit is not None else Kit(content, org, layouts)
    findings: list[Finding] = []
    for rule in ORG_RULES:
        findings.extend(rule(content, org, layouts, kit))
    programme = content.programmes.get(org.programme)
    if programme is None:
        return findings, None
    findings.extend(untranslated(content, org, programme))
    findings.extend(wording(content, org, programme))
    findings.extend(brand_fonts(content, org))
    if org.slot is None:
        findings.extend(check_programme(programme, content, settings))
    else:
        findings.extend(block_references(programme, content))
        problem = slot_problem(programme, org)
        if problem:
            findings.append(Finding("error", "timing/org-slot", problem, org.origin.file, org.line_of("slot"), "slot"))
        else:
            findings.extend(_for_org(f, org) for f in check_timing(programme, content, settings, org, kit.programme))
    if any(f.severity == "error" for f in findings):
        return findings, None
    plan = assemble(content, org, layouts, kit)
    findings.extend(plan.findings)
    findings.extend(check_plan(plan))

    findings.extend(check_deck(plan))
    findings.extend(check_a11y(plan))  # a11y/…: titles, alternative text, contrast, table headers, field titles
    return findings, plan


def _for_org(finding: Finding, org: Org) -> Finding:
    """A timing finding on the org's moved schedule: say so, and point at the org's slot
    when the slot is what is wrong (the blocks themselves stay in the programme file)."""
    message = f"with {org.id}'s slot {org.slot.start}–{org.slot.end}: {finding.message}"
    if finding.field and finding.field.startswith("slot"):
        return Finding(finding.severity, finding.rule, message, org.origin.file, org.line_of("slot"), "slot", scope=org.id)
    return Finding(finding.severity, finding.rule, message, finding.file, finding.line, finding.field, scope=org.id)
