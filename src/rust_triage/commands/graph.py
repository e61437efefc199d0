"""`rust-triage graph PATH --format json|graphml|dot`: export the symbol graph."""

from __future__ import annotations

import argparse
from pathlib import Path

from rust_triage.commands.common import options_from_args
from rust_triage.output import write_output


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("graph", help="export the workspace symbol graph")
    p.add_argument("paths", nargs="*", type=Path, default=[])
    p.add_argument("--format", "-f", choices=("json", "graphml", "dot"), default="json")
    p.add_argument("--output", "-o", type=Path)
    p.add_argument("--jobs", "-j", type=int, default=0)
    p.add_argument("--no-cache", action="store_true")
    p.add_argument("--cache-dir", type=Path)
    p.set_defaults(run=run, select=[], ignore=[], config=None, include_tests=None, quiet=True)


def run(args: argparse.Namespace) -> int:
    from rust_triage.graph import export
    from rust_triage.pipeline import analyse

    options = options_from_args(args, progress=False)
    options.ignore = ["ALL"]  # the graph needs no rule findings
    analysis = analyse(options)
    graph = analysis.context.graph
    text = {"json": export.to_json, "graphml": export.to_graphml, "dot": export.to_dot}[args.format](graph)
    write_output(text, args.output)
    return 0
