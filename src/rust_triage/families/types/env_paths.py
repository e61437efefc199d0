"""Types of values named by paths: a fn's or tuple struct's call, a variant, a const, `parse::<T>()`'s
`Result` (the `LocalEnv` part that asks the resolver only)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rust_triage.families.types.method_pick import inherent_first
from rust_triage.families.types.resolve_types import TypeResolver
from rust_triage.families.types.std_methods import STD_METHOD_NAMES
from rust_triage.families.types.text_facts import text_facts_of
from rust_triage.families.types.typeref import Shape, generic_param_names, parse_type
from rust_triage.graph.resolve import Def

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# inherent fns of std types, which a workspace trait's fn of the same name cannot shadow
_STD_INHERENT = frozenset({"new", "with_capacity", "from_utf8", "from_utf8_lossy", "from_bytes", "from_raw_parts",
                           "from_vec", "from_str"})


@dataclass(frozen=True, slots=True)
class Typed:
    """A type as written (`text`) at a site (`src`, `item`) where its names resolve."""

    text: str
    src: SourceFile
    item: int

    @property
    def shape(self) -> Shape:
        return parse_type(self.text)


class PathTyping:
    """What a path names, typed through the resolver."""

    resolver: TypeResolver

    def _from_str_result(self, src: SourceFile, item: int, type_text: str) -> Typed | None:
        """`Result<T, E>` for `parse::<T>()` when the workspace's one `impl FromStr for T` says `type Err = E`."""
        shape = parse_type(type_text)
        owner = self.resolver.resolve(src, item, shape.path) if shape.kind == "path" and not shape.args else None
        if owner is None or owner.item.generics:
            return None
        impls = [d for d in self.resolver.impls_of(owner) if (d.item.trait or "").rsplit("::", 1)[-1] == "FromStr"]
        if len(impls) != 1:
            return None
        impl = impls[0]
        errors = [it.self_type for it in impl.file.facts.items
                  if it.parent == impl.item.index and it.kind == "type" and it.name == "Err" and it.self_type]
        if len(errors) != 1:
            return None
        return Typed(f"Result<{impl.item.self_type}, {errors[0]}>", impl.file, impl.item.index)

    def _constant(self, src: SourceFile, item: int, name: str) -> Typed | None:
        """The written type of the `const` or `static` item `name` (when its declaration fits one line)."""
        if not name[:1].isupper():
            return None
        candidates = self.resolver.resolve_values(src, item, name)
        if len(candidates) != 1 or candidates[0].item.kind not in ("const", "static"):
            return None
        d = candidates[0]
        written = text_facts_of(d.file).const_types.get(d.item.index) if d.item.name == name else None
        return Typed(written, d.file, d.item.index) if written is not None else None

    def associated_const(self, src: SourceFile, item: int, path: str) -> Typed | None:
        """The written type of `T::NAME`, the one associated const of that name in the impls of the workspace
        type `T` (not when it names the impl's type parameters, nor a trait's default const)."""
        prefix, _, name = path.rpartition("::")
        if not prefix or "::" in prefix or not name[:1].isupper():
            return None
        owner = self.resolver.resolve(src, item, prefix)
        if owner is None:
            return None
        found = []
        for impl in self.resolver.impls_of(owner):
            written = text_facts_of(impl.file).const_types
            for it in impl.file.facts.items[impl.item.index + 1:]:
                if it.parent == impl.item.index and it.kind == "const" and it.name == name:
                    found.append((impl, it.index, written.get(it.index)))
                elif it.parent < impl.item.index:
                    break  # past the impl's items
        if len(found) != 1 or found[0][2] is None:
            return None
        impl, index, text = found[0]
        if impl.item.generics and not generic_param_names(impl.item.generics).isdisjoint(_WORD.findall(text or "")):
            return None
        return Typed(text or "", impl.file, index)

    def _literal(self, src: SourceFile, item: int, path: str) -> Typed | None:
        found = self.resolver.resolve_variant(src, item, path)
        if found is None:
            return None
        owner, _ = found
        return Typed(owner.item.name, owner.file, owner.item.index)

    def _call(self, src: SourceFile, item: int, path: str, via_alias: bool = False) -> Typed | None:
        candidates = self.resolver.resolve_values(src, item, path)
        fns = [d for d in candidates if d.item.kind == "fn"]
        tuples = [d for d in candidates if d.item.kind == "struct" and d.item.tuple_struct]
        if tuples and not fns and len({(d.file.rel, d.item.index) for d in tuples}) == 1:
            d = tuples[0]
            return Typed(d.item.name, d.file, d.item.index)
        if fns and not tuples:
            return self._returns(inherent_first(fns, method_call=False))
        if not fns and not tuples:
            variant = self.resolver.resolve_variant(src, item, path)
            if variant is not None and variant[1] is not None:  # `E::V(..)`, or `V(..)` after `use E::V`
                owner = variant[0]
                return Typed(owner.item.name, owner.file, owner.item.index)
        if not candidates and path.endswith("::default"):
            owner = self.resolver.resolve(src, item, path[: -len("::default")])
            if owner is not None:
                return Typed(owner.item.name, owner.file, owner.item.index)
        if not candidates and path.count("::") == 1 and (found := self._foreign_trait_fn(src, item, path)):
            return found
        if not candidates and not via_alias and path.count("::") == 1:
            # `DiMatrix::new()` under `type DiMatrix<N, E> = MatrixGraph<N, E, Directed>`: the target's fn
            prefix, name = path.split("::")
            target = self.resolver.alias_target_path(src, item, prefix)
            if target is not None:
                return self._call(target[1], target[2], f"{target[0]}::{name}", True)
        return None

    def _foreign_trait_fn(self, src: SourceFile, item: int, path: str) -> Typed | None:
        """`OsStr::from_raw_bytes(..)`: what the one fn of that name returns that the workspace's trait impls
        define for the type outside the workspace `OsStr` (not a name of std's methods, which come first)."""
        prefix, name = path.split("::")
        if name in STD_METHOD_NAMES or name in _STD_INHERENT or prefix in ("Self", "self", "super", "crate") or \
                self.resolver.resolve(src, item, prefix) is not None:
            return None
        fns = []
        for d in self.resolver.index.methods.get(prefix, {}).get(name, []):
            impl = d.file.facts.items[d.item.parent]
            if impl.kind != "impl" or not impl.trait or \
                    self.resolver.resolve(d.file, impl.index, impl.self_type or "") is not None:
                continue
            trait = self.resolver.index.resolve(d.file, impl.index, impl.trait.split("<", 1)[0].strip())
            if not trait or any(t.item.kind != "trait" for t in trait):
                return None  # a std trait's (`u32::try_from`): std's own impls compete with it
            fns.append(d)
        return self._returns(fns) if fns else None

    def called_type_head(self, src: SourceFile, item: int, path: str) -> Typed | None:
        """What the one fn `path` names returns, also when its type arguments depend on the call's (`fn
        node_index<Ix>(i: usize) -> NodeIndex<Ix>`): for checks that need only the type's name, never a
        generic parameter itself."""
        fns = [d for d in self.resolver.resolve_values(src, item, path) if d.item.kind == "fn"]
        unique = {(d.file.rel, d.item.index): d for d in inherent_first(fns, method_call=False)}
        if len(unique) != 1:
            return None
        d = next(iter(unique.values()))
        shape = parse_type(d.item.return_type) if d.item.return_type else None
        if shape is None or shape.kind != "path" or shape.path in generic_param_names(d.item.generics) or \
                shape.path.split("::", 1)[0] == "Self":
            return None
        return Typed(d.item.return_type, d.file, d.item.index)

    def _returns(self, fns: list[Def]) -> Typed | None:
        unique = {(d.file.rel, d.item.index): d for d in fns}
        if len(unique) != 1:
            return None
        d = next(iter(unique.values()))
        if not d.item.return_type:
            return None
        if d.item.generics and not generic_param_names(d.item.generics).isdisjoint(_WORD.findall(d.item.return_type)):
            return None  # the return type depends on the call's type arguments
        return Typed(d.item.return_type, d.file, d.item.index)
