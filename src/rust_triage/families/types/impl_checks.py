"""`impl Trait for Type` where the trait's supertraits include a derivable trait the type lacks:
`impl std::error::Error for E` needs `E: Debug`; `trait Interval: Clone + Debug + Ord` needs them all
of every implementor (rustc E0277 at the impl)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.families.types.other_rhs import trait_name
from rust_triage.families.types.traits import STD_DERIVES, SUPERTRAITS
from rust_triage.families.types.typeref import parse_type
from rust_triage.graph.resolve import Def
from rust_triage.parse.facts import Item

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile
    from rust_triage.families.types.tools import TypeTools

_STD_ROOTS = ("std", "core")
_STD_GLOBS = (("std",), ("core",), ("::std",), ("::core",), ("", "std"), ("", "core"))
_COPY_PATHS = ("Copy", "marker::Copy", "std::marker::Copy", "core::marker::Copy", "::std::marker::Copy",
               "::core::marker::Copy")
# std traits (by full path) -> the derivable supertraits they require
_STD_SUPERTRAITS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("error", "Error"): ("Debug",),
    ("cmp", "Eq"): ("PartialEq",),
    ("cmp", "Ord"): ("Eq", "PartialOrd"),
    ("cmp", "PartialOrd"): ("PartialEq",),
    ("marker", "Copy"): ("Clone",),
}

# the std prelude's traits among those, by their std path
_PRELUDE_TRAITS = {"Eq": ("cmp", "Eq"), "Ord": ("cmp", "Ord"), "PartialOrd": ("cmp", "PartialOrd"),
                   "Copy": ("marker", "Copy")}


def impl_supertrait_lacks(tools: TypeTools, src: SourceFile, impl: Item) -> list[tuple[Def, str, str, str, bool]]:
    """(type, missing trait, what needs it, confidence, whether the trait names it itself) for the impl
    `impl`. Only a missing trait the trait names itself breaks the calls of its methods as well."""
    if not impl.trait or not impl.self_type or impl.trait.startswith("!"):
        return []
    path = impl.trait.split("<", 1)[0].strip()
    required = _workspace_supertraits(tools, src, impl, path)
    if required is None:
        required = _STD_SUPERTRAITS.get(_std_path(tools, src, impl, path), ())
    if not required:
        return []
    direct = set(required)
    required = _with_supertraits(required)
    owner = tools.resolver.resolve(src, impl.index, impl.self_type)
    gated = tools.cfg_gated(src, impl.index)
    if owner is None:
        return _wrapped_lacks(tools, src, impl, path, required, gated)
    if tools.traits.other_rhs(Def(src, impl, owner.scope), owner):
        return []  # `impl PartialOrd<Other> for T` needs `T: PartialEq<Other>`, not `PartialEq`
    out = []
    for trait in required:
        verdict = tools.traits.status(owner, trait)
        if verdict != "yes":
            out.append((owner, trait, f"impl {trait_name(path)} for {owner.item.name}",
                        "high" if verdict == "no" and not gated else "medium", trait in direct))
    return out


def manual_copy_target(tools: TypeTools, src: SourceFile, impl: Item) -> Def | None:
    """The workspace struct or enum `T` of `impl Copy for T {}` (std's Copy), else None: rustc rejects the
    impl (E0204) when a field of `T` is not Copy, as it does `#[derive(Copy)]`."""
    if not impl.trait or not impl.self_type or impl.trait.split("<", 1)[0].strip() not in _COPY_PATHS:
        return None
    path = impl.trait.strip()
    if _workspace_supertraits(tools, src, impl, path) is not None or _std_path(tools, src, impl, path) != ("marker", "Copy"):
        return None
    owner = tools.resolver.resolve(src, impl.index, impl.self_type)
    return owner if owner is not None and owner.item.kind in ("struct", "enum") else None


def _wrapped_lacks(tools: TypeTools, src: SourceFile, impl: Item, path: str, required: tuple[str, ...],
                   gated: bool) -> list[tuple[Def, str, str, str, bool]]:
    """`impl Trait for Option<Frame>`: the std type implements each required trait only when its
    arguments do. The calls of the trait's methods are on the std type, not on `Frame`: not direct."""
    if not impl.impl_type:
        return []
    shape = parse_type(impl.impl_type)
    out = []
    for trait in required:
        for lack in tools.traits.lacking(shape, trait, src, impl.index):
            out.append((lack.owner, trait, f"impl {trait_name(path)} for {impl.impl_type}",
                        "high" if lack.sure and not gated else "medium", False))
    return out


def _with_supertraits(traits: tuple[str, ...]) -> tuple[str, ...]:
    """`traits` and their derivable supertraits, transitively: a `Copy` bound needs `Clone` as well, which
    rustc reports at the impl when the type derives `Copy` alone."""
    out = list(traits)
    for trait in out:  # grows while it is read
        out.extend(sup for sup in SUPERTRAITS.get(trait, ()) if sup not in out)
    return tuple(out)


def _workspace_supertraits(tools: TypeTools, src: SourceFile, impl: Item, path: str) -> tuple[str, ...] | None:
    """Derivable supertraits of the workspace trait `path` names; None when it names none."""
    defs = {(d.file.rel, d.item.index): d for d in tools.ctx.index.resolve(src, impl.index, path)
            if d.item.kind == "trait"}
    if len(defs) != 1:
        return None if not defs else ()
    trait = next(iter(defs.values())).item
    bounds = (trait.trait or "").lstrip(":").split("+")  # the text starts with the colon
    return tuple(dict.fromkeys(name for b in bounds if (name := trait_name(b)) in STD_DERIVES and "?" not in b))


def _std_path(tools: TypeTools, src: SourceFile, impl: Item, path: str) -> tuple[str, ...]:
    """`Error` / `error::Error` / `StdError` expanded through the file's `use` declarations to the
    std path after its root (`("error", "Error")`); () when it is not a std path."""
    parts = path.split("::")
    if parts[0] in ("", "::"):
        parts = parts[1:]
    if parts and parts[0] not in _STD_ROOTS and len(parts) > 2:
        found = _std_reexport(tools, src, impl, parts)
        if found:
            return found
    if parts and parts[0] not in _STD_ROOTS:
        found = [u.path for u in src.facts.uses if (u.alias or u.path[-1]) == parts[0] and u.path[-1] != "*"
                 and u.item in _enclosing(src, impl)]
        if not found and len(parts) == 1 and parts[0] in _PRELUDE_TRAITS:
            return _PRELUDE_TRAITS[parts[0]]  # not a workspace trait (the caller asked first), not imported
        if len(found) != 1:
            return ()
        parts = list(found[0]) + parts[1:]
    if not parts or parts[0] not in _STD_ROOTS:
        return ()
    return tuple(parts[1:])


def _std_reexport(tools: TypeTools, src: SourceFile, impl: Item, parts: list[str]) -> tuple[str, ...]:
    """`crate::stdlib::error::Error` (or `self::`, `super::`, a child module's name) where the module
    `stdlib` glob-imports std or core (`pub use std::*;`, whatever its cfg) and nothing of the workspace
    answers to the rest of the path: std's path after its root; () otherwise."""
    index = tools.ctx.index
    scope = index.scope_of_item(src, impl.index)
    if scope is None:
        return ()
    rest = parts
    if parts[0] in ("crate", "self", "super"):
        scope = scope.root if parts[0] == "crate" else scope.parent if parts[0] == "super" else scope
        rest = parts[1:]
    elif parts[0] not in scope.children:
        return ()
    while scope is not None and len(rest) > 2 and rest[0] in scope.children:
        scope, rest = scope.children[rest[0]], rest[1:]
    if scope is None or len(rest) != 2 or rest[0] in scope.items or rest[0] in scope.children or \
            any(u.path[-1] != "*" and (u.alias or u.path[-1]) == rest[0] for u in scope.uses if u.path):
        return ()
    if not any(u.path[-1] == "*" and u.path[:-1] in _STD_GLOBS for u in scope.uses):
        return ()
    if index.resolve(src, impl.index, "::".join(parts)):
        return ()  # a workspace item of that path, through another glob
    return tuple(rest)


def _enclosing(src: SourceFile, impl: Item) -> set[int]:
    """Items whose `use` declarations are visible at the impl: its module chain (and the file level)."""
    return {-1} | {it.index for it in src.facts.item_chain(impl.parent) if it.kind in ("mod", "fn")} \
        if impl.parent >= 0 else {-1}
