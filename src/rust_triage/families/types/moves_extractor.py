"""Straight-line use-after-move candidates: `let x = T { .. }`, `let x: T = ..` or a fn parameter
`x: T`, then `x` moved by value (`let y = x;`, `f(x)`, `v.push(x)`), then `x` used again in a later statement of the same block.

Only the clear cases: the move must not sit under a branch, loop or closure, and a reassignment or a
shadowing `let x` ends the search. Whether the type is Copy is decided later, by the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node, Tree

from rust_triage.parse.context import ContextResolver
from rust_triage.parse.facts import FileFacts
from rust_triage.parse.registry import Matches, extractor

_LETS = """
(block (let_declaration pattern: (identifier) @name) @let)
(function_item parameters: (parameters (parameter pattern: (identifier) @pname type: (_) @ptype))
               body: (block) @body)
"""
_CONDITIONAL = frozenset({
    "if_expression", "match_expression", "loop_expression", "while_expression", "for_expression",
    "closure_expression", "async_block", "macro_invocation", "token_tree",
})
_PLAIN_TYPES = frozenset({"type_identifier", "scoped_type_identifier"})
# std types that are never Copy: no workspace derive can help
_STD_OWNED = frozenset({"String", "PathBuf", "OsString", "Vec", "Box", "Rc", "Arc", "File"})


# names that appear as a whole argument, `let` value or assigned value: the only ones that may be moved
_MOVED_NAME = re.compile(rb"[(,=]\s*([^\s(),;=]+)\s*(?=[,);])")


def _movable_names(scope: Node, cache: dict[tuple[int, int], frozenset[bytes]]) -> frozenset[bytes]:
    """Cheap pre-check, once per block: the names `scope` may move."""
    key = (scope.start_byte, scope.end_byte)
    found = cache.get(key)
    if found is None:
        found = cache[key] = frozenset(_MOVED_NAME.findall(scope.text or b""))
    return found


@dataclass(frozen=True, slots=True)
class MoveThenUse:
    name: str
    type_text: str  # as written: the annotation or the struct literal's path
    item: int  # enclosing item (the fn)
    move_line: int
    move_column: int
    use_line: int
    use_column: int


def _binding_type(let: Node) -> str:
    annotation = let.child_by_field_name("type")
    if annotation is not None:
        return annotation.text.decode("utf-8", "replace")
    value = let.child_by_field_name("value")
    if value is not None and value.type == "struct_expression":
        name = value.child_by_field_name("name")
        return name.text.decode("utf-8", "replace") if name is not None else ""
    return ""


def _moved_here(stmt: Node, name: bytes) -> Node | None:
    """The identifier node where `stmt` moves `name` by value, outside branches and closures."""
    candidates: list[Node] = []
    if stmt.type == "let_declaration":
        value = stmt.child_by_field_name("value")
        if value is not None and value.type == "identifier" and value.text == name:
            return value
        if value is not None:
            candidates.append(value)
    elif stmt.type == "expression_statement":
        candidates.extend(stmt.named_children)
    while candidates:
        node = candidates.pop()
        if node.type in _CONDITIONAL:
            continue
        if node.type == "arguments":
            for arg in node.named_children:
                if arg.type == "identifier" and arg.text == name:
                    return arg
        if node.type == "assignment_expression":
            right = node.child_by_field_name("right")
            if right is not None and right.type == "identifier" and right.text == name:
                return right
        candidates.extend(node.named_children)
    return None


def _first_use(stmt: Node, name: bytes) -> Node | None:
    stack = [stmt]
    while stack:
        node = stack.pop()
        if node.type == "identifier" and node.text == name:
            return node
        stack.extend(reversed(node.named_children))
    return None


def _ends_tracking(stmt: Node, name: bytes) -> bool:
    """A shadowing `let name` or a reassignment `name = ..`."""
    if stmt.type == "let_declaration":
        pattern = stmt.child_by_field_name("pattern")
        return pattern is not None and _first_use(pattern, name) is not None
    if stmt.type == "expression_statement" and stmt.named_children:
        expr = stmt.named_children[0]
        if expr.type == "assignment_expression":
            left = expr.child_by_field_name("left")
            return left is not None and left.type == "identifier" and left.text == name
    return False


def _rhs(stmt: Node) -> Node:
    """What a `let` or an assignment statement reads: its value / right-hand side."""
    if stmt.type == "let_declaration":
        return stmt.child_by_field_name("value") or stmt
    expr = stmt.named_children[0] if stmt.named_children else stmt
    return expr.child_by_field_name("right") or stmt


@extractor("moves", version=3, section=list[MoveThenUse], query=_LETS)
def extract(tree: Tree, source: bytes, facts: FileFacts, resolver: ContextResolver,
            matches: Matches) -> list[MoveThenUse]:
    out: list[MoveThenUse] = []
    movable: dict[tuple[int, int], frozenset[bytes]] = {}
    for _pattern, caps in matches:
        is_let = "let" in caps
        let, ident = (caps["let"][0], caps["name"][0]) if is_let else (caps["body"][0], caps["pname"][0])
        scope = let.parent if is_let else let
        name = ident.text or b""
        if scope is None or name not in _movable_names(scope, movable):
            continue
        if is_let:
            type_text = _binding_type(let)
            sib = let.next_named_sibling
        else:  # a parameter taken by value: `fn f(p: Point)`
            declared = caps["ptype"][0]
            type_text = declared.text.decode("utf-8", "replace") if declared.type in _PLAIN_TYPES else ""
            sib = let.named_children[0] if let.named_child_count else None
        if not type_text or type_text in _STD_OWNED:
            continue
        moved: Node | None = None
        while sib is not None:
            if moved is None:
                if _ends_tracking(sib, name):
                    break
                moved = _moved_here(sib, name)
            else:
                if _ends_tracking(sib, name) and _first_use(_rhs(sib), name) is None:
                    break  # reinitialised or shadowed without reading the moved value
                use = _first_use(sib, name)
                if use is not None:
                    out.append(MoveThenUse(
                        name.decode(), type_text, resolver.item_of(let),
                        moved.start_point[0] + 1, moved.start_point[1] + 1,
                        use.start_point[0] + 1, use.start_point[1] + 1,
                    ))
                    break
            sib = sib.next_named_sibling
    return out
