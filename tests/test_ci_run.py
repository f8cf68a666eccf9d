""".ci/run as root and as a user with sudo, with stand-in apt-get, sudo, id, dpkg-query and python3 on
PATH (nothing is installed for real, and the test command it ends with only logs itself); and the
shipped GitHub workflow, parsed, with the commands it runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BASH = shutil.which("bash") or "/bin/bash"
README_TEST_COMMAND = 'python3 -m venv .venv && .venv/bin/pip install -q -e ".[test]" && .venv/bin/pytest'


def stub(folder: Path, name: str, body: str = "") -> None:
    path = folder / name
    path.write_text(f"#!{BASH}\necho \"{name} $*\" >> \"$STUB_LOG\"\n{body}\n")
    path.chmod(0o755)


def run_ci(tmp_path: Path, *, uid: int, tools_present: bool, sudo: bool = True):
    """Run a copy of .ci/run in a scratch project; return (exit code, output, log lines)."""
    project = tmp_path / "project"
    (project / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", project / ".ci" / "run")
    venv_bin = project / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("env", "grep"):  # the only real programs the script may reach
        os.symlink(shutil.which(tool), bin_dir / tool)
    stub(bin_dir, "id", f'[ "$1" = "-u" ] && echo {uid}')
    stub(bin_dir, "apt-get")
    stub(bin_dir, "python3")
    stub(venv_bin, "pip")
    stub(venv_bin, "pytest", 'echo "1 passed, 0 failed"')
    if sudo:
        stub(bin_dir, "sudo", '[ "$1" = "-n" ] && shift; exec "$@"')
    installed = "install ok installed" if tools_present else "unknown ok not-installed"
    stub(bin_dir, "dpkg-query", f'printf "{installed}"')
    if tools_present:
        for tool in ("soffice", "pdftoppm", "pandoc", "git"):
            stub(bin_dir, tool)
    log = tmp_path / "log"
    log.write_text("")
    env = {"PATH": str(bin_dir), "STUB_LOG": str(log), "CI": "true", "HOME": str(tmp_path)}
    done = subprocess.run([BASH, str(project / ".ci" / "run")], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=60)
    return done.returncode, done.stdout + done.stderr, log.read_text().splitlines()


def test_nothing_is_installed_when_everything_is_there(tmp_path):
    code, output, log = run_ci(tmp_path, uid=1000, tools_present=True)
    assert code == 0, output
    assert not any(line.startswith(("apt-get", "sudo")) for line in log), log
    assert log[-3:] == ["python3 -m venv .venv", "pip install -q -e .[test]", "pytest "]


def test_root_installs_what_is_missing_with_apt_get(tmp_path):
    code, output, log = run_ci(tmp_path, uid=0, tools_present=False, sudo=False)
    assert code == 0, output
    assert "apt-get update -qq" in log
    install = next(line for line in log if line.startswith("apt-get install"))
    for package in ("libreoffice-impress", "libreoffice-writer", "poppler-utils", "pandoc", "git"):
        assert package in install.split()
    assert not any(line.startswith("sudo") for line in log)
    assert log[-1] == "pytest "


def test_a_user_with_sudo_installs_through_sudo(tmp_path):
    code, output, log = run_ci(tmp_path, uid=1000, tools_present=False)
    assert code == 0, output
    assert "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq" in log
    assert any(line.startswith("sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install") for line in log)
    assert log[-1] == "pytest "


def test_a_user_without_sudo_is_told_what_is_missing(tmp_path):
    code, output, log = run_ci(tmp_path, uid=1000, tools_present=False, sudo=False)
    assert code == 1
    assert "neither root nor sudo" in output and "libreoffice-impress" in output
    assert not any(line.startswith("python3") for line in log)


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert README_TEST_COMMAND in readme
    lines = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert lines[-1] == README_TEST_COMMAND


# --- the GitHub workflow ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "kits.yml").read_text(encoding="utf-8"))


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def _uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def test_workflow_triggers_and_jobs(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers and "pull_request" in triggers
    assert {"validate", "plan", "build", "tests"} <= set(workflow["jobs"])


def test_workflow_validates_with_annotations_and_a_job_summary(workflow):
    runs = _runs(workflow["jobs"]["validate"])
    assert "kitgen validate --all --format github" in runs
    assert "GITHUB_STEP_SUMMARY" in runs


def test_workflow_plans_a_matrix_and_builds_one_job_per_entry(workflow):
    jobs = workflow["jobs"]
    plan_runs = _runs(jobs["plan"])
    assert re.search(r"kitgen plan --changed \S+ --format github-matrix", plan_runs)
    assert "GITHUB_OUTPUT" in plan_runs
    checkout = next(s for s in jobs["plan"]["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # plan compares with the base revision
    build = jobs["build"]
    assert build["needs"] == "plan" or "plan" in build["needs"]
    assert "fromJSON(needs.plan.outputs.matrix)" in build["strategy"]["matrix"].replace(" ", "")
    step = next(s for s in build["steps"] if "kitgen build" in s.get("run", ""))
    assert "${{ matrix.org }}" in step["env"]["ORGS"] and '--org "$org"' in step["run"]
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"].startswith("artifact") and 'cp -rL "OUT/$org" "artifact/$org"' in step["run"]


def test_workflow_caches_pip_and_installs_libreoffice_only_for_the_tests(workflow):
    for name, job in workflow["jobs"].items():
        setup = [s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python")]
        assert setup and setup[0]["with"].get("cache") == "pip", name
        mentions_office = "libreoffice" in _runs(job) or ".ci/run" in _runs(job)
        assert mentions_office == (name in ("tests", "diff")), name  # diff: pages and images of the changed kits
