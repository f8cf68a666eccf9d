"""Facts about the machine, and the snapshot of kitgen/content/layouts a run measures."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

from kitbench import paths
from kitbench.proc import CHILD_ENV


def take_snapshot(target: Path) -> None:
    """Copy kitgen/, content/ and layouts/ to ``target``; children import kitgen from there."""
    import kitgen

    package = Path(kitgen.__file__).resolve().parent
    shutil.copytree(package, target / "src" / "kitgen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(paths.CONTENT, target / "content")
    shutil.copytree(paths.LAYOUTS, target / "layouts")
    paths.CONTENT, paths.LAYOUTS = target / "content", target / "layouts"
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
