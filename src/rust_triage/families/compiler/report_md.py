"""Markdown crisis report: counts, one PATTERN section per root cause, then the warning patterns.

Compiler messages and file names are untrusted (they quote the analysed code): inline text goes through
`escape.markdown_text`, the whole report through `escape.ci_safe`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rust_triage.errors import FileError
from rust_triage.escape import ci_safe, markdown_code, markdown_text
from rust_triage.families.compiler.model import Pattern
from rust_triage.families.compiler.templates import diagnostic_fix, pattern_issue

DEFAULT_MAX_ERRORS_PER_PATTERN = 50
_MAX_SUGGESTIONS_SHOWN = 5
_MAX_WARNING_SITES = 10


def _md(text: str) -> str:
    """Inline Markdown: code spans kept (generic types survive), everything else escaped."""
    return markdown_text(text)


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def _plural(count: int, word: str) -> str:
    """"1 ERROR", "2 ERRORS", "1 warning", "2 warnings"."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word}S" if word.isupper() else f"{count} {word}s"


def render_markdown(
    patterns: list[Pattern],
    diags_summary: Mapping[str, Any] | None = None,
    *,
    problems: Iterable[FileError] = (),
    max_errors_per_pattern: int | None = DEFAULT_MAX_ERRORS_PER_PATTERN,
    title: str = "WORKSPACE COMPILATION CRISIS",
) -> str:
    """The report in the shape of a hand-written triage plan; deterministic for a given input.

    `diags_summary` needs "errors" and "warnings" counts (see `summarize`); without it they are counted
    from the patterns. `problems` are input lines that could not be read.
    """
    errors = sum(pattern.error_count for pattern in patterns)
    warnings = sum(pattern.warning_count for pattern in patterns)
    if diags_summary is not None:
        errors = int(diags_summary.get("errors", errors))
        warnings = int(diags_summary.get("warnings", warnings))
    total = errors + warnings
    error_patterns = [pattern for pattern in patterns if pattern.severity == "error"]
    warning_patterns = [pattern for pattern in patterns if pattern.severity != "error"]
    out: list[str] = [
        f"# {title}: {total} ISSUES",
        "",
        f"**{_plural(errors, 'ERROR')} + {_plural(warnings, 'WARNING')} = {total} TOTAL COMPILATION ISSUES**",
        "",
        f"**ROOT CAUSES**: {_plural(len(error_patterns), 'error pattern')}, "
        f"{_plural(len(warning_patterns), 'warning pattern')}",
        "",
        "**OBJECTIVE**: 0 errors, 0 warnings - the whole workspace compiles cleanly",
        "",
        "**SYSTEMATIC FIX APPROACH**:",
        "1. Fix by ERROR PATTERN: one fix removes every error of a pattern",
        "2. Re-run `cargo check --workspace --all-targets` after each pattern",
        "3. Then address the warning patterns",
        "",
    ]
    problem_list = list(problems)
    if problem_list:
        out += _problems_section(problem_list)
    if not patterns:
        out += ["---", "", "No compiler diagnostics: the workspace compiles cleanly.", ""]
    number = 0
    for index, pattern in enumerate(error_patterns, 1):
        lines, number = _pattern_section(index, pattern, number, max_errors_per_pattern)
        out += lines
    if warning_patterns:
        out += _warnings_section(warning_patterns, warnings)
    if patterns:
        out += _strategy_section(error_patterns, warnings)
    return ci_safe("\n".join(out).rstrip("\n") + "\n")


def _problems_section(problems: list[FileError]) -> list[str]:
    out = ["## INPUT PROBLEMS", "", "Some input could not be read; the report covers what was readable.", ""]
    for problem in problems:
        where = f"{problem.path}:{problem.line}" if problem.line is not None else problem.path
        out.append(f"- {_md(where)}: {_md(problem.kind)} - {_md(problem.message)}")
    return out + [""]


def _pattern_section(
    index: int, pattern: Pattern, number: int, limit: int | None
) -> tuple[list[str], int]:
    out = [
        "---",
        "",
        f"## PATTERN {index}: {_md(pattern.title)} ({_plural(pattern.error_count, 'ERROR')})",
        f"**Files**: {_md(', '.join(pattern.files)) if pattern.files else '(no location)'}  ",
        f"**Codes**: {_md(', '.join(pattern.codes)) if pattern.codes else '(none)'}  ",
        f"**Issue**: {_md(pattern_issue(pattern))}  ",
    ]
    if pattern.definitions:
        out.append(f"**Definition**: {_md(pattern.definition_text() or '')}  ")
    out.append(f"**Fix**: {_md(pattern.fix)}")
    if pattern.fix_suggestions:
        out += ["", f"**rustc machine-applicable suggestions** ({len(pattern.fix_suggestions)}):"]
        for suggestion in pattern.fix_suggestions[:_MAX_SUGGESTIONS_SHOWN]:
            replacement = suggestion.replacement
            shown = markdown_code(replacement) if replacement.strip() else "(delete)"
            out.append(f"- {_md(f'{suggestion.file}:{suggestion.line}:{suggestion.column}')} -> {shown}")
        hidden = len(pattern.fix_suggestions) - _MAX_SUGGESTIONS_SHOWN
        if hidden > 0:
            out.append(f"- ... and {hidden} more")
    out.append("")
    first_with_fix: dict[str, int] = {}
    errors = [diagnostic for diagnostic in pattern.diagnostics if diagnostic.is_error]
    shown = errors if limit is None else errors[:limit]
    for diagnostic in shown:
        number += 1
        fix = diagnostic_fix(pattern, diagnostic)
        earlier = first_with_fix.setdefault(fix, number)
        fix_line = f"Same as ERROR {earlier}" if earlier != number else _md(fix)
        out += [
            f"### ERROR {number}: {_md(diagnostic.location)} - {_md(_first_line(diagnostic.message))}",
            f"**Fix**: {fix_line}",
            "",
        ]
    hidden = len(errors) - len(shown)
    if hidden > 0:
        number += hidden
        out += [f"... and {hidden} more errors of this pattern (ERROR {number - hidden + 1} to {number}).", ""]
    return out, number


def _warnings_section(patterns: list[Pattern], warnings: int) -> list[str]:
    out = [
        "---",
        "",
        f"## WARNING PATTERNS ({_plural(warnings, 'WARNING')})",
        "**After fixing all errors, address the warnings pattern by pattern**",
        "",
    ]
    for index, pattern in enumerate(patterns, 1):
        out.append(f"{index}. **{_md(pattern.title)}** ({_plural(pattern.warning_count, 'warning')}): "
                   f"{_md(pattern.fix)}")
        for diagnostic in pattern.diagnostics[:_MAX_WARNING_SITES]:
            out.append(f"   - {_md(diagnostic.location)} - {_md(_first_line(diagnostic.message))}")
        hidden = len(pattern.diagnostics) - _MAX_WARNING_SITES
        if hidden > 0:
            out.append(f"   - ... and {hidden} more")
    return out + [""]


def _strategy_section(error_patterns: list[Pattern], warnings: int) -> list[str]:
    out = ["---", "", "## EXECUTION STRATEGY", ""]
    step = 0
    for step, pattern in enumerate(error_patterns, 1):
        out.append(f"{step}. **PATTERN {step}**: {_md(pattern.title)} ({_plural(pattern.error_count, 'error')})")
    if warnings:
        out.append(f"{step + 1}. **WARNINGS**: address all {_plural(warnings, 'warning')}")
    out += [
        "",
        "**VERIFICATION**: after each pattern, run `cargo check --workspace --all-targets`",
        "",
        "**SUCCESS CRITERIA**: 0 errors, 0 warnings",
        "",
    ]
    return out
