"""Resolve call sites to workspace functions (best effort, by name through `use` and module paths)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.graph.type_names import last_segment
from rust_triage.parse.facts import Call

if TYPE_CHECKING:
    from rust_triage.graph.resolve import Def, SymbolIndex
    from rust_triage.parse.source import SourceFile


def enclosing_fn(src: SourceFile, item_index: int) -> int:
    """Index of the innermost fn item containing `item_index` (itself if it is a fn), or -1."""
    items = src.facts.items
    while item_index >= 0 and items[item_index].kind != "fn":
        item_index = items[item_index].parent
    return item_index


def enclosing_impl_type(src: SourceFile, item_index: int) -> str | None:
    items = src.facts.items
    while item_index >= 0:
        item = items[item_index]
        if item.kind == "impl":
            return item.self_type
        if item.kind == "trait":
            return item.name
        item_index = item.parent
    return None


def resolve_call(index: SymbolIndex, src: SourceFile, call: Call) -> list[Def]:
    """Candidate fn definitions for a call site; empty when unknown or outside the workspace.

    Resolved once per run for each (file, item, call form): the rules that follow calls (RT103's async
    index, reachability, the symbol graph) share the index's table instead of each resolving again."""
    if call.method and call.receiver != "self":
        return []  # receiver types are unknown without type inference
    key = (src.rel, call.item, call.method, call.callee)
    found = index.call_defs.get(key)
    if found is None:
        found = index.call_defs[key] = _resolve_call(index, src, call)
    return list(found)


def _resolve_call(index: SymbolIndex, src: SourceFile, call: Call) -> list[Def]:
    if call.method:
        self_type = enclosing_impl_type(src, call.item)
        if self_type:
            return list(index.methods.get(last_segment(self_type), {}).get(call.callee, []))
        return []
    parts = call.callee.split("::")
    if parts[0] == "Self" and len(parts) == 2:
        self_type = enclosing_impl_type(src, call.item)
        if self_type:
            return list(index.methods.get(last_segment(self_type), {}).get(parts[1], []))
        return []
    found = [d for d in index.resolve(src, call.item, call.callee) if d.item.kind == "fn"]
    return found
