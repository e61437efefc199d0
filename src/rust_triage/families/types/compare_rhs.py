"""Comparisons of a type that also compares with other types (`impl PartialEq<LevelFilter> for Level`).

For `a == b` with `a: Level`, rustc takes the one `PartialEq` impl of `Level` it finds and so `b`'s type
as `LevelFilter`: a type mismatch (E0308), not a missing trait. Not so when `Level` is only inside the
compared type: `Option<Level> == Option<Level>` needs `Level: PartialEq<Level>` (E0369), and `&Level ==
&Level` takes `B = Level` from the right operand in `impl PartialEq<&B> for &A where A: PartialEq<B>`
(E0277)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.families.types.resolve_types import same_def

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile
    from rust_triage.families.types.env_paths import Typed
    from rust_triage.families.types.facts import TraitUse
    from rust_triage.families.types.tools import TypeTools
    from rust_triage.graph.resolve import Def


def other_rhs_taken(tools: TypeTools, src: SourceFile, use: TraitUse, typed: Typed, owner: Def) -> bool:
    """rustc reports no missing `use.trait` of `owner` at the comparison `use` of a `typed` value, since
    `owner` compares with other types and the right operand is taken as one of them."""
    if not tools.traits.compares_with_other(owner, use.trait):
        return False
    shape = typed.shape
    if shape.kind == "path":  # the type itself, else a container of it
        found = tools.resolver.resolve(typed.src, typed.item, shape.path)
        return found is not None and same_def(found, owner)
    if shape.kind != "ref" or use.expr[0] != "cmp":
        return False
    sides = [tools.env.type_of(src, use.item, side, use.byte) for side in use.expr[1:3]]
    for side in sides:  # `&T == &T`: both references to the type itself
        if side is None or side.shape.kind != "ref" or side.shape.args[0].kind != "path":
            return True
        found = tools.resolver.resolve(side.src, side.item, side.shape.args[0].path)
        if found is None or not same_def(found, owner):
            return True
    return False
