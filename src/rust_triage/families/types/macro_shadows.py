"""Where a workspace `macro_rules!` may shadow a std macro of the same name (`assert_eq!`, `format!`).

A std macro's arguments are read as uses of Debug/PartialEq; a workspace macro of the same name in scope
means the call may be that macro instead, and then the use is not checked. A `macro_rules!` has textual
scope: one defined in an inline module or fn (`#[cfg(test)] mod tests { macro_rules! assert_eq ... }`)
reaches no further than that item's end, unless `#[macro_export]`/`#[macro_use]` carries it out or a
module nested in that item (perhaps another file) may see it. Such a definition shadows only the calls
inside its item; every other definition is taken to shadow the name everywhere (silent when unsure).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile
    from rust_triage.parse.facts import Item


@dataclass(frozen=True)
class MacroShadows:
    everywhere: frozenset[str]  # names of definitions that may be in scope anywhere
    confined: dict[str, frozenset[tuple[str, int]]]  # name -> (file, index of the item it is confined to)

    def __contains__(self, name: str) -> bool:
        """Whether a workspace macro of this name exists at all (cheap pre-test)."""
        return name in self.everywhere or name in self.confined

    def shadows(self, name: str, src: SourceFile, item_index: int) -> bool:
        """Whether a workspace macro `name` may be the one called inside item `item_index` of `src`."""
        if name in self.everywhere:
            return True
        places = self.confined.get(name)
        if not places or item_index < 0:
            return False
        return any((src.rel, item.index) in places for item in src.facts.item_chain(item_index))


def macro_shadows(ctx: AnalysisContext) -> MacroShadows:
    everywhere: set[str] = set()
    confined: dict[str, set[tuple[str, int]]] = {}
    for src in ctx.files:
        items = src.facts.items
        holding_modules: set[int] | None = None  # items with a module inside (built at most once a file)
        for item in items:
            if item.kind != "macro":
                continue
            owner = _confining_item(items, item)
            if owner is not None:
                if holding_modules is None:
                    holding_modules = _holding_modules(items)
                if owner in holding_modules:
                    owner = None  # a nested module (maybe a file of its own) may see the macro
            if owner is None:
                everywhere.add(item.name)
            else:
                confined.setdefault(item.name, set()).add((src.rel, owner))
    return MacroShadows(frozenset(everywhere), {name: frozenset(p) for name, p in confined.items()})


def _confining_item(items: list[Item], macro: Item) -> int | None:
    """The index of the inline module or fn a `macro_rules!` cannot reach beyond by its own attributes."""
    if macro.parent < 0 or any("macro_export" in a for a in macro.attrs):
        return None
    owner = items[macro.parent]
    if owner.kind not in ("mod", "fn") or any("macro_use" in a for a in owner.attrs):
        return None
    return owner.index


def _holding_modules(items: list[Item]) -> set[int]:
    out: set[int] = set()
    for item in items:
        if item.kind == "mod":
            index = item.parent
            while index >= 0 and index not in out:
                out.add(index)
                index = items[index].parent
    return out
