"""The same kit in CI as at home: built with only the fonts the shipped workflow installs
(Carlito, Caladea, Liberation, DejaVu), the kit's files are byte for byte the same."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW_FONT_PACKAGES = ("fonts-crosextra-carlito", "fonts-crosextra-caladea", "fonts-liberation2", "fonts-dejavu-core")
FONT_DIRS = [Path("/usr/share/fonts/truetype/crosextra"), Path("/usr/share/fonts/truetype/liberation2"),
             Path("/usr/share/fonts/truetype/dejavu")]
FILES = ("deck.pptx", "worksheets.docx", "facilitator-notes.docx")


def test_the_workflow_installs_the_fonts_kits_are_measured_with():
    workflow = (ROOT / ".github" / "workflows" / "kits.yml").read_text(encoding="utf-8")
    build_job = workflow.split("\n  build:", 1)[1].split("\n  tests:", 1)[0]
    for package in WORKFLOW_FONT_PACKAGES:
        assert package in build_job, f"the build job does not install {package}"


def _build(out: Path, env: dict) -> dict[str, bytes]:
    for org in ("KK", "DEMO-EN"):
        done = subprocess.run([sys.executable, "-m", "kitgen", "build", "--org", org, "--force", "--out", str(out)],
                              cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    return {f"{org}/{name}": (out / org / name).read_bytes() for org in ("KK", "DEMO-EN") for name in FILES
            if (out / org / name).exists()}


def test_kits_are_the_same_with_only_the_workflows_fonts(tmp_path):
    missing = [str(d) for d in FONT_DIRS if not d.is_dir()]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"font folders missing: {', '.join(missing)} (.ci/run installs them)")
        pytest.skip(f"font folders missing: {', '.join(missing)}")
    conf = tmp_path / "fonts.conf"
    conf.write_text("<?xml version='1.0'?>\n<!DOCTYPE fontconfig SYSTEM 'fonts.dtd'>\n<fontconfig>\n"
                    + "".join(f"  <dir>{d}</dir>\n" for d in FONT_DIRS)
                    + f"  <cachedir>{tmp_path / 'fc-cache'}</cachedir>\n"
                    + "  <include ignore_missing='yes'>/etc/fonts/conf.d/30-metric-aliases.conf</include>\n"
                    + "</fontconfig>\n", encoding="utf-8")
    home = _build(tmp_path / "home", dict(os.environ))
    ci = _build(tmp_path / "ci", {**os.environ, "FONTCONFIG_FILE": str(conf)})
    assert set(home) == set(ci) and len(home) >= 5
    differ = [name for name in home if home[name] != ci[name]]
    assert not differ, f"built with only the workflow's fonts, these differ: {differ}"
