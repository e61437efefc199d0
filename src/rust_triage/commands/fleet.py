"""`rust-triage fleet`: triage many repositories in one run, locally or on a Dask cluster."""

from __future__ import annotations

import argparse
from pathlib import Path

from rust_triage.engine.model import SEVERITIES
from rust_triage.errors import UsageError

FORMATS = ("text", "json", "html", "sarif")
ENGINES = ("local", "dask")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "fleet",
        help="triage many repositories in one run (local process pool or Dask)",
        description="Analyse every repository named (a workspace root, a directory searched for workspace "
                    "roots, or PATH@REF: a git repository at a ref, read with `git archive`), one task per "
                    "repository, and report them together. See docs/fleet.md.",
    )
    p.add_argument("entries", nargs="*", metavar="PATH|PATH@REF", help="repositories (default: .)")
    p.add_argument("--list", type=Path, metavar="FILE", dest="list_file",
                   help="a file of entries, one per line, with optional ref= name= config= history= columns")
    p.add_argument("--depth", type=int, default=3, help="how deep to search a directory for workspaces (default: 3)")
    p.add_argument("--engine", choices=ENGINES, default="local", help="where the tasks run (default: local)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: an existing scheduler, e.g. tcp://host:8786 (default: a LocalCluster)")
    p.add_argument("--jobs", "-j", type=int, default=0,
                   help="worker processes (local pool or LocalCluster; default: one per CPU)")
    p.add_argument("--format", "-f", choices=FORMATS, default="text")
    p.add_argument("--output", "-o", type=Path, help="write the fleet report (text, JSON or the HTML dashboard) here")
    p.add_argument("--output-dir", type=Path,
                   help="write per-repository reports here (<repo>.json, and .html / .sarif with those formats)")
    p.add_argument("--cache-dir", type=Path, help="fleet cache root: one parse cache per repository below it")
    p.add_argument("--no-cache", action="store_true", help="do not read or write parse caches")
    p.add_argument("--select", action="append", default=[], help="only these rule ids or prefixes (comma-separated)")
    p.add_argument("--ignore", action="append", default=[], help="skip these rule ids or prefixes (comma-separated)")
    p.add_argument("--include-tests", action="store_true", default=None, help="also report panics etc. in test code")
    p.add_argument("--fail-on", help=f"exit 1 when a finding is at or above this severity ({', '.join(SEVERITIES)}, never)")
    p.add_argument("--history", action="store_true", help="append each repository's counts to its history file")
    p.add_argument("--history-dir", type=Path, help="keep the history files here, one <repo>.json per repository")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    p.set_defaults(run=run)


def _check(args: argparse.Namespace) -> None:
    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (auto) or a positive number")
    if args.depth < 0:
        raise UsageError("--depth must be 0 or more")
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    if args.fail_on and args.fail_on not in SEVERITIES and args.fail_on != "never":
        raise UsageError(f"--fail-on must be one of {', '.join(SEVERITIES)} or never")
    if args.format in ("html", "sarif") and args.output_dir is None:
        raise UsageError(f"--format {args.format} writes one file per repository: give --output-dir DIR")
    if args.format == "sarif" and args.output is not None:
        raise UsageError("--format sarif writes <repo>.sarif files into --output-dir; -o is not used")
    if args.list_file is not None and not args.list_file.is_file():
        raise UsageError(f"list file not found: {args.list_file}")


def run(args: argparse.Namespace) -> int:
    from rust_triage.commands.common import split_ids
    from rust_triage.fleet.runner import FleetRun, run_fleet

    _check(args)
    entries = list(args.entries) if args.entries or args.list_file else ["."]
    return run_fleet(FleetRun(
        entries=entries, list_file=args.list_file, depth=args.depth, engine=args.engine, scheduler=args.scheduler,
        jobs=args.jobs, format=args.format, output=args.output, output_dir=args.output_dir,
        cache_dir=args.cache_dir, no_cache=args.no_cache, select=split_ids(args.select),
        ignore=split_ids(args.ignore), include_tests=args.include_tests, fail_on=args.fail_on,
        history=args.history, history_dir=args.history_dir, quiet=args.quiet,
    ))
