"""Fleet triage wall time: the local process pool against a Dask LocalCluster, on synthetic repositories.

    python benches/bench_fleet.py [--repos 50] [--files 20] [--jobs N] [--out DIR] [--keep]

Writes `--repos` workspaces with benches/make_corpus.py (each `--files` .rs files, a different seed each),
then runs `rust-triage fleet DIR --no-cache --format json` once per engine (cold: no parse cache) and
prints the wall times and whether both engines reported the same results (timings removed).

A benchmark, not a test: the exit status is 0 unless a run of the CLI crashed (an exit status other
than 0 or 1, or no JSON report) or the engines disagree.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCHES = Path(__file__).resolve().parent
ENGINES = ("local", "dask")


def _make_corpus():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_corpus", BENCHES / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def write_fleet(out: Path, repos: int, files: int) -> tuple[int, int]:
    corpus = _make_corpus()
    total_files = total_lines = 0
    for i in range(repos):
        repo = out / f"repo{i:03d}"
        repo.mkdir(parents=True)
        n_files, n_lines = corpus.generate(repo, files, None, i, max(1, files // 2))
        total_files += n_files
        total_lines += n_lines
    return total_files, total_lines


def without_timing(report: dict) -> dict:
    report.pop("timing", None)
    for entry in report["repositories"]:
        entry.pop("timing", None)
    return report


def run_engine(engine: str, fleet: Path, jobs: int, report: Path) -> tuple[float, dict | None, str]:
    cmd = [sys.executable, "-m", "rust_triage", "fleet", str(fleet), "--engine", engine, "--no-cache",
           "--format", "json", "-o", str(report), "--quiet"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1) or not report.is_file():
        return wall, None, proc.stderr[-2000:]
    return wall, json.loads(report.read_text()), ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repos", type=int, default=50, help="synthetic repositories (default: 50)")
    ap.add_argument("--files", type=int, default=20, help=".rs files per repository (default: 20)")
    ap.add_argument("--jobs", type=int, default=0, help="workers for both engines (default: one per CPU)")
    ap.add_argument("--out", type=Path, help="where to write the repositories (default: a temporary directory)")
    ap.add_argument("--keep", action="store_true", help="keep the repositories and reports")
    args = ap.parse_args(argv)
    if args.repos < 1 or args.files < 1 or args.jobs < 0:
        ap.error("--repos and --files must be positive, --jobs 0 or more")
    if args.out is not None and args.out.exists() and any(args.out.iterdir()):
        ap.error(f"--out {args.out} exists and is not empty")
    base = args.out or Path(tempfile.mkdtemp(prefix="rust-triage-bench-fleet-"))
    fleet = base / "fleet"
    try:
        started = time.perf_counter()
        n_files, n_lines = write_fleet(fleet, args.repos, args.files)
        print(f"wrote {args.repos} repositories, {n_files} files, {n_lines} lines in "
              f"{time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs")
        results: dict[str, dict] = {}
        print(f"{'engine':<8} {'wall s':>8} {'repos ok':>9} {'findings':>9}")
        for engine in ENGINES:
            wall, report, error = run_engine(engine, fleet, args.jobs, base / f"{engine}.json")
            if report is None:
                print(f"{engine:<8} {wall:8.2f}  CRASHED\n{error}")
                return 1
            totals = report["totals"]
            print(f"{engine:<8} {wall:8.2f} {totals['ok']:>9} {totals['findings']:>9}   "
                  f"(engine: {report['timing']['seconds']:.2f} s on {report['timing']['workers']} workers)")
            results[engine] = without_timing(report)
        same = results["local"] == results["dask"]
        print(f"same results: {'yes' if same else 'NO'}")
        return 0 if same else 1
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"kept in {base}")


if __name__ == "__main__":
    sys.exit(main())
