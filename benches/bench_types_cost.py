"""What the type checks add to a full run: extractors (`types`, `moves`, `typetext`) and rules (RT3xx).

    python benches/bench_types_cost.py DIR [--repeat 3] [--jobs 1]

Times `rust-triage check DIR --no-cache --jobs N` (default 1) in a fresh process three ways: everything; without
the RT3xx rules (`--ignore RT3`); and without the rules and the three extractors. The three runs of a
round follow each other (a load change on a shared machine hits them alike). Prints the best CPU time
(user + system, steadier on a shared machine) and wall-clock time of each, the share the type checks
add (target: at most 25% over the run without them), and the median of that share over the rounds.

    python benches/bench_types_cost.py DIR --instructions

Counts the instructions of one run per mode under valgrind's callgrind instead (about 60x slower, but
the same count on a loaded machine, where CPU times of the same run vary by up to 2x). Instructions
leave out what memory traffic costs, so the share in CPU time is the higher one.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_RUN = """
import sys
from pathlib import Path
from rust_triage.parse import registry
if sys.argv[2] == "bare":
    original = registry.all_extractors
    registry.all_extractors = lambda: [e for e in original() if e.name not in ("types", "moves", "typetext")]
from rust_triage.pipeline import Options, analyse
ignore = [] if sys.argv[2] == "full" else ["RT3"]
analyse(Options(paths=[Path(sys.argv[1])], no_cache=True, jobs=int(sys.argv[3]), ignore=ignore))
"""
MODES = ("full", "no-rules", "bare")


def one_run(directory: Path, mode: str, jobs: int) -> tuple[float, float]:
    """(CPU, wall-clock) seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", _RUN, str(directory), mode, str(jobs)], check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def instructions(directory: Path, mode: str, jobs: int) -> int:
    """Instructions (callgrind's `I refs`) of one run; modules are compiled first so that both modes run
    from bytecode files."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
        subprocess.run([sys.executable, "-c", _RUN, str(directory), mode, str(jobs)], check=True, env=env)
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={scratch}/out",
             sys.executable, "-c", _RUN, str(directory), mode, str(jobs)],
            check=True, env=env, capture_output=True, text=True,
        )
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{out.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main_instructions(directory: Path, jobs: int) -> int:
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind")
    counts = {mode: instructions(directory, mode, jobs) for mode in MODES}
    for mode in MODES:
        print(f"{mode:<9} {counts[mode] / 1e9:7.2f} G instructions")
    extra = counts["full"] / counts["bare"] - 1
    print(f"instructions: type checks add {extra:.0%} (rules alone {counts['full'] / counts['no-rules'] - 1:.0%}); "
          f"target <= 25%: {'PASS' if extra <= 0.25 else 'MISS'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=1, help="--jobs of the runs (0: one worker per CPU)")
    ap.add_argument("--instructions", action="store_true", help="count instructions under valgrind instead")
    args = ap.parse_args(argv)
    if args.instructions:
        return main_instructions(args.dir, args.jobs)
    rounds = []
    for i in range(args.repeat):  # alternate the order: neither mode always runs first
        order = MODES if i % 2 == 0 else MODES[::-1]
        rounds.append({mode: one_run(args.dir, mode, args.jobs) for mode in order})
    times = {mode: (min(r[mode][0] for r in rounds), min(r[mode][1] for r in rounds)) for mode in MODES}
    for mode in MODES:
        print(f"{mode:<9} {times[mode][0]:6.2f} s cpu {times[mode][1]:6.2f} s wall")
    for i, what in enumerate(("cpu", "wall")):
        extra = times["full"][i] / times["bare"][i] - 1
        print(f"{what}: type checks add {extra:.0%} (rules alone {times['full'][i] / times['no-rules'][i] - 1:.0%}); "
              f"target <= 25%: {'PASS' if extra <= 0.25 else 'MISS'}")
    shares = sorted(r["full"][0] / r["bare"][0] - 1 for r in rounds)
    print(f"cpu, per round: median {statistics.median(shares):.0%} ({' '.join(f'{x:.0%}' for x in shares)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
