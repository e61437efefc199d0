"""Trait impls that item-level calls of the workspace's own `macro_rules!` macros write, as the types
extractor expanded them (`macro_scan`): `r#impl!(RawOsStr, String)` writes `impl PartialEq<String> for
RawOsStr`. Such a call is known in full: it implements what its expansion holds and nothing else. A call
that could not be expanded leaves the types it mentions uncertain (`TraitOracle._macro_may_implement`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rust_triage.families.types.typeref import parse_type

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile


@dataclass(frozen=True, slots=True)
class MacroImpl:
    file: SourceFile
    item: int  # the item the call is in (where the names of the impl are looked up), -1 at a file's top
    trait: str  # as written: `PartialEq<String>`
    self_path: str  # the implementing type's path (`Wrapper` of `Wrapper<T>`)
    generics: str  # the impl's generic parameters as written, `<T: Clone>` or ""


class MacroImpls:
    def __init__(self, files: list[SourceFile]) -> None:
        self.by_type: dict[str, list[MacroImpl]] = {}  # implementing type's last path segment -> impls
        self._unread: dict[str, set[str]] = {}  # macro -> names its item-level calls left unexpanded mention
        for src in files:
            facts = src.facts.extra.get("types")
            if facts is None:
                continue
            for macro, names in facts.unread_macro_calls.items():
                self._unread.setdefault(macro, set()).update(names)
            for _macro, trait, self_type, generics, item in facts.macro_impls:
                shape = parse_type(self_type)
                if shape.kind == "path":  # an impl for `&T` is not one for `T`
                    impl = MacroImpl(src, item, trait, shape.path, generics)
                    self.by_type.setdefault(shape.name, []).append(impl)

    def read(self, macro: str, name: str) -> bool:
        """Every item-level call of `macro` that mentions `name` was expanded (and its impls recorded)."""
        return name not in self._unread.get(macro, ())

    def impls_of(self, name: str) -> list[MacroImpl]:
        return self.by_type.get(name, [])
