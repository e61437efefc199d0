"""Impls of `PartialEq<Other>` / `PartialOrd<Other>` that compare a type with other types only (the
`TraitOracle`'s part on them; see compare_rhs for what rustc reports at such a comparison)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.families.types.resolve_types import TypeResolver, same_def
from rust_triage.families.types.typeref import PRIMITIVES, generic_param_names, parse_type

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile
    from rust_triage.families.types.macro_impls import MacroImpls
    from rust_triage.graph.resolve import Def


class OtherRhsMixin:
    ctx: AnalysisContext
    resolver: TypeResolver
    macro_impls: MacroImpls

    def compares_with_other(self, owner: Def, trait: str) -> bool:
        """`owner` has an impl of `PartialEq<Other>` (or `PartialOrd<Other>`) only for other types: rustc
        then takes `Other` as the operand type of `==` and reports a type mismatch, not a missing trait."""
        for impl in self.ctx.index.impls.get(owner.item.name, []):
            if impl.item.trait and trait_name(impl.item.trait) == trait and self._other_rhs(impl, owner):
                return True
        for made in self.macro_impls.impls_of(owner.item.name):
            if trait_name(made.trait) == trait and self._other_trait_rhs(made.trait, made.generics, made.file,
                                                                         made.item, owner):
                target = self.resolver.resolve(made.file, made.item, made.self_path)
                if target is not None and same_def(target, owner):
                    return True
        return False

    def other_rhs(self, impl: Def, owner: Def) -> bool:
        return self._other_rhs(impl, owner)

    def _other_rhs(self, impl: Def, owner: Def) -> bool:
        return self._other_trait_rhs(impl.item.trait or "", impl.item.generics, impl.file, impl.item.index, owner)

    def _other_trait_rhs(self, text: str, generics: str, src: SourceFile, item_index: int, owner: Def) -> bool:
        """`impl PartialEq<LevelFilter> for Level`: the impl compares with another type, surely not with
        the type itself (a primitive, `str`, a reference or another workspace type)."""
        if "<" not in text or trait_name(text) not in ("PartialEq", "PartialOrd"):
            return False
        shape = parse_type(text[text.index("<") + 1:text.rindex(">")] if ">" in text else "")
        if shape.kind == "ref":
            return True  # `&str`, `&'a Other`: never the type itself
        if shape.kind != "path" or shape.args or shape.path == "Self" \
                or shape.path in generic_param_names(generics):
            return False
        if shape.path in PRIMITIVES or shape.path == "String":
            return True
        other = self.resolver.resolve(src, item_index, shape.path)
        return other is not None and not same_def(other, owner)


def trait_name(trait_text: str) -> str:
    """`std::fmt::Debug` / `PartialEq<Other>` -> `Debug` / `PartialEq`."""
    return trait_text.split("<", 1)[0].rsplit("::", 1)[-1].strip()
