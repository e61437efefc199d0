"""Name resolution across the workspace: module scopes, `use` imports, re-exports, globs, aliases.

Best effort and precision first: `resolve` returns every definition a path may name, and callers
that need certainty (struct-literal checks) act only when exactly one candidate remains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from rust_triage.graph.block_imports import BlockImports
from rust_triage.graph.scopes import Def, Scope
from rust_triage.graph.type_names import last_segment as _last

if TYPE_CHECKING:
    from rust_triage.parse.facts import UseDecl
    from rust_triage.parse.source import SourceFile

__all__ = ["Def", "FilesView", "Scope", "SymbolIndex"]

_MAX_DEPTH = 12
_MAX_PATH_SEGMENTS = 64  # longer paths are not resolved (each segment is one more level of recursion)


class FilesView(Protocol):
    """The files of a run (the engine's AnalysisContext is one); the graph does not import the engine."""

    @property
    def files(self) -> list[SourceFile]: ...



class SymbolIndex(BlockImports):
    def __init__(self, ctx: FilesView) -> None:
        self.roots: dict[str, Scope] = {}  # target key -> crate root scope
        self.lib_roots: dict[str, Scope] = {}  # crate name (underscored) -> lib root scope
        self._item_scope: dict[tuple[str, int], Scope] = {}  # (rel, item index) -> scope it is in
        self.by_name: dict[str, list[Def]] = {}  # every named item, for unambiguous fallbacks
        self.methods: dict[str, dict[str, list[Def]]] = {}  # self type name -> method name -> fns
        self.impls: dict[str, list[Def]] = {}  # self type name -> impl items (trait impls included)
        self._memo: dict[tuple[int, str], list[Def]] = {}  # (scope, path) -> resolution
        self._glob_memo: dict[tuple[int, tuple[str, ...]], Scope | None] = {}
        self._variant_memo: dict[tuple[int, str], list[tuple[Def, str]]] = {}
        self._use_memo: dict[int, tuple[dict[str, list[UseDecl]], list[UseDecl]]] = {}  # see `_uses_of`
        self._module_use_memo: dict[int, dict[str, UseDecl]] = {}  # see `_module_uses_of`
        self._mod_scope: dict[tuple[str, int], Scope | None] = {}  # (rel, inline mod item) -> its scope
        self._fn_uses = {}  # `use` declarations inside fn bodies (block_imports.py)
        self._fn_use_files = set()
        self._local_memo = {}
        self.call_defs: dict[tuple[str, int, bool, str], list[Def]] = {}  # resolve_call's table (graph/calls.py)
        for src in ctx.files:
            self._add_file(src)

    # -- building ---------------------------------------------------------------------------
    def _scope_for(self, target: str, module_path: str) -> Scope:
        root = self.roots.get(target)
        if root is None:
            root = self.roots[target] = Scope(target, "crate")
        scope = root
        for part in module_path.split("::")[1:]:
            scope = scope.child(part)
        return scope

    def _add_file(self, src: SourceFile) -> None:
        for i, info in enumerate(src.modules or []):
            target = f"{info.package}/{info.target_kind}/{info.target}"
            scope = self._scope_for(target, info.module_path)
            scope.file = src
            if info.target_kind in ("lib", "proc-macro") and info.module_path == "crate":
                self.lib_roots[info.target.replace("-", "_")] = scope
            self._add_items(src, scope, record=i == 0)

    def _add_items(self, src: SourceFile, file_scope: Scope, record: bool) -> None:
        items = src.facts.items
        scopes: dict[int, Scope] = {}

        def scope_of(parent: int) -> Scope | None:
            """The scope items inside item `parent` are indexed in (no recursion: mods nest deep)."""
            chain: list[int] = []
            while parent >= 0 and parent not in scopes:
                chain.append(parent)
                parent = items[parent].parent
            outer: Scope | None = file_scope if parent < 0 else scopes[parent]
            for index in reversed(chain):
                p = items[index]
                if outer is not None and p.kind == "mod":
                    outer = outer.child(p.name)
                scopes[index] = outer  # type: ignore[assignment]
            return outer

        for item in items:
            scope = scope_of(item.parent)
            if record and item.kind == "impl" and item.self_type and scope is not None:
                self.impls.setdefault(_last(item.self_type), []).append(Def(src, item, scope))
            if record and item.kind == "fn" and item.parent >= 0 and items[item.parent].kind == "impl":
                impl = items[item.parent]
                impl_scope = scope_of(impl.parent)
                if impl.self_type and impl_scope is not None:
                    by_method = self.methods.setdefault(_last(impl.self_type), {})
                    by_method.setdefault(item.name, []).append(Def(src, item, impl_scope))
            if scope is None:
                continue
            if record:
                self._item_scope[(src.rel, item.index)] = scope
            associated = item.parent >= 0 and items[item.parent].kind in ("impl", "trait")
            if item.kind == "impl" or not item.name or associated:
                continue
            d = Def(src, item, scope)
            scope.items.setdefault(item.name, []).append(d)
            if record and item.kind != "mod":
                self.by_name.setdefault(item.name, []).append(d)
        for use in src.facts.uses:
            scope = scope_of(use.item)
            if scope is not None:
                scope.uses.append(use)
                if record and use.item >= 0 and items[use.item].kind == "fn":
                    self._add_fn_use(src, use)

    # -- queries ----------------------------------------------------------------------------
    def scope_of_item(self, src: SourceFile, item_index: int) -> Scope | None:
        """The scope of an inline module item; for other items, the scope they are in."""
        items = src.facts.items
        if item_index < 0 or items[item_index].kind != "mod":
            return self._outer_scope(src, item_index)
        key = (src.rel, item_index)
        if key not in self._mod_scope:  # walk out to a known scope, then back in (no recursion)
            chain: list[int] = []
            index = item_index
            while index >= 0 and items[index].kind == "mod" and (src.rel, index) not in self._mod_scope:
                chain.append(index)
                index = items[index].parent
            known = (src.rel, index) in self._mod_scope
            scope = self._mod_scope[(src.rel, index)] if known else self._outer_scope(src, index)
            for inner in reversed(chain):
                scope = scope.children.get(items[inner].name) if scope is not None else None
                self._mod_scope[(src.rel, inner)] = scope
        return self._mod_scope[key]

    def _outer_scope(self, src: SourceFile, item_index: int) -> Scope | None:
        if item_index >= 0:
            return self._item_scope.get((src.rel, item_index))
        if not src.modules:
            return None
        info = src.modules[0]
        return self._scope_for(f"{info.package}/{info.target_kind}/{info.target}", info.module_path)

    def resolve(self, src: SourceFile, item_index: int, path: str) -> list[Def]:
        """Definitions `path` (as written at a site inside item `item_index`) may refer to."""
        scope = self.scope_of_item(src, item_index)
        if scope is None:
            return []
        local = self._resolve_local(src, item_index, scope, path) if self._fn_uses else None
        if local is not None:
            return list(local)
        key = (id(scope), path)
        cached = self._memo.get(key)
        if cached is None:
            parts = [p for p in path.replace(" ", "").split("::") if p]
            cached = self._memo[key] = self._resolve_in(scope, parts, 0, set())
        return list(cached)

    def _resolve_in(self, scope: Scope, parts: list[str], depth: int, seen: set[tuple[int, str]]) -> list[Def]:
        if not parts or depth > _MAX_DEPTH:
            return []
        head, rest = parts[0], parts[1:]
        key = (id(scope), "::".join(parts))
        if key in seen:
            return []
        seen.add(key)
        if head in ("crate", "$crate"):
            return self._resolve_in_module(scope.root, rest, depth, seen) if rest else []
        if head == "self":
            return self._resolve_in_module(scope, rest, depth, seen) if rest else []
        if head == "super":
            return self._resolve_in_module(scope.parent, rest, depth, seen) if scope.parent and rest else []
        found = self._lookup(scope, head, rest, depth, seen)
        if found:
            return found
        lib = self.lib_roots.get(head)
        if lib is not None and rest:
            return self._resolve_in_module(lib, rest, depth, seen)
        return []

    def _resolve_in_module(self, scope: Scope, parts: list[str], depth: int, seen: set[tuple[int, str]]) -> list[Def]:
        if not parts:
            return []
        if parts[0] in ("self", "super"):
            return self._resolve_in(scope, parts, depth + 1, seen)
        return self._lookup(scope, parts[0], parts[1:], depth, seen)

    def _lookup(self, scope: Scope, name: str, rest: list[str], depth: int, seen: set[tuple[int, str]]) -> list[Def]:
        """`name` in `scope` (own items, submodules, imports, globs), then the remaining path."""
        visit = (id(scope), "\0" + name + "::" + "::".join(rest))
        if visit in seen or len(rest) > _MAX_PATH_SEGMENTS:
            return []  # glob re-exports can form cycles and diamonds: visit each scope once per name
        seen.add(visit)
        if rest:
            child = scope.children.get(name)
            if child is not None:
                return self._resolve_in_module(child, rest, depth + 1, seen)
        own = scope.items.get(name, [])
        if own:
            if not rest:
                return list(own)
            return self._associated(own, rest)
        out: list[Def] = []
        by_name, globs = self._uses_of(scope)
        named = by_name.get(name, ())
        for use in named:
            target = [p for p in use.path if p != "self"] if use.path[-1] == "self" else list(use.path)
            out.extend(self._resolve_in(scope, target + rest, depth + 1, seen))
        if out or named:
            return out  # an explicit import shadows glob imports, even when its target is out of sight
        for use in globs:
            base = self._glob_base(scope, use.path[:-1])
            if base is not None and base is not scope:
                out.extend(self._lookup(base, name, rest, depth + 1, seen))
        return out

    def _module_uses_of(self, scope: Scope) -> dict[str, UseDecl]:
        """A scope's first non-glob import of each name it brings in, as a module path's head (built once
        per scope)."""
        found = self._module_use_memo.get(id(scope))
        if found is None:
            found = {}
            for use in scope.uses:
                if use.path[-1] != "*":
                    found.setdefault(use.alias or use.path[-1], use)
            self._module_use_memo[id(scope)] = found
        return found

    def _uses_of(self, scope: Scope) -> tuple[dict[str, list[UseDecl]], list[UseDecl]]:
        """A scope's imports by the name they bring in (`_` ones left out), and its glob imports, in
        source order (built once per scope: lookups in large modules would scan every `use` each time)."""
        found = self._use_memo.get(id(scope))
        if found is None:
            by_name: dict[str, list[UseDecl]] = {}
            globs: list[UseDecl] = []
            for use in scope.uses:
                if use.path and use.path[-1] == "*":
                    globs.append(use)
                    continue
                if use.alias == "_":
                    continue
                path = use.path
                local = use.alias or (path[-2] if path[-1] == "self" and len(path) > 1 else path[-1])
                by_name.setdefault(local, []).append(use)
            found = self._use_memo[id(scope)] = (by_name, globs)
        return found

    def variant_import(self, src: SourceFile, item_index: int, path: str) -> tuple[Def, str] | None:
        """(enum, variant) when `path` names an enum variant through an import: `use E::V;`,
        `use E::V as W;`, `use E::*;`, or a module path to such an import (`crate::Left`)."""
        scope = self.scope_of_item(src, item_index)
        parts = [p for p in path.replace(" ", "").split("::") if p]
        if scope is None or not parts:
            return None
        if len(parts) == 1:
            bound, variant = self.local_variant(src, item_index, parts[0])
            if bound:
                return variant
        if len(parts) > 1:
            scope = self._module_at(scope, parts[:-1], 1)
            if scope is None:
                return None
        found = self._variant_in(scope, parts[-1], 0)
        unique = {(d.file.rel, d.item.index, v): (d, v) for d, v in found}
        return next(iter(unique.values())) if len(unique) == 1 else None

    def _variant_in(self, scope: Scope, name: str, depth: int) -> list[tuple[Def, str]]:
        """Memoized per (module, name): glob imports chain and fan out (`use super::*` in every module of
        a large crate), and each tuple call or literal asks again. A cycle of globs finds nothing more."""
        if depth > _MAX_DEPTH or name in scope.items or name in scope.children:
            return []
        key = (id(scope), name)
        found = self._variant_memo.get(key)
        if found is None:
            self._variant_memo[key] = []  # in progress: a glob cycle back here adds nothing
            found = self._variant_memo[key] = self._variant_search(scope, name, depth)
        return found

    def _variant_search(self, scope: Scope, name: str, depth: int) -> list[tuple[Def, str]]:
        out: list[tuple[Def, str]] = []
        explicit = False
        for use in scope.uses:
            if not use.path or use.path[-1] == "*" or (use.alias or use.path[-1]) != name or use.alias == "_":
                continue
            explicit = True
            out.extend(self._variant_at(scope, use.path, depth))
        if explicit:
            return out
        for use in scope.uses:
            if use.path and use.path[-1] == "*" and len(use.path) > 1:
                out.extend((d, name) for d in self._resolve_in(scope, list(use.path[:-1]), depth + 1, set())
                           if d.item.kind == "enum" and name in d.item.variants)
                base = self._glob_base(scope, use.path[:-1])
                if base is not None and base is not scope:
                    out.extend(self._variant_in(base, name, depth + 1))
        return out

    def _variant_at(self, scope: Scope, target: tuple[str, ...], depth: int) -> list[tuple[Def, str]]:
        """Variants the imported path `target` names, directly or through another import."""
        if len(target) < 2:
            return []
        variant = target[-1]
        enums = [d for d in self._resolve_in(scope, list(target[:-1]), depth + 1, set())
                 if d.item.kind == "enum" and variant in d.item.variants]
        if enums:
            return [(d, variant) for d in enums]
        module = self._module_at(scope, list(target[:-1]), depth + 1)
        return self._variant_in(module, variant, depth + 1) if module is not None else []

    def _associated(self, defs: list[Def], rest: list[str]) -> list[Def]:
        """`Enum::Variant` resolves to the enum; `Type::method` to the method's fn items."""
        if len(rest) != 1:
            return []
        out = [d for d in defs if d.item.kind == "enum" and rest[0] in d.item.variants]
        for d in defs:
            if d.item.kind in ("struct", "enum", "union", "trait", "type"):
                out.extend(self.methods.get(d.item.name, {}).get(rest[0], []))
        return out

    def _glob_base(self, scope: Scope, path: tuple[str, ...]) -> Scope | None:
        """The module a `use path::*` in `scope` imports from (memoized: globs are looked at often)."""
        key = (id(scope), path)
        if key not in self._glob_memo:
            self._glob_memo[key] = self._module_at(scope, list(path), 1)
        return self._glob_memo[key]

    def _module_at(self, scope: Scope, parts: list[str], depth: int) -> Scope | None:
        if depth > _MAX_DEPTH or not parts:
            return None
        head, rest = parts[0], parts[1:]
        if head in ("crate", "$crate"):
            cur: Scope | None = scope.root
        elif head == "self":
            cur = scope
        elif head == "super":
            cur = scope.parent
        elif head in scope.children:
            cur = scope.children[head]
        elif head in self.lib_roots:
            cur = self.lib_roots[head]
        else:
            use = self._module_uses_of(scope).get(head)
            cur = self._module_at(scope, list(use.path), depth + 1) if use is not None else None
        for part in rest:
            if cur is None:
                return None
            cur = cur.parent if part == "super" else cur if part == "self" else cur.children.get(part)
        return cur

