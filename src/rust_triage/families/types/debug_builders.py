"""Arguments that `fmt::Formatter`'s builders format with `Debug`: `f.debug_struct("A").field("x", &self.x)`,
`debug_tuple(..).field(v)`, `debug_list()`/`debug_set()` `.entry(v)`, `debug_map()` `.entry(k, v)`,
`.key(k)`, `.value(v)`. Only chains that start at the builder call count (a builder kept in a local is
not followed)."""

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


def _builder_chain(node: Node, text: Callable[[Node], str]) -> bool:
    for _ in range(64):
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
