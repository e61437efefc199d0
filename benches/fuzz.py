"""Mutation fuzzer for the rust-triage CLI over real Rust crates (see benches/README.md).

    python benches/fuzz.py --seed 1 --count 10000 --jobs 2 --failures /tmp/fuzz-failures

Counts inputs, not CLI runs: a `files` case is one workspace holding up to --batch-size mutated Rust
files (each file is one input) on which seven CLI runs are made; special-file, manifest, config and
cargo-JSON cases are one input each, in a workspace of their own. Exit status: 0 no problem found,
1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_cases import KINDS, Case, Plan, fill_placeholders, plan_cases, plan_files, write_plan  # noqa: E402
from fuzz_oracle import (  # noqa: E402
    CATEGORIES,
    Run,
    RunResult,
    canary_outside,
    execute,
    make_sandbox_dirs,
    restore_permissions,
)
from fuzz_repro import save_failure  # noqa: E402
from fuzz_special import PLANNERS  # noqa: E402


def make_plan(case: Case) -> Plan:
    return plan_files(case) if case.kind == "files" else PLANNERS[case.kind](case)


def token_for(case: Case) -> str:
    return "zzcanary" + hashlib.sha256(case.name.encode()).hexdigest()[:12]


def build(plan: Plan, sandbox: Path, token: str, targets: set[str], keep: set[int] | None = None) -> None:
    make_sandbox_dirs(sandbox)
    canary_outside(sandbox, token)
    for target in sorted(targets):
        write_plan(plan, sandbox, target, keep)


def findings_by_file(report: Path) -> dict[str, set[int]] | None:
    try:
        data = json.loads(report.read_text(encoding="utf-8", errors="surrogateescape"))
        by_file: dict[str, set[int]] = defaultdict(set)
        for finding in data["findings"]:
            by_file[finding["file"]].add(int(finding["line"]))
        return dict(by_file)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def run_plan(plan: Plan, runs: list[Run], sandbox: Path, token: str, timeout: float) -> list[RunResult]:
    """Run each CLI command; after a hang the case's other runs are skipped (they analyse the same
    workspace and would each wait out the timeout)."""
    findings = None
    results: list[RunResult] = []
    for run in runs:
        if any("hang" in r.problems for r in results):
            results.append(RunResult(run.name, [], None, 0.0, skipped=True))
            continue
        if run.stdin:
            run = Run(run.name, run.argv, run.target, run.edit, fill_placeholders(run.stdin, sandbox, sandbox / "ws"))
        results.append(execute(run, sandbox, token, timeout, findings))
        if run.name == "check-json":
            findings = findings_by_file(sandbox / "out" / "report.json")
    return results


def fails(case: Case, plan: Plan, run: Run, category: str, keep: set[int], opts: argparse.Namespace) -> bool:
    """Does `run` still show `category` with only the inputs in `keep`?"""
    sandbox = Path(tempfile.mkdtemp(prefix="min-", dir=opts.work_dir))
    try:
        runs = ([r for r in plan.runs if r.name == "check-json"] if run.edit else []) + [run]
        build(plan, sandbox, token_for(case), {r.target for r in runs}, keep)
        return category in run_plan(plan, runs, sandbox, token_for(case), opts.timeout)[-1].problems
    finally:
        restore_permissions(sandbox)
        shutil.rmtree(sandbox, ignore_errors=True)


def minimize(case: Case, plan: Plan, run: Run, category: str, opts: argparse.Namespace) -> list[int] | None:
    """Bisect the inputs of a batch to one that still fails (None: it needs several together)."""
    if fails(case, plan, run, category, set(), opts):
        return []
    current = list(range(len(plan.inputs)))
    while len(current) > 1:
        half = len(current) // 2
        if fails(case, plan, run, category, set(current[:half]), opts):
            current = current[:half]
        elif fails(case, plan, run, category, set(current[half:]), opts):
            current = current[half:]
        else:
            return None
    return current


def execute_case(case: Case, opts: argparse.Namespace) -> dict:
    started = time.monotonic()
    plan = make_plan(case)
    token = token_for(case)
    sandbox = Path(tempfile.mkdtemp(prefix=case.name + "-", dir=opts.work_dir))
    try:
        build(plan, sandbox, token, {r.target for r in plan.runs})
        results = run_plan(plan, plan.runs, sandbox, token, opts.timeout)
    finally:
        restore_permissions(sandbox)
        shutil.rmtree(sandbox, ignore_errors=True)
    problems: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for result in results:
        for category, detail in result.problems.items():
            problems[category].append((result.name, detail))
    culprits: dict[str, str] = {}
    if problems and opts.minimize and len(plan.inputs) > 1:
        for category, hits in problems.items():
            run = next(r for r in plan.runs if r.name == hits[0][0])
            found = minimize(case, plan, run, category, opts)
            culprits[category] = "several inputs together" if found is None else \
                "the base workspace (no input needed)" if not found else f"input {found[0]}: {plan.inputs[found[0]]}"
            if found:
                culprits[category + ":index"] = str(found[0])
    record = {"case": case.name, "kind": case.kind, "inputs": case.size, "runs": sum(not r.skipped for r in results),
              "seconds": round(time.monotonic() - started, 2), "problems": dict(problems), "culprits": culprits,
              "results": [vars(r) for r in results]}
    if problems and opts.failures:
        save_failure(Path(opts.failures), case, plan, token, record, build)
    return record


def _run_one(args: tuple[Case, argparse.Namespace]) -> dict:
    case = args[0]
    try:
        return execute_case(*args)
    except Exception as exc:  # a fuzzer bug must not stop the campaign: report it apart from the CLI's
        return {"case": case.name, "kind": case.kind, "inputs": case.size, "runs": 0, "seconds": 0,
                "problems": {}, "culprits": {}, "results": [], "fuzzer_error": f"{type(exc).__name__}: {exc}"[:500]}


def summarize(records: list[dict], seconds: float) -> dict:
    inputs = Counter()
    cases = Counter()
    for rec in records:
        inputs[rec["kind"]] += rec["inputs"]
        cases[rec["kind"]] += 1
    table = {}
    for category in CATEGORIES:
        hit = [r for r in records if category in r["problems"]]
        table[category] = {"runs": sum(len(r["problems"][category]) for r in hit), "cases": len(hit),
                           "inputs_in_failing_cases": sum(r["inputs"] for r in hit)}
    return {"inputs": sum(inputs.values()), "inputs_by_kind": dict(inputs), "cases_by_kind": dict(cases),
            "runs": sum(r["runs"] for r in records), "seconds": round(seconds, 1), "categories": table,
            "failing_cases": sorted(r["case"] for r in records if r["problems"]),
            "fuzzer_errors": [f"{r['case']}: {r['fuzzer_error']}" for r in records if r.get("fuzzer_error")]}


def print_summary(summary: dict) -> None:
    by_kind = ", ".join(f"{k}: {n} in {summary['cases_by_kind'][k]} workspace(s)" for k, n in sorted(summary["inputs_by_kind"].items()))
    print(f"\n{summary['inputs']} inputs ({by_kind}); {summary['runs']} CLI runs; {summary['seconds']} s")
    print(f"{'category':<15}{'runs':>8}{'cases':>8}{'inputs in failing cases':>26}")
    for category, row in summary["categories"].items():
        print(f"{category:<15}{row['runs']:>8}{row['cases']:>8}{row['inputs_in_failing_cases']:>26}")
    if summary["failing_cases"]:
        print(f"failing cases: {len(summary['failing_cases'])}")
    for error in summary["fuzzer_errors"]:
        print(f"fuzzer error (not counted): {error}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Mutation fuzzer for the rust-triage CLI.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=1000, help="inputs to generate (default 1000)")
    parser.add_argument("--batch-size", type=int, default=50, help="mutated files per `files` workspace")
    parser.add_argument("--jobs", type=int, default=2, help="cases run in parallel (each CLI run uses 1-2 cores)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per CLI run before it counts as a hang")
    parser.add_argument("--failures", help="write each failing case here (inputs, result.json, repro.sh)")
    parser.add_argument("--minimize", action="store_true", help="bisect failing batches to one input")
    parser.add_argument("--kinds", help=f"only these case kinds (comma-separated: {','.join(KINDS)})")
    parser.add_argument("--summary-json", help="also write the summary as JSON here")
    parser.add_argument("--replay", metavar="CASE", help="run one case by name (as printed) and show every run")
    parser.add_argument("--work-dir", help="where sandboxes go (default: a new temporary directory)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every failing run")
    opts = parser.parse_args(argv)
    if opts.count < 1 or opts.batch_size < 1 or opts.jobs < 1 or opts.timeout <= 0:
        parser.error("--count, --batch-size, --jobs and --timeout must be positive")
    opts.kinds = tuple(opts.kinds.split(",")) if opts.kinds else KINDS
    if not set(opts.kinds) <= set(KINDS):
        parser.error(f"--kinds: choose from {','.join(KINDS)}")
    return opts


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    own_work_dir = opts.work_dir is None
    opts.work_dir = opts.work_dir or tempfile.mkdtemp(prefix="rt-fuzz-")
    started = time.monotonic()
    try:
        if opts.replay:
            cases = [Case.parse(opts.replay)]
        else:
            cases = plan_cases(opts.seed, opts.count, opts.batch_size, opts.kinds)
        records = []
        with Pool(opts.jobs) as pool:
            for number, record in enumerate(pool.imap_unordered(_run_one, [(c, opts) for c in cases]), start=1):
                records.append(record)
                if record["problems"] and (opts.verbose or opts.replay):
                    for category, hits in record["problems"].items():
                        print(f"{record['case']}: {category}: {hits[0][0]}: {hits[0][1][:300]}")
                if opts.replay:
                    for run in record["results"]:
                        print(f"  {run['name']}: exit {run['exit']} in {run['seconds']} s "
                              f"({run['cpu']} s CPU) {sorted(run['problems'])}")
                if number % 20 == 0:
                    print(f"... {number}/{len(cases)} cases", file=sys.stderr)
    finally:
        if own_work_dir:
            shutil.rmtree(opts.work_dir, ignore_errors=True)
    records.sort(key=lambda r: r["case"].split("-i")[1])
    summary = summarize(records, time.monotonic() - started)
    print_summary(summary)
    if opts.summary_json:
        Path(opts.summary_json).write_text(json.dumps({**summary, "cases": records}, indent=1, default=str))
    return 1 if summary["failing_cases"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
