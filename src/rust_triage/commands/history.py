"""`rust-triage history`: record each run's counts, and render a burn-down chart (self-contained HTML)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rust_triage.commands.common import add_analysis_args, options_from_args
from rust_triage.output import write_output
from rust_triage.plan.history import DEFAULT_HISTORY_FILE

EXIT_USAGE = 2


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("history", help="record finding counts per run and render a burn-down chart",
                       description="Keep a small JSON history of runs (counts per rule, severity, category) "
                                   "and render it as an HTML page with an inline SVG burn-down chart.")
    actions = p.add_subparsers(dest="history_command", metavar="ACTION", parser_class=type(p))
    record = actions.add_parser("record", help="analyse and append this run's counts to the history file")
    add_analysis_args(record)
    record.add_argument("--file", type=Path, default=Path(DEFAULT_HISTORY_FILE),
                        help=f"history file (default: {DEFAULT_HISTORY_FILE})")
    record.add_argument("--label", help="name of this run (default: the git commit, else the time)")
    record.set_defaults(history_run=_record)
    # --output/-o of the analysis args: also write the updated burn-down page there.
    report = actions.add_parser("report", help="render the history as HTML (burn-down chart) or JSON")
    report.add_argument("--file", type=Path, default=Path(DEFAULT_HISTORY_FILE),
                        help=f"history file (default: {DEFAULT_HISTORY_FILE})")
    report.add_argument("--output", "-o", type=Path, help="write to this file (default: stdout)")
    report.add_argument("--format", "-f", choices=("html", "json"), default="html")
    report.add_argument("--title", default="rust-triage burn-down", help="page title")
    report.set_defaults(history_run=_report)
    p.set_defaults(run=run, history_parser=p)


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "history_run", None)
    if action is None:
        args.history_parser.print_help(sys.stderr)
        return EXIT_USAGE
    return int(action(args))


def _record(args: argparse.Namespace) -> int:
    from rust_triage.pipeline import analyse
    from rust_triage.plan.history import append_run, git_commit, render_burndown, run_entry

    analysis = analyse(options_from_args(args))
    root = analysis.context.workspace.root
    entry = run_entry(analysis, label=args.label, commit=git_commit(root))
    history = append_run(args.file, entry)
    if args.output is not None:
        write_output(render_burndown(history), args.output)
    if not args.quiet:
        previous = history["runs"][-2]["total"] if len(history["runs"]) > 1 else None
        change = f" ({entry['total'] - previous:+d} since the previous run)" if previous is not None else ""
        print(f"rust-triage: recorded run {entry['label']!r}: {entry['total']} finding(s){change} "
              f"-> {args.file}", file=sys.stderr)
    return 0


def _report(args: argparse.Namespace) -> int:
    from rust_triage.plan.history import load_history, render_burndown

    history = load_history(args.file, must_exist=True)
    if args.format == "json":
        text = json.dumps(history, indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_burndown(history, title=args.title)
    write_output(text, args.output)
    return 0
