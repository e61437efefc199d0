"""Code that may need `Copy` of a type without naming the type: calls through generic bounds, array repeats.

rustc checks moves (E0382, E0507) only in a fn whose types check: one call of `Dfs::new(&g, a)` under
`impl<N, VM> Dfs<N, VM> where N: Copy`, or one `[EdgeIndex::end(); 2]`, fails with E0277 when the type
lost `Copy`, and then no move in that fn is reported. The move checks stay silent in such a fn.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from rust_triage.families.types.text_facts import text_facts_of
from rust_triage.families.types.typeref import PRIMITIVES

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile

# std methods whose bounds need `Copy` of the item type
_STD_COPY_BOUNDED = frozenset({"copied", "copy_from_slice", "copy_within"})
_TAKEN = re.compile(r"^&\s*(?:'\w+\s*)?(?:mut\s+)?")  # `&N`, `&'a mut N`: still a value of `N`


def copy_bounded_fns(ctx: AnalysisContext) -> frozenset[str]:
    """The forms (see `text_facts.call_forms`) of calls of workspace fns with a parameter of a generic type
    bounded by `Copy` (`start: N` under `impl<N, VM> Dfs<N, VM> where N: Copy`): `Dfs::new`, `Self::new`,
    `.new` for a method, `new` for a free fn; and of std's `.copied`. Bounds through other traits (`Ix:
    IndexType` with `trait IndexType: Copy`) are left out: they hold for the parameters' own types,
    rarely for the type that lost `Copy`."""
    calls = {"." + name for name in _STD_COPY_BOUNDED}
    for src in ctx.files:
        items = src.facts.items
        copy_bounded = text_facts_of(src).copy_bounded
        for item in items:
            if item.kind != "fn" or not item.params:
                continue
            owner = items[item.parent] if item.parent >= 0 and items[item.parent].kind == "impl" else None
            bounded: set[str] = set()
            for site in (item, owner) if owner is not None else (item,):
                bounded.update(copy_bounded.get(site.index, ()))
            if not bounded or bounded.isdisjoint(_TAKEN.sub("", t).strip() for _, t in item.params):
                continue
            if owner is None:
                calls.add(item.name)
                continue
            calls.add(f"{(owner.self_type or '').rsplit('::', 1)[-1]}::{item.name}")
            calls.add(f"Self::{item.name}")
            if item.has_self:
                calls.add("." + item.name)
    return frozenset(calls)


_NOT_MOVED = re.compile(r"-?\d[\w.]*|'.*'|\".*\"|true|false|[A-Z][A-Za-z0-9_]*(?:<.*>)?")  # literals and type names


def _repeats_a_value(elements: list[str], copy_call: Callable[[str], bool]) -> bool:
    """True when one of the array repeats' `elements` is a value that may not be Copy (not a literal; not a
    type such as `[u8; 4]` or `[Point; 2]`; not a call `copy_call` finds of a type that is Copy)."""
    for element in elements:
        call = _PATH_CALL.fullmatch(element)
        if call is not None and copy_call(call.group(1)):
            continue  # `[EdgeIndex::end(); 2]` while `EdgeIndex` is Copy
        if "(" in element or "::" in element or element == "None" or \
                (_NOT_MOVED.fullmatch(element) is None and element not in PRIMITIVES):
            return True
    return False


_PATH_CALL = re.compile(r"([A-Z][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)+)\s*\(\s*\)")


def _copy_call(ctx: AnalysisContext, src: SourceFile, item: int) -> Callable[[str], bool]:
    """Whether the call of a path (`EdgeIndex::end`, no arguments) at `item` gives a value of a workspace
    type that is Copy (by a derive or an impl, whatever its arguments)."""
    from rust_triage.families.types.tools import type_tools

    def copy_call(path: str) -> bool:
        tools = type_tools(ctx)
        typed = tools.env.type_of(src, item, ("call", path), 0)
        if typed is None or typed.shape.kind != "path":
            return False
        owner = tools.resolver.resolve(typed.src, typed.item, typed.shape.path)
        return owner is not None and tools.traits.status(owner, "Copy") == "yes"
    return copy_call


def needs_copy_elsewhere(ctx: AnalysisContext, src: SourceFile, item: int, clone_too: bool = True) -> bool:
    """True when fn `item` may fail to type-check once a type loses `Copy`: it calls a fn whose generic
    bounds need `Copy` of a parameter's type, or repeats a value in an array (`[x; 2]`; with
    `clone_too`, when the type may lack `Clone` as well, also in a `vec![x; n]`). Then rustc checks no
    moves in it (no E0382, no E0507)."""
    if item < 0:
        return False
    written = text_facts_of(src)
    if not ctx.memo(copy_bounded_fns).isdisjoint(written.calls.get(item, ())):
        return True
    array, repeated = written.repeats.get(item, ([], []))
    return _repeats_a_value(repeated if clone_too else array, _copy_call(ctx, src, item))
