"""Where a local's name occurs under a node, found from its bytes (`bytes.find` plus the node there),
not by walking the tree: helpers of the move searches (move_forms, move_sites)."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node


def assigns(source: bytes, node: Node, name: bytes) -> bool:
    """`name = ..` anywhere under `node`."""
    stack = [node]
    while stack:
        n = stack.pop()
        if not mentions(source, n, name):
            continue
        if n.type == "assignment_expression":
            left = n.child_by_field_name("left")
            if left is not None and left.type == "identifier" and left.text == name:
                return True
        stack.extend(n.named_children)
    return False


def first_use(source: bytes, stmt: Node, name: bytes) -> Node | None:
    """The first identifier `name` under `stmt`, found from where its bytes occur (no walk of the tree)."""
    return next(uses_of(source, stmt, name), None)


def uses_of(source: bytes, stmt: Node, name: bytes) -> Iterator[Node]:
    """The identifiers `name` under `stmt`, in document order."""
    end = stmt.end_byte
    width = len(name)
    at = source.find(name, stmt.start_byte, end)
    while at >= 0:
        node = stmt.descendant_for_byte_range(at, at + width)
        if node is not None and node.type == "identifier" and node.start_byte == at and node.end_byte == at + width \
                and not member_token(node):
            yield node
        at = source.find(name, at + 1, end)


def member_token(node: Node) -> bool:
    """A macro argument's `.name` or `::name` token: a field, method or path segment, not the local."""
    parent = node.parent
    if parent is None or parent.type != "token_tree":
        return False
    before = node.prev_sibling
    return before is not None and before.type in (".", "::")


def mentions(source: bytes, node: Node, name: bytes) -> bool:
    """Whether `name`'s bytes occur in `node`: a subtree without them holds no use of it."""
    return source.find(name, node.start_byte, node.end_byte) >= 0


def ends_tracking(source: bytes, stmt: Node, name: bytes) -> bool:
    """A shadowing `let name` or a reassignment `name = ..`."""
    if stmt.type == "let_declaration":
        pattern = stmt.child_by_field_name("pattern")
        return pattern is not None and first_use(source, pattern, name) is not None
    if stmt.type == "expression_statement" and stmt.named_children:
        expr = stmt.named_children[0]
        if expr.type == "assignment_expression":
            left = expr.child_by_field_name("left")
            return left is not None and left.type == "identifier" and left.text == name
    return False
