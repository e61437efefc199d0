"""Run a fleet: entries -> tasks -> engine -> fleet report and per-repository outputs."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rust_triage.errors import UsageError


@dataclass
class FleetRun:
    entries: list[str]
    list_file: Path | None = None
    depth: int = 3
    engine: str = "local"
    scheduler: str | None = None
    jobs: int = 0
    format: str = "text"
    output: Path | None = None
    output_dir: Path | None = None
    cache_dir: Path | None = None
    no_cache: bool = False
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    include_tests: bool | None = None
    fail_on: str | None = None
    history: bool = False
    history_dir: Path | None = None
    quiet: bool = False


def _cache_root(run: FleetRun) -> Path | None:
    if run.no_cache:
        return None
    if run.cache_dir is not None:
        return run.cache_dir.resolve()
    from rust_triage.parse.cache import default_cache_dir

    return default_cache_dir(Path.cwd()).resolve() / "fleet"


def build_tasks(run: FleetRun) -> tuple[list[Any], dict[str, str], list[dict[str, Any]]]:
    """(specs, name -> slug, tasks), sorted by repository name."""
    from rust_triage.fleet.entries import collect, slugs
    from rust_triage.fleet.task import make_task

    specs = collect(run.entries, run.list_file, run.depth)
    if not specs:
        raise UsageError("no repositories: give workspace roots, directories holding them, or PATH@REF")
    slug_of = slugs([s.name for s in specs])
    artifacts = (run.format,) if run.format in ("html", "sarif") else ()
    cache_root = _cache_root(run)
    tasks = [make_task(s, slug=slug_of[s.name], cache_dir=cache_root, select=run.select, ignore=run.ignore,
                       include_tests=run.include_tests, fail_on=run.fail_on, artifacts=artifacts, depth=run.depth,
                       want_commit=run.history) for s in specs]
    return specs, slug_of, tasks


def execute(run: FleetRun, tasks: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Run the tasks on the chosen engine with progress output; (results, engine description + timing)."""
    from rust_triage.fleet.progress import FleetProgress
    from rust_triage.parse.pool import default_jobs

    jobs = run.jobs or default_jobs()
    results: list[dict[str, Any]] = []
    started = time.perf_counter()
    with FleetProgress(len(tasks), quiet=run.quiet) as progress:
        def done(result: dict[str, Any]) -> None:
            results.append(result)
            progress.done(result)

        if run.engine == "dask":
            from rust_triage.fleet.engine_dask import run_dask

            engine = run_dask(tasks, jobs, run.scheduler, done)
        else:
            from rust_triage.fleet.engine_local import run_local

            engine = run_local(tasks, jobs, done)
    engine["seconds"] = round(time.perf_counter() - started, 3)
    return results, engine


def run_fleet(run: FleetRun) -> int:
    from rust_triage.fleet.outputs import history_path, record_history, write_repository_reports
    from rust_triage.fleet.report import exit_status, fleet_report, render_json, render_text
    from rust_triage.output import write_output

    specs, slug_of, tasks = build_tasks(run)
    results, engine = execute(run, tasks)  # Ctrl-C propagates from here: nothing is written
    reports: dict[str, dict[str, str]] = {}
    if run.output_dir is not None:
        reports = write_repository_reports(results, run.output_dir)
    report = fleet_report(results, reports, engine)
    roots = {r["name"]: r.get("root") for r in results}
    histories = {s.name: history_path(s, slug_of[s.name], roots.get(s.name), run.history_dir) for s in specs}
    if run.history:
        for problem in record_history(results, histories, datetime.now(timezone.utc)):
            print(f"rust-triage: history: {problem}", file=sys.stderr)
    if run.format == "json":
        write_output(render_json(report), run.output)
    elif run.format == "html":
        _write_dashboard(run, report, histories, reports)
    elif run.format == "sarif":
        for entry in sorted(report["repositories"], key=lambda e: e["name"]):
            if "sarif" in entry["reports"]:
                print(run.output_dir / entry["reports"]["sarif"])
    else:
        write_output(render_text(report), run.output)
    return exit_status(report)


def _write_dashboard(run: FleetRun, report: dict[str, Any], histories: dict[str, Path],
                     reports: dict[str, dict[str, str]]) -> None:
    import os

    from rust_triage.fleet.html import render_dashboard
    from rust_triage.fleet.outputs import read_trends
    from rust_triage.output import write_output

    assert run.output_dir is not None
    target = run.output or run.output_dir / "index.html"
    base = target.resolve().parent
    links = {name: os.path.relpath((run.output_dir / files["html"]).resolve(), base).replace(os.sep, "/")
             for name, files in reports.items() if "html" in files}
    write_output(render_dashboard(report, read_trends(histories), links), target)
    if not run.quiet:
        print(f"rust-triage: fleet dashboard written to {target}", file=sys.stderr)
