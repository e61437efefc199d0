"""The forms of a move: whether a statement, a macro's arguments, a closure or a loop moves a local
(see move_sites, which follows a local from statement to statement)."""

from __future__ import annotations

import re
from itertools import islice

from tree_sitter import Node

from rust_triage.families.types.name_uses import assigns, ends_tracking, first_use, mentions, uses_of
from rust_triage.families.types.syntax import BORROWING_STD_METHODS

LOOPS = frozenset({"loop_expression", "while_expression", "for_expression"})
_CONDITIONAL = frozenset({
    "if_expression", "match_expression", *LOOPS, "closure_expression", "async_block", "macro_invocation",
    "token_tree",
})
# branching expressions whose head (the field named) is evaluated before any branch
# `methods` of the move searches: also calls of names std types use for borrowing methods (`x.get()`), which
# some workspace types define taking `self` by value (`True`: only the other names; `False`: no method call)
ALL_METHODS = 2
HEADED = {"if_expression": "condition", "match_expression": "value", "for_expression": "value"}
BY_VALUE_PARTS = frozenset({"arguments", "array_expression", "tuple_expression"})
_LOOP_EXITS = re.compile(rb"\b(?:break|return)\b|\?\s*[;,.)\]]")


def moved_here(source: bytes, stmt: Node, name: bytes, methods: int = True) -> tuple[Node, str] | None:
    """Where `stmt` moves `name` by value, outside branches and non-`move` closures: the identifier
    node, and the method name when the move is a method call on `name` (a move only if the method
    takes `self` by value)."""
    candidates: list[Node] = []
    if stmt.type == "let_declaration":
        value = stmt.child_by_field_name("value")
        if value is not None and value.type == "identifier" and value.text == name:
            return value, ""
        if value is not None:
            candidates.append(value)
    elif stmt.type == "expression_statement":
        candidates.extend(stmt.named_children)
    return moved_in(source, candidates, name, methods)


def moved_in(source: bytes, candidates: list[Node], name: bytes, methods: int) -> tuple[Node, str] | None:
    while candidates:
        node = candidates.pop()
        if not mentions(source, node, name):
            continue
        t = node.type
        if t == "closure_expression":
            captured = _moved_into_closure(source, node, name)
            if captured is not None:
                return captured, ""
            continue
        if t == "macro_invocation":
            called = _method_call_in_macro(node, name) if methods else None
            if called is None:
                passed = _passed_in_macro(node, name)
                called = (passed, "") if passed is not None else None
            if called is not None:
                return called
        if t in HEADED:  # the condition or scrutinee runs whatever branch is taken
            head = node.child_by_field_name(HEADED[t])
            if head is not None and head.type == "let_condition":
                head = head.child_by_field_name("value")
            if head is not None and head.type != "let_chain":
                candidates.append(head)
            continue
        if t in _CONDITIONAL:
            continue
        if t in BY_VALUE_PARTS and node.child_by_field_name("length") is None:  # `f(x)`, `[x, y]`, `(x, y)`
            for arg in node.named_children:  # each part is moved into the whole (not `[x; n]`: E0277)
                if arg.type == "identifier" and arg.text == name:
                    return arg, ""
        elif t in ("field_initializer", "shorthand_field_initializer"):  # `S { f: x }`, `S { x }`
            value = node.child_by_field_name("value") if t == "field_initializer" else node.named_children[0]
            if value is not None and value.type == "identifier" and value.text == name:
                return value, ""
        elif t == "index_expression":  # `g[x]` is `*g.index(x)`: the index is passed by value
            index = node.named_children[-1] if node.named_child_count == 2 else None
            if index is not None and index.type == "identifier" and index.text == name:
                return index, ""
        elif t == "assignment_expression":
            right = node.child_by_field_name("right")
            if right is not None and right.type == "identifier" and right.text == name:
                return right, ""
        elif t == "call_expression" and methods:
            func = node.child_by_field_name("function")
            if func is not None and func.type == "field_expression":
                recv, method = func.child_by_field_name("value"), func.child_by_field_name("field")
                if recv is not None and recv.type == "identifier" and recv.text == name and method is not None:
                    if methods == ALL_METHODS or method.text not in BORROWING_STD_METHODS:
                        return recv, (method.text or b"").decode()
        candidates.extend(node.named_children)
    return None


EXPRESSION_MACROS = frozenset({"assert", "assert_eq", "assert_ne", "debug_assert", "debug_assert_eq",
                                "debug_assert_ne", "println", "print", "eprintln", "eprint", "format", "write",
                                "writeln", "panic"})


def _method_call_in_macro(macro: Node, name: bytes) -> tuple[Node, str] | None:
    """`assert_eq!(x.left(), ..)`: a call of a method on `name` among the tokens of a std macro whose
    arguments are expressions evaluated in place (not inside a closure or a nested group)."""
    path = macro.child_by_field_name("macro")
    if path is None or path.type != "identifier" or (path.text or b"").decode() not in EXPRESSION_MACROS:
        return None
    tt = next((c for c in macro.named_children if c.type == "token_tree"), None)
    tokens = tt.children if tt is not None else []
    for i in range(1, len(tokens) - 3):
        tok = tokens[i]
        if tok.type == "identifier" and tok.text == name and tokens[i - 1].type not in (".", "::", "|") and \
                tokens[i + 1].type == "." and tokens[i + 2].type == "identifier" and \
                tokens[i + 3].type == "token_tree" and (tokens[i + 3].text or b"").startswith(b"("):
            if any(t.type == "|" for t in tokens[:i]):
                return None  # a closure among the arguments: unsure
            method = tokens[i + 2].text or b""
            return (tok, method.decode()) if method not in BORROWING_STD_METHODS else None
    return None


# tokens after which a macro's arguments may bind, branch or capture: nothing in them is read as a move
_UNSURE_TOKENS = frozenset({"|", "let", "if", "match", "for", "while", "loop", "move", "=>", "return", "break", "?"})


def _passed_in_macro(macro: Node, name: bytes) -> Node | None:
    """`assert!(g.has_edge(x, y))`, `assert_eq!(v, vec![x])`: `name` passed by value to a call (or as a
    `vec!` element) among the tokens of a std macro whose arguments are expressions evaluated in place."""
    path = macro.child_by_field_name("macro")
    macro_name = (path.text or b"").decode() if path is not None and path.type == "identifier" else ""
    if macro_name not in EXPRESSION_MACROS and macro_name != "vec":
        return None
    top = next((c for c in macro.named_children if c.type == "token_tree"), None)
    if top is None:
        return None
    found: Node | None = None
    stack = [top]
    while stack:
        tree = stack.pop()
        tokens = tree.children
        previous = tree.prev_sibling
        if tree is top:
            by_value = macro_name == "vec"
        else:
            before = previous.prev_sibling if previous is not None else None
            by_value = previous is not None and (
                (previous.type == "identifier" and (tree.text or b"").startswith(b"(")) or  # a call's arguments
                (previous.type == "!" and before is not None and before.text == b"vec"))  # a nested `vec![..]`
        for i, tok in enumerate(tokens):
            if tok.type == "token_tree":
                stack.append(tok)
            elif (tok.text or b"").decode() in _UNSURE_TOKENS:
                return None
            elif by_value and found is None and tok.type == "identifier" and tok.text == name and 0 < i < len(tokens) - 1 \
                    and tokens[i - 1].type in ("(", "[", ",") and tokens[i + 1].type in (")", "]", ",", ";"):
                found = tok
    return found


def _moved_into_closure(source: bytes, closure: Node, name: bytes) -> Node | None:
    """The first use of `name` that a `move` closure captures whole (`x`, `x.method()`; not `x.field`,
    which edition 2021 captures alone), when no parameter shadows it."""
    if not any(c.type == "move" for c in closure.children):
        return None
    params = closure.child_by_field_name("parameters")
    if params is not None and first_use(source, params, name) is not None:
        return None
    body = closure.child_by_field_name("body")
    stack = [body] if body is not None else []
    while stack:
        node = stack.pop()
        if not mentions(source, node, name):
            continue
        if node.type == "identifier" and node.text == name:
            parent = node.parent
            if parent is not None and parent.type == "field_expression" and not is_method_callee(parent):
                continue
            return node
        if node.type in ("closure_expression", "macro_invocation"):
            return None  # nested captures and macro bodies: unsure
        stack.extend(reversed(node.named_children))
    return None


def is_method_callee(field: Node) -> bool:
    parent = field.parent
    return parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == field


def moved_in_loop(source: bytes, stmt: Node, name: bytes, methods: int) -> tuple[Node, str] | None:
    """A loop statement whose body (or `while` condition), run again, moves `name` again: the body's
    straight-line part moves it (also in a loop nested there), and the body holds no `break`/`return`
    and never rebinds `name`; or a `while` condition moves it and the body never names it."""
    loop = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else stmt
    if loop.type not in LOOPS:
        return None
    pattern = loop.child_by_field_name("pattern")
    body = loop.child_by_field_name("body")
    if body is None or (pattern is not None and first_use(source, pattern, name) is not None):
        return None
    if loop.type == "while_expression":
        condition = loop.child_by_field_name("condition")
        if condition is None or condition.type == "let_chain":
            return None
        if condition.type == "let_condition":
            bound = condition.child_by_field_name("pattern")
            if bound is None or first_use(source, bound, name) is not None:
                return None  # `while let Some(name) = ..`: the body's `name` is another binding
        if first_use(source, condition, name) is not None:
            return _moved_in_condition(source, condition, body, name, methods)
    if not mentions(source, body, name):
        return None
    moved = None
    for inner in body.named_children:
        moved = moved_here(source, inner, name, methods) or moved_in_loop(source, inner, name, methods)
        if moved is not None:
            if len(list(islice(uses_of(source, body, name), 2))) > 1:
                return None  # also used after the move: rustc may report that use instead
            break
        if ends_tracking(source, inner, name) or first_use(source, inner, name) is not None:
            return None  # used before the move in the body: reported, if at all, as another case
    if moved is None or not _loops_back(body):
        return None
    if any(ends_tracking(source, inner, name) for inner in body.named_children) or assigns(source, body, name):
        return None
    return moved


def _moved_in_condition(source: bytes, condition: Node, body: Node, name: bytes,
                        methods: int) -> tuple[Node, str] | None:
    """`while x.index() < n { .. }`: the condition's one mention of `name` moves it, and the body, which
    never names it nor leaves the loop, leads back to the condition, which moves it again."""
    head = condition.child_by_field_name("value") if condition.type == "let_condition" else condition
    if head is None or first_use(source, body, name) is not None or not _loops_back(body):
        return None
    if next(islice(uses_of(source, condition, name), 1, None), None) is not None:
        return None  # named twice: an earlier use may be the one rustc reports
    return moved_in(source, [head], name, methods)


_DIVERGING_MACROS = frozenset({"panic", "unreachable", "todo", "unimplemented"})
_DIVERGING_CALLS = re.compile(rb"(?:^|::)(?:exit|abort)$")


def _loops_back(body: Node) -> bool:
    """Some path through a loop body reaches its end, and so the next iteration: every `break`,
    `return`, panic or `exit` in it sits in the block of an `if` without `else` (a `?` may go on); no
    `loop` nested in it (which may never end)."""
    stack = [body]
    while stack:
        n = stack.pop()
        t = n.type
        if t == "if_expression" and n.child_by_field_name("alternative") is None:
            condition = n.child_by_field_name("condition")
            stack.extend([condition] if condition is not None else [])
            continue  # its block may be skipped
        if t in ("break_expression", "return_expression", "loop_expression"):
            return False
        if _diverges(n, continue_exits=False):
            return False
        if t != "closure_expression":
            stack.extend(n.named_children)
    return True


def reaches_end(block: Node) -> bool:
    """Every path through `block` may reach its end: it holds no `return`, `break`, `continue`, `loop`,
    panic or `exit` (a conservative reading: none at all, outside closures)."""
    stack = [block]
    while stack:
        n = stack.pop()
        t = n.type
        if t in ("break_expression", "return_expression", "continue_expression", "loop_expression"):
            return False
        if _diverges(n, continue_exits=True):
            return False
        if t != "closure_expression":
            stack.extend(n.named_children)
    return True


def _diverges(n: Node, continue_exits: bool) -> bool:
    """`n` is a panicking macro, a macro leaving the loop (`continue` too when `continue_exits`), or an
    `exit`/`abort` call."""
    if n.type == "macro_invocation":
        path = n.child_by_field_name("macro")
        called = (path.text or b"").decode().rsplit("::", 1)[-1] if path is not None else ""
        text = n.text or b""
        return called in _DIVERGING_MACROS or bool(_LOOP_EXITS.search(text)) or (continue_exits and b"continue" in text)
    if n.type == "call_expression":
        func = n.child_by_field_name("function")
        return func is not None and bool(_DIVERGING_CALLS.search(func.text or b""))
    return False
