"""``kitgen plan --changed REF`` against a temporary git repository, one kind of change per test;
``kitgen clean``; ``kitgen build --changed``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")

# The shipped orgs and their programmes: KK ledertrivsel-workshop-2021-02-24, BFA stressforebyggelse-iglo
# (tool iglo), AMK ps-indsatsen (its own templates). EN1 is added: BFA's programme, in English.


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
                          capture_output=True, text=True, check=True)
    return done.stdout


def make_repo(path: Path, extra_orgs: int = 0) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "content", path / "content")
    shutil.copytree(ROOT / "layouts", path / "layouts")
    for profile in (path / "content" / "orgs").glob("*.yaml"):  # the three shipped clients only
        if profile.stem not in ("KK", "BFA", "AMK"):
            profile.unlink()
    (path / "pyproject.toml").write_text('[project]\nname = "kits"\ndependencies = ["kitgen==0.1.0"]\n')
    bfa = (path / "content" / "orgs" / "BFA.yaml").read_text(encoding="utf-8")
    (path / "content" / "orgs" / "EN1.yaml").write_text(
        bfa.replace("id: BFA", "id: EN1").replace("language: da", "language: en"), encoding="utf-8")
    programmes = ["ledertrivsel-workshop-2021-02-24", "stressforebyggelse-iglo", "ps-indsatsen"]
    for n in range(extra_orgs):
        (path / "content" / "orgs" / f"ORG{n:04d}.yaml").write_text(
            f"id: ORG{n:04d}\nname: Organisation {n}\nprogramme: {programmes[n % 3]}\nlanguage: da\n", encoding="utf-8")
    git(path, "init", "-q")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "base")
    return path


@pytest.fixture()
def repo(tmp_path) -> Path:
    return make_repo(tmp_path / "kits")


def plan(repo: Path, *args: str, ref: str = "HEAD"):
    result = CliRunner().invoke(main, ["plan", "--changed", ref, "--content", str(repo / "content"),
                                       "--layouts", str(repo / "layouts"), *args])
    return result


def planned(repo: Path, ref: str = "HEAD") -> list[str]:
    result = plan(repo, "--format", "json", ref=ref)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["orgs"]


def touch(path: Path, line: str = "# edited") -> None:
    """A valid edit: the bytes change, the YAML means the same."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\n{line}\n")


def test_nothing_changed_plans_nothing(repo):
    assert planned(repo) == []


def test_a_tool_touches_the_orgs_whose_programme_uses_it(repo):
    touch(repo / "content" / "tools" / "iglo.yaml")
    assert planned(repo) == ["BFA", "EN1"]


def test_a_tool_no_programme_uses_touches_none(repo):
    touch(repo / "content" / "tools" / "spaendingsfelter-i-ledelsen.yaml")
    new = repo / "content" / "tools" / "ny-oevelse.yaml"  # untracked, used by no programme
    new.write_text("id: ny-oevelse\ntitle: Ny øvelse\npurpose: p\nsteps: [a]\nsource: s\n", encoding="utf-8")
    assert planned(repo) == []


def test_an_org_profile_touches_that_org(repo):
    touch(repo / "content" / "orgs" / "KK.yaml")
    assert planned(repo) == ["KK"]


def test_an_org_logo_and_client_template_touch_that_org(repo):
    touch(repo / "content" / "orgs" / "AMK" / "amk-deck.yaml")
    assert planned(repo) == ["AMK"]
    git(repo, "commit", "-qam", "map")
    (repo / "content" / "orgs" / "KK" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    assert planned(repo) == ["KK"]


def test_labels_touch_the_orgs_of_that_language(repo):
    touch(repo / "layouts" / "labels" / "en.yaml")
    assert planned(repo) == ["EN1"]
    git(repo, "commit", "-qam", "en")
    touch(repo / "layouts" / "labels" / "da.yaml")
    assert planned(repo) == ["AMK", "BFA", "KK"]


def test_the_default_deck_template_touches_orgs_without_their_own(repo):
    template = repo / "layouts" / "default" / "deck.pptx"
    template.write_bytes(template.read_bytes() + b"\0")
    assert planned(repo) == ["BFA", "EN1", "KK"]


def test_layout_map_touches_all(repo):
    touch(repo / "layouts" / "deck.yaml")
    assert planned(repo) == ["AMK", "BFA", "EN1", "KK"]


def test_a_kitgen_version_change_touches_all(repo):
    (repo / "pyproject.toml").write_text('[project]\nname = "kits"\ndependencies = ["kitgen==0.2.0"]\n')
    assert planned(repo) == ["AMK", "BFA", "EN1", "KK"]


def test_a_committed_change_since_an_older_revision_counts(repo):
    base = git(repo, "rev-parse", "HEAD").strip()
    touch(repo / "content" / "programmes" / "ps-indsatsen.yaml")
    git(repo, "commit", "-qam", "programme")
    assert planned(repo) == []
    assert planned(repo, ref=base) == ["AMK"]


def test_a_deleted_tool_touches_the_orgs_that_still_name_it(repo):
    (repo / "content" / "tools" / "iglo.yaml").unlink()
    assert planned(repo) == ["BFA", "EN1"]


def test_a_file_that_does_not_load_touches_all(repo):
    (repo / "content" / "quotes" / "spaendingsfelter.yaml").write_text("quotes: [unclosed\n", encoding="utf-8")
    assert planned(repo) == ["AMK", "BFA", "EN1", "KK"]


def test_formats(repo):
    touch(repo / "content" / "tools" / "iglo.yaml")
    text = plan(repo)
    assert text.exit_code == 0
    assert "2 of 4 organisation(s)" in text.stdout and "BFA: content/tools/iglo.yaml" in text.stdout
    matrix = json.loads(plan(repo, "--format", "github-matrix").stdout)
    assert matrix == {"include": [{"org": "BFA"}, {"org": "EN1"}]}
    touch(repo / "layouts" / "deck.yaml")
    sharded = json.loads(plan(repo, "--format", "github-matrix", "--shards", "3").stdout)
    assert sharded == {"include": [{"org": "AMK BFA"}, {"org": "EN1 KK"}]}
    assert json.loads(plan(repo, "--format", "json", "--shards", "2").stdout)["shards"] == [["AMK", "BFA"], ["EN1", "KK"]]


def test_unknown_revision_and_no_git_exit_2(repo, tmp_path):
    result = plan(repo, ref="no-such-branch")
    assert result.exit_code == 2 and "unknown git revision 'no-such-branch'" in result.stderr
    plain = tmp_path / "plain"
    shutil.copytree(ROOT / "content", plain / "content")
    result = plan(plain, ref="HEAD")
    assert result.exit_code == 2 and "is not inside a git checkout" in result.stderr


def test_a_thousand_organisations(tmp_path):
    """1,000 generated organisations: one tool edit plans exactly the orgs on its programme."""
    repo = make_repo(tmp_path / "big", extra_orgs=1000)
    touch(repo / "content" / "tools" / "iglo.yaml")
    done = subprocess.run([sys.executable, "-m", "kitgen", "plan", "--changed", "HEAD", "--format", "json",
                           "--content", str(repo / "content"), "--layouts", str(repo / "layouts")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    orgs = json.loads(done.stdout)["orgs"]
    expected = sorted(["BFA", "EN1"] + [f"ORG{n:04d}" for n in range(1000) if n % 3 == 1])
    assert orgs == expected and len(orgs) == 335


# --- clean ----------------------------------------------------------------------------------------


def _kit(folder: Path, org_id: str, generator: bool = True) -> None:
    folder.mkdir(parents=True)
    manifest = {"org": org_id, "kitgen_version": "0.1.0", "input_digest": "x", "files": []}
    if generator:
        manifest["generator"] = "kitgen"
    (folder / "kit.json").write_text(json.dumps(manifest))


def test_clean_removes_only_kits_of_orgs_that_are_gone(tmp_path):
    out = tmp_path / "out"
    _kit(out / "KK", "KK")  # still an org
    _kit(out / "GONE", "GONE")  # a kit of an org that no longer exists
    _kit(out / "OLD", "OLD", generator=False)  # a kit from before the "generator" key
    (out / "notes").mkdir()  # the user's own folder
    (out / "notes" / "kit.json").write_text("{}")
    (out / "MISMATCH").mkdir()
    (out / "MISMATCH" / "kit.json").write_text(json.dumps({"org": "OTHER", "generator": "kitgen"}))
    args = ["clean", "--out", str(out), "--content", str(ROOT / "content")]
    dry = CliRunner().invoke(main, [*args, "--dry-run"])
    assert dry.exit_code == 0 and "would remove" in dry.stdout and (out / "GONE").is_dir()
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if p.name != ".kits") == ["KK", "MISMATCH", "notes"]
    assert "left" in result.stdout and "notes" in result.stdout


def test_git_s_empty_tree_touches_every_kit(repo):
    empty = git(repo, "hash-object", "-t", "tree", "/dev/null").strip()
    assert planned(repo, ref=empty) == ["AMK", "BFA", "EN1", "KK"]


def test_build_changed_builds_just_those(repo):
    touch(repo / "content" / "tools" / "iglo.yaml")
    args = ["build", "--changed", "HEAD", "--content", str(repo / "content"), "--layouts", str(repo / "layouts"),
            "--out", str(repo / "out")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (repo / "out").iterdir() if not p.name.startswith(".")) == ["BFA", "EN1"]
    git(repo, "commit", "-qam", "tool")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "nothing to build" in result.stdout
    result = CliRunner().invoke(main, [*args, "--org", "KK"])
    assert result.exit_code == 2 and "use one of --org, --all or --changed" in result.stderr


def test_clean_removes_a_real_kit_with_its_versions(tmp_path):
    from kitgen.build.pipeline import Project, build_org

    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    project = Project.load(tmp_path / "content", tmp_path / "layouts")
    out = tmp_path / "out"
    for org_id in ("KK", "BFA"):
        assert build_org(project, org_id, out).status == "built"
    (tmp_path / "content" / "orgs" / "BFA.yaml").unlink()
    result = CliRunner().invoke(main, ["clean", "--out", str(out), "--content", str(tmp_path / "content")])
    assert result.exit_code == 0, result.output
    assert f"removed {out / 'BFA'}/" in result.stdout
    assert not (out / "BFA").exists() and not (out / "BFA").is_symlink()
    assert (out / "KK" / "kit.json").is_file()
    assert not any(p.name.startswith("BFA") for p in out.rglob("*"))


def test_a_programme_touches_the_orgs_on_its_variants(repo):
    (repo / "content" / "programmes" / "ps-kort.yaml").write_text(
        "id: ps-kort\nextends: ps-indsatsen\ndrop: [velkomst]\n", encoding="utf-8")
    amk = (repo / "content" / "orgs" / "AMK.yaml").read_text(encoding="utf-8")
    (repo / "content" / "orgs" / "VAR.yaml").write_text(
        amk.replace("id: AMK", "id: VAR").replace("programme: ps-indsatsen", "programme: ps-kort"), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "variant")
    touch(repo / "content" / "programmes" / "ps-indsatsen.yaml")
    assert planned(repo) == ["AMK", "VAR"]
    git(repo, "commit", "-qam", "base edit")
    touch(repo / "content" / "programmes" / "ps-kort.yaml")
    assert planned(repo) == ["VAR"]
