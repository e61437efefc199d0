"""`rust-triage check`: analyse and report findings."""

from __future__ import annotations

import argparse
import importlib
import sys

from rust_triage.commands.common import add_analysis_args, options_from_args
from rust_triage.engine.model import SEVERITIES, severity_rank
from rust_triage.errors import FileError, UsageError
from rust_triage.output import write_output

FORMATS = ("text", "json", "sarif", "github", "html")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="analyse a workspace and report findings")
    add_analysis_args(p)
    p.add_argument("--format", "-f", choices=FORMATS, default="text")
    p.add_argument("--fail-on", help=f"exit 1 when a finding is at or above this severity ({', '.join(SEVERITIES)}, never)")
    p.add_argument("--min-risk", choices=("low", "medium", "high"),
                   help="report only panic and blocking findings ranked at or above this risk (others are left out)")
    p.add_argument("--show-suppressed", action="store_true", help="also list suppressed findings")
    p.add_argument("--add-suppressions", action="store_true", help="write an allow comment at every current finding")
    p.add_argument("--fix", action="store_true", help="apply safe automatic fixes (e.g. missing derives)")
    p.add_argument("--baseline", type=argparse.FileType("rb"), help="a previous JSON or SARIF report")
    p.add_argument("--new-only", action="store_true", help="with --baseline: report only new findings")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rust_triage.merge import analyse_many as analyse

    options = options_from_args(args)
    replayable = not (args.fix or args.add_suppressions or args.baseline is not None or options.no_cache)
    if replayable:
        from rust_triage.merge import group_by_workspace

        replayable = len(group_by_workspace(options.paths)) == 1
    if replayable:
        return _run_replayable(args, options)
    analysis = analyse(options)
    edit_errors: list[FileError] = []  # files --fix / --add-suppressions refused to touch, reported with the rest
    if args.fix:
        from rust_triage.families.types.fixes import apply_fixes

        changed = apply_fixes(analysis, edit_errors)
        print(f"rust-triage: fixed {changed} finding(s)", file=sys.stderr)
        analysis = analyse(options)
    if args.add_suppressions:
        from rust_triage.engine.add_suppressions import add_suppressions

        written = add_suppressions(analysis.context, analysis.findings, analysis.errors, edit_errors)
        print(f"rust-triage: wrote {written} suppression comment(s)", file=sys.stderr)
        analysis = analyse(options)
    analysis.errors.extend(edit_errors)
    if args.baseline is not None:
        from rust_triage.reporters.baseline import apply_baseline

        apply_baseline(analysis, args.baseline, new_only=args.new_only)
    if args.min_risk:
        from rust_triage.engine.risk import at_least

        analysis.findings = [f for f in analysis.findings if at_least(f, args.min_risk)]
    write_output(render(analysis, args.format, args), args.output)
    return exit_code(analysis)


def exit_code(analysis) -> int:  # type: ignore[no-untyped-def]
    """0 or 1 by `fail-on`, over the findings shown (dead code only with --include-dead-code)."""
    from rust_triage.engine.deadcode import visible_analysis

    visible = visible_analysis(analysis, analysis.context.config.include_dead_code)
    fail_on = analysis.context.config.fail_on
    if fail_on == "never":
        return 0
    threshold = severity_rank(fail_on)
    return 1 if any(severity_rank(f.severity) >= threshold for f in visible.findings) else 0


def _run_replayable(args: argparse.Namespace, options) -> int:  # type: ignore[no-untyped-def]
    """A plain check of one workspace: replay the saved report when nothing changed, else run and save."""
    from rust_triage.fast_replay import save_stamp
    from rust_triage.pipeline import analyse, prepare
    from rust_triage.replay import load_report, report_key, save_report

    stamps = []  # taken before the files are listed: the listing reuses what the stamp's walk saw
    run = prepare(options, before_listing=lambda prepared: stamps.append(_take_stamp(prepared, args)))
    color = args.format == "text" and args.output is None and sys.stdout.isatty()
    settings = repr((args.format, bool(args.quiet), bool(args.show_suppressed), color))
    stamp = stamps[0] if stamps else None
    key = report_key(run, settings)
    saved = load_report(run, settings, key) if key is not None else None
    if saved is not None:
        write_output(saved.text, args.output)
        save_stamp(stamp, args.output, saved.text, saved.exit_code)
        return saved.exit_code
    analysis = analyse(options, run)
    text = render(analysis, args.format, args)
    code = exit_code(analysis)
    write_output(text, args.output)
    key = report_key(run, settings)
    # a rule that failed or ran out of time may not next time; other errors (a Python file's syntax) come
    # from the files' contents, which the key covers
    failed = any(e.kind in ("rule", "rule-timeout") for e in analysis.context.rule_errors)
    if key is not None and not failed:
        save_report(run, settings, key, text, code)
        save_stamp(stamp, args.output, text, code)
    return code


def _take_stamp(run, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The inputs of this run for `fast_replay`, taken before any file is read."""
    from rust_triage.fast_replay import take_stamp
    from rust_triage.replay import stamp_inputs

    return take_stamp(run.cache_dir, *stamp_inputs(run), args.output) if run.cache_dir is not None else None


def render(analysis, fmt: str, args: argparse.Namespace) -> str:  # type: ignore[no-untyped-def]
    if fmt in ("text", "html"):  # for people: files no target compiles are one decision, not a list
        from rust_triage.engine.deadcode import visible_analysis

        analysis = visible_analysis(analysis, analysis.context.config.include_dead_code)
    if fmt == "text":
        from rust_triage.reporters.text_report import render as render_text

        color = args.output is None and sys.stdout.isatty()
        return render_text(analysis, color=color, quiet=args.quiet, show_suppressed=args.show_suppressed)
    if fmt == "html":
        from rust_triage.plan import build_plan
        from rust_triage.reporters.html_report import render as render_html

        return render_html(analysis, build_plan(analysis))
    try:
        module = importlib.import_module(f"rust_triage.reporters.{fmt}_report")
    except ModuleNotFoundError as exc:
        raise UsageError(f"output format {fmt!r} is not available") from exc
    rendered: str = module.render(analysis)
    return rendered
