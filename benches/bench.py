"""Measure rust-triage's speed on a directory against the tree-sitter parse floor.

    python benches/bench.py /tmp/corpus [--jobs N] [--repeat R] [--only floor,cold,warm,jobs1,onefile]
    python benches/bench.py /tmp/corpus --compare-select RT0,RT1 [--rule-families]

A benchmark, not a test: the exit status is 0 unless a run of the CLI crashed (an exit status other than
0 or 1, or no JSON report written). Exit status 1 of the CLI means "findings" and is normal.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MEASURES = ("floor", "cold", "warm", "nocache", "jobs1", "onefile")
TARGET_COLD_OVER_FLOOR = 2.0
TARGET_WARM_OVER_COLD = 0.10
TARGET_ONE_FILE_SECONDS = 0.3

# Runs a command as its only child, then reports the child's wall time, CPU time and peak RSS.
# A fresh process per command, because ru_maxrss of RUSAGE_CHILDREN is a maximum that never resets.
WRAPPER = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
rss_kib = ru.ru_maxrss // 1024 if sys.platform == "darwin" else ru.ru_maxrss
print(json.dumps({"rc": proc.returncode, "wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_kib": rss_kib,
                  "stderr": proc.stderr.decode("utf-8", "replace")[-4000:]}))
"""


@dataclass
class Result:
    label: str
    seconds: float
    cpu: float | None = None
    rss_kib: int | None = None
    rc: int | None = None
    note: str = ""
    failed: bool = False


def rust_files(root: Path) -> list[Path]:
    """Every .rs file under root, skipping hidden directories and `target/`."""
    if root.is_file():
        return [root] if root.suffix == ".rs" else []
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "target")
        found += [Path(dirpath) / f for f in sorted(filenames) if f.endswith(".rs")]
    return found


def measure_floor(files: list[Path], repeat: int) -> Result:
    """Read and parse every file with tree-sitter in this process; nothing else (best of `repeat`)."""
    import tree_sitter
    import tree_sitter_rust

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_rust.language()))
    best, lines = float("inf"), 0
    for _ in range(repeat):
        lines = 0
        t0 = time.perf_counter()
        for path in files:
            source = path.read_bytes()
            parser.parse(source)
            lines += source.count(b"\n")
        best = min(best, time.perf_counter() - t0)
    rate = f", {lines / best / 1000:.0f}k lines/s" if best > 0 else ""
    return Result("floor", best, note=f"{len(files)} files, {lines} lines{rate}")


def measure_query_floor(files: list[Path], repeat: int) -> Result:
    """Parse every file and run the combined query of every rule and extractor over it, in this process:
    what any run of all rules must do before one line of Python looks at a match (best of `repeat`)."""
    import tree_sitter

    from rust_triage.engine.registry import load_registry
    from rust_triage.parse.language import rust_language
    from rust_triage.parse.queries import compile_queries

    registry = load_registry([])
    query = compile_queries(registry.query_specs({r.meta.id for r in registry.rules})).query
    parser = tree_sitter.Parser(rust_language())
    best, matches = float("inf"), 0
    for _ in range(repeat):
        matches = 0
        t0 = time.perf_counter()
        for path in files:
            tree = parser.parse(path.read_bytes())
            matches += len(tree_sitter.QueryCursor(query).matches(tree.root_node))
        best = min(best, time.perf_counter() - t0)
    return Result("query floor", best, note=f"{matches} matches of {query.pattern_count} patterns")


def count_findings(report: Path) -> tuple[int | None, list[str]]:
    """Number of findings and their rule ids in a JSON report, or (None, []) if it is not valid JSON."""
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, []
    items = data.get("findings", data.get("results", [])) if isinstance(data, dict) else data
    if not isinstance(items, list):
        return 0, []
    ids = []
    for item in items:
        if isinstance(item, dict):
            rule = next((item[k] for k in ("rule", "rule_id", "ruleId", "id", "code") if k in item), None)
            if isinstance(rule, dict):
                rule = rule.get("id")
            if isinstance(rule, str):
                ids.append(rule)
    return len(items), ids


class Runner:
    """Runs `python -m rust_triage check ...` through WRAPPER, in a scratch directory."""

    def __init__(self, target: Path, scratch: Path, jobs: int | None, repeat: int) -> None:
        self.target, self.scratch, self.jobs, self.repeat = target, scratch, jobs, repeat
        self.counter = 0
        self.crashed = False
        self.rule_ids: list[str] = []
        self.last_cache: Path | None = None

    def fresh_dir(self, stem: str) -> Path:
        self.counter += 1
        path = self.scratch / f"{stem}-{self.counter}"
        path.mkdir()
        return path

    def run_once(self, label: str, paths: list[Path], cache: Path | None, extra: list[str]) -> Result:
        report = self.fresh_dir("out") / "report.json"
        cmd = [sys.executable, "-m", "rust_triage", "check", *map(str, paths), "--format", "json",
               "--output", str(report), *(["--cache-dir", str(cache)] if cache else ["--no-cache"]), *extra]
        proc = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True)
        try:
            data = json.loads(proc.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            return self.fail(label, f"wrapper failed: {proc.stderr.strip()[-2000:]}")
        findings, ids = count_findings(report)
        if data["rc"] not in (0, 1) or findings is None:
            why = f"exit status {data['rc']}" + ("" if findings is not None else ", no JSON report written")
            return self.fail(label, f"{why}\n{data['stderr'].strip()}", data["rc"])
        self.rule_ids = ids or self.rule_ids
        return Result(label, data["wall"], data["cpu"], data["rss_kib"], data["rc"], f"{findings} findings")

    def fail(self, label: str, message: str, rc: int | None = None) -> Result:
        self.crashed = True
        sys.stdout.flush()
        print(f"[{label}] rust-triage failed: {message}", file=sys.stderr)
        return Result(label, float("nan"), rc=rc, note="FAILED", failed=True)

    def best(self, label: str, fresh_cache: bool, extra: list[str], paths: list[Path] | None = None,
             cache: Path | None = None, no_cache: bool = False) -> Result:
        """Best wall time of `repeat` runs (peak RSS is the largest seen); a failed run stops the series."""
        runs: list[Result] = []
        for _ in range(self.repeat):
            self.last_cache = None if no_cache else (self.fresh_dir("cache") if fresh_cache else cache)
            runs.append(self.run_once(label, paths or [self.target], self.last_cache, extra))
            if runs[-1].failed:
                return runs[-1]
        top = min(runs, key=lambda r: r.seconds)
        top.rss_kib = max((r.rss_kib or 0) for r in runs)
        return top

    def jobs_args(self) -> list[str]:
        return ["--jobs", str(self.jobs)] if self.jobs else []


def smallest_file(files: list[Path]) -> Path | None:
    sized = [(len(p.read_bytes().splitlines()), str(p), p) for p in files]
    sized = [s for s in sized if s[0] >= 20] or sized
    return min(sized)[2] if sized else None


def listed_rules() -> list[tuple[str, str]]:
    """(id, category) from `rust-triage rules --format json`, or [] if that does not work."""
    proc = subprocess.run([sys.executable, "-m", "rust_triage", "rules", "--format", "json"],
                          capture_output=True, text=True)
    try:
        return [(r["id"], str(r.get("category") or "")) for r in json.loads(proc.stdout)]
    except (ValueError, TypeError, AttributeError, KeyError):
        return []


def families(rules: list[tuple[str, str]]) -> dict[str, str]:
    """Family name -> --select value: rules grouped by category, else by id prefix (RT012 -> RT0)."""
    groups: dict[str, list[str]] = {}
    for rule_id, category in rules:
        prefix = m.group(1) if (m := re.match(r"([A-Za-z]+\d)", rule_id)) else rule_id
        groups.setdefault(category or prefix, []).append(prefix if not category else rule_id)
    return {name: ",".join(sorted(set(ids))) for name, ids in sorted(groups.items())}


def fmt_row(r: Result) -> str:
    secs = "failed" if r.failed else f"{r.seconds:.3f}"
    cpu = f"{r.cpu:.2f}" if r.cpu is not None else "-"
    rss = f"{r.rss_kib / 1024:.0f}" if r.rss_kib else "-"
    rc = str(r.rc) if r.rc is not None else "-"
    return f"{r.label:<22} {secs:>9} {cpu:>8} {rss:>9} {rc:>5}  {r.note}"


def verdict(value: float, limit: float) -> str:
    return "PASS" if value <= limit else "MISS"


def ratio(a: Result | None, b: Result | None) -> float | None:
    if a is None or b is None or a.failed or b.failed or b.seconds <= 0:
        return None
    return a.seconds / b.seconds


def print_summary(results: dict[str, Result]) -> None:
    floor, cold, warm = results.get("floor"), results.get("cold"), results.get("warm")
    cold_floor, warm_cold = ratio(cold, floor), ratio(warm, cold)
    jobs1_default, nocache_cold = ratio(results.get("jobs1"), cold), ratio(results.get("nocache"), cold)
    one = results.get("onefile")
    one_s = None if one is None or one.failed else one.seconds

    rows = [("cold / floor", cold_floor, f"target <= {TARGET_COLD_OVER_FLOOR:g}x", TARGET_COLD_OVER_FLOOR),
            ("warm / cold", warm_cold, f"target <= {TARGET_WARM_OVER_COLD:g}x", TARGET_WARM_OVER_COLD),
            ("one file (s)", one_s, f"target <= {TARGET_ONE_FILE_SECONDS:g} s", TARGET_ONE_FILE_SECONDS),
            ("jobs1 / default", jobs1_default, "", None), ("nocache / cold", nocache_cold, "", None)]
    rows = [row for row in rows if row[1] is not None]
    if rows:
        print()
    for name, value, target, limit in rows:
        label = verdict(value, limit) if limit is not None else ""
        print(f"{name:<16} {value:>7.3f}   {target:<18} {label}".rstrip())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", type=Path, help="directory (a Cargo workspace or any tree of .rs files)")
    ap.add_argument("--jobs", type=int, help="--jobs for the default runs (default: the CLI's own default)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per measure; the best time is shown")
    ap.add_argument("--only", default=",".join(MEASURES), help=f"comma-separated subset of {','.join(MEASURES)}")
    ap.add_argument("--compare-select", action="append", default=[], metavar="IDS",
                    help="also time a cold run with --select IDS (comma-separated ids/prefixes); repeatable")
    ap.add_argument("--rule-families", action="store_true",
                    help="also time a cold run per rule family (RT0, RT1, ...) seen in the findings")
    args = ap.parse_args(argv)
    args.only = [m.strip() for m in args.only.split(",") if m.strip()]
    unknown = [m for m in args.only if m not in MEASURES]
    if unknown:
        ap.error(f"unknown measure(s) in --only: {', '.join(unknown)} (choose from {', '.join(MEASURES)})")
    if not args.dir.exists():
        ap.error(f"{args.dir} does not exist")
    if args.repeat < 1 or (args.jobs is not None and args.jobs < 1):
        ap.error("--repeat and --jobs must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    target = args.dir.resolve()
    files = rust_files(target)
    print(f"{target}: {len(files)} .rs files; python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"repeat {args.repeat}")
    print(f"{'measure':<22} {'time(s)':>9} {'cpu(s)':>8} {'RSS(MiB)':>9} {'exit':>5}  note")
    results: dict[str, Result] = {}

    def record(r: Result) -> Result:
        results[r.label] = r
        print(fmt_row(r), flush=True)
        return r

    if "floor" in args.only:
        record(measure_floor(files, args.repeat))
    with tempfile.TemporaryDirectory(prefix="rust-triage-bench-") as tmp:
        runner = Runner(target, Path(tmp), args.jobs, args.repeat)
        jobs = runner.jobs_args()
        needs_cold = {"cold", "warm"} & set(args.only) or args.compare_select or args.rule_families
        if needs_cold:
            cold = record(runner.best("cold", True, jobs))
            if "warm" in args.only:
                if cold.failed:
                    print("warm: skipped, the cold run failed", file=sys.stderr)
                else:
                    record(runner.best("warm", False, jobs, cache=runner.last_cache))
        if "nocache" in args.only:
            record(runner.best("nocache", False, jobs, no_cache=True))
        if "jobs1" in args.only:
            record(runner.best("jobs1", True, ["--jobs", "1"]))
        if "onefile" in args.only:
            small = smallest_file(files)
            if small is None:
                print("onefile: no .rs file found", file=sys.stderr)
            else:
                r = runner.best("onefile", True, jobs, paths=[small])
                r.note += f" ({small.relative_to(target) if small != target else small.name})"
                record(r)
        selections = {f"select {sel}": sel for sel in args.compare_select}
        if args.rule_families:
            known = listed_rules() or [(rid, "") for rid in runner.rule_ids]
            selections.update({f"family {name}": sel for name, sel in families(known).items()})
            if not known:
                print("rule families: no rule ids from `rules --format json` or the cold run", file=sys.stderr)
        for label, sel in selections.items():
            r = runner.best(label, True, [*jobs, "--select", sel])
            r.note += f" (--select {sel})" if label.startswith("family") else ""
            record(r)
            share = ratio(r, results.get("cold"))
            if share is not None:
                print(f"{'':<22} {share:>9.0%} of the all-rules cold run")
        print_summary(results)
        return 1 if runner.crashed else 0


if __name__ == "__main__":
    sys.exit(main())
