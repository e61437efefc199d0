"""Use-after-move candidates: a local bound to a value of a written type (`let x = T { .. }`, `T(..)`,
`E::V(..)`, `E::V`, `let x: T = ..`, a fn parameter `x: T`), then `x` moved by value (`let y = x;`, `f(x)`,
`v.push(x)`, `x.into_thing()`, captured by a `move` closure), then `x` used again in a later statement of
the same block; or `x` moved inside the body of a later loop, which moves it again in the next iteration.

Only the clear cases: the move must not sit under a branch or a non-`move` closure, a loop body must
hold no `break`/`return` and not reassign `x`, and a reassignment or a shadowing `let x` ends the search.
Whether the type is Copy (and whether a method takes `self` by value) is decided later, by the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node, Tree

from rust_triage.families.types.exprs import encode
from rust_triage.families.types.syntax import BORROWING_STD_METHOD_NAMES, BORROWING_STD_METHODS
from rust_triage.parse.context import ContextResolver
from rust_triage.parse.facts import FileFacts
from rust_triage.parse.registry import Matches, extractor

_LETS = """
(block (let_declaration pattern: (identifier) @name) @let)
(function_item parameters: (parameters (parameter pattern: (identifier) @pname type: (_) @ptype))
               body: (block) @body)
"""
_LOOPS = frozenset({"loop_expression", "while_expression", "for_expression"})
_CONDITIONAL = frozenset({
    "if_expression", "match_expression", *_LOOPS, "closure_expression", "async_block", "macro_invocation",
    "token_tree",
})
_LOOP_EXITS = re.compile(rb"\b(?:break|return)\b|\?\s*[;,.)\]]")
_PLAIN_TYPES = frozenset({"type_identifier", "scoped_type_identifier"})
# std types that are never Copy: no workspace derive can help
_STD_OWNED = frozenset({"String", "PathBuf", "OsString", "Vec", "Box", "Rc", "Arc", "File"})


# `= name;`: a `let` value or an assigned value
_ASSIGNED_NAME = re.compile(rb"=\s*([A-Za-z_][A-Za-z0-9_]*)\s*;")
_MOVE_CLOSURE = re.compile(rb"\bmove\s*\|")
_ANY = frozenset({b"*"})


def _movable_names(source: bytes, facts: FileFacts) -> frozenset[bytes]:
    """Cheap pre-check, once per file: the names it may move, from the core pass's facts (names passed
    as arguments, receivers of methods that may take `self`) and `= name;` (`_ANY`: any name, in a file
    with a `move` closure)."""
    if b"move" in source and _MOVE_CLOSURE.search(source):
        return _ANY
    names = {ref.encode() for ref, _ in facts.value_refs}
    names.update(c.receiver.encode() for c in facts.calls
                 if c.method and c.receiver and c.callee not in BORROWING_STD_METHOD_NAMES)
    names.update(_ASSIGNED_NAME.findall(source))
    return frozenset(names)


@dataclass(frozen=True, slots=True)
class MoveThenUse:
    name: str
    type_text: str  # as written: the annotation or the struct literal's path
    item: int  # enclosing item (the fn)
    move_line: int
    move_column: int
    use_line: int
    use_column: int
    method: str = ""  # the move is a call of this method on `name` (a move when it takes `self` by value)
    in_loop: bool = False  # moved in a loop body: the use is the same move, in the next iteration
    init: tuple | None = None  # no written type: the `let`'s value (typed by the rule), and where it is
    byte: int = 0


def _binding_type(let: Node) -> str:
    annotation = let.child_by_field_name("type")
    if annotation is not None:
        return annotation.text.decode("utf-8", "replace")
    value = let.child_by_field_name("value")
    if value is None:
        return ""
    if value.type == "struct_expression":
        name = value.child_by_field_name("name")
        return name.text.decode("utf-8", "replace") if name is not None else ""
    if value.type == "call_expression":  # `T(..)`, `E::V(..)`
        value = value.child_by_field_name("function") or value
    if value.type in ("identifier", "scoped_identifier"):
        return _constructor_type(value.text.decode("utf-8", "replace"), value.type == "identifier")
    return ""


def _constructor_type(path: str, call: bool) -> str:
    """The type a constructor path builds: `T` for `T(..)`, `E` for `E::V(..)` and `E::V`."""
    segments = [seg.strip() for seg in path.split("::")]
    if len(segments) == 1:
        return path if call and path[:1].isupper() and path not in _STD_CONSTRUCTORS else ""
    if segments[-1][:1].isupper() and segments[-2][:1].isupper() and segments[-2] != "Self":
        return "::".join(segments[:-1])
    return ""


_STD_CONSTRUCTORS = frozenset({"Some", "Ok", "Err", "Box", "Vec", "String"})


def _moved_here(stmt: Node, name: bytes, methods: bool = True) -> tuple[Node, str] | None:
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
    while candidates:
        node = candidates.pop()
        t = node.type
        if t == "closure_expression":
            captured = _moved_into_closure(node, name)
            if captured is not None:
                return captured, ""
            continue
        if t == "macro_invocation" and methods:
            called = _method_call_in_macro(node, name)
            if called is not None:
                return called
        if t in _CONDITIONAL:
            continue
        if t == "arguments":
            for arg in node.named_children:
                if arg.type == "identifier" and arg.text == name:
                    return arg, ""
        elif t == "assignment_expression":
            right = node.child_by_field_name("right")
            if right is not None and right.type == "identifier" and right.text == name:
                return right, ""
        elif t == "call_expression" and methods:
            func = node.child_by_field_name("function")
            if func is not None and func.type == "field_expression":
                recv, method = func.child_by_field_name("value"), func.child_by_field_name("field")
                if recv is not None and recv.type == "identifier" and recv.text == name and method is not None:
                    if method.text not in BORROWING_STD_METHODS:
                        return recv, (method.text or b"").decode()
        candidates.extend(node.named_children)
    return None


_EXPRESSION_MACROS = frozenset({"assert", "assert_eq", "assert_ne", "debug_assert", "debug_assert_eq",
                                "debug_assert_ne", "println", "print", "eprintln", "eprint", "format", "write",
                                "writeln", "panic"})


def _method_call_in_macro(macro: Node, name: bytes) -> tuple[Node, str] | None:
    """`assert_eq!(x.left(), ..)`: a call of a method on `name` among the tokens of a std macro whose
    arguments are expressions evaluated in place (not inside a closure or a nested group)."""
    path = macro.child_by_field_name("macro")
    if path is None or path.type != "identifier" or (path.text or b"").decode() not in _EXPRESSION_MACROS:
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


def _moved_into_closure(closure: Node, name: bytes) -> Node | None:
    """The first use of `name` that a `move` closure captures whole (`x`, `x.method()`; not `x.field`,
    which edition 2021 captures alone), when no parameter shadows it."""
    if not any(c.type == "move" for c in closure.children):
        return None
    params = closure.child_by_field_name("parameters")
    if params is not None and _first_use(params, name) is not None:
        return None
    body = closure.child_by_field_name("body")
    stack = [body] if body is not None else []
    while stack:
        node = stack.pop()
        if node.type == "identifier" and node.text == name:
            parent = node.parent
            if parent is not None and parent.type == "field_expression" and not _is_method_callee(parent):
                continue
            return node
        if node.type in ("closure_expression", "macro_invocation"):
            return None  # nested captures and macro bodies: unsure
        stack.extend(reversed(node.named_children))
    return None


def _is_method_callee(field: Node) -> bool:
    parent = field.parent
    return parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == field


def _moved_in_loop(stmt: Node, name: bytes, methods: bool) -> tuple[Node, str] | None:
    """A loop statement whose body, run again, moves `name` again: the body's straight-line part moves
    it, and the body holds no `break`/`return` and never rebinds `name`."""
    loop = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else stmt
    if loop.type not in _LOOPS:
        return None
    pattern = loop.child_by_field_name("pattern")
    body = loop.child_by_field_name("body")
    if body is None or (pattern is not None and _first_use(pattern, name) is not None):
        return None
    if loop.type == "while_expression":
        condition = loop.child_by_field_name("condition")
        if condition is None or condition.type == "let_condition" or _first_use(condition, name) is not None:
            return None
    if name not in (body.text or b""):
        return None
    moved = None
    for inner in body.named_children:
        moved = _moved_here(inner, name, methods)
        if moved is not None:
            break
        if _ends_tracking(inner, name) or _first_use(inner, name) is not None:
            return None  # used before the move in the body: reported, if at all, as another case
    if moved is None or _may_leave(body):
        return None
    if any(_ends_tracking(inner, name) for inner in body.named_children) or _assigns(body, name):
        return None
    return moved


def _may_leave(body: Node) -> bool:
    """A `break`, `return` or `?` in a loop body (or a macro call that may hold one)."""
    stack = [body]
    while stack:
        n = stack.pop()
        t = n.type
        if t in ("break_expression", "return_expression", "try_expression"):
            return True
        if t == "macro_invocation" and _LOOP_EXITS.search(n.text or b""):
            return True
        stack.extend(n.named_children)
    return False


def _assigns(node: Node, name: bytes) -> bool:
    """`name = ..` anywhere under `node`."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "assignment_expression":
            left = n.child_by_field_name("left")
            if left is not None and left.type == "identifier" and left.text == name:
                return True
        stack.extend(n.named_children)
    return False


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


def _track(sib: Node | None, name: bytes, methods: bool) -> tuple[tuple[Node, str], Node, bool] | None:
    """From statement `sib` on: the first move of `name` (a method call on it only with `methods`), the
    next use after it, and whether the move is in a loop body (the use being the move itself)."""
    moved: tuple[Node, str] | None = None
    while sib is not None:
        if moved is None:
            if _ends_tracking(sib, name):
                if sib.type == "let_declaration":
                    return None  # shadowed
                sib = sib.next_named_sibling  # `x = other;`: a value of the same type again
                continue
            moved = _moved_here(sib, name, methods)
            if moved is None:
                looped = _moved_in_loop(sib, name, methods)
                if looped is not None:
                    return looped, looped[0], True
        else:
            if _ends_tracking(sib, name) and _first_use(_rhs(sib), name) is None:
                return None  # reinitialised or shadowed without reading the moved value
            use = _first_use(sib, name)
            if use is not None:
                return moved, use, False
        sib = sib.next_named_sibling
    return None


@extractor("moves", version=4, section=list[MoveThenUse], query=_LETS)
def extract(tree: Tree, source: bytes, facts: FileFacts, resolver: ContextResolver,
            matches: Matches) -> list[MoveThenUse]:
    out: list[MoveThenUse] = []
    movable: frozenset[bytes] | None = None
    for _pattern, caps in matches:
        is_let = "let" in caps
        let, ident = (caps["let"][0], caps["name"][0]) if is_let else (caps["body"][0], caps["pname"][0])
        scope = let.parent if is_let else let
        name = ident.text or b""
        if scope is None:
            continue
        if movable is None:
            movable = _movable_names(source, facts)
        if movable is not _ANY and name not in movable:
            continue
        init: tuple | None = None
        if is_let:
            type_text = _binding_type(let)
            sib = let.next_named_sibling
            if not type_text:  # `let x = self.pos();`: typed by the rule, through the callee
                value = let.child_by_field_name("value")
                init = encode(value) if value is not None and value.type in _TYPED_LATER else None
                type_text = "_" if init is not None else ""
        else:  # a parameter taken by value: `fn f(p: Point)`
            declared = caps["ptype"][0]
            type_text = declared.text.decode("utf-8", "replace") if declared.type in _PLAIN_TYPES else ""
            sib = let.named_children[0] if let.named_child_count else None
        if not type_text or type_text in _STD_OWNED:
            continue
        item = resolver.item_of(let)
        byte = let.start_byte
        for methods in (True, False):
            found = _track(sib, name, methods)
            if found is None:
                continue
            (at, method), use, in_loop = found
            out.append(MoveThenUse(name.decode(), type_text, item, at.start_point[0] + 1, at.start_point[1] + 1,
                                   use.start_point[0] + 1, use.start_point[1] + 1, method, in_loop, init, byte))
            if not method:
                break  # else also look past the method call, in case it takes `self` by reference
        for at, use in _moved_and_used_in_one_call(sib, name):
            out.append(MoveThenUse(name.decode(), type_text, item, at.start_point[0] + 1, at.start_point[1] + 1,
                                   use.start_point[0] + 1, use.start_point[1] + 1, "", False, init, byte))
    return out


# `let` values whose type the rule may find through the callee or the field's declaration
_TYPED_LATER = frozenset({"call_expression", "field_expression", "try_expression"})
_BINDERS = frozenset({"let_declaration", "closure_expression", "match_arm", "for_expression", "let_condition",
                      "macro_invocation"})


def _moved_and_used_in_one_call(sib: Node | None, name: bytes) -> list[tuple[Node, Node]]:
    """`f(x, x)` / `Span::new(x, x.end)`: `x` moved by one argument and used by a later one of the same
    call, in the statements from `sib` on, until `x` is moved or rebound (in statements that bind no
    other `x` of their own)."""
    out: list[tuple[Node, Node]] = []
    while sib is not None and not _ends_tracking(sib, name):
        if name in (sib.text or b"") and not _binds_inside(sib, name):
            stack = [sib]
            while stack:
                node = stack.pop()
                if node.type == "arguments":
                    args = node.named_children
                    for i, arg in enumerate(args):
                        if arg.type == "identifier" and arg.text == name:
                            use = next((u for u in map(lambda a: _first_use(a, name), args[i + 1:]) if u), None)
                            if use is not None:
                                out.append((arg, use))
                            break
                stack.extend(node.named_children)
        if out or _moved_here(sib, name) is not None or _moved_in_loop(sib, name, True) is not None:
            break
        sib = sib.next_named_sibling
    return out


def _binds_inside(stmt: Node, name: bytes) -> bool:
    """A `let`, closure, match arm, `for` or `if let` inside `stmt` that may bind another `name` (or a
    macro that may)."""
    stack = [stmt]
    while stack:
        node = stack.pop()
        if node.type in _BINDERS and _first_use(node, name) is not None:
            if node.type != "let_declaration" or node is not stmt:
                return True
            pattern = node.child_by_field_name("pattern")
            if pattern is not None and _first_use(pattern, name) is not None:
                return True
        stack.extend(node.named_children)
    return False
