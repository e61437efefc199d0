"""Benchmark: read and group N synthetic cargo diagnostics (target: 100k in <= 2 s).

Usage: python benches/bench_cargo_ingest.py [--count 100000] [--duplicates 0.0] [--repeat 3] [--strict]
Prints the best wall time of read_diagnostics + group_patterns over the repeats; with --strict the exit
status is 1 when the time is over budget.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cargo_diagnostics_gen import generate  # noqa: E402

from rust_triage.families.compiler import group_patterns, read_diagnostics  # noqa: E402

BUDGET_SECONDS = 2.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--duplicates", type=float, default=0.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--strict", action="store_true", help="exit 1 when over budget")
    args = parser.parse_args(argv)
    lines = [line.encode("utf-8") for line in generate(args.count, args.duplicates)]
    megabytes = sum(len(line) for line in lines) / 1e6
    best = cpu = float("inf")
    read_time = group_time = 0.0
    for _ in range(max(1, args.repeat)):
        result = patterns = None  # let the previous round's objects go before timing the next
        start, cpu_start = time.perf_counter(), time.process_time()
        result = read_diagnostics(lines, Path("/tmp/bench"))
        middle = time.perf_counter()
        patterns = group_patterns(result.diagnostics)
        end, cpu_end = time.perf_counter(), time.process_time()
        cpu = min(cpu, cpu_end - cpu_start)
        if end - start < best:
            best, read_time, group_time = end - start, middle - start, end - middle
    assert result is not None and patterns is not None
    status = "OK" if best <= BUDGET_SECONDS * args.count / 100_000 else "SLOW"
    print(f"{args.count} messages ({megabytes:.0f} MB, {len(result.diagnostics)} unique, "
          f"{len(patterns)} patterns): read {read_time:.2f} s + group {group_time:.2f} s = {best:.2f} s "
          f"(cpu {cpu:.2f} s) [{status}, budget {BUDGET_SECONDS:.1f} s per 100k]")
    return 1 if args.strict and status != "OK" else 0


if __name__ == "__main__":
    raise SystemExit(main())
