"""`rust-triage docs`: regenerate docs/rules/ from rule metadata."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="write one Markdown page per rule")
    p.add_argument("--out", type=Path, default=Path("docs/rules"), help="output directory (default docs/rules)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rust_triage.docs_gen import write_rule_docs
    from rust_triage.engine.registry import load_registry

    registry = load_registry(plugins=False)
    written = write_rule_docs([r.meta for r in registry.rules], args.out)
    print(f"wrote {len(written)} rule pages to {args.out}")
    return 0
