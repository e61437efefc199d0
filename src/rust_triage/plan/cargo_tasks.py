"""Compiler diagnostics in the plan: one task per root-cause pattern (rust_triage.families.compiler.patterns)."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

from rust_triage.escape import display
from rust_triage.escape import markdown_code as code
from rust_triage.families.compiler.export import RULE_COMPILER_ERROR, RULE_COMPILER_WARNING
from rust_triage.plan.model import Evidence, Task
from rust_triage.plan.priority import BlastRadiusIndex, severity_weight
from rust_triage.plan.tasks import MAX_EVIDENCE

if TYPE_CHECKING:
    pass

RULE_ERROR, RULE_WARNING = RULE_COMPILER_ERROR, RULE_COMPILER_WARNING  # the compiler family's rules
# Pattern kinds fixed by one change at a definition (add a method, a derive, a field): cheap per site.
_DEFINITION_KINDS = frozenset({"missing-method", "missing-derive", "missing-fields", "unknown-field",
                               "missing-field", "private-item"})
_WS = re.compile(r"\s+")


def pattern_tasks(patterns: list[Any], blast: BlastRadiusIndex) -> list[Task]:
    return [_pattern_task(p, blast) for p in patterns]


def _pattern_task(pattern: Any, blast_index: BlastRadiusIndex) -> Task:
    is_error = pattern.severity == "error"
    lines: dict[str, list[int]] = {}
    for d in pattern.diagnostics:
        if d.file:
            bucket = lines.setdefault(d.file, [])
            if d.line and d.line not in bucket:
                bucket.append(d.line)
    for bucket in lines.values():
        bucket.sort()
    anchor = pattern.definitions[0][0] if pattern.definitions else (pattern.files[0] if pattern.files else "")
    radius = blast_index.radius(anchor) if anchor else blast_index.radius("")
    count = len(pattern.diagnostics)
    per_site = 2 if pattern.kind in _DEFINITION_KINDS else 4
    minutes = 10 + per_site * max(0, count - 1) + (5 if pattern.kind in _DEFINITION_KINDS else 0)
    severity = "critical" if is_error else "low"
    rule = RULE_ERROR if is_error else RULE_WARNING
    codes = ", ".join(pattern.codes) if pattern.codes else "no code"
    summary = (f"{pattern.error_count} compiler error(s) and {pattern.warning_count} warning(s) [{codes}] "
               f"in {len(pattern.files)} file(s)")
    if pattern.definitions:
        summary += "; fix at " + ", ".join(code(f"{f}:{n}") for f, n in pattern.definitions[:3])
    fingerprints = sorted(_diagnostic_fingerprint(d) for d in pattern.diagnostics)
    return Task(
        id="T-" + hashlib.sha1(display(f"cargo\0{pattern.key}").encode()).hexdigest()[:8],
        phase="P0" if is_error else "P3",
        title=pattern.title or f"{pattern.kind}: {pattern.subject}",
        category="build",
        severity=severity,
        rules=[rule],
        lines=lines,
        summary=summary,
        fix_hints=[(rule, pattern.fix)] if pattern.fix else [],
        evidence=[_evidence(d, rule) for d in pattern.diagnostics[:MAX_EVIDENCE]],
        estimate_minutes=int(minutes + 4) // 5 * 5,
        priority=round(severity_weight(severity) * radius.score * count, 1),
        blast=radius,
        occurrences=count,
        fingerprints=fingerprints,
        source="cargo",
        extra={"pattern_id": pattern.id, "kind": pattern.kind, "codes": list(pattern.codes),
               "definitions": [{"file": f, "line": n} for f, n in pattern.definitions]},
    )


def _evidence(d: Any, rule: str) -> Evidence:
    message = d.message.splitlines()[0] if d.message else ""
    if d.code:
        message = f"[{d.code}] {message}"
    if d.label:
        message += f" ({d.label})"
    return Evidence(d.file or "", d.line or 0, rule, message, (d.snippet or "").strip())


def _diagnostic_fingerprint(d: Any) -> str:
    raw = "\0".join((d.code or "", d.file or "", _WS.sub(" ", d.snippet or "").strip(), d.message or ""))
    return hashlib.sha256(display(raw).encode()).hexdigest()[:32]


def compiler_summary(result: Any, patterns: list[Any]) -> dict[str, Any]:
    return {
        "errors": result.error_count,
        "warnings": result.warning_count,
        "patterns": len(patterns),
        "error_patterns": sum(1 for p in patterns if p.severity == "error"),
        "input_problems": [e.to_dict() for e in result.errors],
    }
