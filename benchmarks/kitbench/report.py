"""The benchmark's Markdown table."""

from __future__ import annotations

from kitbench.paths import TARGET_KITS_PER_S, TARGET_NOOP_S, TARGET_PROCESS_MIB, TARGET_WATCH_RATIO


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
                 f"| {_s(kk['median'])} | {_s(kk['min'])} | ≤ pandoc (5b) | see 5b |")
    cold = r.get("kk_cli_cold")
    if cold:
        lines.append(f"| 1a′ | the same with an empty kitgen cache every run (`$XDG_CACHE_HOME/kitgen`: diagram pictures and "
                     f"fontconfig answers made anew; a user's first build) | {_s(cold['median'])} | {_s(cold['min'])} | – | info |")
    lines.append(f"| 1b | KK kit in-process: `Project.load` + `build_org(force=True)` (its per-org digest included), first call in a fresh "
                 f"process, 1 core (load {first['load']:.3f} + digest {first['digest']:.3f} + build_org {first['build_org']:.3f}) "
                 f"| {_s(first['median'])} | {_s(first['min'])} | – | info |")
    lines.append(f"| 1b′ | same, repeat call in the same process (caches warm; load {warm['load']:.3f} + digest {warm['digest']:.3f} "
                 f"+ build_org {warm['build_org']:.3f}) | {_s(warm['median'])} | {_s(warm['min'])} | – | info |")
    imp = r["kk_inproc_imports"]
    lines.append(f"| 1c | importing kitgen.build.pipeline + kitgen.render.* in a fresh process (not in 1b, part of 1a) "
                 f"| {_s(imp['median'])} | {_s(imp['min'])} | – | info |")
    many = r["many"]
    lines.append(f"| 2 | {many['kits']} organisations, `build --all --force --jobs {s['jobs']}`, whole CLI process on "
                 f"{len(s['jobs_cores'])} core(s): {many['kits_per_s']:.1f} kits/s, {many['s_per_kit']:.3f} s per kit "
                 f"(runs: {', '.join(f'{v:.2f}' for v in many['runs'])} s; each kit's build_org in its worker: median "
                 f"{_opt(many['per_kit_build_org_s_median'])} s; CPU time {many['cpu_s_per_kit']:.3f} s per kit"
                 + (f"; the warm-up run with an empty kitgen cache: {many['cold_run']['kits_per_s']:.1f} kits/s, "
                    f"{many['cold_run']['cpu_s_per_kit']:.3f} s CPU per kit, largest process {_mib(many['cold_run']['maxrss_kib'])}"
                    if many.get("cold_run") else "")
                 + f") | {_s(many['median'])} | {_s(many['min'])} "
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
    large = r.get("large")
    if large:
        flat = large["maxrss_kib"] <= many["maxrss_kib"] * 1.15
        ok = flat and max(large["maxrss_kib"], many["maxrss_kib"]) <= TARGET_PROCESS_MIB * 1024
        lines.append(f"| 4c | memory flat: largest single process, {many['kits']} → {large['kits']} organisations "
                     f"({large['kits_per_s']:.1f} kits/s; tree {_mib(large['tree_peak_kib'])}) "
                     f"| {_mib(many['maxrss_kib'])} → {_mib(large['maxrss_kib'])} | – | ≤ {TARGET_PROCESS_MIB} MiB, flat "
                     f"| {_verdict(ok)} |")
    pd = r["pandoc"]
    if "skipped" in pd:
        lines.append(f"| 5 | pandoc side-by-side | – | – | – | SKIPPED: {pd['skipped']} |")
    else:
        per = pd["per_file_median"]
        lines.append(f"| 5a | pandoc, same KK material, 3 processes (deck.pptx {per['deck.pptx']:.3f} + worksheets.docx "
                     f"{per['worksheets.docx']:.3f} + facilitator-notes.docx {per['facilitator-notes.docx']:.3f}), 1 core "
                     f"| {_s(pd['median'])} | {_s(pd['min'])} | – | info |")
        ratio = pd["ratio_kitgen_cli_over_pandoc"]
        cold_ratio = pd.get("ratio_cold_over_pandoc")
        lines.append(f"| 5b | ratio kitgen / pandoc, both whole-process times (1a median / 5a median"
                     + (f"; with an empty cache, 1a′: {cold_ratio:.2f}×" if cold_ratio else "") + ") "
                     f"| {ratio:.2f}× | – | ≤ 1.00× | {_verdict(ratio <= 1.0)} |")
    watch = r.get("watch", {})
    if "skipped" in watch:
        lines.append(f"| 6 | `kitgen watch`: save → new kit in place | – | – | – | SKIPPED: {watch['skipped']} |")
    elif watch:
        ratio = watch.get("ratio_over_pandoc")
        lines.append("| 6 | `kitgen watch --org KK`: from a save to the new kit in place"
                     + (f" ({ratio:.2f}× pandoc's one-kit time)" if ratio is not None else "")
                     + f" | {_s(watch['median'])} | {_s(watch['min'])} | ≤ 0.75× pandoc "
                     + f"| {_verdict(ratio is not None and ratio <= TARGET_WATCH_RATIO)} |")
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
