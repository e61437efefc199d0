"""Quality gates at the top of the plan: each PASS or FAIL with the counts that decide it."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from rust_triage.engine.model import Finding
from rust_triage.escape import markdown_code as code
from rust_triage.plan.model import Gate
from rust_triage.plan.phases import phase_of

if TYPE_CHECKING:
    from rust_triage.pipeline import Analysis

DEFAULT_FILE_LINES = 300
_FILE_LINE_KEYS = ("oversized-file-lines", "oversized_file_lines", "max-file-lines", "max_file_lines",
                   "file-lines", "file_lines")


def file_line_limit(analysis: Analysis) -> int:
    config = analysis.context.config
    for key in _FILE_LINE_KEYS:
        value = config.thresholds.get(key)
        if isinstance(value, int) and value > 0:
            return value
    return DEFAULT_FILE_LINES


def quality_gates(analysis: Analysis, findings: list[Finding], compiler: dict[str, Any] | None) -> list[Gate]:
    rules = analysis.registry.metas()
    production = [f for f in findings if not f.in_test]
    build = [f for f in findings if phase_of(f, rules) == "P0"]
    compiler_errors = compiler["errors"] if compiler else 0
    build_evidence = _by_rule(build)
    if compiler is None:
        build_evidence += "; compiler output not given (pass --cargo-json)"
    else:
        build_evidence += (f"; {compiler_errors} compiler error(s) in {compiler['error_patterns']} pattern(s), "
                           f"{compiler['warnings']} warning(s)")
    panics = [f for f in production if f.category == "panic"]
    blocking = [f for f in production if f.category == "async"]
    placeholders = [f for f in findings if phase_of(f, rules) == "P2"]
    limit = file_line_limit(analysis)
    big = sorted(((src.facts.code_lines, src.rel) for src in analysis.context.files
                  if not src.in_test_target and src.facts.code_lines > limit), reverse=True)
    big_evidence = f"{len(big)} file(s) over {limit} code lines"
    if big:
        big_evidence += " (largest: " + ", ".join(f"{code(rel)} {n:,}" for n, rel in big[:3]) + ")"
    problems = analysis.errors + analysis.context.rule_errors
    return [
        Gate("No build-breaking errors", not build and not compiler_errors, len(build) + compiler_errors,
             build_evidence),
        Gate("No panics on production paths", not panics, len(panics), _by_rule(panics)),
        Gate("No blocking calls in async", not blocking, len(blocking), _by_rule(blocking)),
        Gate("No placeholder code", not placeholders, len(placeholders), _by_rule(placeholders)),
        Gate(f"Files under {limit} lines", not big, len(big), big_evidence),
        Gate("All input readable", not problems, len(problems),
             f"{len(problems)} unreadable file(s) or failed rule(s)" if problems
             else f"{len(analysis.context.files)} file(s) read"),
    ]


def _by_rule(findings: list[Finding]) -> str:
    if not findings:
        return "0 findings"
    counts = Counter(f.rule for f in findings)
    files = len({f.file for f in findings})
    top = ", ".join(f"{rule} ×{n}" for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:4])
    more = f", +{len(counts) - 4} rule(s)" if len(counts) > 4 else ""
    return f"{len(findings)} finding(s) in {files} file(s): {top}{more}"
