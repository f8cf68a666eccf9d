"""Client variants for a non-programmer: the generated file and the README's example combine,
blocks move, errors point at the variant's own lines with one error per cause."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "ledertrivsel-workshop-2021-02-24"


def kitgen(*args, cwd: Path):
    return subprocess.run([sys.executable, "-m", "kitgen", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def _readme_example() -> str:
    """The YAML example the README gives for a variant, as a user would paste it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    import textwrap

    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    example = next(b for b in blocks if "drop:" in b and "insert:" in b)
    return textwrap.dedent(example)  # as the rendered README shows it


def _variant(content: Path, extra: str) -> Path:
    done = kitgen("new", "programme", "nord-kort", "--from", BASE, "--content", str(content), cwd=content.parent)
    assert done.returncode == 0, done.stderr
    path = content / "programmes" / "nord-kort.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def _point_kk_at(content: Path, programme: str) -> None:
    org = content / "orgs" / "KK.yaml"
    org.write_text(re.sub(r"(?m)^programme: .*$", f"programme: {programme}", org.read_text(encoding="utf-8")), encoding="utf-8")


def test_the_readme_example_pasted_into_the_generated_file_works(content_copy):
    _variant(content_copy, _readme_example())
    shown = kitgen("show", "programme", "nord-kort", "--content", str(content_copy), cwd=content_copy.parent)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "ekstra-pause" in shown.stdout and "hovedkonklusioner" not in shown.stdout.split("extends:")[1].split("\n", 1)[1]


def test_show_programme_names_the_error_of_a_file_that_does_not_load(content_copy):
    _variant(content_copy, "drop: [pause]\ndrop: [afrunding]\n")
    shown = kitgen("show", "programme", "nord-kort", "--content", str(content_copy), cwd=content_copy.parent)
    assert shown.returncode == 1
    assert "nord-kort.yaml" in shown.stdout and "duplicate key 'drop'" in shown.stdout
    assert "unknown programme" not in shown.stdout + shown.stderr


def test_a_block_moves_after_another(content_copy):
    _variant(content_copy, "move:\n  - {block: pause, after: tiltag}\n")
    shown = kitgen("show", "programme", "nord-kort", "--content", str(content_copy), cwd=content_copy.parent)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    order = [line.split()[0] for line in shown.stdout.splitlines() if re.match(r"^\s+\d\d:\d\d", line)]
    body = shown.stdout
    assert body.index("Pause") > body.index("Præsentation af tiltag"), body


def test_a_move_naming_an_unknown_block_points_at_the_variants_line(content_copy):
    path = _variant(content_copy, "move:\n  - {block: pauze, after: tiltag}\n")
    done = kitgen("validate", "--content", str(content_copy), cwd=content_copy.parent)
    line = path.read_text(encoding="utf-8").splitlines().index("move:") + 1
    assert f"nord-kort.yaml:{line} (move): move[0]: 'pauze' is not a block of '{BASE}'; did you mean 'pause'?" in done.stdout


def test_running_past_the_slot_is_one_error_at_the_variants_own_line(content_copy):
    path = _variant(content_copy, "insert:\n  - after: tiltag\n    block: {id: ekstra-pause, minutes: 45, title: Pause, kind: break}\n")
    _point_kk_at(content_copy, "nord-kort")
    done = kitgen("validate", "--org", "KK", "--content", str(content_copy), cwd=content_copy.parent)
    errors = [line for line in done.stdout.splitlines() if line.startswith("error")]
    line = path.read_text(encoding="utf-8").splitlines().index("insert:") + 1
    assert len(errors) == 1, done.stdout
    assert f"nord-kort.yaml:{line} (insert): the programme ends at 13:00, 45 min after its slot ends" in errors[0]
    assert "'Afrunding og tak for i dag'" in errors[0] and BASE + ".yaml" not in errors[0]


def test_notes_that_name_a_dropped_block_are_reported(content_copy):
    _variant(content_copy, "drop: [hovedkonklusioner]\n")
    done = kitgen("validate", "--content", str(content_copy), cwd=content_copy.parent)
    assert "[programmes/dropped-block-named]" in done.stdout, done.stdout
    assert "hovedkonklusioner" in done.stdout  # the words the other block's notes use for it
