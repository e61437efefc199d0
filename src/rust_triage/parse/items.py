"""Items, fields, `use` trees and `mod` declarations from a tree-sitter-rust tree."""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from rust_triage.parse.attributes import (
    allowed_lints,
    cfg_attr_paths,
    derives,
    is_cfg_test,
    is_test_fn,
    outer_attributes,
    path_attr,
)
from rust_triage.parse.facts import FieldDef, Item, UseDecl
from rust_triage.workspace.model import ModDecl

ITEM_KINDS = {
    "function_item": "fn",
    "function_signature_item": "fn",
    "struct_item": "struct",
    "union_item": "union",
    "enum_item": "enum",
    "trait_item": "trait",
    "impl_item": "impl",
    "mod_item": "mod",
    "macro_definition": "macro",
    "type_item": "type",
    "const_item": "const",
    "static_item": "static",
}
_GENERIC_ARGS = re.compile(r"<.*>", re.S)
_WS = re.compile(r"\s+")


def text(node: Node | None) -> str:
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""


def squash(s: str) -> str:
    return _WS.sub(" ", s).strip()


def strip_generics(type_text: str) -> str:
    """`a::Foo<T>` -> `a::Foo`; references and `dyn` are kept as written."""
    return _GENERIC_ARGS.sub("", type_text).strip()


def _visibility(node: Node) -> str:
    for child in node.children:
        if child.type == "visibility_modifier":
            return squash(text(child))
    return ""


def _fields(body: Node | None) -> tuple[list[FieldDef], bool]:
    """Fields of a struct or struct variant body; the flag tells tuple fields apart."""
    if body is None:
        return [], False
    fields: list[FieldDef] = []
    if body.type == "ordered_field_declaration_list":
        pending: list[str] = []
        for child in body.named_children:
            if child.type == "attribute_item":
                attr = text(child)
                if attr.startswith("#[cfg"):
                    pending.append(squash(attr[2:-1]))
            elif child.type in ("visibility_modifier", "line_comment", "block_comment"):
                continue  # a doc comment on a tuple field is not a field
            else:
                prev = child.prev_named_sibling
                vis = text(prev) if prev is not None and prev.type == "visibility_modifier" else ""
                fields.append(FieldDef(str(len(fields)), squash(text(child)), child.start_point[0] + 1, vis,
                                       bool(pending), _only_cfg(pending)))
                pending = []
        return fields, True
    for child in body.named_children:
        if child.type != "field_declaration":
            continue
        attrs = [a for a in outer_attributes(child) if a.startswith("cfg")]
        fields.append(
            FieldDef(
                name=text(child.child_by_field_name("name")),
                type=squash(text(child.child_by_field_name("type"))),
                line=child.start_point[0] + 1,
                vis=_visibility(child),
                cfg_gated=bool(attrs),
                cfg=_only_cfg(attrs),
            )
        )
    return fields, False


def _only_cfg(attrs: list[str]) -> str:
    """The one `cfg(..)` of a field's cfg attributes; "" when there are several or a `cfg_attr`."""
    return attrs[0] if len(attrs) == 1 and attrs[0].startswith(("cfg(", "cfg (")) else ""


def _fill_kind_specific(item: Item, node: Node) -> None:
    kind = item.kind
    if kind in ("struct", "union"):
        body = node.child_by_field_name("body")
        item.fields, item.tuple_struct = _fields(body)
        item.unit_struct = body is None
    elif kind == "enum":
        body = node.child_by_field_name("body")
        for variant in body.named_children if body is not None else []:
            if variant.type == "enum_variant":
                vbody = variant.child_by_field_name("body")
                item.variants[text(variant.child_by_field_name("name"))] = (
                    _fields(vbody)[0] if vbody is not None and vbody.type == "field_declaration_list" else []
                )
    elif kind == "impl":
        item.trait = squash(text(node.child_by_field_name("trait"))) or None
        written = squash(text(node.child_by_field_name("type")))
        item.self_type = strip_generics(written)
        item.impl_type = written if written != item.self_type else ""
        item.name = item.self_type
    elif kind == "trait":
        bounds = node.child_by_field_name("bounds")
        item.trait = squash(text(bounds)) or None
    elif kind == "type":
        item.self_type = strip_generics(squash(text(node.child_by_field_name("type"))))
    elif kind == "fn":
        _fill_fn(item, node)


def _fill_fn(item: Item, node: Node) -> None:
    for child in node.children:
        if child.type == "function_modifiers":
            mods = text(child)
            item.is_async = "async" in mods.split()
            item.is_unsafe = "unsafe" in mods.split()
    params = node.child_by_field_name("parameters")
    for p in params.named_children if params is not None else []:
        if p.type == "self_parameter":
            item.has_self = True
        elif p.type == "parameter":
            item.params.append(
                (squash(text(p.child_by_field_name("pattern"))), squash(text(p.child_by_field_name("type"))))
            )
    item.return_type = squash(text(node.child_by_field_name("return_type")))
    body = node.child_by_field_name("body")
    if body is not None:
        item.body_lines = body.end_point[0] - body.start_point[0] + 1


def make_item(node: Node, index: int, parent: Item | None) -> Item:
    kind = ITEM_KINDS[node.type]
    attrs = outer_attributes(node)
    item = Item(
        index=index,
        kind=kind,
        name=text(node.child_by_field_name("name")),
        line=node.start_point[0] + 1,
        column=node.start_point[1] + 1,
        end_line=node.end_point[0] + 1,
        end_column=node.end_point[1] + 1,
        parent=parent.index if parent is not None else -1,
        vis=_visibility(node),
        attrs=attrs,
        derives=derives(attrs),
        lints=allowed_lints(attrs),
        cfg_test=is_cfg_test(attrs),
    )
    tp = node.child_by_field_name("type_parameters")
    if tp is not None:
        item.generics = squash(text(tp))
    _fill_kind_specific(item, node)
    item.in_test = (
        item.cfg_test
        or (kind == "fn" and is_test_fn(attrs))
        or (parent is not None and parent.in_test)
    )
    return item


def mod_decl(node: Node, item: Item, in_test: bool,
             parents: Callable[[], tuple[tuple[str, str | None], ...]]) -> ModDecl:
    """`in_test`: the module or an enclosing item is #[cfg(test)]; `parents` gives the enclosing inline
    modules, asked only for an out-of-line `mod x;` (it is as long as the nesting is deep)."""
    inline = node.child_by_field_name("body") is not None
    return ModDecl(
        name=item.name,
        line=item.line,
        column=item.column,
        inline=inline,
        path_attr=path_attr(item.attrs),
        cfg_test=in_test,
        parents=() if inline else parents(),
        cfg_paths=tuple(path for _, path in cfg_attr_paths(item.attrs)) if not inline else (),
    )


def use_decls(node: Node, item_index: int) -> list[UseDecl]:
    """Flatten a `use` declaration into one UseDecl per imported name."""
    is_pub = _visibility(node).startswith("pub")
    line = node.start_point[0] + 1
    out: list[UseDecl] = []
    arg = node.child_by_field_name("argument")
    if arg is not None:
        _walk_use(arg, (), is_pub, line, item_index, out)
    return out


def _path_parts(node: Node | None) -> tuple[str, ...]:
    return tuple(p for p in squash(text(node)).replace(" ", "").split("::") if p)


def _walk_use(root: Node, prefix: tuple[str, ...], is_pub: bool, line: int, item: int, out: list[UseDecl]) -> None:
    """The names a use tree imports, in order (a stack, not recursion: lists may nest deep)."""
    pending: list[tuple[Node, tuple[str, ...]]] = [(root, prefix)]
    while pending:
        node, prefix = pending.pop()
        t = node.type
        if t in ("identifier", "scoped_identifier", "self", "crate", "super", "metavariable"):
            path = prefix + _path_parts(node)
            out.append(UseDecl(path, None, is_pub, line, item))
        elif t == "use_as_clause":
            path = prefix + _path_parts(node.child_by_field_name("path"))
            out.append(UseDecl(path, text(node.child_by_field_name("alias")), is_pub, line, item))
        elif t == "use_wildcard":
            inner = [c for c in node.named_children]
            base = _path_parts(inner[0]) if inner else ()
            out.append(UseDecl(prefix + base + ("*",), None, is_pub, line, item))
        elif t == "scoped_use_list":
            path_node = node.child_by_field_name("path")
            base = prefix + (_path_parts(path_node) if path_node is not None else ())
            lst = node.child_by_field_name("list")
            if lst is not None:
                pending.append((lst, base))
        elif t == "use_list":
            pending.extend((child, prefix) for child in reversed(node.named_children))
