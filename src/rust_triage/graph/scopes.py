"""Module scopes and the definitions in them (the symbol index's building blocks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rust_triage.parse.facts import Item, UseDecl

if TYPE_CHECKING:
    from rust_triage.parse.source import SourceFile


@dataclass(eq=False)
class Def:
    file: SourceFile
    item: Item
    scope: Scope

    @property
    def path(self) -> str:
        return f"{self.scope.path}::{self.item.name}"


@dataclass(eq=False)
class Scope:
    """One module of one crate target."""

    target: str  # "package/kind/name"
    path: str  # "crate::a::b"
    parent: Scope | None = None
    items: dict[str, list[Def]] = field(default_factory=dict)
    uses: list[UseDecl] = field(default_factory=list)
    children: dict[str, Scope] = field(default_factory=dict)
    file: SourceFile | None = None

    def child(self, name: str) -> Scope:
        scope = self.children.get(name)
        if scope is None:
            scope = Scope(self.target, f"{self.path}::{name}", self)
            self.children[name] = scope
        return scope

    @property
    def root(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope
