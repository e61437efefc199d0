"""Names a module defines, per namespace: shared by the duplicate-definition and import rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rust_triage.parse.facts import FileFacts, Item

TYPE_KINDS = frozenset({"struct", "enum", "union", "trait", "type", "mod"})
VALUE_KINDS = frozenset({"fn", "const", "static"})
KEYWORDS = frozenset({"as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
                      "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
                      "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
                      "where", "while", "async", "await", "dyn", "gen"})
# Attributes that cannot add items to a module. Any other attribute may be a proc macro that does.
INERT_ATTRS = ("derive", "cfg", "allow", "warn", "deny", "forbid", "expect", "doc", "inline", "cold", "test",
               "must_use", "repr", "path", "macro_use", "macro_export", "non_exhaustive", "deprecated",
               "automatically_derived", "no_mangle", "track_caller", "rustfmt", "clippy", "ignore",
               "should_panic", "export_name", "link", "used", "target_feature")
_ATTR_NAME = re.compile(r"^\s*([\w:]+)")


def cfg_attrs(item: Item) -> tuple[str, ...]:
    """The `cfg(...)`/`cfg_attr(...)` attributes of an item, whitespace removed."""
    return tuple(sorted("".join(a.split()) for a in item.attrs if a.startswith(("cfg(", "cfg_attr(", "cfg "))))


def cfg_clash(a: Item, b: Item) -> str | None:
    """Confidence that two same-named items both exist in one build: None when their `#[cfg]`s differ.

    Equal cfgs (or none) clash for certain; an ungated item also clashes with a `#[cfg(test)]` one in
    `cargo test`; with any other cfg only when that cfg is on (medium).
    """
    ca, cb = cfg_attrs(a), cfg_attrs(b)
    if ca == cb:
        return "high" if ca in ((), ("cfg(test)",)) else "medium"
    if ca and cb:
        return None
    gated = ca or cb
    return "high" if gated == ("cfg(test)",) else "medium"


def namespaces(item: Item) -> tuple[str, ...]:
    """The namespaces an item's name lives in: `struct S;` and `struct S(u8);` are a type and a value."""
    if item.kind in ("struct",) and (item.tuple_struct or item.unit_struct):
        return ("type", "value")
    if item.kind in TYPE_KINDS:
        return ("type",)
    if item.kind in VALUE_KINDS:
        if item.kind == "fn" and item.body_lines == 0:
            return ()  # `fn f();` in an `extern` block or a trait: not a module item we judge
        return ("value",)
    return ()


def module_items(facts: FileFacts) -> Iterator[tuple[int, Item]]:
    """(scope, item) of every item directly in a module of this file: scope -1 is the file's module,
    otherwise the index of the inline `mod` holding it."""
    items = facts.items
    for item in items:
        if not item.name or item.name == "_" or item.name in KEYWORDS:
            continue  # `const _` may repeat; a keyword as a name is a misparse of newer syntax
        if item.parent == -1:
            yield -1, item
        elif items[item.parent].kind == "mod":
            yield item.parent, item


@dataclass(slots=True)
class ScopeNames:
    """What one module scope defines or imports, and whether that list can be trusted as complete."""

    names: set[str]
    mods: dict[str, int]  # declared modules (name -> item index)
    certain: bool


def attr_may_expand(item: Item) -> bool:
    for attr in item.attrs:
        match = _ATTR_NAME.match(attr)
        name = match.group(1) if match else ""
        if name not in INERT_ATTRS:
            return True
    return False
