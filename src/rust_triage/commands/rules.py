"""`rust-triage rules`: list every rule with its source."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rust_triage.output import write_output


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rules", help="list all rules (id, name, severity, category, source)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--rule-dir", action="append", type=Path, default=[], help="also load TOML rules from DIR")
    p.add_argument("--output", "-o", type=Path)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rust_triage.engine.registry import load_registry

    registry = load_registry(args.rule_dir)
    rows = [
        {"id": r.meta.id, "name": r.meta.name, "severity": r.meta.severity, "category": r.meta.category,
         "source": r.meta.source, "language": r.meta.language, "summary": r.meta.summary}
        for r in registry.rules
    ]
    if args.format == "json":
        write_output(json.dumps(rows, indent=2) + "\n", args.output)
        return 0
    width = max((len(r["name"]) for r in rows), default=10)
    lines = [f"{'ID':<7} {'NAME':<{width}} {'SEVERITY':<8} {'CATEGORY':<11} {'SOURCE':<7} SUMMARY"]
    for r in rows:
        lines.append(f"{r['id']:<7} {r['name']:<{width}} {r['severity']:<8} {r['category']:<11} {r['source']:<7} {r['summary']}")
    lines.append(f"{len(rows)} rules")
    write_output("\n".join(lines) + "\n", args.output)
    return 0
