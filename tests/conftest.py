"""Shared fixtures: the shipped content, and kits built once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# kitgen.cache off for the suite (and the CLI processes it starts): every "same bytes twice" check
# renders twice, and no test writes to the user's ~/.cache. tests/test_cache.py turns it on itself.
os.environ["KITGEN_NO_CACHE"] = "1"

from kitgen.build import Project, build_org
from kitgen.write import input_digest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
LAYOUTS = ROOT / "layouts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.load(CONTENT, LAYOUTS)


@pytest.fixture(scope="session")
def kits(project, tmp_path_factory) -> Path:
    """KK and AMK kits built from the shipped content into one output folder."""
    out = tmp_path_factory.mktemp("kits")
    digest = input_digest(CONTENT, LAYOUTS)
    for org_id in ("KK", "AMK"):
        result = build_org(project, org_id, out, digest, force=True)
        assert result.status == "built", (org_id, result.message, [f.message for f in result.findings if f.severity == "error"])
    return out


@pytest.fixture()
def content_copy(tmp_path) -> Path:
    """A writable copy of the shipped content, for tests that break it."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target
