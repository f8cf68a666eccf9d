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
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kitbench import paths  # noqa: E402
from kitbench.corpus import make_many_orgs  # noqa: E402
from kitbench.inproc import inproc_main  # noqa: E402
from kitbench.machine import _loadavg, machine_facts, take_snapshot  # noqa: E402
from kitbench.pandoc_md import kk_markdown  # noqa: E402
from kitbench.proc import CHILD_ENV, BenchError, Meter, run_child, stats  # noqa: E402
from kitbench.report import render, render_profile  # noqa: E402
from kitbench.watch import has_watch, watch_latency  # noqa: E402

# The CLI as a user runs it, without a shell wrapper (pyenv shims etc.) in front of it.
KITGEN = [sys.executable, "-m", "kitgen"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and 20 organisations (smoke run)")
    parser.add_argument("--repeat", type=int, default=None, help="repeats of each timed command (default 7, --quick 2)")
    parser.add_argument("--orgs", type=int, default=None, help="organisations in the throughput set (default 100, --quick 20)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs for the throughput run (default 2)")
    parser.add_argument("--large", type=int, default=None,
                        help="organisations in the memory-flatness run (default 500, --quick 60)")
    parser.add_argument("--profile", action="store_true", help="also profile the KK build (-X importtime, cProfile)")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                        help="first wait up to SECONDS for other processes to use < 10%% of the cores")
    parser.add_argument("--json", type=Path, default=paths.RESULTS / "latest.json", help="where to write the JSON results")
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
        # kitgen's cache between runs (kitgen/core/cache.py: diagram pictures, fontconfig answers) lives in this run's
        # folder: it starts empty, the warm-up fills it as a user's first build would; 1a-cold empties it every run
        CHILD_ENV["XDG_CACHE_HOME"] = str(tmp / "xdg-cache")
        facts = machine_facts(allowed)
        facts["kitgen_source"] = str(source_package)
        kk_out = tmp / "out-kk"
        kk_cmd = KITGEN + ["build", "--org", "KK", "--force", "--content", paths.CONTENT, "--layouts", paths.LAYOUTS, "--out", kk_out]
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
        say(f"1a-cold  the same with an empty kitgen cache each run: {repeat} runs")
        cold = []
        with Meter(noise, "1a-cold"):
            for i in range(repeat):
                CHILD_ENV["XDG_CACHE_HOME"] = str(tmp / f"xdg-cold-{i}")
                cold.append(run_child(kk_cmd, cpus=one_core, cwd=tmp).check("built"))
        CHILD_ENV["XDG_CACHE_HOME"] = str(tmp / "xdg-cache")
        results["kk_cli_cold"] = stats([r.wall for r in cold]) | {"cpu_s_median": statistics.median(r.cpu_s for r in cold),
                                                                  "maxrss_kib": max(r.maxrss_kib for r in cold)}

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
                spec = json.dumps({"content": str(paths.CONTENT), "layouts": str(paths.LAYOUTS), "out": str(inproc_out), "iterations": iterations})
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
        all_cmd = KITGEN + ["build", "--all", "--force", "--content", many, "--layouts", paths.LAYOUTS, "--out", many_out,
                            "--jobs", args.jobs]
        # one discarded warm-up, as for every timed command: it also fills kitgen's cache (the corpus's ~20 distinct
        # diagram pictures), as a user's first batch does; its time and memory are reported beside the timed runs
        say("    warm-up run (empty kitgen cache) first")
        with Meter(noise, "2/warm-up"):
            first_all = run_child(all_cmd, cpus=jobs_cores, cwd=tmp, sample_tree=True)
        if first_all.status != 0:
            first_all.check(f"{n_orgs} built")
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
        # build's table: plain aligned text in a log (org status slides worksheets rows seconds message),
        # rich's box table on a terminal
        per_kit = [float(x) for r in all_runs
                   for x in re.findall(r"^ORG\d+\s+built\s+\d+\s+\d+\s+\d+\s+([\d.]+)\s", r.stdout, re.M)
                   + re.findall(r"ORG\d+\s*│\s*built\s*│(?:[^│]*│){3}\s*([\d.]+)\s*│", r.stdout)]
        results["many"] = stats(walls) | {
            "per_kit_build_org_s_median": statistics.median(per_kit) if per_kit else None,
            "cpu_s_per_kit": statistics.median(r.cpu_s for r in all_runs) / n_orgs,
            "kits": n_orgs, "kits_per_s": n_orgs / statistics.median(walls), "s_per_kit": statistics.median(walls) / n_orgs,
            "maxrss_kib": max(r.maxrss_kib for r in all_runs), "tree_peak_kib": max(r.tree_peak_kib for r in all_runs),
            "cpu_s_median": statistics.median(r.cpu_s for r in all_runs),
            "cold_run": {"wall_s": first_all.wall, "kits_per_s": n_orgs / first_all.wall, "cpu_s_per_kit": first_all.cpu_s / n_orgs,
                         "maxrss_kib": first_all.maxrss_kib, "tree_peak_kib": first_all.tree_peak_kib}}

        # 4c: memory flat from the throughput set to a larger one (largest single process)
        n_large = args.large or (60 if args.quick else 500)
        say(f"4c  {n_large} organisations, --all --force --jobs {args.jobs}: largest process RSS")
        large = tmp / "content-large"
        make_many_orgs(large, n_large)
        large_out = tmp / "out-large"
        with Meter(noise, "4c"):
            child = run_child(KITGEN + ["build", "--all", "--force", "--content", large, "--layouts", paths.LAYOUTS,
                                        "--out", large_out, "--jobs", args.jobs], cpus=jobs_cores, cwd=tmp, sample_tree=True)
        if child.status != 0:
            child.check(f"{n_large} built")
        results["large"] = {"kits": n_large, "wall_s": child.wall, "kits_per_s": n_large / child.wall,
                            "maxrss_kib": child.maxrss_kib, "tree_peak_kib": child.tree_peak_kib}
        shutil.rmtree(large_out, ignore_errors=True)

        # 6: kitgen watch, save → new kit in place
        if has_watch(KITGEN):
            say("6   kitgen watch: save → new kit in place")
            watch_content = tmp / "content-watch"
            shutil.copytree(paths.CONTENT, watch_content)
            with Meter(noise, "6"):
                lat = watch_latency(KITGEN, watch_content, paths.LAYOUTS, tmp / "out-watch", 3 if args.quick else repeat, one_core)
            results["watch"] = stats(lat["runs"])
        else:
            results["watch"] = {"skipped": "this kitgen has no 'watch' command"}

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
                "ratio_kitgen_cli_over_pandoc": results["kk_cli"]["median"] / statistics.median(totals),
                "ratio_cold_over_pandoc": results["kk_cli_cold"]["median"] / statistics.median(totals)}
            if "runs" in results["watch"]:
                results["watch"]["ratio_over_pandoc"] = results["watch"]["median"] / statistics.median(totals)
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
    spec = json.dumps({"content": str(paths.CONTENT), "layouts": str(paths.LAYOUTS), "out": str(tmp / "out-profile"), "profile": True, "top": 30})
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



if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        sys.exit(1)
