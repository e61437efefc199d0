"""The item type of a std iterator type, as a field holds one (`iter: Enumerate<slice::Iter<'a, Edge<E, Ix>>>`):
the result of `self.iter.next()` is an `Option` of it.

Known: the collections' `Iter`/`IterMut`/`IntoIter`/`Drain` (`&T`, `&mut T`, `T`; `(&K, &V)`... for
maps), `Keys`/`Values`, ranges, and the adapters `Enumerate`, `Zip`, `Chain`, `Cloned`, `Copied` and
those that keep the items (`Rev`, `Skip`...). Any other type, or a name the workspace defines, is None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rust_triage.families.types.typeref import Shape

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile

_STD_ROOTS = frozenset({"std", "core", "alloc"})

_ONE = {"Iter": "&{}", "IterMut": "&mut {}", "IntoIter": "{}", "Drain": "{}", "Range": "{}", "RangeInclusive": "{}",
        "RangeFrom": "{}"}
_MAP = {"Iter": "(&{}, &{})", "IterMut": "(&{}, &mut {})", "IntoIter": "({}, {})", "Drain": "({}, {})"}
_MAP_SIDE = {"Keys": (0, "&{}"), "Values": (1, "&{}"), "ValuesMut": (1, "&mut {}"), "IntoKeys": (0, "{}"),
             "IntoValues": (1, "{}")}
_KEEPING = frozenset({"Rev", "Skip", "Take", "Peekable", "Fuse", "StepBy", "Cycle"})
_MAX_NESTING = 8


def std_named(src: SourceFile, path: str) -> bool:
    """True when `path`, written in `src`, starts from std (`std::`, `::core::`) or from a name the file's
    `use` declarations import from std only (`slice::Iter` after `use std::slice;`), not from a dependency."""
    root = path.lstrip(":").split("::", 1)[0]
    if root in _STD_ROOTS:
        return True
    uses = [u.path for u in src.facts.uses if u.path and u.path[-1] != "*" and (u.alias or u.path[-1]) == root]
    return bool(uses) and all(u[0].lstrip(":") in _STD_ROOTS for u in uses)


def iterator_item(shape: Shape, is_std: Callable[[str], bool], depth: int = 0) -> str | None:
    """The item type text of the std iterator type `shape` (references see through), or None. `is_std`
    tells whether a path names std's type (see `std_named`; a workspace type of that name is not)."""
    while shape.kind == "ref":
        shape = shape.args[0]
    if shape.kind != "path" or not shape.args or depth > _MAX_NESTING or not is_std(shape.path):
        return None
    name, args = shape.name, shape.args
    if name in _KEEPING or (name == "Chain" and len(args) == 2):
        return iterator_item(args[0], is_std, depth + 1) if name == "Chain" or len(args) == 1 else None
    if name == "Enumerate" and len(args) == 1:
        inner = iterator_item(args[0], is_std, depth + 1)
        return f"(usize, {inner})" if inner is not None else None
    if name == "Zip" and len(args) == 2:
        left, right = (iterator_item(a, is_std, depth + 1) for a in args)
        return f"({left}, {right})" if left is not None and right is not None else None
    if name in ("Cloned", "Copied") and len(args) == 1:
        inner = iterator_item(args[0], is_std, depth + 1)
        return inner[1:].lstrip() if inner is not None and inner.startswith("&") and \
            not inner.startswith("&mut ") else None
    if len(args) == 1 and name in _ONE and "array" not in shape.path.split("::"):
        return _ONE[name].format(args[0].text())
    if len(args) == 2 and name in _MAP and (name != "IntoIter" or any(m in shape.path for m in ("hash_map", "btree_map"))):
        return _MAP[name].format(args[0].text(), args[1].text())
    if len(args) == 2 and name in _MAP_SIDE:
        side, form = _MAP_SIDE[name]
        return form.format(args[side].text())
    return None
