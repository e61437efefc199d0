"""Arguments shared by the commands that analyse a workspace."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from rust_triage.engine.model import SEVERITIES
from rust_triage.errors import UsageError


def add_analysis_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path, default=[], help="files or directories (default: .)")
    p.add_argument("--jobs", "-j", type=int, default=0, help="parallel parse workers (default: from the amount of source to parse, at most one per CPU)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the parse cache")
    p.add_argument("--cache-dir", type=Path, help="parse cache directory (default: ~/.cache/rust-triage)")
    p.add_argument("--config", type=Path, help="configuration file (default: nearest rust-triage.toml / Cargo.toml metadata)")
    p.add_argument("--select", action="append", default=[], help="only these rule ids or prefixes (comma-separated)")
    p.add_argument("--ignore", action="append", default=[], help="skip these rule ids or prefixes (comma-separated)")
    p.add_argument("--include-tests", action="store_true", default=None, help="also report panics etc. in test code")
    p.add_argument("--include-dead-code", action="store_true", default=None,
                   help="also show findings in files no target compiles (JSON and SARIF always mark them)")
    p.add_argument("--quiet", "-q", action="store_true", help="only the summary")
    p.add_argument("--output", "-o", type=Path, help="write the report to this file")


def split_ids(values: list[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def options_from_args(args: argparse.Namespace, progress: bool = True):  # type: ignore[no-untyped-def]
    from rust_triage.pipeline import Options

    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (auto) or a positive number")
    paths = args.paths or [Path(".")]
    for p in paths:
        if not p.exists():
            hint = " (arguments after `--` are paths; options go before it)" if str(p).startswith("-") else ""
            raise UsageError(f"path not found: {p}{hint}")
    fail_on = getattr(args, "fail_on", None)
    if fail_on and fail_on not in SEVERITIES and fail_on != "never":
        raise UsageError(f"--fail-on must be one of {', '.join(SEVERITIES)} or never")
    return Options(
        paths=paths,
        jobs=args.jobs,
        cache_dir=args.cache_dir,
        no_cache=args.no_cache,
        config_file=args.config,
        select=split_ids(args.select),
        ignore=split_ids(args.ignore),
        fail_on=fail_on,
        include_tests=args.include_tests,
        include_dead_code=getattr(args, "include_dead_code", None),
        show_suppressed=getattr(args, "show_suppressed", False),
        progress=_progress_bar() if progress and not args.quiet and sys.stderr.isatty() else None,
    )


def _progress_bar() -> Callable[[int, int], None]:
    state: dict[str, object] = {}

    def update(done: int, total: int) -> None:
        if total < 300:
            return
        if "bar" not in state:
            from rich.progress import Progress

            bar = Progress(transient=True)
            bar.start()
            state["bar"] = bar
            state["task"] = bar.add_task("parsing", total=total)
        bar = state["bar"]
        bar.update(state["task"], completed=done)  # type: ignore[attr-defined]
        if done >= total:
            bar.stop()  # type: ignore[attr-defined]

    return update
