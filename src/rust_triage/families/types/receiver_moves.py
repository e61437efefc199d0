"""`r.method()` where `r` is a local reference and `method` takes `self` by value: the call moves `*r`
(E0507 unless the type is Copy). Read from the core pass's method calls, only for the names of the
workspace's by-value methods, so no extra query runs over every method call. Also `a.b.get()` /
`v[i].b.get()` for a by-value workspace method whose name std types use for borrowing methods (the
scan leaves those out), and std `Option`/`Result` methods taking `self` (`self.x.unwrap()`)."""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from itertools import accumulate
from typing import TYPE_CHECKING

from rust_triage.families.types.facts import Expr, TraitUse
from rust_triage.families.types.typeref import generic_param_names
from rust_triage.workspace.safepath import read_file_or_none

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile
    from rust_triage.families.types.env_paths import Typed
    from rust_triage.families.types.tools import TypeTools
    from rust_triage.parse.facts import Call

_LOCAL = re.compile(r"[a-z_][a-z0-9_]*")
# a place written as a receiver: a local or `self`, then fields and indexes (`self.entries[i].hash`)
_PLACE_STEP = re.compile(r"\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*|[0-9]+)|\[([^\[\]]*)\])")
_PLACE_ROOT = re.compile(r"\s*(self|[a-z_][a-z0-9_]*)")

# std methods taking `self` by value (inherent, so found before any trait method on the value itself)
_OPTION_BY_VALUE = frozenset({
    "unwrap", "expect", "unwrap_or", "unwrap_or_else", "unwrap_or_default", "unwrap_unchecked", "map", "map_or",
    "map_or_else", "ok_or", "ok_or_else", "and", "and_then", "or", "or_else", "xor", "filter", "zip", "flatten",
})
_RESULT_BY_VALUE = frozenset({
    "unwrap", "expect", "unwrap_err", "expect_err", "unwrap_or", "unwrap_or_else", "unwrap_or_default", "map",
    "map_err", "map_or", "map_or_else", "ok", "err", "and", "and_then", "or", "or_else",
})
STD_BY_VALUE = {"Option": _OPTION_BY_VALUE, "Result": _RESULT_BY_VALUE}
STD_BY_VALUE_NAMES = _OPTION_BY_VALUE | _RESULT_BY_VALUE


def copy_receiver_moves(src: SourceFile, by_value: frozenset[str], names: frozenset[str],
                        owned_self: Container[int]) -> Iterator[TraitUse]:
    """First a `Copy` use of `*r` per call `r.m()` of a by-value method name `m` (of `by_value`) on a plain
    local `r`; then a `Copy` use of the place `a.b` / `v[i].b` per call `a.b.m()` of a by-value method name
    `m` among `names` (the ones the scan leaves out): the rule checks that `m` takes `self` by value on its
    type. Not on `self.b` in the fns `owned_self` lists (taking `self` by value: nothing is behind a
    reference). One pass over the calls, one read of the file."""
    receivers: list[tuple[Call, Expr]] = []
    places: list[tuple[Call, Expr]] = []
    wanted = by_value | names
    for c in src.facts.calls:
        if c.callee not in wanted or not c.method or c.in_macro:
            continue
        if c.callee in by_value and c.receiver != "self" and _LOCAL.fullmatch(c.receiver):
            receivers.append((c, ("deref", ("id", c.receiver))))
        if c.callee in names and c.receiver:
            place = parse_place(c.receiver)
            root = place
            while root is not None and root[0] in ("field", "index"):
                root = root[1]
            if place is not None and place[0] != "id" and (root != ("self",) or c.item not in owned_self):
                places.append((c, place))
    yield from _uses(src, receivers + places)


def _uses(src: SourceFile, candidates: list[tuple[Call, Expr]]) -> Iterator[TraitUse]:
    if not candidates:
        return
    data = read_file_or_none(src.path, ())
    if data is None:
        return
    last = max(c.line for c, _ in candidates)  # lines after the last one asked about are not split
    ends = list(accumulate(map(len, data.split(b"\n", last))))  # bytes of lines 1..i+1, newlines left out
    for c, place in candidates:
        if c.line > len(ends):
            continue
        byte = (ends[c.line - 2] + c.line - 1 if c.line > 1 else 0) + c.column - 1
        yield TraitUse("Copy", place, c.line, c.column, byte, c.item, f".{c.callee}()")


def parse_place(text: str) -> Expr | None:
    """`self.entries[i].hash` -> ("field", ("index", ("field", ("self",), "entries")), "hash"); None for
    anything but a local or `self` followed by fields and (non-range) indexes."""
    root = _PLACE_ROOT.match(text)
    if root is None:
        return None
    expr: Expr = ("self",) if root.group(1) == "self" else ("id", root.group(1))
    at = root.end()
    while at < len(text.rstrip()):
        step = _PLACE_STEP.match(text, at)
        if step is None:
            return None
        if step.group(1) is not None:
            expr = ("field", expr, step.group(1))
        elif ".." in step.group(2) or not step.group(2).strip():
            return None  # a range gives a slice
        else:
            expr = ("index", expr)
        at = step.end()
    return expr


def std_takes_self_by_value(tools: TypeTools, typed: Typed, method: str) -> bool:
    """`method` is an inherent by-value method of std `Option`/`Result` and `typed` is that std type."""
    shape = typed.shape
    return shape.kind == "path" and method in STD_BY_VALUE.get(shape.name, ()) and \
        shape.path in (shape.name, f"std::option::{shape.name}", f"core::option::{shape.name}",
                       f"std::result::{shape.name}", f"core::result::{shape.name}") and \
        not tools.resolver.resolve(typed.src, typed.item, shape.path)


def reference_methods(ctx: AnalysisContext) -> frozenset[str]:
    """Names of methods implemented for reference types (`impl Tr for &T`) or by blanket impls
    (`impl<T: X> Tr for T`): on `r: &T` such a method may be the one called, without moving `*r`."""
    names = set()
    for src in ctx.files:
        items = src.facts.items
        for item in items:
            if item.kind != "fn" or item.parent < 0:
                continue
            impl = items[item.parent]
            if impl.kind != "impl":
                continue
            target = (impl.self_type or "").strip()
            if target.startswith(("&", "*")) or target in generic_param_names(impl.generics) or not target:
                names.add(item.name)
    return frozenset(names)
