"""`rust-triage explain RT001`: print a rule's documentation."""

from __future__ import annotations

import argparse
import sys

from rust_triage.errors import UsageError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("explain", help="print a rule's documentation")
    p.add_argument("rule", help="rule id or name, e.g. RT001 or unwrap-used")
    p.add_argument("--plain", action="store_true", help="plain Markdown instead of rich rendering")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rust_triage.docs_gen import rule_markdown
    from rust_triage.engine.registry import load_registry

    registry = load_registry()
    wanted = args.rule.upper() if args.rule.upper().startswith("RT") else args.rule
    for rule in registry.rules:
        if rule.meta.id == wanted or rule.meta.name == args.rule:
            text = rule_markdown(rule.meta)
            if args.plain or not sys.stdout.isatty():
                sys.stdout.write(text)
            else:
                from rich.console import Console
                from rich.markdown import Markdown

                Console().print(Markdown(text))
            return 0
    raise UsageError(f"unknown rule: {args.rule} (see `rust-triage rules`)")
