"""Run a tree-sitter query over a tree in time linear in the tree's size, however deep it is.

On a deeply nested tree (`1 + 1 + ... + 1`, `a.b().b()...`, thousands of nested blocks) a query
cursor does work proportional to the depth at every node: one pass costs nodes x depth. Real code
is less than about 100 levels deep, and there the query runs in one ordinary pass. A deeper tree is
searched in windows instead: from every node at a depth that is a multiple of `WINDOW`, only
matches starting less than `WINDOW` levels below it. Each match starts in exactly one window and
the cursor descends only as deep as its in-progress matches need, so the windows together cost
about one pass and find the same matches (returned in the same order).
"""

from __future__ import annotations

import tree_sitter
from tree_sitter import Node

Matches = list[tuple[int, dict[str, list[Node]]]]

DEEP = 128  # trees at least this deep are searched in windows
WINDOW = 32  # tree levels searched per windowed query
MATCH_LIMIT = 4096  # in-progress matches of an ordinary pass; more also means "search in windows"

_last_depth_check: tuple[tuple[int, int, int], bool] | None = None


def run_query(query: tree_sitter.Query, root: Node) -> Matches:
    """Every match of `query` under `root`, as `QueryCursor(query).matches(root)` returns them."""
    if not is_deep(root):
        cursor = tree_sitter.QueryCursor(query, match_limit=MATCH_LIMIT)
        found = cursor.matches(root)
        if not cursor.did_exceed_match_limit:
            return found
    return _windowed(query, root)


def is_deep(root: Node, limit: int = DEEP) -> bool:
    """Whether some node lies `limit` or more levels below `root`.

    Subtrees with too few nodes to reach that depth are not entered, so this looks at a small part
    of an ordinary tree. The answer for the last root is kept: every extractor asks about the same tree.
    """
    global _last_depth_check
    key = (root.id, root.start_byte, root.end_byte)
    if _last_depth_check is not None and _last_depth_check[0] == key and limit == DEEP:
        return _last_depth_check[1]
    walker = root.walk()
    depth = 0
    deep = False
    while True:
        if depth >= limit:
            deep = True
            break
        if walker.node.descendant_count > limit - depth and walker.goto_first_child():  # type: ignore[union-attr]
            depth += 1
            continue
        while not walker.goto_next_sibling():
            if not walker.goto_parent():
                break
            depth -= 1
        else:
            continue
        break
    if limit == DEEP:
        _last_depth_check = (key, deep)
    return deep


def _windowed(query: tree_sitter.Query, root: Node) -> Matches:
    cursor = tree_sitter.QueryCursor(query)
    cursor.set_max_start_depth(WINDOW - 1)
    out: Matches = []
    walker = root.walk()
    depth = 0
    while True:  # pre-order walk to every node at a depth k * WINDOW: the window roots
        node: Node = walker.node  # type: ignore[assignment]
        if depth % WINDOW == 0:
            out.extend(cursor.matches(node))
        to_next_root = WINDOW - depth % WINDOW
        if node.descendant_count > to_next_root and walker.goto_first_child():
            depth += 1
            continue
        while not walker.goto_next_sibling():
            if not walker.goto_parent():
                return sorted(out, key=_match_order)
            depth -= 1


def _match_order(match: tuple[int, dict[str, list[Node]]]) -> tuple[int, int, int]:
    """Document order of a match's outermost capture, then pattern order (as one pass gives)."""
    pattern, caps = match
    start = min(n.start_byte for nodes in caps.values() for n in nodes)
    end = max(n.end_byte for nodes in caps.values() for n in nodes)
    return start, -end, pattern
