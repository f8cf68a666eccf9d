"""Brand fonts: one not installed is a warning naming the font used instead; one the font table
does not know is a note with a suggestion."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import LAYOUTS
from kitgen.content.fonts import font_info

pytestmark = pytest.mark.skipif(not shutil.which("fc-match"), reason="needs fontconfig")


def validate(tmp_path, font: str) -> str:
    root = tmp_path / "content"
    (root / "programmes").mkdir(parents=True)
    (root / "orgs").mkdir()
    (root / "programmes" / "p.yaml").write_text(
        'id: p\ntitle: P\nslot: {start: "09:00", end: "09:30"}\nblocks:\n'
        "  - {id: a, minutes: 30, title: Velkomst, kind: welcome, notes: Byd velkommen.}\n", encoding="utf-8")
    (root / "orgs" / "X.yaml").write_text(
        f"id: X\nname: X\nprogramme: p\nbranding:\n  heading_font: {font}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kitgen", "validate", "--org", "X", "--content", str(root),
                           "--layouts", str(LAYOUTS), "--verbose"], cwd=tmp_path, capture_output=True, text=True)
    return done.stdout + done.stderr


def test_a_brand_font_that_is_not_installed_names_the_font_used_instead(tmp_path):
    out = validate(tmp_path, "Aarhus Sans")
    instead = font_info("Aarhus Sans").substitute
    assert instead and instead != "Aarhus Sans"
    assert (f"warning content/orgs/X.yaml:5 (branding.heading_font): the font 'Aarhus Sans' is not installed here, "
            f"so {instead} is used instead") in out, out
    assert "info    content/orgs/X.yaml:5 (branding.heading_font): the font 'Aarhus Sans' is not in kitgen's font table" in out
    assert "use Arial, Calibri, Cambria or Times New Roman" in out


def test_a_font_with_a_metric_twin_is_quiet(tmp_path):
    out = validate(tmp_path, "Arial")
    assert "fonts/" not in out, out
