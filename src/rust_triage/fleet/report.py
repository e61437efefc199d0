"""The fleet report (JSON, `fleet-v1`) built from the task results, and its text table."""

from __future__ import annotations

import json
from typing import Any

from rust_triage import __version__
from rust_triage.fleet import FLEET_FORMAT_VERSION

# The keys of a repository entry copied from the task's summary (zero/empty for a failed repository).
_EMPTY_SUMMARY: dict[str, Any] = {
    "files_scanned": 0, "findings": 0, "files_with_findings": 0, "by_category": {}, "by_severity": {},
    "by_risk": {}, "by_rule": {}, "input_errors": 0, "build_breakers": {"total": 0, "by_rule": {}, "examples": []},
    "risk_score": 0, "exit_code": None, "plan": None, "top_tasks": [],
}


def repository_entry(result: dict[str, Any], reports: dict[str, str] | None = None) -> dict[str, Any]:
    source = dict(result["source"])
    if result.get("commit"):
        source["commit"] = result["commit"]
    entry: dict[str, Any] = {"name": result["name"], "source": source, "root": result.get("root"),
                             "status": result["status"], "error": result.get("error")}
    entry.update(result.get("summary") or _EMPTY_SUMMARY)
    entry["reports"] = dict(sorted((reports or {}).items()))
    entry["timing"] = dict(result.get("timing") or {})
    return entry


def risk_key(entry: dict[str, Any]) -> tuple[int, int, int, int, str]:
    """Most at risk first: failed, then most build breakers, highest risk score, most findings; then name."""
    return (0 if entry["status"] != "ok" else 1, -entry["build_breakers"]["total"], -entry["risk_score"],
            -entry["findings"], entry["name"])


def fleet_report(results: list[dict[str, Any]], reports: dict[str, dict[str, str]],
                 timing: dict[str, Any]) -> dict[str, Any]:
    entries = [repository_entry(r, reports.get(r["name"])) for r in sorted(results, key=lambda r: r["name"])]
    ok = [e for e in entries if e["status"] == "ok"]
    return {
        "version": FLEET_FORMAT_VERSION,
        "kind": "rust-triage-fleet",
        "tool": {"name": "rust-triage", "version": __version__},
        "totals": {
            "repositories": len(entries),
            "ok": len(ok),
            "failed": len(entries) - len(ok),
            "findings": sum(e["findings"] for e in ok),
            "build_breakers": sum(e["build_breakers"]["total"] for e in ok),
            "repositories_with_build_breakers": sum(1 for e in ok if e["build_breakers"]["total"]),
            "estimate_hours": round(sum(e["plan"]["estimate_minutes"] for e in ok) / 60, 1),
        },
        "repositories": entries,
        "timing": timing,
    }


def render_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def exit_status(report: dict[str, Any]) -> int:
    """1 when a repository failed or has findings at the fail-on level, else 0."""
    return 1 if any(e["status"] != "ok" or e["exit_code"] for e in report["repositories"]) else 0


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(report: dict[str, Any]) -> str:
    """A compact table, most at-risk repository first."""
    header = ("REPOSITORY", "STATUS", "FINDINGS", "BREAKERS", "CRIT+HIGH", "RISK", "HOURS", "TOP TASK / ERROR")
    rows: list[tuple[str, ...]] = []
    for e in sorted(report["repositories"], key=risk_key):
        if e["status"] != "ok":
            rows.append((e["name"], "FAILED", "-", "-", "-", "-", "-", _cut(e["error"] or "", 70)))
            continue
        severe = e["by_severity"].get("critical", 0) + e["by_severity"].get("high", 0)
        top = e["top_tasks"][0]["title"] if e["top_tasks"] else ""
        rows.append((e["name"], "ok", str(e["findings"]), str(e["build_breakers"]["total"]), str(severe),
                     str(e["risk_score"]), f"{e['plan']['estimate_hours']:.1f}", _cut(top, 70)))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    numeric = {2, 3, 4, 5, 6}

    def line(row: tuple[str, ...]) -> str:
        cells = [row[i].rjust(w) if i in numeric else row[i].ljust(w) for i, w in enumerate(widths)]
        return "  ".join([*cells, row[-1]]).rstrip()

    totals = report["totals"]
    out = [line(header), *(line(r) for r in rows), "",
           f"{totals['repositories']} repositories: {totals['ok']} analysed, {totals['failed']} failed; "
           f"{totals['findings']} finding(s), {totals['build_breakers']} build breaker(s) in "
           f"{totals['repositories_with_build_breakers']} repositories, {totals['estimate_hours']:.1f} h of fixes"]
    return "\n".join(out) + "\n"
