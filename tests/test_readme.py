"""The README is a user guide: a table of contents whose links resolve, exactly two Quick-start
commands, and developer material in docs/."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _anchor(heading: str) -> str:
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def test_quick_start_has_exactly_two_commands():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", quick, re.S)
    assert len(commands) == 2 and all(len(c.strip().splitlines()) == 1 for c in commands)
    assert "minutes" in quick, "the test command says how long it runs"


def test_every_link_and_anchor_resolves():
    anchors = {_anchor(h) for h in re.findall(r"(?m)^#+ (.+)$", README)}
    for target in re.findall(r"\]\(([^)]+)\)", README):
        if target.startswith("http"):
            continue
        path, _, anchor = target.partition("#")
        if path:
            assert (ROOT / path).exists(), f"README links to {path}, which does not exist"
            if anchor and path.endswith(".md"):
                doc = (ROOT / path).read_text(encoding="utf-8")
                assert anchor in {_anchor(h) for h in re.findall(r"(?m)^#+ (.+)$", doc)}, target
        else:
            assert anchor in anchors, f"README links to #{anchor}, which is no heading"


def test_the_guide_comes_first_and_developer_material_lives_in_docs():
    headings = re.findall(r"(?m)^## (.+)$", README)
    assert headings[0] == "Contents" and headings[1] == "Quick start"
    for developer in ("How it is built", "Performance", "Reproducible, atomic, incremental"):
        assert developer not in headings
    for doc in ("architecture.md", "performance.md", "testing.md"):
        assert (ROOT / "docs" / doc).is_file() and f"docs/{doc}" in README
