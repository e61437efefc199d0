"""The compact, plain-data summary of one repository's analysis (what the fleet report shows)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from rust_triage.engine.model import Finding, RuleMeta

if TYPE_CHECKING:
    from rust_triage.pipeline import Analysis

TOP_TASKS = 5
BREAKER_EXAMPLES = 5
# Weight of one finding in a repository's risk score, by its risk level (severity when it has none).
RISK_WEIGHTS = {"critical": 27, "high": 9, "medium": 3, "low": 1, "info": 0}
RISK_ORDER = ("critical", "high", "medium", "low", "info", "unknown")


def risk_of(finding: Finding) -> str:
    """The finding's `risk` level when its rule sets one (attribute or detail), else "unknown"."""
    value: Any = getattr(finding, "risk", None)
    if value is None and finding.detail:
        value = finding.detail.get("risk")
    if isinstance(value, dict):
        value = value.get("level") or value.get("label")
    return value if isinstance(value, str) and value else "unknown"


def is_build_breaker(meta: RuleMeta | None) -> bool:
    """Findings of this rule mean the code does not compile: build rules (module tree, syntax) and
    rules tagged `compile-error` (the type checks)."""
    return meta is not None and (meta.category == "build" or "compile-error" in meta.tags)


def risk_score(findings: list[Finding]) -> int:
    """Sum of the findings' weights: by risk level when known, else by severity."""
    total = 0
    for f in findings:
        level = risk_of(f)
        total += RISK_WEIGHTS.get(level if level in RISK_WEIGHTS else f.severity, 0)
    return total


def _ordered(counter: Counter[str], order: tuple[str, ...]) -> dict[str, int]:
    known = {k: counter[k] for k in order if counter[k]}
    return known | {k: counter[k] for k in sorted(counter) if k not in known}


def summarize(analysis: Analysis, exit_code: int) -> dict[str, Any]:
    from rust_triage.plan import build_plan
    from rust_triage.reporters.json_report import summary as json_summary

    ctx = analysis.context
    findings = analysis.findings
    metas = {rule.meta.id: rule.meta for rule in analysis.registry.rules}
    counts = json_summary(findings, len(ctx.files) + ctx.other_files)
    breakers = [f for f in findings if is_build_breaker(metas.get(f.rule))]
    plan = build_plan(analysis)
    plan_summary = plan.summary()
    return {
        "files_scanned": counts["files_scanned"],
        "findings": counts["total"],
        "files_with_findings": counts["files_with_findings"],
        "by_category": counts["by_category"],
        "by_severity": counts["by_severity"],
        "by_risk": _ordered(Counter(risk_of(f) for f in findings), RISK_ORDER),
        "by_rule": counts["by_rule"],
        "input_errors": len(analysis.errors) + len(ctx.rule_errors),
        "build_breakers": {
            "total": len(breakers),
            "by_rule": dict(sorted(Counter(f.rule for f in breakers).items())),
            "examples": [{"rule": f.rule, "file": f.file, "line": f.line, "message": f.message}
                         for f in breakers[:BREAKER_EXAMPLES]],
        },
        "risk_score": risk_score(findings),
        "exit_code": exit_code,
        "plan": {
            "estimate_hours": round(plan_summary["estimate_minutes"] / 60, 1),
            "estimate_minutes": plan_summary["estimate_minutes"],
            "tasks": plan_summary["tasks"],
            "by_phase": plan_summary["by_phase"],
        },
        "top_tasks": [
            {"id": t.id, "phase": t.phase, "title": t.title, "severity": t.severity, "rules": list(t.rules),
             "estimate_minutes": t.estimate_minutes, "occurrences": t.occurrences, "files": t.files[:3]}
            for t in plan.tasks[:TOP_TASKS]
        ],
    }
