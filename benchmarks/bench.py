#!/usr/bin/env python3
"""kitgen benchmark: time, throughput and memory of building kits, and pandoc side by side.

    python benchmarks/bench.py            # full run (≈ 2–3 minutes on 2 cores)
    python benchmarks/bench.py --quick    # smoke run: fewer repeats, 20 organisations
    python benchmarks/bench.py --profile  # also: -X importtime and cProfile of the KK build

Prints a Markdown table and writes the same figures as JSON to benchmarks/results/latest.json.
Every figure is measured on this machine in this run; nothing is estimated or copied.
See benchmarks/README.md for what each figure means. Needs nothing beyond kitgen itself
(and pandoc for the side-by-side, which is skipped with a note when pandoc is missing).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
# The CLI as a user runs it, without a shell wrapper (pyenv shims etc.) in front of it.
KITGEN = [sys.executable, "-m", "kitgen"]

TARGET_KIT_S = 0.5  # full KK kit, one core
TARGET_KITS_PER_S = 20.0  # --all on 2 cores
TARGET_NOOP_S = 0.1  # no-op rebuild

# Set by main() to a snapshot of kitgen/, content/ and layouts/ taken when the run starts, so that
# edits made to the work tree during a run neither mix two versions nor turn a no-op into a rebuild
# (the input digest covers content, layouts and kitgen's own source).
CONTENT = REPO / "content"
LAYOUTS = REPO / "layouts"
CHILD_ENV: dict[str, str] = {}

FONTS = ["DejaVu Sans", "DejaVu Serif", "Liberation Sans", "Liberation Serif"]


# --- running and measuring a child process ----------------------------------------------------


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


def take_snapshot(target: Path) -> None:
    """Copy kitgen/, content/ and layouts/ to ``target``; children import kitgen from there."""
    global CONTENT, LAYOUTS
    import kitgen

    package = Path(kitgen.__file__).resolve().parent
    shutil.copytree(package, target / "src" / "kitgen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(CONTENT, target / "content")
    shutil.copytree(LAYOUTS, target / "layouts")
    CONTENT, LAYOUTS = target / "content", target / "layouts"
    # Bytecode, as a pip install has: some environments set PYTHONDONTWRITEBYTECODE, and then a
    # source tree would be compiled again by every run.
    import compileall

    compileall.compile_dir(str(target / "src"), quiet=1)
    src = str(target / "src")
    CHILD_ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))
    sys.path.insert(0, src)
    for name in [m for m in sys.modules if m == "kitgen" or m.startswith("kitgen.")]:
        del sys.modules[name]


def machine_facts(cpus: list[int]) -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        import kitgen

        kitgen_version = kitgen.__version__ + ("" if version("kitgen") == kitgen.__version__ else f" (dist {version('kitgen')})")
    except Exception:  # noqa: BLE001 - report, never fail on a fact
        kitgen_version = "?"
    pandoc = shutil.which("pandoc")
    pandoc_version = None
    if pandoc:
        try:
            pandoc_version = subprocess.run([pandoc, "--version"], capture_output=True, text=True, timeout=30).stdout.splitlines()[0]
        except (OSError, subprocess.SubprocessError, IndexError):
            pandoc_version = "?"
    try:
        mem_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    except (OSError, AttributeError):
        mem_kib = None
    return {
        "cpu_model": model or platform.processor() or "?",
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(cpus),
        "memory_gib": round(mem_kib / 1024 / 1024, 1) if mem_kib else None,
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "platform": platform.platform(),
        "kitgen_version": kitgen_version,
        "pandoc": pandoc_version,
        "loadavg_start": _loadavg(),
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
    }


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# --- 1 and 3 in-process: a fresh Python process that imports kitgen, then times the pipeline --------


def inproc_main(args_json: str) -> None:
    """Hidden mode (``--_inproc``): run inside a child pinned to one core; print JSON."""
    args = json.loads(args_json)
    content, layouts, out = Path(args["content"]), Path(args["layouts"]), Path(args["out"])
    started = time.perf_counter()
    import kitgen.build  # noqa: F401
    import kitgen.render.deck  # noqa: F401  (build_org imports these lazily; import them up front)
    import kitgen.render.notes  # noqa: F401
    import kitgen.render.worksheets  # noqa: F401
    from kitgen.build import Project, build_org
    from kitgen.write import input_digest
    from kitgen.validate.timing import TimingSettings

    imports = time.perf_counter() - started

    def full(force: bool) -> dict:
        t0 = time.perf_counter()
        project = Project.load(content, layouts, TimingSettings())
        t1 = time.perf_counter()
        digest = input_digest(content, layouts)
        t2 = time.perf_counter()
        result = build_org(project, "KK", out, digest, force=force)
        t3 = time.perf_counter()
        return {"status": result.status, "message": result.message, "load": t1 - t0, "digest": t2 - t1,
                "build_org": t3 - t2, "total": t3 - t0}

    if args.get("profile"):
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        run = full(True)
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(args.get("top", 25))
        print(json.dumps({"imports": imports, "run": run, "profile": text.getvalue()}))
        return
    builds = [full(True) for _ in range(args["iterations"])]
    noop = full(False)
    print(json.dumps({"imports": imports, "builds": builds, "noop": noop}))


# --- 2: a content folder with many organisations ------------------------------------------------


def make_many_orgs(target: Path, n: int) -> list[str]:
    """Copy content/ to ``target`` and replace its organisations by ORG001…ORGnnn."""
    shutil.copytree(CONTENT, target)
    orgs = target / "orgs"
    for shipped in list(orgs.glob("*.yaml")) + list(orgs.glob("*.yml")):
        shipped.unlink()  # exactly n kits: the shipped profiles are not part of the set
    programmes = sorted(p.stem for p in (target / "programmes").glob("*.yaml"))
    logos = sorted(CONTENT.glob("orgs/*/logo.png"))
    if not programmes or not logos:
        raise BenchError("content/ has no programmes or no org logos to copy")
    ids = []
    for i in range(1, n + 1):
        org_id = f"ORG{i:03d}"
        ids.append(org_id)
        (orgs / org_id).mkdir()
        shutil.copyfile(logos[i % len(logos)], orgs / org_id / "logo.png")
        hue = (i * 37) % 360
        primary, accent = _hsl_hex(hue, 0.55, 0.30), _hsl_hex((hue + 150) % 360, 0.75, 0.50)
        heading, body = FONTS[i % len(FONTS)], FONTS[(i // len(FONTS)) % len(FONTS)]
        (orgs / f"{org_id}.yaml").write_text(
            f"# generated by benchmarks/bench.py\n"
            f"id: {org_id}\n"
            f"name: Benchmark-organisation {i:03d} – Ærø & Åbenrå\n"
            f"programme: {programmes[i % len(programmes)]}\n"
            f"venue: Mødelokale {i}\n"
            f"facilitators:\n  - Facilitator {i}\n"
            f"language: {'da' if i % 2 else 'en'}\n"
            f"branding:\n"
            f"  display_name: Org {i:03d}\n"
            f"  logo: {org_id}/logo.png\n"
            f"  primary_color: \"{primary}\"\n"
            f"  accent_color: \"{accent}\"\n"
            f"  heading_font: {heading}\n"
            f"  body_font: {body}\n",
            encoding="utf-8")
    return ids


def _hsl_hex(hue: float, sat: float, light: float) -> str:
    import colorsys

    r, g, b = colorsys.hls_to_rgb(hue / 360, light, sat)
    return "#{:02X}{:02X}{:02X}".format(round(r * 255), round(g * 255), round(b * 255))


# --- 5: the same KK material as Markdown for pandoc ----------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~^$@])")


def md(text: str) -> str:
    """Escape text for pandoc Markdown (inline), keeping it on one line."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    text = re.sub(r"^(\d+)([.)])(?=\s)", r"\1\\\2", text)  # "1. " would start a list
    return re.sub(r"^([-+])(?=\s)", r"\\\1", text)


def md_paragraphs(text: str) -> list[str]:
    return [md(p) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def _yaml_meta(**fields) -> list[str]:
    lines = ["---"] + [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items() if value] + ["---", ""]
    return lines


def kk_markdown(org_id: str = "KK") -> dict[str, str]:
    """deck.md, worksheets.md and notes.md holding the KK kit's material, from kitgen's own loaders."""
    from kitgen.load import load_content
    from kitgen.schedule import effective_programme

    content, _findings = load_content(CONTENT)
    org = content.orgs[org_id]
    prog = effective_programme(content.programmes[org.programme], org)
    day = str(org.date or prog.date or "")
    meta = dict(title=prog.title, subtitle=prog.subtitle, author=org.name, date=" · ".join(x for x in (day, org.venue) if x))
    tools = [content.tools[t] for b in prog.blocks for t in b.tools if t in content.tools]

    # the deck: title (metadata), agenda, one slide per block + its quotes, tools and questions
    deck = _yaml_meta(**meta)
    deck += ["# Program", ""] + [f"- {b.start}–{b.end}   {md(b.title)}" for b in prog.blocks] + [""]
    for b in prog.blocks:
        deck += [f"# {md(b.title)}", ""]
        deck += [f"- {md(p)}" for p in b.points] if b.points else [f"{b.start}–{b.end} · {b.minutes} min."]
        deck += ["", "::: notes"] + [p + "\n" for p in md_paragraphs(b.notes)] + [":::", ""]
        for q in (content.quotes[q] for q in b.quotes if q in content.quotes):
            deck += ["# Citat", "", f"> {md(q.text)}", ">", f"> – {md(q.attribution)}", "",
                     "::: notes", f"Læs citatet højt: {md(q.attribution)}", ":::", ""]
        for t in (content.tools[t] for t in b.tools if t in content.tools):
            deck += [f"# {md(t.title)}", "", md(t.purpose), ""] + [f"1. {md(s)}" for s in t.steps] + [""]
            deck += ["::: notes"] + [p + "\n" for p in md_paragraphs(t.facilitator_notes or t.purpose)] + [":::", ""]
        questions = [content.questions[q] for q in b.questions if q in content.questions]
        if questions:
            deck += ["# Spørgsmål", ""] + [f"- {md(q.text)}" for q in questions]
            deck += ["", "::: notes", "Giv tid til refleksion, og saml op i plenum.", ":::", ""]

    # the worksheets: one per tool with a worksheet
    sheets = _yaml_meta(title=f"Arbejdsark – {prog.title}", author=org.name)
    for t in tools:
        if not (t.has_worksheet and t.worksheet):
            continue
        ws = t.worksheet
        sheets += [f"# {md(ws.title or t.title)}", ""]
        if ws.instructions:
            sheets += md_paragraphs(ws.instructions) + [""]
        if t.steps:
            sheets += [f"1. {md(s)}" for s in t.steps] + [""]
        for s in ws.sections:
            if getattr(s, "heading", None):
                sheets += [f"## {md(s.heading)}", ""]
            if s.kind == "fields":
                sheets += [f"{md(f)}: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_  " for f in s.fields] + [""]
            elif s.kind == "prompts":
                for p in s.prompts:
                    sheets += [f"**{md(p)}**", "", "| |", "|---|"] + ["| |"] * s.lines + [""]
            elif s.kind == "table":
                sheets += ["| " + " | ".join(md(c) for c in s.columns) + " |", "|" + "---|" * len(s.columns)]
                sheets += ["| " + " | ".join(md(c) or " " for c in row) + " |" for row in s.rows]
                sheets += ["|" + " |" * len(s.columns)] * s.empty_rows + [""]
            elif s.kind == "grid":
                sheets += ["| | " + " | ".join(md(c) for c in s.column_labels) + " |", "|" + "---|" * (len(s.column_labels) + 1)]
                sheets += [f"| **{md(r)}** |" + " |" * len(s.column_labels) for r in s.row_labels] + [""]
            elif s.kind == "checklist":
                sheets += [f"- [ ] {md(i)}" for i in s.items] + [""]
            elif s.kind == "text":
                sheets += md_paragraphs(s.text) + [""]
        qs = [content.questions[q] for q in t.questions if q in content.questions]
        if qs:
            sheets += ["## Spørgsmål", ""] + [f"1. {md(q.text)}" for q in qs] + [""]
        sheets += [f"*Kilde: {md(t.source)}*" if t.source else "", "", "\\newpage", ""]

    # the facilitator notes: run-sheet with clock times, then what to say and do per block
    notes = _yaml_meta(title=f"Facilitatornoter – {prog.title}", subtitle=org.name, date=meta["date"])
    notes += ["# Drejebog", "", "| Tid | Min. | Blok | Materialer |", "|---|---|---|---|"]
    notes += [f"| {b.start}–{b.end} | {b.minutes or ''} | {md(b.title)} | {md(', '.join(b.materials))} |" for b in prog.blocks]
    notes += [""]
    for b in prog.blocks:
        notes += [f"## {b.start}–{b.end} {md(b.title)}", ""]
        notes += [f"- {md(p)}" for p in b.points] + [""]
        notes += md_paragraphs(b.notes) + [""]
        for t in (content.tools[t] for t in b.tools if t in content.tools):
            notes += [f"### Værktøj: {md(t.title)}", ""] + [f"1. {md(s)}" for s in t.steps] + [""]
            notes += md_paragraphs(t.facilitator_notes) + [""]
        for q in (content.questions[q] for q in b.questions if q in content.questions):
            notes += [f"- Spørgsmål: {md(q.text)}"] + [f"    - {md(h)}" for h in q.help]
        for q in (content.quotes[q] for q in b.quotes if q in content.quotes):
            notes += ["", f"> {md(q.text)} – {md(q.attribution)}"]
        if b.materials:
            notes += ["", "Materialer: " + md(", ".join(b.materials))]
        notes += [""]
    return {"deck.md": "\n".join(deck), "worksheets.md": "\n".join(sheets), "notes.md": "\n".join(notes)}


# --- the benchmark -----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and 20 organisations (smoke run)")
    parser.add_argument("--repeat", type=int, default=None, help="repeats of each timed command (default 7, --quick 2)")
    parser.add_argument("--orgs", type=int, default=None, help="organisations in the throughput set (default 100, --quick 20)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs for the throughput run (default 2)")
    parser.add_argument("--profile", action="store_true", help="also profile the KK build (-X importtime, cProfile)")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                        help="first wait up to SECONDS for other processes to use < 10%% of the cores")
    parser.add_argument("--json", type=Path, default=RESULTS / "latest.json", help="where to write the JSON results")
    parser.add_argument("--_inproc", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._inproc:
        inproc_main(args._inproc)
        return 0

    repeat = args.repeat or (2 if args.quick else 7)
    n_orgs = args.orgs or (20 if args.quick else 100)
    all_repeats = 1 if args.quick else 3
    allowed = sorted(os.sched_getaffinity(0))
    one_core = {allowed[0]}
    jobs_cores = set(allowed[: max(1, args.jobs)])
    results: dict = {"settings": {"quick": args.quick, "repeat": repeat, "orgs": n_orgs,
                                                    "all_repeats": all_repeats, "jobs": args.jobs,
                                                    "one_core": sorted(one_core), "jobs_cores": sorted(jobs_cores)}}
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731 - progress to stderr
    if args.wait_quiet:
        deadline = time.monotonic() + args.wait_quiet
        while True:
            probe: dict = {}
            with Meter(probe, "probe"):
                time.sleep(3)
            share = probe["probe"]["others_share"]
            if share < 0.10 or time.monotonic() > deadline:
                say(f"other processes use {share:.0%} of the cores; starting")
                break
            say(f"other processes use {share:.0%} of the cores; waiting")

    with tempfile.TemporaryDirectory(prefix="kitgen-bench-") as tmp_name:
        tmp = Path(tmp_name)
        source_package = Path(__import__("kitgen").__file__).resolve().parent
        take_snapshot(tmp / "snapshot")
        facts = machine_facts(allowed)
        facts["kitgen_source"] = str(source_package)
        kk_out = tmp / "out-kk"
        kk_cmd = KITGEN + ["build", "--org", "KK", "--force", "--content", CONTENT, "--layouts", LAYOUTS, "--out", kk_out]
        noop_cmd = [c for c in kk_cmd if c != "--force"]

        results = {"machine": facts} | results
        noise: dict = {}
        results["other_load"] = noise
        # 1a: KK kit, CLI end to end, pinned to one core (one warm-up run first: bytecode and disk caches)
        say(f"1a  KK build via CLI on core {sorted(one_core)}: 1 warm-up + {repeat} runs")
        run_child(kk_cmd, cpus=one_core, cwd=tmp).check("built")
        with Meter(noise, "1a"):
            runs = [run_child(kk_cmd, cpus=one_core, cwd=tmp).check("built") for _ in range(repeat)]
        results["kk_cli"] = stats([r.wall for r in runs]) | {"cpu_s_median": statistics.median(r.cpu_s for r in runs),
                                                              "maxrss_kib": max(r.maxrss_kib for r in runs)}

        # 3: no-op rebuild via CLI, right after 1a (the kit in out-kk is current)
        say(f"3   no-op KK rebuild via CLI: {repeat} runs")
        with Meter(noise, "3a"):
            noops = [run_child(noop_cmd, cpus=one_core, cwd=tmp).check("unchanged") for _ in range(repeat)]
        results["noop_cli"] = stats([r.wall for r in noops]) | {"cpu_s_median": statistics.median(r.cpu_s for r in noops),
                                                                "maxrss_kib": max(r.maxrss_kib for r in noops)}

        # 1b + 3: in-process pipeline, each repeat in a fresh process pinned to one core
        say(f"1b  in-process pipeline: {2 if args.quick else max(3, repeat)} fresh processes")
        iterations = 2 if args.quick else 3
        inproc_out = tmp / "out-inproc"
        inproc = []
        with Meter(noise, "1b"):
            for _ in range(max(3, repeat) if not args.quick else 2):
                spec = json.dumps({"content": str(CONTENT), "layouts": str(LAYOUTS), "out": str(inproc_out), "iterations": iterations})
                child = run_child([sys.executable, Path(__file__).resolve(), "--_inproc", spec], cpus=one_core, cwd=tmp).check()
                inproc.append(json.loads(child.stdout.strip().splitlines()[-1]))
        for record in inproc:
            bad = [b for b in record["builds"] if b["status"] != "built"] + ([record["noop"]] if record["noop"]["status"] != "unchanged" else [])
            if bad:
                raise BenchError(f"in-process build did not behave: {bad}")
        first = [r["builds"][0] for r in inproc]
        warm = [b for r in inproc for b in r["builds"][1:]]
        results["kk_inproc_imports"] = stats([r["imports"] for r in inproc])
        results["kk_inproc_first"] = stats([b["total"] for b in first]) | {
            part: statistics.median(b[part] for b in first) for part in ("load", "digest", "build_org")}
        results["kk_inproc_warm"] = stats([b["total"] for b in warm]) | {
            part: statistics.median(b[part] for b in warm) for part in ("load", "digest", "build_org")}
        results["noop_inproc"] = stats([r["noop"]["total"] for r in inproc]) | {
            part: statistics.median(r["noop"][part] for r in inproc) for part in ("load", "digest", "build_org")}
        results["noop_check_only"] = stats([r["noop"]["build_org"] for r in inproc])

        # 2 + 4: many organisations, --all --jobs N
        say(f"2   {n_orgs} organisations, --all --force --jobs {args.jobs} on cores {sorted(jobs_cores)}: {all_repeats} run(s)")
        many = tmp / "content-many"
        make_many_orgs(many, n_orgs)
        many_out = tmp / "out-many"
        all_cmd = KITGEN + ["build", "--all", "--force", "--content", many, "--layouts", LAYOUTS, "--out", many_out,
                            "--jobs", args.jobs]
        all_runs = []
        for i in range(all_repeats):
            with Meter(noise, f"2/run{i + 1}"):
                child = run_child(all_cmd, cpus=jobs_cores, cwd=tmp, sample_tree=True)
            summary = re.search(r"(\d+) built, (\d+) unchanged, (\d+) failed", child.stdout)
            built = int(summary.group(1)) if summary else 0
            if child.status != 0 or built != n_orgs:
                child.check(f"{n_orgs} built, 0 unchanged, 0 failed")
            all_runs.append(child)
        kits = len(list(many_out.glob("ORG*/kit.json")))
        if kits != n_orgs:
            raise BenchError(f"--all wrote {kits} kits, expected {n_orgs}")
        walls = [r.wall for r in all_runs]
        # kitgen's own table: seconds of each kit's build_org inside its worker
        per_kit = [float(x) for r in all_runs for x in re.findall(r"ORG\d+\s*│\s*built\s*│(?:[^│]*│){3}\s*([\d.]+)\s*│", r.stdout)]
        results["many"] = stats(walls) | {
            "per_kit_build_org_s_median": statistics.median(per_kit) if per_kit else None,
            "cpu_s_per_kit": statistics.median(r.cpu_s for r in all_runs) / n_orgs,
            "kits": n_orgs, "kits_per_s": n_orgs / statistics.median(walls), "s_per_kit": statistics.median(walls) / n_orgs,
            "maxrss_kib": max(r.maxrss_kib for r in all_runs), "tree_peak_kib": max(r.tree_peak_kib for r in all_runs),
            "cpu_s_median": statistics.median(r.cpu_s for r in all_runs)}

        # 5: pandoc over the same material
        pandoc = shutil.which("pandoc")
        if not pandoc:
            results["pandoc"] = {"skipped": "pandoc not found on PATH (Debian: apt-get install pandoc)"}
            say("5   pandoc: SKIPPED, pandoc not found on PATH")
        else:
            say(f"5   pandoc over the same KK material: 1 warm-up + {max(5, repeat) if not args.quick else 2} runs")
            md_dir = tmp / "pandoc"
            md_dir.mkdir()
            sources = kk_markdown()
            for name, text in sources.items():
                (md_dir / name).write_text(text, encoding="utf-8")
            jobs = {"deck.pptx": "deck.md", "worksheets.docx": "worksheets.md", "facilitator-notes.docx": "notes.md"}
            per_file: dict[str, list[float]] = {name: [] for name in jobs}
            totals = []
            pandoc_runs = 2 if args.quick else max(5, repeat)
            for target, source in jobs.items():  # warm-up
                run_child([pandoc, source, "-o", target], cpus=one_core, cwd=md_dir).check()
            with Meter(noise, "5"):
                for _ in range(pandoc_runs):
                    total = 0.0
                    for target, source in jobs.items():
                        child = run_child([pandoc, source, "-o", target], cpus=one_core, cwd=md_dir).check()
                        per_file[target].append(child.wall)
                        total += child.wall
                    totals.append(total)
            results["pandoc"] = stats(totals) | {
                "per_file_median": {name: statistics.median(v) for name, v in per_file.items()},
                "markdown_bytes": {name: len(text.encode()) for name, text in sources.items()},
                "output_bytes": {name: (md_dir / name).stat().st_size for name in jobs},
                "ratio_kitgen_cli_over_pandoc": results["kk_cli"]["median"] / statistics.median(totals)}
            results["kk_output_bytes"] = {p.name: p.stat().st_size for p in sorted((kk_out / "KK").glob("*.*x"))}

        if args.profile:
            say("    profiling: -X importtime and cProfile")
            results["profile"] = profile(kk_cmd, tmp, one_core)

    results["machine"]["loadavg_end"] = _loadavg()
    table = render(results)
    print(table)
    if args.profile:
        print(render_profile(results["profile"]))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(f"\nJSON written to {args.json}")
    return 0


def profile(kk_cmd, tmp: Path, one_core: set[int]) -> dict:
    child = run_child(kk_cmd[:1] + ["-X", "importtime"] + kk_cmd[1:], cpus=one_core, cwd=tmp).check("built")
    imports = []
    for line in child.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)", line)
        if m:
            imports.append({"self_us": int(m.group(1)), "cumulative_us": int(m.group(2)),
                            "depth": (len(m.group(3)) - 1) // 2, "module": m.group(4)})
    top_level = sorted((i for i in imports if i["depth"] == 0), key=lambda i: -i["cumulative_us"])
    spec = json.dumps({"content": str(CONTENT), "layouts": str(LAYOUTS), "out": str(tmp / "out-profile"), "profile": True, "top": 30})
    prof = json.loads(run_child([sys.executable, Path(__file__).resolve(), "--_inproc", spec], cpus=one_core, cwd=tmp)
                      .check().stdout.strip().splitlines()[-1])
    packages: dict[str, int] = {}
    for i in imports:  # a package's own (outermost) import, wherever it happens; these overlap
        if "." not in i["module"] and not i["module"].startswith("_"):
            packages[i["module"]] = max(packages.get(i["module"], 0), i["cumulative_us"])
    heavy = sorted(packages.items(), key=lambda kv: -kv[1])[:12]
    return {"importtime_total_us": sum(i["cumulative_us"] for i in top_level), "importtime_top": top_level[:15],
            "importtime_packages": [{"package": k, "cumulative_us": v} for k, v in heavy],
            "cprofile_run": prof["run"], "cprofile_text": prof["profile"]}


# --- output ------------------------------------------------------------------------------------


def _s(value: float) -> str:
    return f"{value:.3f} s"


def _opt(value: float | None) -> str:
    return f"{value:.3f}" if value is not None else "?"


def _mib(kib: int | None) -> str:
    return f"{kib / 1024:.0f} MiB" if kib else "–"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def render(r: dict) -> str:
    m, s = r["machine"], r["settings"]
    lines = [
        "## kitgen benchmark" + (" (--quick)" if s["quick"] else ""),
        "",
        f"Machine: {m['cpu_model']}, {m['cpu_count']} cores ({m['cpus_usable']} usable), {m['memory_gib']} GiB; "
        f"Python {m['python']}; kitgen {m['kitgen_version']}; {m['pandoc'] or 'pandoc: not installed'}; "
        f"{m['platform']}; load average {m['loadavg_start']} at start, {m['loadavg_end']} at end.",
        f"Repeats: {s['repeat']} per timed command (after 1 discarded warm-up); one core = CPU {s['one_core'][0]}.",
        "",
        "| # | What is measured | Median | Min | Target | Result |",
        "|---|---|---|---|---|---|",
    ]
    kk, first, warm = r["kk_cli"], r["kk_inproc_first"], r["kk_inproc_warm"]
    lines.append(f"| 1a | KK kit, `kitgen build --org KK --force`, whole CLI process (start-up + imports + build), 1 core "
                 f"| {_s(kk['median'])} | {_s(kk['min'])} | ≤ {TARGET_KIT_S} s | {_verdict(kk['median'] <= TARGET_KIT_S)} |")
    lines.append(f"| 1b | KK kit in-process: `Project.load` + `input_digest` + `build_org(force=True)`, first call in a fresh "
                 f"process, 1 core (load {first['load']:.3f} + digest {first['digest']:.3f} + build_org {first['build_org']:.3f}) "
                 f"| {_s(first['median'])} | {_s(first['min'])} | ≤ {TARGET_KIT_S} s | {_verdict(first['median'] <= TARGET_KIT_S)} |")
    lines.append(f"| 1b′ | same, repeat call in the same process (caches warm; load {warm['load']:.3f} + digest {warm['digest']:.3f} "
                 f"+ build_org {warm['build_org']:.3f}) | {_s(warm['median'])} | {_s(warm['min'])} | – | info |")
    imp = r["kk_inproc_imports"]
    lines.append(f"| 1c | importing kitgen.build + kitgen.render.* in a fresh process (not in 1b, part of 1a) "
                 f"| {_s(imp['median'])} | {_s(imp['min'])} | – | info |")
    many = r["many"]
    lines.append(f"| 2 | {many['kits']} organisations, `build --all --force --jobs {s['jobs']}`, whole CLI process on "
                 f"{len(s['jobs_cores'])} core(s): {many['kits_per_s']:.1f} kits/s, {many['s_per_kit']:.3f} s per kit "
                 f"(runs: {', '.join(f'{v:.2f}' for v in many['runs'])} s; each kit's build_org in its worker: median "
                 f"{_opt(many['per_kit_build_org_s_median'])} s; CPU time {many['cpu_s_per_kit']:.3f} s per kit) | {_s(many['median'])} | {_s(many['min'])} "
                 f"| ≥ {TARGET_KITS_PER_S:.0f} kits/s | {_verdict(many['kits_per_s'] >= TARGET_KITS_PER_S)} |")
    noop, noop_in, check = r["noop_cli"], r["noop_inproc"], r["noop_check_only"]
    lines.append(f"| 3a | no-op rebuild, `kitgen build --org KK` (\"unchanged\"), whole CLI process, 1 core "
                 f"| {_s(noop['median'])} | {_s(noop['min'])} | ≤ {TARGET_NOOP_S} s | {_verdict(noop['median'] <= TARGET_NOOP_S)} |")
    lines.append(f"| 3b | no-op in-process: load {noop_in['load']:.3f} + digest {noop_in['digest']:.3f} + build_org "
                 f"{noop_in['build_org']:.3f} | {_s(noop_in['median'])} | {_s(noop_in['min'])} | ≤ {TARGET_NOOP_S} s "
                 f"| {_verdict(noop_in['median'] <= TARGET_NOOP_S)} |")
    lines.append(f"| 3c | no-op `build_org` call alone (manifest check, digest given) | {_s(check['median'])} | {_s(check['min'])} "
                 f"| ≤ {TARGET_NOOP_S} s | {_verdict(check['median'] <= TARGET_NOOP_S)} |")
    lines.append(f"| 4a | peak memory, KK build process (max RSS, wait4) | {_mib(kk['maxrss_kib'])} | – | – | info |")
    lines.append(f"| 4b | peak memory, {many['kits']}-org `--all` run: largest single process (wait4) / whole process tree "
                 f"(summed RSS sampled every 0.1 s) | {_mib(many['maxrss_kib'])} / {_mib(many['tree_peak_kib'])} | – | – | info |")
    pd = r["pandoc"]
    if "skipped" in pd:
        lines.append(f"| 5 | pandoc side-by-side | – | – | – | SKIPPED: {pd['skipped']} |")
    else:
        per = pd["per_file_median"]
        lines.append(f"| 5a | pandoc, same KK material, 3 processes (deck.pptx {per['deck.pptx']:.3f} + worksheets.docx "
                     f"{per['worksheets.docx']:.3f} + facilitator-notes.docx {per['facilitator-notes.docx']:.3f}), 1 core "
                     f"| {_s(pd['median'])} | {_s(pd['min'])} | – | info |")
        ratio = pd["ratio_kitgen_cli_over_pandoc"]
        lines.append(f"| 5b | ratio kitgen / pandoc, both whole-process times (1a median / 5a median) "
                     f"| {ratio:.2f}× | – | ≤ 1.00× | {_verdict(ratio <= 1.0)} |")
    lines += ["", "All times are wall-clock. \"Whole CLI process\" = from spawning `python -m kitgen …` to its exit. "
              f"CPU time (user+sys) of the CLI process, median: 1a {kk['cpu_s_median']:.3f} s, 3a {noop['cpu_s_median']:.3f} s."]
    noisy = {name: n["others_share"] for name, n in r.get("other_load", {}).items()}
    if noisy:
        lines.append("Other processes' CPU use while each figure was measured (share of all cores): "
                     + ", ".join(f"{name} {share:.0%}" for name, share in noisy.items())
                     + (". Above ~10% the machine was shared and those figures are inflated; rerun on a quiet machine."
                        if max(noisy.values()) > 0.10 else "."))
    return "\n".join(lines)


def render_profile(p: dict) -> str:
    lines = ["", f"### Imports (`-X importtime`, top-level, cumulative; total {p['importtime_total_us'] / 1e6:.3f} s)", ""]
    lines += [f"- {i['module']}: {i['cumulative_us'] / 1000:.0f} ms" for i in p["importtime_top"][:10]]
    lines += ["", "Heaviest packages (cumulative, nested ones overlap): "
              + ", ".join(f"{i['package']} {i['cumulative_us'] / 1000:.0f} ms" for i in p["importtime_packages"])]
    run = p["cprofile_run"]
    lines += ["", f"### cProfile of the in-process KK build (first call; load {run['load']:.3f} + digest {run['digest']:.3f} "
                  f"+ build_org {run['build_org']:.3f} s, with profiler overhead)", "", "```", p["cprofile_text"].strip(), "```"]
    return "\n".join(lines)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        sys.exit(1)
