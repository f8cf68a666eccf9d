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

from watchfiles import Change

from kitgen.build.watch import Watcher
from kitgen.validate.timing import TimingSettings

ROOT = Path(__file__).resolve().parent.parent


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
        profile.write_text(original + f"\n# save {attempt}\n", encoding="utf-8")
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


# --- never stale: what editors do -----------------------------------------------------------------

KK_TOOL = Path("tools") / "styrk-ledelsesgruppen.yaml"  # KK's programme uses it


class Running:
    """A watch running in a thread, with its printed lines."""

    def __init__(self, tree: Path, org_ids: list[str]):
        self.lines: list[str] = []
        self.watcher = make_watcher(tree, org_ids, self.lines)
        self.watcher.start()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.watcher.run, kwargs={"stop_event": self.stop}, daemon=True)
        self.thread.start()
        self.wait(lambda: any("watching" in line for line in self.lines))
        time.sleep(0.5)  # the OS watch is set up just after "watching" is printed

    def wait(self, predicate, seconds: float = 20) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.05)
        return False

    def built(self, org_id: str) -> int:
        """Rounds that left the org's kit current (built now, or already up to date)."""
        return sum(f"{org_id} built" in line or f"{org_id} unchanged" in line for line in self.lines)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)


def _break_and_fix(tree: Path, save) -> list[str]:
    """Break KK's tool file so it no longer loads, then fix it with ``save``: KK must be rebuilt."""
    run = Running(tree, ["KK"])
    try:
        tool = tree / "content" / KK_TOOL
        good = tool.read_text(encoding="utf-8")
        save(tool, good.replace("title:", "title: [unclosed", 1))
        assert run.wait(lambda: any("KK failed" in line for line in run.lines)), run.lines
        assert run.wait(lambda: any("KK's kit is from" in line and "styrk-ledelsesgruppen.yaml" in line
                                    for line in run.lines)), run.lines
        before = run.built("KK")
        save(tool, good + "\n# fixed\n")
        assert run.wait(lambda: run.built("KK") > before), run.lines
        return run.lines
    finally:
        run.close()


def _in_place(path: Path, text: str) -> None:  # VS Code, nano: the same inode is truncated and written
    with open(path, "r+", encoding="utf-8") as handle:
        handle.seek(0)
        handle.truncate()
        handle.write(text)


def _temp_and_rename(path: Path, text: str) -> None:  # vim (backupcopy=no), many IDEs
    temporary = path.with_name(path.name + "~tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def test_a_file_that_failed_to_load_is_rebuilt_after_an_in_place_fix(tree):
    lines = _break_and_fix(tree, _in_place)
    assert not any("no watched kit reads it" in line for line in lines), lines


def test_a_file_that_failed_to_load_is_rebuilt_after_a_temp_and_rename_fix(tree):
    _break_and_fix(tree, _temp_and_rename)


def test_stale_kit_is_named_on_every_event_with_file_and_line(tree):
    lines: list[str] = []
    watcher = make_watcher(tree, ["KK"], lines)
    watcher.start()
    tool = tree / "content" / KK_TOOL
    tool.write_text(tool.read_text(encoding="utf-8").replace("title:", "title: [unclosed", 1), encoding="utf-8")
    watcher.handle({(Change.modified, str(tool))})
    other = tree / "content" / "tools" / "iglo.yaml"  # KK does not read it: still, KK's kit is stale
    other.write_text(other.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    watcher.handle({(Change.modified, str(other))})
    stale = [line for line in lines if "KK's kit is from" in line]
    assert len(stale) == 2, lines
    assert all("styrk-ledelsesgruppen.yaml line" in line and "to rebuild" in line for line in stale)


def test_a_watched_folder_replaced_is_followed(tree):
    run = Running(tree, ["KK"])
    try:
        tools = tree / "content" / "tools"
        shutil.copytree(tools, tree / "tools-new")
        tool = tree / "tools-new" / KK_TOOL.name
        tool.write_text(tool.read_text(encoding="utf-8") + "\n# replaced\n", encoding="utf-8")
        before = run.built("KK")
        os.rename(tools, tree / "tools-old")
        os.rename(tree / "tools-new", tools)
        assert run.wait(lambda: run.built("KK") > before), run.lines
        before = run.built("KK")
        time.sleep(0.5)
        moved = tools / KK_TOOL.name
        moved.write_text(moved.read_text(encoding="utf-8") + "\n# again\n", encoding="utf-8")
        assert run.wait(lambda: run.built("KK") > before), run.lines
    finally:
        run.close()


def test_an_input_moved_out_of_the_watched_folders_and_back_is_followed(tree):
    run = Running(tree, ["KK"])
    try:
        tool = tree / "content" / KK_TOOL
        parked = tree / KK_TOOL.name
        os.rename(tool, parked)  # out of content/: KK's kit can no longer be built
        assert run.wait(lambda: any("KK failed" in line for line in run.lines)), run.lines
        assert run.wait(lambda: any("KK's kit is from" in line for line in run.lines)), run.lines
        before = run.built("KK")
        os.rename(parked, tool)  # back: an added file, in a folder KK's graph no longer names
        assert run.wait(lambda: run.built("KK") > before), run.lines
    finally:
        run.close()
