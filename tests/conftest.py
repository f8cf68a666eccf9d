"""Shared fixtures: the shipped content, and kits built once per test session."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# The suite runs the path users get: kitgen.core.cache on, in one fresh folder per pytest session that
# its tests (and the CLI processes they start) share; nothing goes to the user's ~/.cache.
# tests/test_cache.py compares the kits' bytes with the cache off, empty and warm.
os.environ.pop("KITGEN_NO_CACHE", None)
SESSION_CACHE = tempfile.mkdtemp(prefix="kitgen-test-cache-")
os.environ["XDG_CACHE_HOME"] = SESSION_CACHE
atexit.register(shutil.rmtree, SESSION_CACHE, True)

from kitgen.build.pipeline import Project, build_org
from kitgen.build.manifest import input_digest

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
def tree(tmp_path) -> Path:
    """A writable copy of the shipped content and layouts (``tree/content``, ``tree/layouts``)."""
    shutil.copytree(CONTENT, tmp_path / "content")
    shutil.copytree(LAYOUTS, tmp_path / "layouts")
    return tmp_path


@pytest.fixture()
def content_copy(tmp_path) -> Path:
    """A writable copy of the shipped content, for tests that break it."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target
