"""Ingest `cargo check --message-format=json` and group compiler errors into root-cause patterns.

Typical use::

    result = read_diagnostics(lines, root)            # or read_diagnostics_file(path, root)
    patterns = group_patterns(result.diagnostics, definitions)
    text = render_markdown(patterns, summarize(result, patterns), problems=result.errors)
    data = to_json(patterns, result)
    findings = patterns_to_findings(patterns)

`run_cargo(root, extra_args, offline, on_line)` yields the lines of a fresh `cargo check` run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # at run time each name is imported when first used (`__getattr__`): a check run loads none
    from rust_triage.families.compiler.export import (
        JSON_VERSION,
        RULE_COMPILER_ERROR,
        RULE_COMPILER_WARNING,
        patterns_to_findings,
        summarize,
        to_json,
    )
    from rust_triage.families.compiler.model import Diagnostic, IngestResult, Note, Pattern, Suggestion
    from rust_triage.families.compiler.patterns import Definitions, group_patterns
    from rust_triage.families.compiler.reader import read_diagnostics, read_diagnostics_file
    from rust_triage.families.compiler.report_md import render_markdown
    from rust_triage.families.compiler.runner import (
        CargoError,
        CargoNotFound,
        CargoRun,
        find_cargo,
        run_cargo,
    )
    from rust_triage.families.compiler.templates import diagnostic_fix

_HOME = {
    **dict.fromkeys(("JSON_VERSION", "RULE_COMPILER_ERROR", "RULE_COMPILER_WARNING", "patterns_to_findings",
                     "summarize", "to_json"), "export"),
    **dict.fromkeys(("Diagnostic", "IngestResult", "Note", "Pattern", "Suggestion"), "model"),
    **dict.fromkeys(("Definitions", "group_patterns"), "patterns"),
    **dict.fromkeys(("read_diagnostics", "read_diagnostics_file"), "reader"),
    "render_markdown": "report_md",
    **dict.fromkeys(("CargoError", "CargoNotFound", "CargoRun", "find_cargo", "run_cargo"), "runner"),
    "diagnostic_fix": "templates",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "JSON_VERSION",
    "RULE_COMPILER_ERROR",
    "RULE_COMPILER_WARNING",
    "CargoError",
    "CargoNotFound",
    "CargoRun",
    "Definitions",
    "Diagnostic",
    "IngestResult",
    "Note",
    "Pattern",
    "Suggestion",
    "diagnostic_fix",
    "find_cargo",
    "group_patterns",
    "ingest",
    "patterns_to_findings",
    "read_diagnostics",
    "read_diagnostics_file",
    "render_markdown",
    "run_cargo",
    "summarize",
    "to_json",
]


def ingest(
    lines: Iterable[str | bytes], root: Path, definitions: Definitions | None = None, *, source: str = "-"
) -> tuple[IngestResult, list[Pattern]]:
    """Read cargo JSON lines and group them: the two steps every output needs."""
    from rust_triage.families.compiler.patterns import group_patterns
    from rust_triage.families.compiler.reader import read_diagnostics

    result = read_diagnostics(lines, root, source=source)
    return result, group_patterns(result.diagnostics, definitions)
