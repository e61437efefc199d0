"""Moves inside the blocks of a statement (the branches of an `if` or `match`, a plain or `unsafe` block):
a move followed by a use in the same block, and a block that moves a local on a path reaching its end,
so that a use after the statement may find it moved (E0382 for a maybe-moved value too). Helpers of
`move_sites.track`, which follows a local from statement to statement."""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from rust_triage.families.types.move_forms import LOOPS, moved_here, moved_in, reaches_end
from rust_triage.families.types.name_uses import assigns, ends_tracking, first_use, mentions, uses_of

Found = tuple[tuple[Node, str], Node, bool]
Track = Callable[[bytes, Node | None, bytes, int], Found | None]

# nodes a block inside a statement is not looked for under: other scopes, bodies run any number of times,
# macro token trees (not parsed)
_OPAQUE = frozenset({"closure_expression", "async_block", "macro_invocation", "function_item", "const_block",
                     "token_tree", *LOOPS})
_STATEMENTS = frozenset({"let_declaration", "expression_statement"})


def moved_in_blocks(source: bytes, stmt: Node, name: bytes, methods: int, track: Track,
                    unsure: type[Exception]) -> tuple[Found | None, tuple[Node, str] | None] | None:
    """(found, None) for a move and a later use of `name` in one block of `stmt` (found by `track`),
    (None, move) for a block of `stmt` that moves `name` on a path reaching the block's end, with no
    later mention of `name` in `stmt` but in other branches of the same `if`/`match`; else None."""
    blocks = _outer_blocks(source, stmt, name)
    for block, looped in blocks:
        first = block.named_children[0] if block.named_child_count else None
        try:
            found = track(source, first, name, methods)
        except unsure:
            return None
        if found is not None and looped and first_use(source, block, name) != found[0][0]:
            return None  # a use before the move in the body: rustc may report that one, in the next iteration
        if found is not None:
            return (found, None) if not found[2] else None
    for block, looped in blocks:
        moved = None if looped else _moves_through(source, block, name, methods, track, unsure)
        if moved is not None:
            return (None, moved) if _only_alternatives_after(source, stmt, block, name) else None
    return None


def _outer_blocks(source: bytes, stmt: Node, name: bytes) -> list[tuple[Node, bool]]:
    """The outermost blocks under `stmt` that mention `name`, in document order, outside `_OPAQUE` nodes,
    whose `match` arm or `if let` binds no other `name`; and whether each is the body of a loop whose head
    does not name `name` (rustc reports a use after a move there, the first mention in the body)."""
    out: list[tuple[Node, bool]] = []
    stack = list(reversed(stmt.named_children)) if stmt.type in _STATEMENTS else [stmt]
    while stack:
        node = stack.pop()
        if node.type in LOOPS and mentions(source, node, name):
            body = node.child_by_field_name("body")
            if body is None or source.find(name, node.start_byte, body.start_byte) >= 0:
                continue  # named in the loop's head: rustc may report the use there, in the next iteration
            if body is not None and body.type == "block":
                out.append((body, True))
            continue
        if node.type in _OPAQUE or not mentions(source, node, name):
            continue
        if node.type == "match_arm":
            pattern = node.child_by_field_name("pattern")
            if pattern is not None and first_use(source, pattern, name) is not None:
                continue
        if node.type in ("let_condition", "let_chain"):
            return []  # `if let` patterns: unsure which `name` the branch sees
        if node.type == "block":
            out.append((node, False))
            continue
        stack.extend(reversed(node.named_children))
    return out


def _moves_through(source: bytes, block: Node, name: bytes, methods: int, track: Track,
                   unsure: type[Exception]) -> tuple[Node, str] | None:
    """The move of `name` at the straight-line level of `block` (or a maybe-move in a block of one of its
    statements), when the block never names `name` after it, never rebinds it and can reach its end."""
    moved: tuple[Node, str] | None = None
    for child in block.named_children:
        if not mentions(source, child, name):
            continue
        if moved is not None or ends_tracking(source, child, name):
            return None
        expr = child.named_children[0] if child.type == "expression_statement" and child.named_child_count else child
        if expr.type in LOOPS:
            return None
        moved = moved_here(source, child, name, methods) if child.type in _STATEMENTS else \
            moved_in(source, [child], name, methods)
        if moved is None:
            inner = moved_in_blocks(source, child, name, methods, track, unsure)
            if inner is not None and inner[0] is not None:
                return None
            moved = inner[1] if inner is not None else None
    if moved is None or not reaches_end(block) or assigns(source, block, name):
        return None
    return moved


def _only_alternatives_after(source: bytes, stmt: Node, block: Node, name: bytes) -> bool:
    """Every use of `name` in `stmt` after `block` sits in a branch that excludes it (a later `else` or
    match arm): on the path through `block`, the statement names `name` no more."""
    ranges: list[tuple[int, int]] = []
    node = block
    while node != stmt and node.parent is not None:
        parent = node.parent
        if parent.type == "if_expression" and parent.child_by_field_name("consequence") == node:
            other = parent.child_by_field_name("alternative")
            if other is not None:
                ranges.append((other.start_byte, other.end_byte))
        elif node.type == "match_arm":
            arm = node.next_named_sibling
            while arm is not None:
                ranges.append((arm.start_byte, arm.end_byte))
                arm = arm.next_named_sibling
        node = parent
    return all(any(a <= use.start_byte < b for a, b in ranges)
               for use in uses_of(source, stmt, name) if use.start_byte >= block.end_byte)
