"""Hidden child mode: import kitgen, then time the pipeline inside one fresh process."""

from __future__ import annotations

import json
import time
from pathlib import Path


def inproc_main(args_json: str) -> None:
    """Hidden mode (``--_inproc``): run inside a child pinned to one core; print JSON."""
    args = json.loads(args_json)
    content, layouts, out = Path(args["content"]), Path(args["layouts"]), Path(args["out"])
    started = time.perf_counter()
    import kitgen.build.pipeline  # noqa: F401
    import kitgen.render.deck  # noqa: F401  (build_org imports these lazily; import them up front)
    import kitgen.render.notes  # noqa: F401
    import kitgen.render.worksheets  # noqa: F401
    from kitgen.build.pipeline import Project, build_org
    from kitgen.validate.timing import TimingSettings

    imports = time.perf_counter() - started

    def full(force: bool) -> dict:
        t0 = time.perf_counter()
        project = Project.load(content, layouts, TimingSettings())
        t1 = time.perf_counter()
        t2 = time.perf_counter()  # the per-org digest is computed inside build_org (kitgen/build/inputs.py)
        result = build_org(project, "KK", out, force=force)
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
