"""``kitgen watch``: the rebuild-on-change step called directly, and one short-lived watch process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from watchfiles import Change

from kitgen.commands.watch import Watcher
from kitgen.validate.timing import TimingSettings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def tree(tmp_path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    return tmp_path


def make_watcher(tree: Path, org_ids: list[str], lines: list[str]) -> Watcher:
    return Watcher(tree / "content", tree / "layouts", tree / "out", org_ids, TimingSettings(), echo=lines.append)


def test_a_change_rebuilds_only_the_kits_that_read_it(tree):
    lines: list[str] = []
    watcher = make_watcher(tree, ["KK", "BFA"], lines)
    first = watcher.start()
    assert {o: r.status for o, r in first.items()} == {"KK": "built", "BFA": "built"}, lines
    kk_manifest = (tree / "out" / "KK" / "kit.json").read_bytes()

    tool = tree / "content" / "tools" / "iglo.yaml"  # BFA's programme uses it, KK's does not
    tool.write_text(tool.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    results = watcher.handle({(Change.modified, str(tool))})
    assert {o: r.status for o, r in results.items()} == {"BFA": "built"}
    assert "rebuilding BFA" in "\n".join(lines) and "rebuilding KK" not in "\n".join(lines)
    assert (tree / "out" / "KK" / "kit.json").read_bytes() == kk_manifest


def test_a_file_no_watched_kit_reads(tree):
    lines: list[str] = []
    watcher = make_watcher(tree, ["KK"], lines)
    watcher.start()
    unused = tree / "content" / "tools" / "spaendingsfelter-i-ledelsen.yaml"
    unused.write_text(unused.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert watcher.handle({(Change.modified, str(unused))}) == {}
    assert lines[-1].endswith("content/tools/spaendingsfelter-i-ledelsen.yaml: no watched kit reads it")


def test_a_bad_edit_prints_findings_and_keeps_the_last_good_kit(tree):
    lines: list[str] = []
    watcher = make_watcher(tree, ["KK"], lines)
    watcher.start()
    kit = (tree / "out" / "KK" / "deck.pptx").read_bytes()
    profile = tree / "content" / "orgs" / "KK.yaml"
    good = profile.read_text(encoding="utf-8")
    profile.write_text(good.replace("programme: ", "programme: nowhere-"), encoding="utf-8")
    results = watcher.handle({(Change.modified, str(profile))})
    assert results["KK"].status == "failed"
    output = "\n".join(lines)
    assert "refs/unknown-programme" in output and "the last good kit stays" in output
    assert (tree / "out" / "KK" / "deck.pptx").read_bytes() == kit
    profile.write_text(good, encoding="utf-8")  # fixed again: the watch carries on
    assert watcher.handle({(Change.modified, str(profile))})["KK"].status in ("built", "unchanged")


def test_run_stops_on_its_event_and_sees_a_save(tree):
    lines: list[str] = []
    watcher = make_watcher(tree, ["KK"], lines)
    watcher.start()
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, kwargs={"stop_event": stop}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not any("watching" in line for line in lines) and time.monotonic() < deadline:
        time.sleep(0.05)
    profile = tree / "content" / "orgs" / "KK.yaml"
    original = profile.read_text(encoding="utf-8")
    attempt = 0
    # "watching" is printed just before the OS watch is set up: save again until a save is seen
    while sum("KK built" in line for line in lines) < 2 and time.monotonic() < deadline + 30:
        attempt += 1
        profile.write_text(original.replace("language: da", f"venue: Rådhuset {attempt}\nlanguage: da"), encoding="utf-8")
        wait_until = time.monotonic() + 3
        while sum("KK built" in line for line in lines) < 2 and time.monotonic() < wait_until:
            time.sleep(0.05)
    stop.set()
    thread.join(10)
    assert not thread.is_alive()
    assert any("rebuilding KK" in line for line in lines), lines
    assert sum("KK built" in line for line in lines) >= 2, lines


def test_the_command_stops_cleanly_on_ctrl_c(tree):
    kitgen = [sys.executable, "-m", "kitgen"]
    process = subprocess.Popen([*kitgen, "watch", "--org", "KK", "--content", str(tree / "content"),
                                "--layouts", str(tree / "layouts"), "--out", str(tree / "out")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tree,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    seen: list[str] = []

    def read() -> None:
        for line in process.stdout:
            seen.append(line.rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while not any("watching" in line for line in seen) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any("watching" in line for line in seen), seen
        process.send_signal(signal.SIGINT)
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
    reader.join(5)
    assert any("KK built" in line for line in seen), seen
    assert seen[-1].endswith("stopped watching"), seen
    assert not any("Traceback" in line for line in seen)
