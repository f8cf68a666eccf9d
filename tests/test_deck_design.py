"""A designed deck (issue 21): one type scale, at most six points a slide, and the slide kinds a designer uses."""

from __future__ import annotations

import pytest

from kitgen.fit import BODY_KINDS, LIMITED, MAX_BULLETS

ORGS = ("KK", "AMK", "BFA", "DEMO-EN")


@pytest.fixture(scope="module")
def plans(project) -> dict:
    from kitgen.validate import check_org

    out = {}
    for org in ORGS:
        _, plan = check_org(project.content, project.content.orgs[org], project.layouts, project.settings)
        out[org] = plan
    return out


@pytest.mark.parametrize("org", ORGS)
def test_body_text_uses_two_sizes_at_most(plans, org):
    sizes = {s.body_size_pt for s in plans[org].slides if s.kind in BODY_KINDS and s.body and s.diagram is None}
    assert 1 <= len(sizes) <= 2, f"{org}: body text at {sorted(sizes)} pt"


@pytest.mark.parametrize("org", ORGS)
def test_at_most_six_points_a_slide(plans, org):
    full = [(s.title, len(s.body)) for s in plans[org].slides if s.kind in LIMITED and len(s.body) > MAX_BULLETS]
    assert not full, f"{org}: {full}"
