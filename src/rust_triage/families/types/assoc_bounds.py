"""Bounds a trait declares on its associated types (`type NodeId: Copy + PartialEq;`): the extractor's
part. An impl that binds the type (`type NodeId = NodeIndex<Ix>;`) must satisfy them (rustc E0277 at that
line); `assoc_checks` checks the bindings.

Traits written in the tokens of an item-level macro call (`trait_template! { pub trait GraphBase { .. } }`)
are read from the tokens too: a macro that wraps a trait declaration passes its bounds on."""

from __future__ import annotations

import re

from tree_sitter import Node

from rust_triage.parse.facts import FileFacts

_CONTAINERS = frozenset({"source_file", "declaration_list"})  # where items and item-level macro calls sit
_ASSOC = re.compile(rb"\btype\s+([A-Za-z_][A-Za-z0-9_]*)\s*:([^;{}]*);")
_COMMENT = re.compile(rb"//[^\n]*")


def split_bounds(text: str) -> list[str]:
    """`Copy + PartialEq<X> + 'a` -> ["Copy", "PartialEq<X>"]: the trait bounds, split at top-level `+`."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text + "+"):
        if ch in "<([":
            depth += 1
        elif ch in ">)]":
            depth -= 1
        elif ch == "+" and depth == 0:
            part = " ".join(text[start:i].split())
            if part and not part.startswith(("'", "?")):
                out.append(part)
            start = i + 1
    return out


def trait_assoc_bounds(root: Node, source: bytes, facts: FileFacts) -> dict[int, dict[str, list[str]]]:
    """Trait item index -> associated type -> its bounds, for the file's traits (in modules, not in fns)."""
    out: dict[int, dict[str, list[str]]] = {}
    traits = {(item.line, item.column): item.index for item in facts.items if item.kind == "trait"}
    if not traits:
        return out
    for node in _items(root):
        if node.type != "trait_item":
            continue
        index = traits.get((node.start_point[0] + 1, node.start_point[1] + 1))
        body = node.child_by_field_name("body")
        if index is None or body is None:
            continue
        found: dict[str, list[str]] = {}
        for child in body.named_children:
            name, bounds = child.child_by_field_name("name"), child.child_by_field_name("bounds")
            if child.type == "associated_type" and name is not None and bounds is not None:
                parts = split_bounds(source[bounds.start_byte:bounds.end_byte].decode("utf-8", "replace").lstrip(":"))
                if parts:
                    found[source[name.start_byte:name.end_byte].decode()] = parts
        if found:
            out[index] = found
    return out


def macro_trait_bounds(root: Node, source: bytes, facts: FileFacts) -> dict[str, tuple[int, dict[str, list[str]]]]:
    """Trait name -> (enclosing item index, associated type -> bounds) for traits declared in the tokens of
    item-level macro calls; a name declared twice in the file is left out."""
    out: dict[str, tuple[int, dict[str, list[str]]]] = {}
    twice: set[str] = set()
    mods = {(item.line, item.column): item.index for item in facts.items if item.kind == "mod"}
    for node, enclosing in _macro_calls(root, mods):
        text = source[node.start_byte:node.end_byte]
        if b"trait" not in text:
            continue
        for body, name in _trait_bodies(node, source):
            found = {m.group(1).decode(): parts for m in _ASSOC.finditer(_COMMENT.sub(b"", body))
                     if (parts := split_bounds(m.group(2).decode("utf-8", "replace")))}
            if name in out or name in twice:
                twice.add(name)
                out.pop(name, None)
            elif found:
                out[name] = (enclosing, found)
    return out


def _items(root: Node) -> list[Node]:
    """Item nodes at file level and in inline modules."""
    out, todo = [], [root]
    while todo:
        container = todo.pop()
        for child in container.named_children:
            out.append(child)
            if child.type == "mod_item" and (body := child.child_by_field_name("body")) is not None:
                todo.append(body)
    return out


def _macro_calls(root: Node, mods: dict[tuple[int, int], int]) -> list[tuple[Node, int]]:
    """Item-level macro calls (the `token_tree` of each) with the index of their enclosing inline module."""
    out, todo = [], [(root, -1)]
    while todo:
        container, enclosing = todo.pop()
        for child in container.named_children:
            if child.type == "macro_invocation":
                tt = next((c for c in child.named_children if c.type == "token_tree"), None)
                if tt is not None:
                    out.append((tt, enclosing))
            elif child.type == "mod_item" and (body := child.child_by_field_name("body")) is not None:
                todo.append((body, mods.get((child.start_point[0] + 1, child.start_point[1] + 1), -1)))
    return out


def _trait_bodies(tt: Node, source: bytes) -> list[tuple[bytes, str]]:
    """(body text, name) of each `trait Name .. { body }` among the direct tokens of `tt`."""
    out = []
    children = tt.children
    for i, child in enumerate(children):
        if child.type != "trait":
            continue
        if i + 1 >= len(children) or children[i + 1].type != "identifier":
            continue
        name = source[children[i + 1].start_byte:children[i + 1].end_byte].decode()
        for later in children[i + 2:]:
            if later.type == "token_tree" and source[later.start_byte:later.start_byte + 1] == b"{":
                out.append((source[later.start_byte + 1:later.end_byte - 1], name))
                break
            if source[later.start_byte:later.end_byte] == b";":
                break
    return out
