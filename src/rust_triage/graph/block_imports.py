"""`use` declarations inside fn bodies: a block's imports shadow its module's items and imports
(`use self::Matcher::*;` in a fn makes `Memmem` the variant there, even beside a struct `Memmem`).

A mixin of `SymbolIndex`: the index files these imports under the module as well (for everything
that does not ask about the fn); `resolve` and `variant_import` ask this layer first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.parse.facts import UseDecl

if TYPE_CHECKING:
    from rust_triage.graph.scopes import Def, Scope
    from rust_triage.parse.source import SourceFile


class BlockImports:
    _fn_uses: dict[tuple[str, int], list[UseDecl]]  # (rel, fn item) -> its `use` declarations
    _fn_use_files: set[str]
    _local_memo: dict[tuple[str, int, str], list[Def] | None]

    if TYPE_CHECKING:
        def scope_of_item(self, src: SourceFile, item_index: int) -> Scope | None: ...
        def _resolve_in(self, scope: Scope, parts: list[str], depth: int,
                        seen: set[tuple[int, str]]) -> list[Def]: ...
        def _lookup(self, scope: Scope, name: str, rest: list[str], depth: int,
                    seen: set[tuple[int, str]]) -> list[Def]: ...
        def _glob_base(self, scope: Scope, path: tuple[str, ...]) -> Scope | None: ...
        def _variant_in(self, scope: Scope, name: str, depth: int) -> list[tuple[Def, str]]: ...
        def _variant_at(self, scope: Scope, target: tuple[str, ...], depth: int) -> list[tuple[Def, str]]: ...

    def _add_fn_use(self, src: SourceFile, use: UseDecl) -> None:
        if use.path:
            self._fn_uses.setdefault((src.rel, use.item), []).append(use)
            self._fn_use_files.add(src.rel)

    def _local_fns(self, src: SourceFile, item_index: int) -> list[int]:
        """The fns enclosing the site (innermost first) that hold `use` declarations."""
        items = src.facts.items
        out: list[int] = []
        if src.rel not in self._fn_use_files:
            return out
        while item_index >= 0:
            if (src.rel, item_index) in self._fn_uses:
                out.append(item_index)
            item_index = items[item_index].parent
        return out

    def _resolve_local(self, src: SourceFile, item_index: int, scope: Scope, path: str) -> list[Def] | None:
        """What `path` names through the `use` declarations of an enclosing fn body; None when they do
        not bind its first name. A variant a glob brings in (`use Inst::*;` then `Save`) names no type:
        []."""
        for fn in self._local_fns(src, item_index):
            key = (src.rel, fn, path)
            if key not in self._local_memo:
                parts = [p for p in path.replace(" ", "").split("::") if p]
                self._local_memo[key] = self._local_lookup(scope, self._fn_uses[(src.rel, fn)], parts) \
                    if parts else None
            found = self._local_memo[key]
            if found is not None:
                return found
        return None

    def _local_lookup(self, scope: Scope, uses: list[UseDecl], parts: list[str]) -> list[Def] | None:
        head, rest = parts[0], parts[1:]
        explicit = [u for u in uses if u.path[-1] != "*" and u.alias != "_" and
                    (u.alias or (u.path[-2] if u.path[-1] == "self" and len(u.path) > 1 else u.path[-1])) == head]
        if explicit:
            out: list[Def] = []
            for use in explicit:
                target = [p for p in use.path if p != "self"] if use.path[-1] == "self" else list(use.path)
                out.extend(self._resolve_in(scope, target + rest, 1, set()))
            return out
        found: list[Def] = []
        variant = False
        for use in uses:
            if use.path[-1] != "*" or len(use.path) < 2:
                continue
            base = list(use.path[:-1])
            if any(d.item.kind == "enum" and head in d.item.variants for d in self._resolve_in(scope, base, 1, set())):
                variant = True
                continue
            module = self._glob_base(scope, use.path[:-1])
            if module is not None:
                found.extend(self._lookup(module, head, rest, 1, set()))
        if variant:
            return []
        return found or None

    def local_variant(self, src: SourceFile, item_index: int, name: str) -> tuple[bool, tuple[Def, str] | None]:
        """(whether a fn-local `use` binds `name`, the (enum, variant) it names when it is one variant)."""
        scope = self.scope_of_item(src, item_index)
        if scope is None or not self._fn_uses:
            return False, None
        for fn in self._local_fns(src, item_index):
            uses = self._fn_uses[(src.rel, fn)]
            found: list[tuple[Def, str]] = []
            bound = False
            for use in uses:
                if use.path[-1] == "*" or use.alias == "_" or (use.alias or use.path[-1]) != name:
                    continue
                bound = True
                found.extend(self._variant_at(scope, use.path, 0))
            if not bound:
                for use in uses:
                    if use.path[-1] != "*" or len(use.path) < 2:
                        continue
                    found.extend((d, name) for d in self._resolve_in(scope, list(use.path[:-1]), 1, set())
                                 if d.item.kind == "enum" and name in d.item.variants)
                    module = self._glob_base(scope, use.path[:-1])
                    if module is not None:
                        found.extend(self._variant_in(module, name, 1))
                        bound = bound or bool(self._lookup(module, name, [], 1, set()))
                bound = bound or bool(found)
            if bound:
                unique = {(d.file.rel, d.item.index, v): (d, v) for d, v in found}
                return True, next(iter(unique.values())) if len(unique) == 1 else None
        return False, None

