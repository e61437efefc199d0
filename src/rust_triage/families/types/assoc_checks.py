"""`type NodeId = NodeIndex<Ix>;` in an impl of a workspace trait that declares `type NodeId: Copy + ..`:
the bound type must implement the derivable traits the declaration names, and the derivable supertraits
of the workspace traits it names (`type NodeRef: NodeRef` with `trait NodeRef: Copy`). rustc reports a
lack at the binding (E0277), also through tuples and other containers of the type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rust_triage.families.types.other_rhs import trait_name
from rust_triage.families.types.tools import TypeTools, type_tools
from rust_triage.families.types.traits import STD_DERIVES, SUPERTRAITS, Lack
from rust_triage.families.types.typeref import Shape, generic_param_names, parse_type, substitute
from rust_triage.parse.facts import Item

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile

# (file, item index scoping the bound paths) of a trait's declaration, and its bounds per associated type
_Declared = tuple["SourceFile", int, dict[str, list[str]]]
_PLACEHOLDER = Shape("path", "u8")


def assoc_type_lacks(tools: TypeTools, src: SourceFile) -> Iterator[tuple[Item, str, Lack]]:
    """(associated type binding, trait, lack) for each binding in the file's trait impls whose type lacks
    a derivable trait the trait's declaration requires of it."""
    items = src.facts.items
    bindings: dict[int, list[Item]] = {}
    for item in items:
        if item.kind == "type" and item.parent >= 0 and items[item.parent].kind == "impl":
            bindings.setdefault(item.parent, []).append(item)
    if not bindings:
        return
    facts = tools.facts(src)
    if facts is None:
        return
    for impl_index, types in bindings.items():
        impl = items[impl_index]
        if not impl.trait or impl.trait.startswith("!"):
            continue
        declared = _declaration(tools, src, impl)
        if declared is None:
            continue
        trait_src, scope, bounds = declared
        # the impl's parameters never lack a trait here; a primitive in their place lets an alias of the
        # type be followed (`type NodeIndex<Ix> = graph::NodeIndex<Ix>`) to the type that decides
        params = {name: _PLACEHOLDER for name in generic_param_names(impl.generics)}
        for binding in types:
            written = facts.type_aliases.get(binding.index)
            needs = bounds.get(binding.name)
            if written is None or written[0] or not needs:
                continue
            shape = substitute(parse_type(written[1]), params)
            for trait in _required(tools, trait_src, scope, needs):
                for lack in tools.traits.lacking(shape, trait, src, binding.index):
                    yield binding, trait, lack


def _declaration(tools: TypeTools, src: SourceFile, impl: Item) -> _Declared | None:
    """Where the trait `impl` implements is declared, and its associated types' bounds."""
    path = (impl.trait or "").split("<", 1)[0].strip()
    defs = {(d.file.rel, d.item.index): d for d in tools.ctx.index.resolve(src, impl.index, path)
            if d.item.kind == "trait"}
    if len(defs) == 1:
        trait = next(iter(defs.values()))
        facts = tools.facts(trait.file)
        bounds = facts.assoc_bounds.get(trait.item.index) if facts is not None else None
        return (trait.file, trait.item.index, bounds) if bounds else None
    if defs:
        return None
    found = _macro_traits(tools).get(path.rsplit("::", 1)[-1])
    return found[0] if found is not None and len(found) == 1 else None


def _macro_traits(tools: TypeTools) -> dict[str, list[_Declared]]:
    return tools.ctx.memo(_collect_macro_traits)


def _collect_macro_traits(ctx: AnalysisContext) -> dict[str, list[_Declared]]:
    """Traits declared in item-level macro calls, by name, over the workspace; a name also given to a
    trait item is left out (the path would have resolved to it, or to something else)."""
    tools = type_tools(ctx)
    out: dict[str, list[_Declared]] = {}
    items: set[str] = set()
    for src in ctx.files:
        facts = tools.facts(src)
        items.update(item.name for item in src.facts.items if item.kind == "trait")
        for name, (scope, bounds) in facts.macro_assoc_bounds.items() if facts is not None else ():
            out.setdefault(name, []).append((src, scope, bounds))
    return {name: found for name, found in out.items() if name not in items}


def _required(tools: TypeTools, src: SourceFile, scope: int, bounds: list[str]) -> list[str]:
    """The derivable traits `bounds` (written in `src` at item `scope`) require, supertraits included."""
    out: list[str] = []
    for bound in bounds:
        path = bound.split("<", 1)[0].strip()
        defs = {(d.file.rel, d.item.index): d for d in tools.ctx.index.resolve(src, scope, path)
                if d.item.kind == "trait"}
        if len(defs) == 1:  # a workspace trait: its derivable supertraits
            trait = next(iter(defs.values())).item
            names = [trait_name(b) for b in (trait.trait or "").lstrip(":").split("+") if "?" not in b]
        elif not defs:
            names = [trait_name(bound)]
        else:
            continue
        out.extend(n for n in names if n in STD_DERIVES and n not in out)
    for trait in out:  # grows while it is read
        out.extend(sup for sup in SUPERTRAITS.get(trait, ()) if sup not in out)
    return out
