"""Per-file facts extracted from a syntax tree. This, not the tree, is what the cache stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rust_triage.workspace.model import ModDecl


@dataclass(slots=True)
class FieldDef:
    name: str  # "0", "1"... for tuple structs
    type: str
    line: int
    vis: str = ""
    cfg_gated: bool = False  # behind #[cfg(...)]: may or may not exist
    cfg: str = ""  # its one `cfg(..)` attribute, when that is all that gates it (`cfg(feature = "x")`)


@dataclass(slots=True)
class Item:
    """One item (fn, struct, enum, trait, impl, mod, macro_rules, type alias, const, static)."""

    index: int
    kind: str
    name: str
    line: int
    column: int
    end_line: int
    end_column: int
    parent: int = -1  # index of the enclosing item, -1 at file level
    vis: str = ""
    attrs: list[str] = field(default_factory=list)
    derives: list[str] = field(default_factory=list)
    lints: list[str] = field(default_factory=list)  # lints named in #[allow]/#[expect]
    cfg_test: bool = False
    in_test: bool = False  # test code: #[test] fn or anywhere inside #[cfg(test)]
    is_async: bool = False
    is_unsafe: bool = False
    generics: str = ""
    fields: list[FieldDef] = field(default_factory=list)
    tuple_struct: bool = False
    unit_struct: bool = False
    variants: dict[str, list[FieldDef]] = field(default_factory=dict)  # enum variant -> its named fields
    trait: str | None = None  # impl: trait path text; trait item: supertraits text
    self_type: str | None = None  # impl: self type text (generics stripped); type alias: target
    impl_type: str = ""  # impl: the self type as written, when it has generic arguments (`Option<Frame>`)
    params: list[tuple[str, str]] = field(default_factory=list)  # fn: (pattern, type)
    return_type: str = ""
    has_self: bool = False  # fn: takes self
    body_lines: int = 0


@dataclass(slots=True)
class UseDecl:
    path: tuple[str, ...]  # e.g. ("crate", "a", "B"); glob imports end with "*"
    alias: str | None
    is_pub: bool
    line: int
    item: int  # enclosing item index (-1 at file level)


@dataclass(slots=True)
class Call:
    callee: str  # path text ("a::b::f", "Self::new", "f") or method name
    method: bool
    line: int
    column: int
    item: int  # innermost enclosing item (fn) index, -1 if none
    async_ctx: bool  # evaluated in async code (async fn / async block)
    in_macro: bool = False
    receiver: str = ""  # method calls: receiver text when it is short ("self", "client", "self.db")


@dataclass(slots=True)
class Match:
    """A match of a query rule; `captures` holds the text of each named capture."""

    rule: str
    line: int
    column: int
    end_line: int
    end_column: int
    snippet: str
    item: int
    in_test: bool
    async_ctx: bool
    in_macro: bool
    captures: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Comment:
    line: int
    column: int
    end_line: int
    text: str
    doc: bool
    item: int


@dataclass(slots=True)
class FileFacts:
    line_count: int = 0
    code_lines: int = 0  # non-blank, non-comment lines
    test_code_lines: int = 0  # code lines inside test items
    syntax_errors: list[tuple[int, int, int, int]] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    mods: list[ModDecl] = field(default_factory=list)
    uses: list[UseDecl] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    value_refs: list[tuple[str, int]] = field(default_factory=list)  # (path passed as an argument, item)
    matches: list[Match] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    inner_lints: list[str] = field(default_factory=list)  # #![allow(...)] at file level
    inner_cfg_test: bool = False  # #![cfg(test)] at file level
    inner_features: list[str] = field(default_factory=list)  # #![feature(...)] names (nightly crates)
    includes: list[str] = field(default_factory=list)  # paths in `include!("...")`, as written
    # `macro_rules!` name -> the cfg it puts on the items passed to it ("" none, "?" unread; macro_mods.py)
    macro_item_cfgs: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # sections added by extractor plugins

    def item_chain(self, index: int) -> list[Item]:
        """The item at `index` and its enclosing items, innermost first."""
        chain: list[Item] = []
        while index >= 0:
            item = self.items[index]
            chain.append(item)
            index = item.parent
        return chain

    def item_path(self, index: int) -> str:
        """`outer::inner` names of the enclosing items (impl blocks shown by self type)."""
        names = []
        for item in reversed(self.item_chain(index)):
            names.append(item.self_type or item.name if item.kind == "impl" else item.name)
        return "::".join(n for n in names if n)
