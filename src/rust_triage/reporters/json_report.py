"""The JSON report: a documented, versioned contract (see docs/json-format.md)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rust_triage import __version__
from rust_triage.engine.model import SEVERITIES, Finding
from rust_triage.escape import json_dumps
from rust_triage.pipeline import Analysis

JSON_FORMAT_VERSION = 2  # 2: risk, risk_class, risk_context, risk_reason, reachable_from


def summary(findings: list[Finding], files_scanned: int) -> dict[str, Any]:
    by_sev = Counter(f.severity for f in findings)
    return {
        "total": len(findings),
        "files_scanned": files_scanned,
        "files_with_findings": len({f.file for f in findings}),
        "by_severity": {s: by_sev[s] for s in reversed(SEVERITIES) if by_sev[s]},
        "by_rule": dict(sorted(Counter(f.rule for f in findings).items())),
        "by_category": dict(sorted(Counter(f.category for f in findings).items())),
        "by_risk": {level: n for level in ("high", "medium", "low")
                    if (n := sum(1 for f in findings if f.risk == level))},
    }


def report_dict(analysis: Analysis) -> dict[str, Any]:
    ctx = analysis.context
    data: dict[str, Any] = {
        "version": JSON_FORMAT_VERSION,
        "tool": {"name": "rust-triage", "version": __version__},
        "root": str(ctx.workspace.root),
        "findings": [f.to_dict() for f in analysis.findings],
        "errors": [e.to_dict() for e in analysis.errors + ctx.rule_errors],
        "notes": list(ctx.workspace.notes),
        "summary": summary(analysis.findings, len(ctx.files) + ctx.other_files),
    }
    if ctx.baseline is not None:  # set by --baseline: {"new", "unchanged", "fixed", "file"}
        data["baseline"] = dict(ctx.baseline)
    if analysis.suppressed:
        data["suppressed"] = [f.to_dict() for f in analysis.suppressed]
    return data


def render(analysis: Analysis) -> str:
    return json_dumps(report_dict(analysis), indent=2) + "\n"
