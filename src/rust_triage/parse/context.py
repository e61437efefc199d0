"""Where a node sits: its enclosing item, whether it runs in async code, whether it is in a macro."""

from __future__ import annotations

import msgspec
from tree_sitter import Node

from rust_triage.parse.items import ITEM_KINDS

# Closures passed to these run on a blocking-friendly thread, not in the async task.
BLOCKING_OFFLOAD = ("spawn_blocking", "block_in_place", "spawn", "scope", "unconstrained_blocking")


class NodeContext(msgspec.Struct):
    item: int  # innermost enclosing item index, -1 if none
    async_ctx: bool
    in_macro: bool


class ContextResolver:
    """Maps nodes to the item list built by the extractor, by byte range."""

    def __init__(self, item_by_range: dict[tuple[int, int], int], async_items: set[int],
                 item_nodes: list[Node] | None = None) -> None:
        self._item_by_range = item_by_range
        self._async_items = async_items
        self._item_nodes = item_nodes or []

    def item_nodes(self) -> list[Node]:
        """The syntax node of each item, by item index (document order, containers before their items),
        as the combined query pass found them: an extractor reads items from here instead of walking."""
        return self._item_nodes

    def item_spans(self) -> dict[int, tuple[int, int]]:
        """Item index -> (start byte, end byte) of its node."""
        return {index: span for span, index in self._item_by_range.items()}

    def item_of(self, node: Node) -> int:
        cur = node.parent
        while cur is not None:
            if cur.type in ITEM_KINDS:
                idx = self._item_by_range.get((cur.start_byte, cur.end_byte))
                if idx is not None:
                    return idx
            cur = cur.parent
        return -1

    def context(self, node: Node) -> NodeContext:
        in_macro = False
        async_ctx: bool | None = None
        cur = node.parent
        while cur is not None:
            t = cur.type
            if t == "token_tree" or t == "macro_invocation":
                in_macro = True
            elif async_ctx is None:
                if t == "async_block":
                    async_ctx = True
                elif t == "closure_expression" and _is_offloaded(cur):
                    async_ctx = False
            if t in ITEM_KINDS:
                idx = self._item_by_range.get((cur.start_byte, cur.end_byte))
                if idx is not None:
                    if async_ctx is None:
                        async_ctx = idx in self._async_items
                    return NodeContext(idx, async_ctx, in_macro)
            cur = cur.parent
        return NodeContext(-1, bool(async_ctx), in_macro)


def _is_offloaded(closure: Node) -> bool:
    """True when the closure is an argument of `spawn_blocking(...)`, `thread::spawn(...)`..."""
    args = closure.parent
    if args is None or args.type != "arguments":
        return False
    call = args.parent
    if call is None or call.type != "call_expression":
        return False
    func = call.child_by_field_name("function")
    if func is None:
        return False
    name = (func.text or b"").decode("utf-8", "replace").rsplit("::", 1)[-1].rsplit(".", 1)[-1]
    if name == "spawn":
        # tokio::spawn takes a future, not a closure; std::thread::spawn takes a closure.
        return True
    return name in BLOCKING_OFFLOAD
