"""Rust panic sites reachable from Python: panic matches, and reachability over Rust calls from the entries.

Calls are the resolved ones (the graph's `calls` edges) plus, for a method call whose receiver type
is unknown (`self.inner.parse(..)`, `state.decode(..)`), the workspace methods of that name when
there are few of them and the name is not a common standard-library method (PyO3 classes usually
wrap a Rust value and delegate to it, and without this every such call would end the search), or
every impl when the method belongs to an `#[enum_dispatch]` trait (dispatch over an enum of all of them).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from rust_triage.graph.calls import enclosing_fn, resolve_call

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile
    from rust_triage.engine.model import RuleMeta
    from rust_triage.parse.facts import Match

_MAX_DEPTH = 12
_FALLBACK_LIMIT = 4  # more workspace methods of one name than this: too vague to link by name
# Method names std types share: a call to one of these on an unknown receiver is most likely std's.
_COMMON_METHODS = frozenset("""
new default clone to_string to_owned into from as_ref as_mut borrow borrow_mut deref get get_mut insert remove
push pop len is_empty iter iter_mut into_iter map and_then ok err unwrap expect contains extend clear keys values
entry next collect write read lock send recv join split trim parse fmt eq cmp partial_cmp hash drop call call0
call1 call_method call_method0 call_method1 extract downcast bind unbind as_str as_bytes with_capacity first
last sort take replace find filter any all count sum min max
""".split())


def panic_rules(ctx: AnalysisContext) -> dict[str, RuleMeta]:
    """The rules whose matches are Rust panic sites (`risk_kind` a panic kind), by id."""
    return {rule: meta for rule, meta in ctx.rules.items() if meta.risk_kind is not None and meta.risk_kind.is_panic}


def panic_sites(ctx: AnalysisContext) -> dict[str, list[tuple[SourceFile, Match]]]:
    """Panic matches outside test code, keyed by the graph node of their enclosing fn."""
    out: dict[str, list[tuple[SourceFile, Match]]] = {}
    rules = panic_rules(ctx)
    for src in ctx.files:
        if src.in_test_target:
            continue
        for m in src.facts.matches:
            if m.rule not in rules or m.in_test:
                continue
            fn = enclosing_fn(src, m.item)
            holder = fn if fn >= 0 else _enclosing_macro(src, m.item)
            if holder >= 0:
                out.setdefault(f"item:{src.rel}#{holder}", []).append((src, m))
    return out


def _enclosing_macro(src: SourceFile, index: int) -> int:
    items = src.facts.items
    while index >= 0 and items[index].kind != "macro":
        index = items[index].parent
    return index


def macro_invokers(ctx: AnalysisContext, node: str, parents: dict[str, str | None]) -> str | None:
    """A reached fn of the same file that invokes the `macro_rules!` at `node` (`getter!(..)`), or None.

    Macro invocations are not calls in the facts; a `macro_rules!` is mostly used in the file that
    defines it, so the reached fns of that file are searched for `name!` (the `invoked_macros` facts).
    """
    rel, _, index = node[5:].rpartition("#")
    src = ctx.by_rel.get(rel)
    if src is None:
        return None
    items = src.facts.items
    name = items[int(index)].name
    invoked = src.facts.extra.get("invoked_macros")
    if invoked is None:  # facts without the section: the lines are read
        from rust_triage.families.python.invoked_macros import invoked_in

        src.line_text(1)
        invoked = invoked_in(src._lines or [], src.facts)
    prefix = f"item:{rel}#"
    for reached in sorted(n for n in parents if n.startswith(prefix)):
        fn = int(reached[len(prefix):])
        if items[fn].kind == "fn" and name in invoked.get(fn, ()):
            return reached
    return None


def call_edges(ctx: AnalysisContext) -> dict[str, set[str]]:
    """fn node -> fn nodes it may call: resolved calls, and narrow by-name links for unknown receivers."""
    by_method: dict[str, list[str]] = {}
    dispatched = _enum_dispatch_methods(ctx)
    for src in ctx.files:
        items = src.facts.items
        for item in items:
            if item.kind == "fn" and item.parent >= 0 and items[item.parent].kind in ("impl", "trait"):
                node = f"item:{src.rel}#{item.index}"
                by_method.setdefault(item.name, []).append(node)
                trait = (items[item.parent].trait or "").split("<")[0].split("::")[-1].strip()
                if (trait, item.name) in dispatched:
                    dispatched[(trait, item.name)].append(node)
    by_dispatch: dict[str, list[str]] = {}
    for (_trait, name), nodes in dispatched.items():
        by_dispatch.setdefault(name, []).extend(nodes)
    edges: dict[str, set[str]] = {}
    for src in ctx.files:
        if src.in_test_target:
            continue
        for call in src.facts.calls:
            caller = enclosing_fn(src, call.item)
            if caller < 0 or src.facts.items[caller].in_test:
                continue
            found = [f"item:{d.file.rel}#{d.item.index}" for d in resolve_call(ctx.index, src, call)]
            name = _fallback_name(call.callee, call.method, call.receiver) if not found else None
            if name is not None:
                candidates = by_method.get(name, [])
                found = candidates if len(candidates) <= _FALLBACK_LIMIT else by_dispatch.get(name, [])
            if found:
                edges.setdefault(f"item:{src.rel}#{caller}", set()).update(found)
    return edges


def _enum_dispatch_methods(ctx: AnalysisContext) -> dict[tuple[str, str], list[str]]:
    """(trait, method) of `#[enum_dispatch]` traits: a call reaches every impl, however many there are."""
    out: dict[tuple[str, str], list[str]] = {}
    for src in ctx.files:
        items = src.facts.items
        for item in items:
            if item.kind == "fn" and item.parent >= 0:
                trait = items[item.parent]
                if trait.kind == "trait" and any(a.startswith(("enum_dispatch", "enum_dispatch::")) for a in trait.attrs):
                    out[(trait.name, item.name)] = []
    return out


def _fallback_name(callee: str, method: bool, receiver: str) -> str | None:
    """The method name to link by when a call did not resolve: `x.decode(..)` on an unknown receiver, or
    `N::parse_number(..)` on a type parameter or trait (`T::`, `Self::` handled by resolution already)."""
    if method:
        return callee if receiver != "self" and callee not in _COMMON_METHODS else None
    parts = callee.split("::")
    if len(parts) == 2 and parts[0][:1].isupper() and parts[0] != "Self" and parts[1] not in _COMMON_METHODS:
        return parts[1]
    return None


def reach(ctx: AnalysisContext, starts: list[str]) -> dict[str, str | None]:
    """Breadth-first over Rust calls from the entry points: node -> predecessor (None at entries)."""
    edges = call_edges(ctx)
    parents: dict[str, str | None] = {s: None for s in starts}
    queue = deque((s, 0) for s in parents)
    while queue:
        node, depth = queue.popleft()
        if depth >= _MAX_DEPTH:
            continue
        for nxt in sorted(edges.get(node, ())):
            if nxt not in parents:
                parents[nxt] = node
                queue.append((nxt, depth + 1))
    return parents
