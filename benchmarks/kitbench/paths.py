"""Where the measured kitgen, content and layouts are (a snapshot once a run starts), and the targets."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
RESULTS = REPO / "benchmarks" / "results"
# Replaced by machine.take_snapshot() with a copy taken when the run starts, so that edits made to
# the work tree during a run neither mix two versions nor turn a no-op into a rebuild.
CONTENT = REPO / "content"
LAYOUTS = REPO / "layouts"

TARGET_RATIO = 1.0  # full KK kit, one core, whole process ÷ pandoc on the same material
TARGET_WATCH_RATIO = 0.75  # watch: save → new kit in place, ÷ pandoc's one-kit time
TARGET_PROCESS_MIB = 150  # no process above this, flat from 100 to 500 organisations
TARGET_KITS_PER_S = 20.0  # --all on 2 cores
TARGET_NOOP_S = 0.1  # no-op rebuild
