"""kitgen/render/deck_ink.py: what a divider's agenda tracker and a text line look like on any template."""

from __future__ import annotations

from kitgen.content.layouts import FitSettings
from kitgen.ooxml.geometry import Rect
from kitgen.render.deck_ink import TRACKER_SPACE, TRACKER_SPACE_TIGHT, _tracker_fit


def test_a_long_day_sets_the_tracker_closer_never_smaller():
    """BFA's eight parts fell to the least body size (18 pt beside 22 pt lists: a third running-text size on the
    divider). The parts move closer together first; a day that does not fit even so gets no tracker."""
    parts = [f"{n}. Redskab {n} – samtalen om trivsel" for n in range(1, 9)]
    dense = FitSettings().dense_size_pt
    assert _tracker_fit(parts, Rect(0, 0, 3_600_000, 5_600_000), None) == (dense, TRACKER_SPACE)
    tight = _tracker_fit(parts, Rect(0, 0, 3_600_000, 5_000_000), None)
    assert tight == (dense, TRACKER_SPACE_TIGHT), tight
    assert _tracker_fit(parts, Rect(0, 0, 3_600_000, 2_000_000), None) is None
