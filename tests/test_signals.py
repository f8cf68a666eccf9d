"""Ctrl-C and SIGTERM during ``kitgen build --all``: a plain message, 130/143, workers stopped, whole kits only.

Each test starts a real build of many small organisations in its own process group,
waits until the first kit is in place (so the build is surely mid-way), then sends the
signal the way a terminal (Ctrl-C: SIGINT to the whole group) or a service manager
(SIGTERM to kitgen) would.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_bad_inputs import LAYOUTS, ORG_PROFILE, make_content

ORGS = [f"T{n:02d}" for n in range(30)]


def _content(root: Path) -> Path:
    content = make_content(root / "content")
    (content / "orgs" / "TST.yaml").unlink()
    for org in ORGS:
        (content / "orgs" / f"{org}.yaml").write_text(
            ORG_PROFILE.replace("id: TST", f"id: {org}").replace("TST/logo.png", f"{org}/logo.png"), encoding="utf-8")
        shutil.copytree(content / "orgs" / "TST", content / "orgs" / org)
    shutil.rmtree(content / "orgs" / "TST")
    return content


def _start(cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kitgen", "build", "--all", "--content", "content", "--layouts", str(LAYOUTS),
         "--out", "out", "--jobs", "2"],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})


def _wait_for_first_kit(proc: subprocess.Popen, out: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and any((out / org).is_symlink() for org in ORGS):
            return
        time.sleep(0.01)
    pytest.fail(f"no kit appeared while the build ran (exit {proc.poll()}): {proc.communicate()}")


def _group_gone(pgid: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _whole_kits(out: Path) -> list[str]:
    """Every OUT/<ID> that exists is a complete kit whose files match kit.json."""
    kits = []
    for entry in sorted(out.iterdir()):
        if entry.name.startswith("."):
            continue
        manifest = json.loads((entry / "kit.json").read_text(encoding="utf-8"))
        assert manifest["generator"] == "kitgen" and manifest["org"] == entry.name
        for item in manifest["files"]:
            data = (entry / item["name"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == item["sha256"], f"{entry.name}/{item['name']} is not whole"
        kits.append(entry.name)
    return kits


@pytest.mark.parametrize("how, code, word", [("ctrl-c", 130, "interrupted"), ("sigterm", 143, "terminated")])
def test_a_signal_stops_the_build_with_whole_kits_only(tmp_path, how, code, word):
    _content(tmp_path)
    out = tmp_path / "out"
    proc = _start(tmp_path)
    _wait_for_first_kit(proc, out)
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # a terminal sends Ctrl-C to the whole foreground group
    else:
        proc.send_signal(signal.SIGTERM)  # kill(1), systemd: to kitgen only
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stdout + stderr
    assert stderr.strip().splitlines()[-1].startswith(f"{word}; kits already built are whole"), stderr
    assert "Traceback" not in stdout + stderr and "Aborted!" not in stderr
    assert _group_gone(proc.pid), "worker processes are still running after kitgen exited"
    built = _whole_kits(out)
    assert 1 <= len(built) < len(ORGS), "the signal came after the build had finished; the test proved nothing"

    # The next build completes the rest and leaves nothing of the interrupted one behind.
    done = subprocess.run(
        [sys.executable, "-m", "kitgen", "build", "--all", "--content", "content", "--layouts", str(LAYOUTS),
         "--out", "out", "--jobs", "2"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _whole_kits(out) == ORGS
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".kits"]
    versions = sorted(p.name for p in (out / ".kits").iterdir() if not p.name.endswith((".lock", ".own")))
    assert versions == sorted(os.readlink(out / org).split("/")[-1] for org in ORGS), "old or partial versions left"


def test_two_builds_of_the_same_orgs_at_once_take_turns(tmp_path):
    """Two 'kitgen build --all --force' at the same moment: both succeed, whole kits, one version each."""
    _content(tmp_path)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "kitgen", "build", "--all", "--force", "--content", "content", "--layouts",
               str(LAYOUTS), "--out", "out", "--jobs", "1"]
    first = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outputs = [first.communicate(timeout=600), second.communicate(timeout=600)]
    assert (first.returncode, second.returncode) == (0, 0), outputs
    assert _whole_kits(out) == ORGS
    versions = sorted(p.name for p in (out / ".kits").iterdir() if not p.name.endswith((".lock", ".own")))
    assert versions == sorted(os.readlink(out / org).split("/")[-1] for org in ORGS)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".kits"]
