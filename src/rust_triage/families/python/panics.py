"""Rust panic sites reachable from Python: entry points Python calls, reachability over Rust calls."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from rust_triage.families.python.bridge import RustExport
from rust_triage.families.python.facts import PyCall
from rust_triage.families.python.graph import rust_node
from rust_triage.families.python.resolve import RustTarget, python_index
from rust_triage.families.python.source import PySourceFile
from rust_triage.graph.calls import enclosing_fn

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile
    from rust_triage.parse.facts import Match

PANIC_RULES = {
    "RT001": "`.unwrap()`", "RT002": "`.expect()`", "RT003": "`unimplemented!()`", "RT004": "`todo!()`",
    "RT005": "`panic!()`", "RT006": "`unreachable!()`",
}
_MAX_DEPTH = 12


def python_entries(ctx: AnalysisContext) -> dict[str, tuple[RustExport, PySourceFile, PyCall]]:
    """Rust items Python code calls (graph node -> export, first calling file and call site)."""
    index = python_index(ctx)
    entries: dict[str, tuple[RustExport, PySourceFile, PyCall]] = {}
    for src in index.files:
        if src.in_test:
            continue
        for call, targets in index.calls_from(src):
            for t in targets:
                if isinstance(t, RustTarget) and t.export.item >= 0:
                    entries.setdefault(rust_node(t.export), (t.export, src, call))
    return entries


def panic_sites(ctx: AnalysisContext) -> dict[str, list[tuple[SourceFile, Match]]]:
    """Panic matches outside test code, keyed by the graph node of their enclosing fn."""
    out: dict[str, list[tuple[SourceFile, Match]]] = {}
    for src in ctx.files:
        if src.in_test_target:
            continue
        for m in src.facts.matches:
            if m.rule not in PANIC_RULES or m.in_test:
                continue
            fn = enclosing_fn(src, m.item)
            if fn >= 0:
                out.setdefault(f"item:{src.rel}#{fn}", []).append((src, m))
    return out


def reach(ctx: AnalysisContext, starts: list[str]) -> dict[str, str | None]:
    """Breadth-first over Rust `calls` edges from the entry points: node -> predecessor (None at entries)."""
    g = ctx.graph
    parents: dict[str, str | None] = {s: None for s in starts if s in g}
    queue = deque((s, 0) for s in parents)
    while queue:
        node, depth = queue.popleft()
        if depth >= _MAX_DEPTH:
            continue
        for _, nxt, data in g.out_edges(node, data=True):
            if data.get("kind") == "calls" and nxt.startswith("item:") and nxt not in parents:
                parents[nxt] = node
                queue.append((nxt, depth + 1))
    return parents
