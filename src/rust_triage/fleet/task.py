"""One fleet task, run in a worker process (here or on another machine): JSON-able dict in, dict out.

The task reads the repository from a path the worker can see (its working tree, or a git ref read with
`git archive` into a temporary directory), runs the normal analysis with the repository's own
configuration and its own cache directory, and returns its summary, its JSON report (findings) and
any per-repository documents asked for (HTML, SARIF) as strings. Any failure becomes
`status: "failed"` with the reason: one repository never stops the others.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from html import escape
from pathlib import Path
from typing import Any

from rust_triage import __version__

ARTIFACTS = ("html", "sarif")


def make_task(spec: Any, *, slug: str, cache_dir: Path | None, select: list[str], ignore: list[str],
              include_tests: bool | None, fail_on: str | None, artifacts: tuple[str, ...], depth: int,
              want_commit: bool) -> dict[str, Any]:
    """The plain-data task for a RepoSpec (see entries.py)."""
    return {
        "name": spec.name, "slug": slug, "path": spec.path, "ref": spec.ref, "config": spec.config,
        "cache_dir": str(cache_dir / slug) if cache_dir is not None else None,
        "select": list(select), "ignore": list(ignore), "include_tests": include_tests, "fail_on": fail_on,
        "artifacts": [a for a in artifacts if a in ARTIFACTS], "depth": depth, "want_commit": want_commit,
        "tool_version": __version__,
    }


def run_task(task: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    result: dict[str, Any] = {
        "name": task["name"], "slug": task["slug"],
        "source": {"kind": "git" if task.get("ref") else "path", "path": task["path"], "ref": task.get("ref")},
        "status": "failed", "error": None, "root": None, "commit": None, "summary": None, "report": None,
        "artifacts": {}, "tool_version": __version__,
    }
    scratch: Path | None = None
    try:
        if task.get("tool_version") != __version__:
            raise _TaskError(f"the worker runs rust-triage {__version__}, the driver {task.get('tool_version')}: "
                             "install the same version on every worker")
        if task.get("ref"):
            scratch = Path(tempfile.mkdtemp(prefix="rust-triage-fleet-"))
            paths, shown = _checkout(task, scratch, result)
        else:
            paths, shown = _working_tree(task, result)
        _analyse(task, paths, shown, result)
        result["status"] = "ok"
    except Exception as exc:  # isolation: report the reason, let the other repositories go on
        result["error"] = _reason(exc)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    result["timing"] = {"seconds": round(time.perf_counter() - started, 3), **result.pop("_stats", {})}
    return result


class _TaskError(Exception):
    """A failure whose message is the whole story (no exception class name needed)."""


def _reason(exc: Exception) -> str:
    from rust_triage.errors import UsageError
    from rust_triage.fleet.gitsource import GitSourceError

    if isinstance(exc, (_TaskError, UsageError, GitSourceError)):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
    return f"{type(exc).__name__}: {exc}"


def _working_tree(task: dict[str, Any], result: dict[str, Any]) -> tuple[list[Path], tuple[Path, str] | None]:
    path = Path(task["path"])
    if not path.exists():
        raise _TaskError(f"path not found: {task['path']}")
    if not path.is_dir():
        raise _TaskError(f"not a directory: {task['path']}")
    if task.get("want_commit"):
        from rust_triage.plan.history import git_commit

        result["commit"] = git_commit(path)
    return [path], None


def _checkout(task: dict[str, Any], scratch: Path, result: dict[str, Any]) -> tuple[list[Path], tuple[Path, str]]:
    """Extract the repository at the ref; the workspaces in it (the top one, else those found below)."""
    from rust_triage.fleet.entries import find_workspace_roots
    from rust_triage.fleet.gitsource import extract, resolve_commit

    repo = Path(task["path"])
    commit = resolve_commit(repo, task["ref"])
    result["commit"] = commit[:12]
    dest = scratch / (repo.name.removesuffix(".git") or "repo")
    dest.mkdir()
    extract(repo, commit, dest)
    roots = find_workspace_roots(dest, int(task.get("depth", 3)))
    return roots or [dest], (dest, f"{task['path']}@{task['ref']}")


def _analyse(task: dict[str, Any], paths: list[Path], shown: tuple[Path, str] | None,
             result: dict[str, Any]) -> None:
    from rust_triage.fleet.summary import summarize
    from rust_triage.merge import analyse_many
    from rust_triage.pipeline import Options
    from rust_triage.reporters.json_report import report_dict
    from rust_triage.reporters.sarif_report import exit_code_for

    cache_dir = task.get("cache_dir")
    options = Options(
        paths=paths, jobs=1, cache_dir=Path(cache_dir) if cache_dir else None, no_cache=not cache_dir,
        config_file=Path(task["config"]) if task.get("config") else None,
        select=list(task.get("select") or []), ignore=list(task.get("ignore") or []),
        fail_on=task.get("fail_on"), include_tests=task.get("include_tests"),
    )
    analysis = analyse_many(options)
    root = analysis.context.workspace.root
    result["root"] = str(root)
    result["summary"] = summarize(analysis, exit_code_for(analysis))
    result["report"] = report_dict(analysis)
    artifacts: dict[str, str] = {}
    if "html" in task.get("artifacts", ()):
        from rust_triage.plan import build_plan
        from rust_triage.reporters.html_report import render as render_html

        artifacts["html"] = render_html(analysis, build_plan(analysis))
    if "sarif" in task.get("artifacts", ()):
        from rust_triage.reporters.sarif_report import render as render_sarif

        artifacts["sarif"] = render_sarif(analysis)
    result["artifacts"] = artifacts
    result["_stats"] = {"files": int(analysis.stats.get("files", 0)), "parsed": int(analysis.stats.get("parsed", 0)),
                        "cache_hits": int(analysis.stats.get("cache_hits", 0))}
    if shown is not None:
        _hide_scratch(result, *shown)


def _hide_scratch(result: dict[str, Any], scratch: Path, shown: str) -> None:
    """Name a checkout `repo@ref` instead of its temporary directory, which will be gone."""
    raw = str(scratch)
    result["root"] = result["root"].replace(raw, shown)
    text = json.dumps(result["report"], ensure_ascii=False)
    result["report"] = json.loads(text.replace(raw, json.dumps(shown, ensure_ascii=False)[1:-1]))
    artifacts = result["artifacts"]
    if "html" in artifacts:
        artifacts["html"] = artifacts["html"].replace(escape(raw), escape(shown))
    if "sarif" in artifacts:
        log = json.loads(artifacts["sarif"])
        for run in log.get("runs", []):
            run.pop("originalUriBaseIds", None)  # URIs stay relative to the repository root
        text = json.dumps(log, indent=2, ensure_ascii=False).replace(raw, json.dumps(shown, ensure_ascii=False)[1:-1])
        artifacts["sarif"] = text + "\n"
