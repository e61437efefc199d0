"""A small JSON history of runs (counts per rule, severity and category) and its burn-down page.

File format (version 1)::

    {"version": 1, "runs": [{"timestamp": "2026-01-31T12:00:00Z", "label": "a1b2c3d", "commit": "a1b2c3d",
      "total": 12, "files_scanned": 40, "by_severity": {"high": 2, ...}, "by_rule": {"RT001": 5, ...},
      "by_category": {"panic": 7, ...}}]}
"""

from __future__ import annotations

import subprocess
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rust_triage.atomic import write_atomic
from rust_triage.engine.model import SEVERITIES
from rust_triage.errors import UsageError
from rust_triage.escape import html_text as escape
from rust_triage.escape import json_dumps
from rust_triage.json_input import load_json
from rust_triage.plan.history_schema import HISTORY_VERSION, validate_history
from rust_triage.plan.html import page
from rust_triage.plan.svg import line_chart

if TYPE_CHECKING:
    from rust_triage.pipeline import Analysis

DEFAULT_HISTORY_FILE = ".rust-triage-history.json"


def git_commit(root: Path) -> str | None:
    """Short hash of HEAD in the repository holding `root`, or None outside git."""
    try:
        proc = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    out = proc.stdout.strip()
    return out if proc.returncode == 0 and out else None


def run_entry(analysis: Analysis, *, label: str | None = None, commit: str | None = None,
              now: datetime | None = None) -> dict[str, Any]:
    findings = analysis.findings
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    by_severity = Counter(f.severity for f in findings)
    return {
        "timestamp": stamp,
        "label": label or commit or stamp,
        "commit": commit,
        "total": len(findings),
        "files_scanned": len(analysis.context.files),
        "by_severity": {s: by_severity[s] for s in reversed(SEVERITIES) if by_severity[s]},
        "by_rule": dict(sorted(Counter(f.rule for f in findings).items())),
        "by_category": dict(sorted(Counter(f.category for f in findings).items())),
    }


def load_history(path: Path, *, must_exist: bool = False) -> dict[str, Any]:
    if not path.exists():
        if must_exist:
            raise UsageError(f"history file not found: {path} (create it with `rust-triage history record`)")
        return {"version": HISTORY_VERSION, "runs": []}
    try:
        return validate_history(load_json(path.read_bytes()))
    except OSError as exc:
        raise UsageError(f"cannot read history file {path}: {exc.strerror or exc}") from None
    except ValueError as exc:  # JsonInputError included
        raise UsageError(f"history file {path} {exc}" if str(exc).startswith("has ")
                         else f"history file {path}: {exc}") from None


def append_run(path: Path, entry: dict[str, Any]) -> dict[str, Any]:
    history = load_history(path)
    history["runs"].append(entry)
    text = json_dumps(history, indent=2) + "\n"
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write history file {path}: {exc.strerror or exc}") from exc
    return history


def render_burndown(history: dict[str, Any], *, title: str = "rust-triage burn-down") -> str:
    runs = history["runs"]
    labels = [str(r.get("label") or r.get("timestamp", "?")) for r in runs]
    severities = [s for s in reversed(SEVERITIES) if any(r.get("by_severity", {}).get(s) for r in runs)]
    series: dict[str, list[int]] = {"total": [int(r["total"]) for r in runs]}
    for s in severities:
        series[s] = [int(r.get("by_severity", {}).get(s, 0)) for r in runs]
    body = [f"<h1>{escape(title)}</h1>"]
    if not runs:
        body.append("<p>No runs recorded yet: run <code>rust-triage history record</code>.</p>")
        return page(title, "\n".join(body))
    first, last = runs[0], runs[-1]
    delta = last["total"] - first["total"]
    trend = "down" if delta < 0 else ("up" if delta > 0 else "unchanged")
    body.append(f'<p class="muted">{len(runs)} run(s) from {escape(str(first.get("timestamp", "")))} to '
                f'{escape(str(last.get("timestamp", "")))}. Findings {trend}: {first["total"]} → '
                f'<b>{last["total"]}</b> ({delta:+d}).</p>')
    body.append(line_chart(labels, series, title="Findings per run"))
    body.append("<h2>Runs</h2><table><thead><tr><th>Run</th><th>Time (UTC)</th><th>Total</th><th>Δ</th>"
                + "".join(f"<th>{escape(s)}</th>" for s in severities) + "</tr></thead><tbody>")
    previous = None
    for run, label in zip(runs, labels, strict=True):
        change = "" if previous is None else f"{run['total'] - previous:+d}"
        cells = "".join(f"<td>{run.get('by_severity', {}).get(s, 0)}</td>" for s in severities)
        body.append(f"<tr><td><code>{escape(label)}</code></td><td>{escape(str(run.get('timestamp', '')))}</td>"
                    f"<td><b>{run['total']}</b></td><td>{change}</td>{cells}</tr>")
        previous = run["total"]
    body.append("</tbody></table>")
    rules = sorted(set(first.get("by_rule", {})) | set(last.get("by_rule", {})))
    if rules:
        body.append("<h2>By rule: first → latest run</h2><table><thead><tr><th>Rule</th><th>First</th>"
                    "<th>Latest</th><th>Δ</th></tr></thead><tbody>")
        for rule in rules:
            a, b = first.get("by_rule", {}).get(rule, 0), last.get("by_rule", {}).get(rule, 0)
            body.append(f"<tr><td>{escape(rule)}</td><td>{a}</td><td>{b}</td><td>{b - a:+d}</td></tr>")
        body.append("</tbody></table>")
    return page(title, "\n".join(body))
