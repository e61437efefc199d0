"""What the type checks add to a full run: extractors (`types`, `moves`) and rules (RT3xx).

    python benches/bench_types_cost.py DIR [--repeat 3]

Times `rust-triage check DIR --no-cache --jobs 1` in a fresh process three ways: everything; without
the RT3xx rules (`--ignore RT3`); and without the rules and the two extractors. Prints the best time
of each and the share the type checks add (target: at most 25% over the run without them).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

_RUN = """
import sys
from pathlib import Path
from rust_triage.parse import registry
if sys.argv[2] == "bare":
    original = registry.all_extractors
    registry.all_extractors = lambda: [e for e in original() if e.name not in ("types", "moves")]
from rust_triage.pipeline import Options, analyse
ignore = [] if sys.argv[2] == "full" else ["RT3"]
analyse(Options(paths=[Path(sys.argv[1])], no_cache=True, jobs=1, ignore=ignore))
"""
MODES = ("full", "no-rules", "bare")


def best_time(directory: Path, mode: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", _RUN, str(directory), mode], check=True)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    times = {mode: best_time(args.dir, mode, args.repeat) for mode in MODES}
    for mode in MODES:
        print(f"{mode:<9} {times[mode]:6.2f} s")
    extra = times["full"] / times["bare"] - 1
    print(f"type checks add {extra:.0%} (rules alone {times['full'] / times['no-rules'] - 1:.0%}); "
          f"target <= 25%: {'PASS' if extra <= 0.25 else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
