"""One value per kit (kitgen.plan.kit.Kit): an organisation's programme as it runs and its branding
(with the template facts behind it) are worked out once, and validation, the input graph and
assembly all receive that one value."""

from __future__ import annotations

import sys
from collections import Counter

import pytest

from kitgen.build.pipeline import build_org
from kitgen.content.schedule import effective_programme
from kitgen.plan.kit import resolve_branding


def _count_calls(monkeypatch, counts: Counter, **functions) -> None:
    """Every kitgen module's name for each function, wrapped to count its calls wherever it is called from."""
    for label, real in functions.items():
        def counted(*args, _real=real, _label=label, **kwargs):
            counts[_label] += 1
            return _real(*args, **kwargs)
        for name, module in list(sys.modules.items()):
            if name.startswith("kitgen") and module is not None:
                for attr, value in list(vars(module).items()):
                    if value is real:
                        monkeypatch.setattr(module, attr, counted)


@pytest.mark.parametrize("org_id", ["KK", "BFA"])  # BFA is booked into a slot: its timing is checked on the moved day
def test_a_kit_works_out_its_programme_and_branding_once(project, tmp_path, monkeypatch, org_id):
    counts: Counter = Counter()
    _count_calls(monkeypatch, counts, programme=effective_programme, branding=resolve_branding)
    result = build_org(project, org_id, tmp_path, force=True)
    assert result.status == "built", result.message
    assert counts == {"programme": 1, "branding": 1}
