"""`rust-triage test-rules [DIR]`: run every TOML rule's embedded valid/invalid samples."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("test-rules", help="check the embedded samples of TOML rules")
    p.add_argument("dirs", nargs="*", type=Path, help="rule directories (default: the built-in rules)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rust_triage.engine.registry import builtin_toml_files
    from rust_triage.engine.toml_rules import load_rule_dir, load_rule_file, run_samples

    rules = []
    if args.dirs:
        for d in args.dirs:
            rules.extend(load_rule_dir(d))
    else:
        for path in builtin_toml_files():
            rules.extend(load_rule_file(path, builtin=True))
    checked, failures = run_samples(rules)
    for f in failures:
        expectation = "should match but did not" if f.kind == "invalid" else f"should not match but matched {f.found}x"
        print(f"FAIL {f.rule} ({f.path.name}) {f.kind} sample {expectation}:\n    {f.sample}")
    print(f"{len(rules)} rules, {checked} samples: {checked - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0
