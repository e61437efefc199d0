"""The item type of iterating over a value: a workspace type's one `impl Iterator` (`type Item = NodeIndex<Ix>`)
or a std iterator type (see std_iters), by value or through `&mut`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.families.types.env_paths import Typed
from rust_triage.families.types.std_iters import iterator_item, std_named
from rust_triage.families.types.typeref import parse_type

if TYPE_CHECKING:
    from rust_triage.families.types.facts import TypeFacts
    from rust_triage.families.types.resolve_types import TypeResolver
    from rust_triage.graph.resolve import Def

_ITERATOR = frozenset({"Iterator", "iter::Iterator", "std::iter::Iterator", "core::iter::Iterator"})


def iterator_impl_item(resolver: TypeResolver, typed: Typed | None) -> tuple[Def, str] | None:
    """The one `impl Iterator` of the workspace struct or enum `typed` names (not through a reference), and
    the text of its `type Item`."""
    if typed is None or typed.shape.kind != "path":
        return None
    owner = resolver.resolve(typed.src, typed.item, typed.shape.path)
    if owner is None or owner.item.kind not in ("struct", "enum"):
        return None
    found: list[tuple[Def, str]] = []
    for impl in resolver.ctx.index.impls.get(owner.item.name, []):
        trait = (impl.item.trait or "").split("<", 1)[0].strip()
        if trait not in _ITERATOR:
            continue
        target = resolver.resolve(impl.file, impl.item.index, parse_type(impl.item.self_type or "").path)
        if target is None or (target.file.rel, target.item.index) != (owner.file.rel, owner.item.index):
            if target is None:
                return None  # an impl for a type of that name that cannot be placed: unsure
            continue
        facts: TypeFacts | None = impl.file.facts.extra.get("types")
        items = impl.file.facts.items
        named = [facts.type_aliases[i.index][1] for i in items
                 if i.parent == impl.item.index and i.kind == "type" and i.name == "Item"
                 and facts is not None and i.index in facts.type_aliases]
        if len(named) != 1:
            return None
        found.append((impl, named[0]))
    return found[0] if len(found) == 1 else None


def iterator_items(resolver: TypeResolver, typed: Typed | None) -> Typed | None:
    """The item type of iterating over `typed` by value or through `&mut`: a workspace type's one `impl
    Iterator` (`iterator_impl_item`) or a std iterator type (`std_iters`); None for anything else (a
    shared reference to an iterator is no iterator)."""
    if typed is None:
        return None
    shape = typed.shape
    if shape.kind == "ref":
        if not shape.mutable:
            return None
        shape = shape.args[0]
        typed = Typed(shape.text(), typed.src, typed.item)
    found = iterator_impl_item(resolver, typed)
    if found is not None:
        return Typed(found[1], found[0].file, found[0].item.index)
    src, item = typed.src, typed.item
    text = iterator_item(shape, lambda p: std_named(src, p) and resolver.resolve(src, item, p) is None)
    return Typed(text, src, item) if text is not None else None
