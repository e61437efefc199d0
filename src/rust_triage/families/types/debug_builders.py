"""Arguments that `fmt::Formatter`'s builders format with `Debug`: `f.debug_struct("A").field("x", &self.x)`,
`debug_tuple(..).field(v)`, `debug_list()`/`debug_set()` `.entry(v)`, `debug_map()` `.entry(k, v)`,
`.key(k)`, `.value(v)`. Chains that start at the builder call count, or at a local a `let` of the
enclosing blocks binds to such a chain (`let mut s = f.debug_struct("A"); s.field("x", &self.x);`)."""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

_BUILDERS = frozenset({"debug_struct", "debug_tuple", "debug_list", "debug_set", "debug_map"})
# builder method -> (argument count, positions of the arguments it formats)
_FORMATTING: dict[str, dict[int, tuple[int, ...]]] = {"field": {1: (0,), 2: (1,)}, "entry": {1: (0,), 2: (0, 1)}, "key": {1: (0,)}, "value": {1: (0,)}}
_CHAINED = frozenset({*_FORMATTING, "entries", "finish_non_exhaustive", "key_with", "value_with", "field_with"})
# names the scan query must pick as method calls for this
BUILDER_METHODS = ("field", "entry", "key", "value")


def debug_formatted(recv: Node, name: str, args: Node, text: Callable[[Node], str]) -> list[Node]:
    """The argument nodes of `recv.name(args)` that a builder formats with Debug ([] when it is not one)."""
    arguments = [c for c in args.named_children if c.type not in ("line_comment", "block_comment", "attribute_item")]
    positions = _FORMATTING.get(name, {}).get(len(arguments))
    if positions is None or not _builder_chain(recv, text):
        return []
    return [arguments[i] for i in positions]


def _builder_chain(node: Node, text: Callable[[Node], str], through_local: bool = True) -> bool:
    for _ in range(64):
        if node.type == "identifier" and through_local:
            value = _let_value(node, text(node))
            return value is not None and _builder_chain(value, text, through_local=False)
        if node.type != "call_expression":
            return False
        func = node.child_by_field_name("function")
        if func is None or func.type != "field_expression":
            return False
        field = func.child_by_field_name("field")
        name = text(field) if field is not None else ""
        if name in _BUILDERS:
            return True
        if name not in _CHAINED:
            return False
        value = func.child_by_field_name("value")
        if value is None:
            return False
        node = value
    return False


def _let_value(use: Node, name: str) -> Node | None:
    """The value of the nearest `let name = ..` / `let mut name = ..` before `use` in its enclosing blocks."""
    node = use
    while node.parent is not None and node.type not in ("function_item", "closure_expression"):
        parent = node.parent
        if parent.type == "block":
            stmt = node.prev_named_sibling
            while stmt is not None:
                pattern = stmt.child_by_field_name("pattern") if stmt.type == "let_declaration" else None
                if pattern is not None and pattern.text is not None and \
                        pattern.text.decode("utf-8", "replace").split() in ([name], ["mut", name]):
                    return stmt.child_by_field_name("value")
                stmt = stmt.prev_named_sibling
        node = parent
    return None
