"""Resolve type paths written at a site to one workspace definition (struct, enum, union).

Built on `SymbolIndex.resolve`; adds what types need: `Self` (the enclosing impl's self type, or the
type itself inside its own definition), generic parameters (never resolved), type aliases (followed)
and the rule that anything ambiguous resolves to nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rust_triage.families.types.typeref import PRIMITIVES, Shape, generic_param_names, parse_type, substitute
from rust_triage.graph.resolve import Def

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile

TYPE_KINDS = ("struct", "enum", "union")
_TYPE_OR_ALIAS = (*TYPE_KINDS, "type")
_MAX_ALIAS_DEPTH = 6
_UNKNOWN = Shape("opaque")  # an alias argument that cannot be carried to the alias


class TypeResolver:
    def __init__(self, ctx: AnalysisContext) -> None:
        self.ctx = ctx
        self.index = ctx.index
        self._cache: dict[tuple[str, int, str], Def | None] = {}
        self._generics: dict[tuple[str, int], frozenset[str]] = {}
        self._aliases: dict[tuple[str, int, str], Def | None] = {}  # the one alias a path names at a site
        self._values: dict[tuple[str, int, str], list[Def]] = {}
        self._variants: dict[tuple[str, int, str], tuple[Def, str | None] | None] = {}  # see `resolve_variant`
        self._methods: dict[tuple[str, int, str], list[Def]] = {}  # (owner's file, item, name) -> `methods_of`
        # True when an item is surely compiled out here (a cfg that is false on this host); set by the tools
        self.cfg_off: Callable[[SourceFile, int], bool] = lambda src, index: False

    def _one(self, defs: list[Def]) -> Def | None:
        """The one definition of `defs`; of several, the one not compiled out by a false cfg (a type
        behind two `#[cfg]`'d `pub use`s)."""
        found = _unique(defs)
        if found is None and len(defs) > 1:
            found = _unique([d for d in defs if not self.cfg_off(d.file, d.item.index)])
        return found

    # -- context ------------------------------------------------------------------------------
    def generic_params(self, src: SourceFile, item_index: int) -> frozenset[str]:
        """Generic parameter names visible at `item_index` (its own and its enclosing items')."""
        key = (src.rel, item_index)
        found = self._generics.get(key)
        if found is None:
            names: set[str] = set()
            for item in src.facts.item_chain(item_index) if item_index >= 0 else []:
                if item.generics:
                    names |= generic_param_names(item.generics)
                if item.kind == "trait":
                    names.add("Self")  # `Self` in a trait is any implementor
            found = self._generics[key] = frozenset(names)
        return found

    def self_site(self, src: SourceFile, item_index: int) -> tuple[str, int] | None:
        """(type text, item index to resolve it from) that `Self` means at `item_index`."""
        items = src.facts.items
        i = item_index
        while i >= 0:
            item = items[i]
            if item.kind == "impl":
                return (item.self_type or "", item.index) if item.self_type else None
            if item.kind == "trait":
                return None
            if item.kind in TYPE_KINDS:
                return item.name, item.index
            i = item.parent
        return None

    # -- resolution ---------------------------------------------------------------------------
    def resolve(self, src: SourceFile, item_index: int, path: str, depth: int = 0) -> Def | None:
        """The one struct/enum/union `path` names at the site, following aliases; else None."""
        key = (src.rel, item_index, path)
        if key in self._cache:
            return self._cache[key]
        self._cache[key] = None  # guards alias cycles
        found = self._resolve(src, item_index, path, depth)
        self._cache[key] = found
        return found

    def _resolve(self, src: SourceFile, item_index: int, path: str, depth: int) -> Def | None:
        if depth > _MAX_ALIAS_DEPTH or not path:
            return None
        parts = path.split("::")
        head = parts[0]
        if head == "Self":
            site = self.self_site(src, item_index)
            if site is None:
                return None
            text, at = site
            return self.resolve(src, at, "::".join([text, *parts[1:]]) if len(parts) > 1 else text, depth + 1)
        if len(parts) == 1 and (head in PRIMITIVES or head in self.generic_params(src, item_index)):
            return None
        defs = [d for d in self.index.resolve(src, item_index, path) if d.item.kind in _TYPE_OR_ALIAS
                and not _is_variant_path(d, parts)]
        found = self._one(visible_from(src, item_index, defs))
        if found is None:
            return None
        if found.item.kind == "enum" and found.item.name != parts[-1] and \
                self.index.variant_import(src, item_index, path) is not None:
            return None  # `use E::V as W;` then `W`: a variant, not a type
        if found.item.kind == "type":
            target = found.item.self_type or ""
            if not target or found.item.generics:
                return None
            return self.resolve(found.file, found.item.index, target, depth + 1)
        return found

    def resolve_variant(self, src: SourceFile, item_index: int, path: str) -> tuple[Def, str | None] | None:
        """What a struct-literal path names: (struct def, None) or (enum def, variant name)."""
        key = (src.rel, item_index, path)
        if key in self._variants:
            return self._variants[key]
        found = self._variants[key] = self._resolve_variant(src, item_index, path)
        return found

    def _resolve_variant(self, src: SourceFile, item_index: int, path: str) -> tuple[Def, str | None] | None:
        found = self.resolve(src, item_index, path)
        if found is not None:
            return found, None
        if "::" not in path:
            return self.variant_import(src, item_index, path)
        prefix, variant = path.rsplit("::", 1)
        enum = self.resolve(src, item_index, prefix)
        if enum is not None and enum.item.kind == "enum" and variant in enum.item.variants:
            return enum, variant
        return self.variant_import(src, item_index, path)

    def variant_import(self, src: SourceFile, item_index: int, path: str) -> tuple[Def, str] | None:
        """(enum, variant) for a variant named through an import (`use E::V as W;` then `W`)."""
        if path.split("::", 1)[0] in ("Self", "self") or path in self.generic_params(src, item_index):
            return None
        found = self.index.variant_import(src, item_index, path)
        if found is None or not visible_from(src, item_index, [found[0]]):
            return None
        return found

    def alias_target_path(self, src: SourceFile, item_index: int, path: str) -> tuple[str, SourceFile, int] | None:
        """The path of the type the one type alias `path` names stands for, whatever its arguments
        (`MatrixGraph` for `DiMatrix` under `type DiMatrix<N, E> = MatrixGraph<N, E, Directed>`), with the
        alias's file and item to resolve it from."""
        found = self.alias_target(src, item_index, Shape("path", path))
        if found is not None or path in self.generic_params(src, item_index):
            return (found[0].path, found[1], found[2]) if found is not None and found[0].kind == "path" else None
        alias = self._aliases.get((src.rel, item_index, path))
        facts = alias.file.facts.extra.get("types") if alias is not None else None
        written = facts.type_aliases.get(alias.item.index) if facts is not None and alias is not None else None
        if written is None or alias is None:
            return None
        target = parse_type(written[1])
        return (target.path, alias.file, alias.item.index) if target.kind == "path" and target.path not in written[0] \
            else None

    def alias_target(self, src: SourceFile, item_index: int, shape: Shape) -> tuple[Shape, SourceFile, int] | None:
        """The target of the one type alias `shape` names, its parameters replaced by `shape`'s
        arguments (written at src/item_index), with the alias's file and item to resolve it from.

        Arguments come from another site than the target's other names: an argument that is not a
        primitive, a std generic over such, or a name resolving to the same type at both sites is
        replaced by an opaque type (`FoldResult<impl Iterator>` is `Result<_, CaseFoldError>`)."""
        path = shape.path
        if shape.kind != "path" or not path or path.split("::", 1)[0] == "Self" or \
                path in self.generic_params(src, item_index):
            return None
        key = (src.rel, item_index, path)
        if key in self._aliases:
            found = self._aliases[key]
        else:
            found = self._aliases[key] = _unique(visible_from(
                src, item_index, [d for d in self.index.resolve(src, item_index, path) if d.item.kind == "type"]))
        if found is None:
            return None
        facts = found.file.facts.extra.get("types")
        alias = facts.type_aliases.get(found.item.index) if facts is not None else None
        if alias is None:
            return None
        params, target = alias
        if len(params) != len(shape.args):
            return None
        # an argument that may mean another type at the alias (`impl Iterator<..>`, a name the alias's
        # module gives to something else) stands for a type nothing is known of
        mapping = {name: arg if self._portable(src, item_index, arg, found) else _UNKNOWN
                   for name, arg in zip(params, shape.args, strict=True)}
        return substitute(parse_type(target), mapping), found.file, found.item.index

    def _portable(self, src: SourceFile, item_index: int, arg: Shape, alias: Def) -> bool:
        """True when `arg` means the same written at the alias: a primitive, a type that resolves to
        the same definition there, or a std generic over such types."""
        if arg.kind in ("ref", "tuple", "array", "slice"):
            return all(self._portable(src, item_index, a, alias) for a in arg.args)
        if arg.kind != "path":
            return False
        if arg.path in PRIMITIVES or arg.path in ("String", "Vec", "Option", "Box"):
            return all(self._portable(src, item_index, a, alias) for a in arg.args)
        here = self.resolve(src, item_index, arg.path)
        there = self.resolve(alias.file, alias.item.index, arg.path)
        return here is not None and there is not None and same_def(here, there) and \
            all(self._portable(src, item_index, a, alias) for a in arg.args)

    def expand_alias(self, shape: Shape, src: SourceFile, item_index: int) -> tuple[Shape, SourceFile, int]:
        """`shape` with top-level type aliases followed (`FoldResult<char>` -> `Result<char, CaseFoldError>`)."""
        for _ in range(_MAX_ALIAS_DEPTH):
            if self.resolve(src, item_index, shape.path) is not None:
                break
            found = self.alias_target(src, item_index, shape)
            if found is None:
                break
            shape, src, item_index = found
        return shape, src, item_index

    def resolve_values(self, src: SourceFile, item_index: int, path: str) -> list[Def]:
        """Value-namespace candidates for a call path (`f`, `T::new`, `Self::new`, `Tuple`). The list is
        shared between callers: not to be changed."""
        key = (src.rel, item_index, path)
        found = self._values.get(key)
        if found is None:
            found = self._values[key] = self._resolve_values(src, item_index, path)
        return found

    def _resolve_values(self, src: SourceFile, item_index: int, path: str) -> list[Def]:
        parts = path.split("::")
        if parts[0] == "Self":
            site = self.self_site(src, item_index)
            if site is None:
                return []
            text, at = site
            return self.resolve_values(src, at, "::".join([text, *parts[1:]]))
        if len(parts) == 2:
            owner = self.resolve(src, item_index, parts[0])
            if owner is not None:
                return self.methods_of(owner, parts[1])
        return visible_from(src, item_index, self.index.resolve(src, item_index, path))

    def methods_of(self, owner: Def, name: str) -> list[Def]:
        """Fns named `name` in the impl blocks (inherent or trait) of `owner`. The list is shared between
        callers: not to be changed."""
        key = (owner.file.rel, owner.item.index, name)
        found = self._methods.get(key)
        if found is None:
            found = self._methods[key] = self._methods_of(owner, name)
        return found

    def _methods_of(self, owner: Def, name: str) -> list[Def]:
        out = []
        for d in self.index.methods.get(owner.item.name, {}).get(name, []):
            impl = d.file.facts.items[d.item.parent]
            target = self.resolve(d.file, impl.index, impl.self_type or "")
            if target is not None and same_def(target, owner):
                out.append(d)
        return out

    def impls_of(self, owner: Def) -> list[Def]:
        """Impl blocks whose self type is `owner`."""
        out = []
        for d in self.index.impls.get(owner.item.name, []):
            target = self.resolve(d.file, d.item.index, d.item.self_type or "")
            if target is not None and same_def(target, owner):
                out.append(d)
        return out


def same_def(a: Def, b: Def) -> bool:
    return a.file.rel == b.file.rel and a.item.index == b.item.index


def _local_to(d: Def) -> int:
    """Index of the fn a definition is local to, or -1 for module-level items."""
    items = d.file.facts.items
    i = d.item.parent
    while i >= 0:
        if items[i].kind == "fn":
            return i
        i = items[i].parent
    return -1


def visible_from(src: SourceFile, item_index: int, defs: list[Def]) -> list[Def]:
    """Drop what the site cannot see: the symbol index files fn-local items under their module.

    A fn-local item seen from inside its fn shadows everything else; seen from outside, it hides
    what the path really names, so nothing is returned.
    """
    for d in defs:
        if d.item.parent >= 0 and _local_to(d) >= 0:
            break
    else:
        return defs  # no fn-local item: the common case
    local = [(d, _local_to(d)) for d in defs]
    chain = {it.index for it in src.facts.item_chain(item_index)} if item_index >= 0 else set()
    inside = [d for d, fn in local if fn >= 0 and d.file.rel == src.rel and fn in chain]
    return inside


def _is_variant_path(d: Def, parts: list[str]) -> bool:
    """`E::V` resolves to enum `E` in the symbol index; as a type path it names nothing."""
    return len(parts) > 1 and d.item.kind == "enum" and parts[-1] != d.item.name and parts[-1] in d.item.variants


def _unique(defs: list[Def]) -> Def | None:
    seen: dict[tuple[str, int], Def] = {}
    for d in defs:
        seen.setdefault((d.file.rel, d.item.index), d)
    return next(iter(seen.values())) if len(seen) == 1 else None
