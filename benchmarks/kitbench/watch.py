"""Figure 6: how soon `kitgen watch` puts a new kit in place after a save.

A watch process is started on the KK kit; each round appends a comment line to a file the
KK kit reads (its programme), and the time from that write to the moment OUT/KK/kit.json
names a new content version is the latency. A comment changes the file's bytes (and so the
kit's inputs) without changing what the kit shows, so every round is a real rebuild.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kitbench.proc import CHILD_ENV, BenchError


def _version(manifest: Path) -> str | None:
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("content_version")
    except (OSError, ValueError):
        return None


def watch_latency(kitgen: list, content: Path, layouts: Path, out: Path, rounds: int, cpus: set[int],
                  timeout: float = 60.0) -> dict:
    """Seconds from a save to the new kit in place, per round (after the first build is ready)."""
    org = content / "orgs" / "KK.yaml"
    programme_id = next((line.split(":", 1)[1].strip() for line in org.read_text(encoding="utf-8").splitlines()
                         if line.startswith("programme:")), None)
    target = content / "programmes" / f"{programme_id}.yaml"
    if not target.is_file():
        raise BenchError(f"watch: cannot find KK's programme file {target}")
    env = dict(os.environ, PYTHONIOENCODING="utf-8", NO_COLOR="1", **CHILD_ENV)
    cmd = [str(c) for c in kitgen + ["watch", "--org", "KK", "--content", content, "--layouts", layouts, "--out", out]]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env,
                            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
    manifest = out / "KK" / "kit.json"
    latencies = []
    try:
        deadline = time.monotonic() + timeout
        while _version(manifest) is None:  # the first build
            if proc.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"watch: no first kit within {timeout:.0f} s (exit {proc.poll()})")
            time.sleep(0.01)
        time.sleep(1.0)  # let the watcher settle
        for i in range(rounds):
            before = _version(manifest)
            with open(target, "a", encoding="utf-8") as handle:
                handle.write(f"# benchmark save {i}\n")
            saved = time.perf_counter()
            deadline = time.monotonic() + timeout
            while _version(manifest) == before:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise BenchError(f"watch: no new kit within {timeout:.0f} s of a save")
                time.sleep(0.005)
            latencies.append(time.perf_counter() - saved)
            time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {"runs": [round(v, 4) for v in latencies]}


def has_watch(kitgen: list) -> bool:
    probe = subprocess.run([str(c) for c in kitgen + ["watch", "--help"]], capture_output=True, text=True,
                           env=dict(os.environ, **CHILD_ENV))
    return probe.returncode == 0


if __name__ == "__main__":  # pragma: no cover - manual use
    print(watch_latency([sys.executable, "-m", "kitgen"], Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), 3, set()))
