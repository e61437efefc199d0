"""Run the selected rules over an analysis context and filter what they report."""

from __future__ import annotations

import gc

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.incremental import IncrementalRunner
from rust_triage.engine.model import CONFIDENCES, Finding
from rust_triage.engine.registry import Registry
from rust_triage.errors import FileError
from rust_triage.interrupts import raise_if_interrupted


def run_rules(
    ctx: AnalysisContext, registry: Registry, selected: set[str], focus: set[str] | None,
    incremental: IncrementalRunner | None = None,
) -> tuple[list[Finding], list[Finding]]:
    """Findings kept and findings suppressed, each sorted by file, line, column and rule."""
    from rust_triage.engine.suppress import apply_suppressions

    gc.freeze()  # the parsed facts live to the end: later collections need not scan them again
    config = ctx.config
    min_conf = CONFIDENCES.index(config.min_confidence)
    raw: list[Finding] = []
    rule_errors: list[FileError] = ctx.rule_errors
    rules = [rule for rule in registry.rules if rule.meta.id in selected]
    if incremental is None:
        incremental = IncrementalRunner(None, "", {})
    raise_if_interrupted()
    results = incremental.run(ctx, rules, focus)
    failed = dict(results.rule_errors)
    for rule in rules:
        exc = failed.get(rule.meta.id)
        if exc is not None:
            rule_errors.append(FileError("<rules>", "rule", f"rule {rule.meta.id} failed: {exc.__class__.__name__}: {exc}"))
            continue
        for f in results.by_rule[rule.meta.id]:
            if f.in_test and not (rule.meta.tests_in_scope or config.include_tests):
                continue
            if CONFIDENCES.index(f.confidence) < min_conf:
                continue
            if focus is not None and f.file not in focus:
                continue
            raw.append(f)
    from rust_triage.engine.overrides import apply_path_overrides

    raw = apply_path_overrides(config, raw)
    kept, suppressed = apply_suppressions(ctx, registry, raw, selected=selected, focus=focus)
    kept.sort(key=Finding.sort_key)
    suppressed.sort(key=Finding.sort_key)
    return _dedupe(kept), suppressed


def _dedupe(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    seen: set[tuple[str, str, int, int, str]] = set()
    for f in findings:
        key = (f.rule, f.file, f.line, f.column, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
