"""What the driver writes: per-repository reports in --output-dir, and per-repository history files.

History file of a repository (first that applies): the list file's `history=` column; `--history-dir
DIR` -> `DIR/<slug>.json`; a working tree -> `.rust-triage-history.json` in its workspace root (where
`rust-triage history record` writes it when run there); a repository at a git ref (never written to)
-> `.rust-triage-fleet/history/<slug>.json` in the current directory.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rust_triage.atomic import write_atomic
from rust_triage.errors import UsageError
from rust_triage.fleet.entries import RepoSpec
from rust_triage.plan.history import DEFAULT_HISTORY_FILE

GIT_HISTORY_DIR = Path(".rust-triage-fleet") / "history"
_SUFFIX = {"json": ".json", "html": ".html", "sarif": ".sarif"}


def _write(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc


def write_repository_reports(results: list[dict[str, Any]], output_dir: Path) -> dict[str, dict[str, str]]:
    """`<slug>.json` (the JSON report) for every analysed repository, plus `<slug>.html` / `<slug>.sarif`
    when the tasks rendered them. Returns name -> {format: file name relative to output_dir}."""
    written: dict[str, dict[str, str]] = {}
    for result in sorted(results, key=lambda r: r["name"]):
        if result["status"] != "ok":
            continue
        files: dict[str, str] = {}
        documents = {"json": json.dumps(result["report"], indent=2, ensure_ascii=False) + "\n",
                     **result.get("artifacts", {})}
        for fmt, text in documents.items():
            name = result["slug"] + _SUFFIX[fmt]
            _write(output_dir / name, text)
            files[fmt] = name
        written[result["name"]] = files
    return written


def history_path(spec: RepoSpec, slug: str, root: str | None, history_dir: Path | None) -> Path:
    if spec.history:
        return Path(spec.history)
    if history_dir is not None:
        return history_dir / f"{slug}.json"
    if spec.ref is None:
        return Path(root or spec.path) / DEFAULT_HISTORY_FILE
    return GIT_HISTORY_DIR / f"{slug}.json"


def history_entry(result: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A run of the history file format (see plan/history.py), from a repository's summary."""
    summary = result["summary"]
    stamp = now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    commit = result.get("commit")
    return {"timestamp": stamp, "label": commit or stamp, "commit": commit, "total": summary["findings"],
            "files_scanned": summary["files_scanned"], "by_severity": dict(summary["by_severity"]),
            "by_rule": dict(summary["by_rule"]), "by_category": dict(summary["by_category"])}


def record_history(results: list[dict[str, Any]], paths: dict[str, Path], now: datetime) -> list[str]:
    """Append each analysed repository's counts to its history file; one message per problem."""
    from rust_triage.plan.history import append_run

    problems = []
    for result in sorted(results, key=lambda r: r["name"]):
        if result["status"] != "ok":
            problems.append(f"{result['name']}: not recorded in its history (the analysis failed)")
            continue
        try:
            append_run(paths[result["name"]], history_entry(result, now))
        except (UsageError, TypeError, ValueError) as exc:  # one bad history file does not stop the others
            problems.append(f"{result['name']}: {exc}")
    return problems


def read_trends(paths: dict[str, Path]) -> dict[str, list[int]]:
    """Totals of the recorded runs of every repository whose history file exists and is readable."""
    from rust_triage.plan.history import load_history

    trends: dict[str, list[int]] = {}
    for name, path in paths.items():
        if not path.is_file():
            continue
        try:
            trends[name] = [int(run["total"]) for run in load_history(path)["runs"]]
        except (UsageError, TypeError, ValueError, KeyError):
            continue
    return trends
