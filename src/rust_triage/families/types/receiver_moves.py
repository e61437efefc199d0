"""`r.method()` where `r` is a local reference and `method` takes `self` by value: the call moves `*r`
(E0507 unless the type is Copy). Read from the core pass's method calls, only for the names of the
workspace's by-value methods, so no extra query runs over every method call."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import accumulate
from typing import TYPE_CHECKING

from rust_triage.families.types.facts import TraitUse
from rust_triage.families.types.typeref import generic_param_names
from rust_triage.workspace.safepath import read_file_or_none

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile

_LOCAL = re.compile(r"[a-z_][a-z0-9_]*")


def receiver_moves(src: SourceFile, by_value: frozenset[str]) -> Iterator[TraitUse]:
    """A `Copy` use of `*r` per call `r.m()` of a by-value method name `m` on a plain local `r`."""
    candidates = [c for c in src.facts.calls
                  if c.method and not c.in_macro and c.callee in by_value and c.receiver != "self"
                  and _LOCAL.fullmatch(c.receiver)]
    if not candidates:
        return
    data = read_file_or_none(src.path, ())
    if data is None:
        return
    ends = list(accumulate(map(len, data.split(b"\n"))))  # bytes of lines 1..i+1, newlines left out
    for c in candidates:
        if c.line > len(ends):
            continue
        byte = (ends[c.line - 2] + c.line - 1 if c.line > 1 else 0) + c.column - 1
        yield TraitUse("Copy", ("deref", ("id", c.receiver)), c.line, c.column, byte, c.item, f".{c.callee}()")


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
