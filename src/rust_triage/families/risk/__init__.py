"""Rank panic and blocking-in-async findings by real risk: those of every rule whose metadata names a
`risk_kind` (engine/taxonomy.py: RiskKind).

`rank_findings` runs once per analysis, after the rules: it decides each site's context (production,
build script, example, bench, test, dead code), what can fail there (risk/panic_class.py, or the kind
of blocking call), and whether a production entry point reaches it (graph/reachability.py), then
writes level, class, reason and chain onto the finding (engine/risk.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rust_triage.engine.results_store import WorkspaceMemo
from rust_triage.engine.risk import Assessment, Reach, apply, assess, ranked_rules
from rust_triage.engine.taxonomy import RiskKind
from rust_triage.families.panics.extractor import PanicSite
from rust_triage.families.risk.contexts import file_context
from rust_triage.families.risk.options import lists_from_options
from rust_triage.families.risk.own_methods import drop_own_method_calls
from rust_triage.families.risk.panic_class import PanicClassifier
from rust_triage.families.risk.python_panics import demote_python_lock, python_panic_class
from rust_triage.families.risk.stored import StoredReach
from rust_triage.graph.calls import enclosing_fn
from rust_triage.graph.reachability import Reachability, compute_reachability

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile
    from rust_triage.engine.model import Finding, RuleMeta

_BLOCKING_IO = ("net::", "TcpStream", "TcpListener", "UdpSocket", "Command", "stdin", "reqwest", "read_line",
                "io::read_to_string", ".output()", ".status()", ".wait")

__all__ = ["rank_findings", "drop_own_method_calls"]


class _Ranker:
    def __init__(self, ctx: AnalysisContext, rules: Mapping[str, RuleMeta]) -> None:
        self.ctx = ctx
        self.rules = rules
        self.classifier = PanicClassifier(lists_from_options(ctx.config.rule_options, ranked_rules(rules.values())))
        self._reach: Reachability | None = None
        self._sites: dict[str, dict[tuple[int, int], PanicSite]] = {}
        self._items: dict[str, dict[tuple[str, int, int], int]] = {}

    @property
    def reach(self) -> Reachability:
        if self._reach is None:
            memo = self.ctx.get(WorkspaceMemo)
            if memo is None:
                self._reach = compute_reachability(self.ctx.files, self.ctx.index)
            else:  # kept while no file's interface changes: a one-file run decodes no other file
                stored = memo.get_or_build("risk-reachability", StoredReach, self._stored_reach)
                self._reach = stored.restore()
        return self._reach

    def _stored_reach(self) -> StoredReach:
        return StoredReach.of(compute_reachability(self.ctx.files, self.ctx.index))

    def site(self, src: SourceFile, line: int, column: int) -> PanicSite | None:
        table = self._sites.get(src.rel)
        if table is None:
            sites = src.facts.extra.get("panic_sites") or []
            table = self._sites[src.rel] = {(s.line, s.column): s for s in sites}
        return table.get((line, column))

    def match_item(self, src: SourceFile, rule: str, line: int, column: int) -> int:
        table = self._items.get(src.rel)
        if table is None:
            table = self._items[src.rel] = {(m.rule, m.line, m.column): m.item for m in src.facts.matches}
        found = table.get((rule, line, column))
        return found if found is not None else _innermost_item(src, line)

    def reach_of(self, src: SourceFile, fn: int) -> Reach:
        if fn < 0:
            return Reach("static-or-macro", [src.symbol(-1)])  # initialisers run wherever they are used
        found = self.reach.chain((src.rel, fn))
        if found is None:
            return Reach()
        kind, chain = found
        return Reach(kind, chain)

    def rank(self, f: Finding, kind: RiskKind) -> Assessment | None:
        src = self.ctx.by_rel.get(f.file)
        if src is None:
            return None
        context = file_context(self.ctx, src)
        if kind.is_panic or kind is RiskKind.PYTHON_PANIC:
            rule = str(f.detail.get("panic_rule", f.rule)) if kind is RiskKind.PYTHON_PANIC else f.rule
            item = self.match_item(src, rule, f.line, f.column)
            if context == "production" and src.in_test(item):
                context = "test"
            fn = enclosing_fn(src, item)
            entry = self.reach.entry_kind.get((src.rel, fn)) if context == "production" and fn >= 0 else None
            klass, evidence = self.classifier.classify(
                self.site(src, f.line, f.column), self.rules.get(rule), src.facts.items[fn] if fn >= 0 else None,
                entry)
            if kind is RiskKind.PYTHON_PANIC:
                klass, evidence = python_panic_class(klass, evidence, f.detail)
                chain = [str(c) for c in f.detail.get("chain", [])]
                reach = Reach("python-entry", [f"{f.detail.get('python_entry', '')} (Python)", *chain])
                return demote_python_lock(assess(context, klass, evidence, reach))
            reach = self.reach_of(src, fn) if context == "production" else None
            return assess(context, klass, evidence, reach)
        item = _innermost_item(src, f.line)
        if context == "production" and src.in_test(item):
            context = "test"
        klass, evidence = _blocking_class(f, kind)
        reach = self.reach_of(src, enclosing_fn(src, item)) if context == "production" else None
        if reach is not None and not reach.reachable and f.detail.get("chain"):
            reach = None  # the async rules' own chain shows it runs; the name fallback may not
        return assess(context, klass, evidence, reach)


def rank_findings(ctx: AnalysisContext, findings: list[Finding], rules: Mapping[str, RuleMeta]) -> None:
    """Set risk, class, context, reason and chain on every finding of a ranked rule (in place).

    `rules`: every rule's metadata, with its `risk_kind` and its default severity; a finding whose
    severity differs from the default was set by the configuration or a path override, and keeps it.
    Otherwise the severity follows the risk.
    """
    kinds = {rule: meta.risk_kind for rule, meta in rules.items() if meta.risk_kind is not None}
    ranked = [f for f in findings if f.rule in kinds]
    if not ranked:
        return
    ranker = _Ranker(ctx, rules)
    configured = ctx.config.severity
    for f in ranked:
        assessment = ranker.rank(f, kinds[f.rule])
        if assessment is not None:
            overridden = f.severity != rules[f.rule].severity
            apply(f, assessment, keep_severity=f.rule in configured or overridden)


def _blocking_class(f: Finding, kind: RiskKind) -> tuple[str, str]:
    if kind is RiskKind.LOCK_ACROSS_AWAIT:
        return "lock-across-await", "a lock guard is held across `.await`: other tasks wanting it deadlock"
    call = str(f.detail.get("blocking_call") or f.detail.get("call") or f.snippet)
    if kind is RiskKind.BLOCK_ON or "block_on" in call:
        if "block_in_place" in (f.snippet + f.message):
            return "blocking-call", "`block_in_place` stalls the executor (and panics on a current-thread runtime)"
        return "runtime-panic", "`block_on` inside a runtime panics or deadlocks the executor"
    if any(k in call for k in _BLOCKING_IO):
        return "blocking-io", f"`{call}` waits on the network, a process or stdin for unbounded time"
    return "blocking-call", f"`{call}` blocks the executor thread for a bounded time"


def _innermost_item(src: SourceFile, line: int) -> int:
    best = -1
    for item in src.facts.items:
        if item.line <= line <= item.end_line and (best < 0 or item.line >= src.facts.items[best].line):
            best = item.index
    return best
