"""Machine-readable outputs of the cargo ingest: a versioned JSON document and finding dicts."""

from __future__ import annotations

from typing import Any

from rust_triage.families.compiler.model import IngestResult, Pattern
from rust_triage.families.compiler.templates import diagnostic_fix

JSON_VERSION = 1
RULE_COMPILER_ERROR = "RT900"
RULE_COMPILER_WARNING = "RT901"


def summarize(result: IngestResult, patterns: list[Pattern]) -> dict[str, Any]:
    """Counts for the report header and the JSON summary."""
    errors = result.error_count
    warnings = result.warning_count
    files = {diagnostic.file for diagnostic in result.diagnostics if diagnostic.file}
    return {
        "errors": errors,
        "warnings": warnings,
        "total": errors + warnings,
        "other_diagnostics": len(result.diagnostics) - errors - warnings,
        "patterns": len(patterns),
        "error_patterns": sum(1 for pattern in patterns if pattern.severity == "error"),
        "warning_patterns": sum(1 for pattern in patterns if pattern.severity != "error"),
        "files": len(files),
        "duplicates_removed": int(result.stats.get("duplicates", 0)),
        "input_problems": len(result.errors),
        "build_success": result.stats.get("build_success"),
    }


def to_json(patterns: list[Pattern], result: IngestResult) -> dict[str, Any]:
    """{"version": 1, "summary", "patterns", "errors", "stats"}; `errors` are unreadable input lines."""
    return {
        "version": JSON_VERSION,
        "summary": summarize(result, patterns),
        "patterns": [pattern.to_dict() for pattern in patterns],
        "errors": [problem.to_dict() for problem in result.errors],
        "stats": dict(result.stats),
    }


def patterns_to_findings(patterns: list[Pattern]) -> list[dict[str, Any]]:
    """One dict per diagnostic, shaped like the Finding model (rule RT900 errors, RT901 warnings).

    `severity` is "error" or "warning" as the compiler says; `file` is "" and `line` 1 for diagnostics
    without a location. `related` lists the definition sites of the pattern.
    """
    findings: list[dict[str, Any]] = []
    for pattern in patterns:
        related = [{"file": path, "line": line, "column": 1, "message": f"definition of {pattern.subject}"}
                   for path, line in pattern.definitions]
        for diagnostic in pattern.diagnostics:
            error = diagnostic.is_error
            line = diagnostic.line or 1
            column = diagnostic.column or 1
            message = diagnostic.message.splitlines()[0] if diagnostic.message else ""
            findings.append({
                "rule": RULE_COMPILER_ERROR if error else RULE_COMPILER_WARNING,
                "name": "compiler-error" if error else "compiler-warning",
                "severity": "error" if error else "warning",
                "category": "build",
                "file": diagnostic.file or "",
                "line": line,
                "column": column,
                "end_line": diagnostic.end_line or line,
                "end_column": diagnostic.end_column or column,
                "message": f"[{diagnostic.code}] {message}" if diagnostic.code else message,
                "fix_hint": diagnostic_fix(pattern, diagnostic),
                "snippet": (diagnostic.snippet or "").strip(),
                "pattern_id": pattern.id,
                "pattern_title": pattern.title,
                "related": related,
                "detail": {
                    "code": diagnostic.code,
                    "level": diagnostic.level,
                    "pattern_id": pattern.id,
                    "pattern_kind": pattern.kind,
                    "pattern_title": pattern.title,
                    "pattern_errors": pattern.error_count,
                    "targets": list(diagnostic.targets),
                    "macro": diagnostic.macro,
                },
            })
    return findings
