"""Calls of a workspace trait's methods on a type whose impl of that trait lacks a derivable
supertrait (RT310): `trait Interval: Clone + Debug + Ord`, `impl Interval for Range`, `Range` without
`Ord`: rustc rejects the impl and every call that needs `Range: Interval` (E0277).

Calls come from the file facts' call list: `T::m(..)` and `Self::m(..)` paths, and `recv.m(..)` where
the receiver is a place (`self`, `x`, `self.a.b`) or a short `T::f(..)` call, typed with the local
environment.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rust_triage.families.types.resolve_types import same_def
from rust_triage.families.types.traits import Lack
from rust_triage.graph.resolve import Def
from rust_triage.parse.facts import Call, Item
from rust_triage.parse.source import REREAD_MAX_BYTES
from rust_triage.workspace.safepath import read_file_or_none

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile
    from rust_triage.families.types.tools import TypeTools

_PLACE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")
_PATH_CALL = re.compile(r"^((?:[A-Za-z_][A-Za-z0-9_]*::)+[A-Za-z_][A-Za-z0-9_]*)\s*\(.*\)$", re.S)

# (owner, lacking supertraits with their sureness, the trait's method names)
Broken = tuple[Def, list[Lack], frozenset[str]]


def broken_impls(tools: TypeTools, lacks: list[tuple[SourceFile, Item, Def, str, bool]]) -> list[Broken]:
    """Group (impl file, impl item, owner, missing trait, sure) by impl, with the trait's method names
    that the owner does not also define inherently (an inherent method wins over the trait's)."""
    grouped: dict[tuple[str, int], tuple[Def, list[Lack], frozenset[str]]] = {}
    for src, impl, owner, trait, sure in lacks:
        key = (src.rel, impl.index)
        if key not in grouped:
            methods = _trait_methods(tools, src, impl)
            if not methods:
                continue
            inherent = {d.item.name for name in methods for d in tools.resolver.methods_of(owner, name)
                        if not (d.file.facts.items[d.item.parent].trait or "")}
            grouped[key] = (owner, [], frozenset(methods - inherent))
        grouped[key][1].append(Lack(owner, trait, sure))
    return [g for g in grouped.values() if g[2]]


def _trait_methods(tools: TypeTools, src: SourceFile, impl: Item) -> set[str]:
    path = (impl.trait or "").split("<", 1)[0].strip()
    traits = {(d.file.rel, d.item.index): d for d in tools.ctx.index.resolve(src, impl.index, path)
              if d.item.kind == "trait"}
    if len(traits) != 1:
        return set()
    trait = next(iter(traits.values()))
    return {it.name for it in trait.file.facts.items if it.parent == trait.item.index and it.kind == "fn"}


def calls_needing(tools: TypeTools, src: SourceFile, broken: list[Broken]) -> list[tuple[Call, Lack]]:
    """The calls in `src` that need one of the broken impls, with what is lacking."""
    names = {name for _, _, methods in broken for name in methods}
    texts: dict[str, bytes | None] = {}  # the file, read again for byte offsets
    out: list[tuple[Call, Lack]] = []
    for call in src.facts.calls:
        if call.in_macro:
            continue
        name = call.callee.rsplit("::", 1)[-1] if not call.method else call.callee
        if name not in names:
            continue
        owner = _callee_owner(tools, src, call, texts)
        if owner is None:
            continue
        for o, lacks, methods in broken:
            if name in methods and same_def(o, owner):
                out.extend((call, lack) for lack in lacks)
    return out


def _callee_owner(tools: TypeTools, src: SourceFile, call: Call, texts: dict[str, bytes | None]) -> Def | None:
    """The workspace type whose trait method the call names: `T` of `T::m(..)`, the receiver's type."""
    if not call.method:
        prefix = call.callee.rsplit("::", 1)[0] if "::" in call.callee else ""
        return tools.resolver.resolve(src, call.item, prefix) if prefix else None
    receiver = call.receiver.strip()
    byte = 0
    if _PLACE.match(receiver):  # `self`, `x`, `self.a.b`
        head, *fields = receiver.split(".")
        expr: tuple = ("self",) if head == "self" else ("id", head)
        for name in fields:
            expr = ("field", expr, name)
        if head != "self":
            if src.rel not in texts:
                texts[src.rel] = read_file_or_none(src.path, (), REREAD_MAX_BYTES)
            byte = _byte_at(texts[src.rel], call.line, call.column)
            if byte < 0:
                return None
    else:
        match = _PATH_CALL.match(receiver)
        if match is None:
            return None
        expr = ("call", match.group(1).replace(" ", ""))
    return tools.env.owner(tools.env.type_of(src, call.item, expr, byte))


def _byte_at(data: bytes | None, line: int, column: int) -> int:
    """File byte offset of a 1-based line and byte column (bindings are looked up by offset); -1 when
    the file cannot be read again."""
    if data is None:
        return -1
    start = 0
    for _ in range(line - 1):
        start = data.find(b"\n", start) + 1
        if start == 0:
            return -1
    return start + column - 1
