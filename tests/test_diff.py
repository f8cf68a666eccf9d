"""``kitgen diff``: two kit folders, and a kit at a git revision against the working tree."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen.build.pipeline import Project, build_org
from kitgen.cli.main import main
from kitgen.build.diff import libreoffice_available

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = "programmes/ledertrivsel-workshop-2021-02-24.yaml"
QUESTION_OLD = '["1A", "KLARE MÅL: Vi kender ledelsesgruppens mål'
QUESTION_NEW = '["1A", "KLARE MÅL: Vi kender og deler ledelsesgruppens mål'


def change_question(content: Path) -> None:
    tool = content / "tools" / "styrk-ledelsesgruppen.yaml"
    text = tool.read_text(encoding="utf-8")
    assert QUESTION_OLD in text
    tool.write_text(text.replace(QUESTION_OLD, QUESTION_NEW), encoding="utf-8")


def add_quote_slide(content: Path) -> None:
    """A quote on the welcome block: one more slide (the fourth: a quote opens its block, after the divider)."""
    path = content / PROGRAMME
    text = path.read_text(encoding="utf-8")
    old = "      - ws-gd2-loefte-udover-tiltagene\n    quotes: []"
    assert old in text
    path.write_text(text.replace(old, "      - ws-gd2-loefte-udover-tiltagene\n    quotes: [ws-krydspres-overskue]", 1),
                    encoding="utf-8")


def drop_pause(content: Path) -> None:
    path = content / PROGRAMME
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  - id: pause\n"), text.index("  - id: tiltag\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")


@pytest.fixture(scope="module")
def kits(tmp_path_factory) -> dict[str, Path]:
    """KK's kit from the shipped content (twice, into two folders) and after each kind of edit."""
    base = tmp_path_factory.mktemp("diff")
    out = {}
    for name, edit in (("base", None), ("again", None), ("question", change_question), ("slide", add_quote_slide),
                       ("block", drop_pause)):
        content = base / f"content-{name}"
        shutil.copytree(ROOT / "content", content)
        if edit:
            edit(content)
        result = build_org(Project.load(content, ROOT / "layouts"), "KK", base / f"out-{name}", force=True)
        assert result.status == "built", (name, result.message)
        out[name] = base / f"out-{name}" / "KK"
    return out


def run(*args: str):
    return CliRunner().invoke(main, ["diff", *args], catch_exceptions=False)


def test_the_same_kit_twice_is_no_difference(kits):
    done = run(str(kits["base"]), str(kits["again"]), "--no-pages")
    assert done.exit_code == 0, done.output
    assert "no difference" in done.output
    assert "by section only" in done.output


def test_one_question_changed_shows_the_section_and_its_old_and_new_text(kits):
    done = run(str(kits["base"]), str(kits["question"]), "--no-pages")
    assert done.exit_code == 1, done.output
    lines = done.output.splitlines()
    assert "deck.pptx: no change" in lines
    assert "facilitator-notes.docx: no change" in lines
    summary = next(line for line in lines if line.startswith("worksheets.docx:"))
    assert summary.startswith("worksheets.docx: section ") and summary.endswith(" changed"), summary
    assert any(line.strip().startswith("-1A | KLARE MÅL: Vi kender ledelsesgruppens mål") for line in lines)
    assert any(line.strip().startswith("+1A | KLARE MÅL: Vi kender og deler ledelsesgruppens mål") for line in lines)


def test_a_slide_added_is_one_slide_added_not_every_later_slide_changed(kits):
    done = run(str(kits["base"]), str(kits["slide"]), "--no-pages")
    assert done.exit_code == 1, done.output
    assert "deck.pptx: slide 4 added" in done.output.splitlines()
    added = next(line for line in done.output.splitlines() if "added slide 4: " in line)
    assert "man er i et krydspres" in done.output, added  # the quote's own text, on the added slide
    assert any(line.strip().startswith("+ notes: ") for line in done.output.splitlines())  # its speaker notes


def test_a_block_dropped_removes_its_slide_and_changes_the_times(kits):
    done = run(str(kits["base"]), str(kits["block"]), "--no-pages", "--format", "json")
    assert done.exit_code == 1, done.output
    result = json.loads(done.output)
    files = {f["name"]: f for f in result["files"]}
    deck = files["deck.pptx"]
    assert deck["old_count"] - deck["new_count"] == 1
    assert [s["title"] for s in deck["removed"]] == ["Pause"]
    program = next(c for c in deck["changed"] if c["title"] == "Program")
    assert "-10.00–10.15 Pause" in program["diff"]
    assert "+notes: Der er ingen planlagt pause." in program["diff"]
    notes = files["facilitator-notes.docx"]
    assert [s["title"] for s in notes["removed"]] == ["## 10.00–10.15 Pause"], notes["removed"]
    assert result["identical"] is False and result["pages"] is False


def test_a_file_on_one_side_only_is_added_or_removed(kits, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(kits["base"], old)
    (old / "worksheets.docx").unlink()
    (old / "extra.txt").write_text("x")
    done = run(str(old), str(kits["base"]), "--no-pages")
    assert done.exit_code == 1
    assert re.search(r"^worksheets\.docx: added \(\d+ sections\)$", done.output, re.M), done.output
    assert "extra.txt: removed" in done.output


def test_github_format_is_job_summary_markdown(kits):
    done = run(str(kits["base"]), str(kits["question"]), "--no-pages", "--format", "github")
    assert done.exit_code == 1
    assert done.output.startswith("### ")
    assert "- **worksheets.docx**: section" in done.output
    assert "<details><summary>worksheets.docx</summary>" in done.output
    assert "\n+1A | KLARE MÅL: Vi kender og deler" in done.output  # a diff line GitHub colours
    assert run(str(kits["base"]), str(kits["again"]), "--no-pages", "--format", "github").output.rstrip().endswith(
        "No difference.")


def test_html_without_libreoffice_is_text_only_and_says_so(kits, tmp_path, monkeypatch):
    import kitgen.build.diff

    monkeypatch.setattr(kitgen.build.diff, "libreoffice_available", lambda: False)
    report = tmp_path / "diff.html"
    done = run(str(kits["base"]), str(kits["slide"]), "--format", "html", "-o", str(report))
    assert done.exit_code == 1, done.output
    page = report.read_text(encoding="utf-8")
    assert "Text only: LibreOffice" in page and "<img" not in page
    assert "slide 4 added: " in page and "krydspres" in page
    assert "by section only (LibreOffice is not installed" in page
    also = tmp_path / "also.html"
    done = run(str(kits["base"]), str(kits["slide"]), "--format", "github", "--html", str(also))
    assert done.exit_code == 1 and done.output.startswith("### ")  # one comparison, both reports
    assert "slide 4 added: " in also.read_text(encoding="utf-8")


@pytest.mark.skipif(not libreoffice_available(), reason="LibreOffice, pdftoppm or pdftotext not installed")
def test_html_shows_changed_slides_side_by_side_and_word_files_by_page(kits, tmp_path):
    report = tmp_path / "diff.html"
    done = run(str(kits["base"]), str(kits["question"]), "--format", "html", "-o", str(report))
    assert done.exit_code == 1, done.output
    page = report.read_text(encoding="utf-8")
    assert "by section and by page (LibreOffice)" in page
    changed = re.findall(r"<h3>page (\d+) → (\d+): [^<]*Arbejdsark", page)
    assert len(changed) == 1 and changed[0][0] == changed[0][1], changed  # the worksheets' one page with the question
    assert page.count("src='data:image/png;base64,") == 2  # old and new page side by side
    assert "Text only" not in page


def test_usage_mistakes_exit_2(kits, tmp_path):
    for args, says in (([str(kits["base"])], "give two kit folders"),
                       ([str(kits["base"]), str(tmp_path / "nope")], "is not a folder"),
                       ([str(kits["base"]), str(tmp_path)], "is not a kit"),
                       (["--org", "KK"], "--org ID and --against REF go together"),
                       (["--org", "KK", "--against", "HEAD", str(kits["base"]), str(kits["again"])], "not both"),
                       (["--org", "../KK", "--against", "HEAD"], "not a valid organisation id")):
        done = CliRunner().invoke(main, ["diff", *args])
        assert done.exit_code == 2, (args, done.output)
        assert says in done.output, (args, done.output)


# --- --against REF: the old kit built by the revision's own kitgen and content ----------------------------

def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(cwd), "-c", "user.name=t", "-c", "user.email=t@example.com",
                           "-c", "protocol.file.allow=always", *args], capture_output=True, text=True)
    assert done.returncode == 0, (args, done.stderr)
    return done.stdout


def project_repo(path: Path, content_submodule: bool = False) -> Path:
    """A git checkout holding kitgen, layouts and content (or content as a submodule), one commit.
    The committed kitgen notes each run in $KITGEN_RAN, so a test sees which kitgen built a kit."""
    path.mkdir()
    shutil.copytree(ROOT / "kitgen", path / "kitgen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "layouts", path / "layouts")
    shutil.copy(ROOT / "pyproject.toml", path)
    init = path / "kitgen" / "__init__.py"
    init.write_text(init.read_text() + "\nimport os as _os\nif _os.environ.get('KITGEN_RAN'):\n"
                    "    open(_os.environ['KITGEN_RAN'], 'a').write(__file__ + '\\n')\n")
    git(path, "init", "-q")
    if content_submodule:
        upstream = path.parent / "content-upstream"
        shutil.copytree(ROOT / "content", upstream)
        git(upstream, "init", "-q")
        git(upstream, "add", "-A")
        git(upstream, "commit", "-qm", "content")
        git(path, "submodule", "add", "-q", str(upstream), "content")
    else:
        shutil.copytree(ROOT / "content", path / "content")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "base")
    init.write_text(init.read_text().split("\nimport os as _os")[0] + "\n")  # the working tree's kitgen does not note
    return path


def diff_against(repo: Path, *args: str, ran: Path | None = None):
    env = {**os.environ, "PYTHONPATH": str(repo), "KITGEN_NO_CACHE": "1"}
    if ran:
        env["KITGEN_RAN"] = str(ran)
    return subprocess.run([sys.executable, "-m", "kitgen", "diff", "--no-pages", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600)


def test_against_a_revision_builds_the_old_kit_with_that_revisions_kitgen(tmp_path):
    repo = project_repo(tmp_path / "project")
    done = diff_against(repo, "--org", "KK", "--against", "HEAD")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no difference" in done.stdout
    change_question(repo / "content")
    ran = tmp_path / "ran.txt"
    done = diff_against(repo, "--org", "KK", "--against", "HEAD", "--format", "github", ran=ran)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "### KK: HEAD → working tree" in done.stdout
    assert "+1A | KLARE MÅL: Vi kender og deler" in done.stdout
    used = ran.read_text().splitlines()
    assert len(used) == 1 and str(repo) not in used[0] and used[0].endswith("/ref/kitgen/__init__.py"), used
    assert git(repo, "worktree", "list").count("\n") == 1  # the temporary worktree is gone


def test_against_a_revision_with_content_as_a_submodule(tmp_path):
    repo = project_repo(tmp_path / "project", content_submodule=True)
    add_quote_slide(repo / "content")  # uncommitted, in the submodule's working tree
    done = diff_against(repo, "--org", "KK", "--against", "HEAD")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "deck.pptx: slide 4 added" in done.stdout.splitlines()
    assert git(repo / "content", "worktree", "list").count("\n") == 1


def test_against_refuses_bad_revisions_and_a_side_that_does_not_build(tmp_path):
    repo = project_repo(tmp_path / "project")
    for ref, says in (("--output=x", "unknown git revision '--output=x'"), ("no-such-branch", "unknown git revision")):
        done = diff_against(repo, "--org", "KK", "--against", ref)
        assert done.returncode == 2 and says in done.stderr, done.stdout + done.stderr
    profile = repo / "content" / "orgs" / "KK.yaml"
    profile.write_text(profile.read_text() + "programme: [\n")
    done = diff_against(repo, "--org", "KK", "--against", "HEAD")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "the new kit of KK cannot be built" in done.stderr
    assert "KK.yaml" in done.stderr and "YAML syntax error" in done.stderr  # its findings, with file and line


def test_against_an_organisation_new_in_the_working_tree_shows_its_files_added(tmp_path):
    repo = project_repo(tmp_path / "project")
    profile = (repo / "content" / "orgs" / "DEMO-EN.yaml").read_text(encoding="utf-8")
    (repo / "content" / "orgs" / "NEWORG.yaml").write_text(profile.replace("id: DEMO-EN", "id: NEWORG"), encoding="utf-8")
    done = diff_against(repo, "--org", "NEWORG", "--against", "HEAD")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "deck.pptx: added (" in done.stdout


# --- the shipped workflow: a pull request's diff in its job summary, the HTML as an artifact ---------------

def test_workflow_diffs_each_changed_organisation_into_the_job_summary(tmp_path):
    import yaml

    job = yaml.safe_load((ROOT / ".github" / "workflows" / "kits.yml").read_text())["jobs"]["diff"]
    assert "pull_request" in job["if"] and job["needs"] == "plan"
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "libreoffice-impress" in runs and "poppler-utils" in runs
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"].startswith("kit-diff") and upload["if"] == "always()"
    step = next(s for s in job["steps"] if "kitgen diff" in s.get("run", ""))

    # the step's script, with a stand-in kitgen: two organisations, one differs, then one that does not build
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in = bin_dir / "kitgen"
    stand_in.write_text("#!/bin/sh\necho \"$*\" >> \"$LOG\"\n"
                        "case \"$*\" in plan*) echo '{\"orgs\": [\"KK\", \"BFA\"]}';; "
                        "*KK*) echo '### KK: changed'; exit 1;; *) echo '### BFA: same'; exit \"$BFA_EXIT\";; esac\n")
    stand_in.chmod(0o755)
    for bfa_exit, step_exit in (("0", 0), ("2", 1)):
        summary, log = tmp_path / f"summary{bfa_exit}", tmp_path / f"log{bfa_exit}"
        env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "GITHUB_STEP_SUMMARY": str(summary),
               "LOG": str(log), "BFA_EXIT": bfa_exit, **{k: str(v) for k, v in step["env"].items()},
               "BASE_REF": "main"}
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == step_exit, done.stdout + done.stderr
        text = summary.read_text()
        assert "### KK: changed" in text and "### BFA: same" in text
        assert "diff --org KK --against origin/main --format github --html kit-diff/KK.html" in log.read_text()
    assert "kitgen diff failed for BFA (exit 2)" in text
