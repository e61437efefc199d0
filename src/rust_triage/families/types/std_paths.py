"""Paths that name std items through a file's `use` declarations (`use std::slice;` then
`slice::Iter<'a, T>`), and the std types whose derivable traits follow their type arguments."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile

STD_ROOTS = ("std", "core", "alloc")

_DEBUG_CLONE = frozenset({"Debug", "Clone"})
_DEBUG = frozenset({"Debug"})
_RANGE = frozenset({"Debug", "Clone", "PartialEq", "Eq", "Hash"})
# std path after its root -> (traits it implements exactly when its type arguments do, how many of the
# arguments count: -1 for all). Only types whose impls are derives or plain `T: Trait` bounds.
STD_ADAPTERS: dict[tuple[str, ...], tuple[frozenset[str], int]] = {
    ("slice", "Iter"): (_DEBUG, 1), ("slice", "IterMut"): (_DEBUG, 1), ("slice", "Windows"): (_DEBUG, 1),
    ("slice", "Chunks"): (_DEBUG, 1), ("slice", "ChunksExact"): (_DEBUG, 1),
    ("vec", "IntoIter"): (_DEBUG_CLONE, 1), ("vec", "Drain"): (_DEBUG, 1),
    **{("iter", name): (_DEBUG_CLONE, -1) for name in (
        "Enumerate", "Peekable", "Rev", "Skip", "Take", "Fuse", "StepBy", "Cycle", "Chain", "Zip", "Cloned",
        "Copied")},
    **{("iter", name): (_DEBUG_CLONE, 1) for name in ("Map", "Filter", "FilterMap", "TakeWhile", "SkipWhile")},
    ("ops", "Range"): (_RANGE, 1), ("ops", "RangeInclusive"): (_RANGE, 1),
}


_ALL = frozenset({"Debug", "Clone", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash"})
# The same for containers of well-known dependencies, by their path from the crate's name.
CRATE_ADAPTERS: dict[tuple[str, ...], tuple[frozenset[str], int]] = {
    ("indexmap", "IndexMap"): (_DEBUG_CLONE, -1), ("indexmap", "map", "IndexMap"): (_DEBUG_CLONE, -1),
    ("indexmap", "IndexSet"): (_DEBUG_CLONE, -1), ("indexmap", "set", "IndexSet"): (_DEBUG_CLONE, -1),
    ("hashbrown", "HashMap"): (_DEBUG_CLONE, -1), ("hashbrown", "HashSet"): (_DEBUG_CLONE, -1),
    ("smallvec", "SmallVec"): (_ALL, 1),  # `SmallVec<[T; N]>`: the array's `T`
}
_CRATE_ROOTS = frozenset(path[0] for path in CRATE_ADAPTERS)


def std_path(src: SourceFile, item_index: int, path: str) -> tuple[str, ...]:
    """`slice::Iter` / `Range` / `std::ops::Range` at item `item_index` of `src` expanded through the
    `use` declarations visible there to the std path after its root (`("ops", "Range")`); () when the
    path does not surely name a std item."""
    parts = _expanded(src, item_index, path)
    return tuple(parts[1:]) if parts and parts[0] in STD_ROOTS else ()


def crate_path(src: SourceFile, item_index: int, path: str) -> tuple[str, ...]:
    """The same for a `CRATE_ADAPTERS` crate: the path from the crate's name (`("indexmap", "IndexMap")`)."""
    parts = _expanded(src, item_index, path)
    return tuple(parts) if parts and parts[0] in _CRATE_ROOTS else ()


def _expanded(src: SourceFile, item_index: int, path: str) -> list[str]:
    parts = path.split("::")
    if parts[0] in ("", "crate", "self", "super"):
        parts = parts[1:] if parts[0] == "" else []  # `::indexmap::IndexMap`
        if not parts:
            return []
    if parts[0] not in STD_ROOTS and parts[0] not in _CRATE_ROOTS:
        visible = _enclosing(src, item_index)
        found = {u.path for u in src.facts.uses if (u.alias or u.path[-1]) == parts[0] and u.path[-1] != "*"
                 and u.item in visible}
        if len(found) != 1:
            return []
        parts = list(next(iter(found))) + parts[1:]
    return parts


def _enclosing(src: SourceFile, item_index: int) -> set[int]:
    """Items whose `use` declarations are visible at the item: the fns around it up to its module, and
    that module (-1: the file); a parent module's imports are not visible in a child module."""
    visible = set()
    for it in src.facts.item_chain(item_index) if item_index >= 0 else ():
        if it.kind == "fn":
            visible.add(it.index)
        elif it.kind == "mod":
            visible.add(it.index)
            return visible
    visible.add(-1)
    return visible
