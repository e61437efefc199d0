"""`rust-triage plan`: a prioritized fix plan (phases, tasks, quality gates) as Markdown or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rust_triage.commands.common import add_analysis_args, options_from_args
from rust_triage.errors import UsageError
from rust_triage.output import write_output


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "plan",
        help="write a prioritized fix plan (Markdown or JSON)",
        description="Group findings (and compiler errors from --cargo-json) into phases of tasks of at most "
                    "~90 minutes, ordered by severity × blast radius × occurrences, under a quality-gate table.",
    )
    add_analysis_args(p)
    p.add_argument("--cargo-json", type=Path, metavar="FILE",
                   help="output of `cargo check --message-format=json` ('-' for stdin): compiler errors "
                        "become P0 tasks, one per root-cause pattern")
    p.add_argument("--format", "-f", choices=("markdown", "json"), default="markdown")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rust_triage.pipeline import analyse
    from rust_triage.plan import build_plan, render_json, render_markdown

    cargo_json: Path | None = args.cargo_json
    if cargo_json is not None and str(cargo_json) != "-" and not cargo_json.is_file():
        raise UsageError(f"--cargo-json: file not found: {cargo_json}")
    analysis = analyse(options_from_args(args))
    result = patterns = None
    if cargo_json is not None:
        result, patterns = _read_compiler(cargo_json, analysis)
    plan = build_plan(analysis, compiler_result=result, patterns=patterns)
    text = render_json(plan) if args.format == "json" else render_markdown(plan)
    write_output(text, args.output)
    return 0


def _read_compiler(path: Path, analysis):  # type: ignore[no-untyped-def]
    from rust_triage.families.compiler.workspace_ingest import load_compiler_patterns

    source = sys.stdin.buffer if str(path) == "-" else path
    return load_compiler_patterns(source, analysis.context)
