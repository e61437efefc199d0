"""Run the selected rules over an analysis context and filter what they report."""

from __future__ import annotations

import gc

from rust_triage.engine.budget import (
    MAX_TIMEOUTS_PER_RULE,
    RuleTimeout,
    TimedFiles,
    budget_available,
    file_budget,
)
from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import CONFIDENCES, Finding
from rust_triage.engine.registry import Registry
from rust_triage.engine.rule import Rule
from rust_triage.errors import FileError
from rust_triage.interrupts import raise_if_interrupted


def run_rules(
    ctx: AnalysisContext, registry: Registry, selected: set[str], focus: set[str] | None
) -> tuple[list[Finding], list[Finding]]:
    """Findings kept and findings suppressed, each sorted by file, line, column and rule."""
    from rust_triage.engine.suppress import apply_suppressions

    gc.freeze()  # the parsed facts live to the end: later collections need not scan them again
    config = ctx.config
    min_conf = CONFIDENCES.index(config.min_confidence)
    raw: list[Finding] = []
    rule_errors: list[FileError] = ctx.extra.setdefault("rule_errors", [])
    for rule in registry.rules:
        if rule.meta.id not in selected:
            continue
        raise_if_interrupted()
        for f in _run_rule(ctx, rule, rule_errors):
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


def _run_rule(ctx: AnalysisContext, rule: Rule, errors: list[FileError]) -> list[Finding]:
    """The rule's findings. A failing rule gives an error; one that runs out of time on a file gives
    an error for that file and runs again without it (see engine/budget.py)."""
    budget = ctx.config.rule_time_budget
    rule_id = rule.meta.id
    if not budget or not budget_available():
        try:
            return list(rule.check(ctx))
        except Exception as exc:  # one broken rule must not hide the others' findings
            errors.append(FileError("<rules>", "rule", f"rule {rule_id} failed: {exc.__class__.__name__}: {exc}"))
            return []
    files = ctx.files
    skipped: set[str] = set()
    try:
        while True:
            cached = (set(vars(ctx)), set(ctx.extra))
            try:
                with file_budget(budget) as start:
                    ctx.files = TimedFiles(files, skipped, start)
                    produced = list(rule.check(ctx))
                return [f for f in produced if f.file not in skipped]
            except RuleTimeout as timeout:
                where = timeout.file or "<rules>"
                gave_up = timeout.file is None or len(skipped) + 1 >= MAX_TIMEOUTS_PER_RULE
                errors.append(FileError(where, "rule-timeout", (
                    f"rule {rule_id} ran for more than {budget:g} s on this file and was stopped "
                    f"(`rule-time-budget`); {'the rule was given up' if gave_up else 'its findings here are missing'}")))
                if gave_up:
                    return []
                skipped.add(timeout.file)  # type: ignore[arg-type]
            except Exception as exc:
                errors.append(FileError("<rules>", "rule", f"rule {rule_id} failed: {exc.__class__.__name__}: {exc}"))
                return []
            finally:
                if skipped:
                    _forget_new_caches(ctx, cached)
    finally:
        ctx.files = files


def _forget_new_caches(ctx: AnalysisContext, before: tuple[set[str], set[str]]) -> None:
    """Drop what a run without some files cached on the context (index, graph, rule caches): the
    rules after it must see every file."""
    for name in set(vars(ctx)) - before[0] - {"files"}:
        delattr(ctx, name)
    for key in set(ctx.extra) - before[1] - {"rule_errors"}:
        del ctx.extra[key]


def _dedupe(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    seen: set[tuple[str, str, int, int, str]] = set()
    for f in findings:
        key = (f.rule, f.file, f.line, f.column, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
