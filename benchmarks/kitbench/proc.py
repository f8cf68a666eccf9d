"""Running and measuring child processes: wall time, rusage, summed RSS of a process tree,
and how much CPU *other* processes used meanwhile."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

# Extra environment for every child (PYTHONPATH of the snapshot, set by machine.take_snapshot).
CHILD_ENV: dict[str, str] = {}


class Child:
    def __init__(self, cmd, wall, status, maxrss_kib, cpu_s, stdout, stderr, tree_peak_kib=None):
        self.cmd, self.wall, self.status, self.maxrss_kib, self.cpu_s = cmd, wall, status, maxrss_kib, cpu_s
        self.stdout, self.stderr, self.tree_peak_kib = stdout, stderr, tree_peak_kib

    def check(self, expect: str | None = None) -> "Child":
        if self.status != 0 or (expect and expect not in self.stdout):
            raise BenchError(f"{' '.join(map(str, self.cmd))} exited {self.status}"
                             + (f", output lacks '{expect}'" if expect else "")
                             + f"\n--- stdout ---\n{self.stdout[-2000:]}\n--- stderr ---\n{self.stderr[-2000:]}")
        return self


class BenchError(Exception):
    pass


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return 0


def _descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(name))
    found, todo = [root], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kib = pid, interval, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak_kib = max(self.peak_kib, sum(_rss_kib(p) for p in _descendants(self.pid)))
            self.stop.wait(self.interval)


def run_child(cmd, *, cpus: set[int] | None = None, cwd: Path | None = None, sample_tree: bool = False) -> Child:
    """Run ``cmd`` to completion; wall time, exit status and the child's own rusage (via wait4).

    ru_maxrss from wait4 is the largest RSS of the child or of any one of its waited-for
    descendants (Linux keeps the max, not a sum)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="200", NO_COLOR="1", **CHILD_ENV)
    preexec = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                cwd=cwd, env=env, preexec_fn=preexec)
        sampler = TreeSampler(proc.pid) if sample_tree else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.stop.set()
            sampler.join()
        out.seek(0)
        err.seek(0)
        return Child(cmd, wall, proc.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime,
                     out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                     sampler.peak_kib if sampler else None)


def _cpu_jiffies() -> tuple[int, int]:
    """(busy, steal) jiffies of the whole machine since boot, from /proc/stat."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0, 0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return user + nice + system + irq + softirq, steal


class Meter:
    """How much CPU *other* processes used while a measurement ran: machine-wide busy time from
    /proc/stat minus this benchmark's own CPU time and that of its children. Reported as a share
    of all cores; a high share means the figures of that measurement are inflated."""

    def __init__(self, log: dict, name: str):
        self.log, self.name = log, name

    def __enter__(self) -> "Meter":
        self.t0, (self.busy0, self.steal0), self.ours0 = time.perf_counter(), _cpu_jiffies(), self._ours()
        return self

    @staticmethod
    def _ours() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def __exit__(self, *exc) -> None:
        wall = time.perf_counter() - self.t0
        busy, steal = _cpu_jiffies()
        tick = os.sysconf("SC_CLK_TCK")
        busy_s, steal_s, ours = (busy - self.busy0) / tick, (steal - self.steal0) / tick, self._ours() - self.ours0
        cores = os.cpu_count() or 1
        self.log[self.name] = {"wall_s": round(wall, 3), "machine_busy_cpu_s": round(busy_s, 3), "ours_cpu_s": round(ours, 3),
                               "others_cpu_s": round(max(0.0, busy_s - ours), 3), "steal_s": round(steal_s, 3),
                               "others_share": round(max(0.0, busy_s - ours) / (wall * cores), 3) if wall else 0.0}


def stats(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values),
            "runs": [round(v, 4) for v in values]}


# --- machine facts -----------------------------------------------------------------------------

