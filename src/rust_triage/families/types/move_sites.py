"""Where a statement moves a local, and where it is used next: the tree walks behind the `moves`
extractor (see moves_extractor). Only clear cases: moves under a branch, a non-`move` closure or a
macro (other than std's assertion and formatting macros) are not counted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

from tree_sitter import Node

from rust_triage.families.types.syntax import BORROWING_STD_METHODS

_LOOPS = frozenset({"loop_expression", "while_expression", "for_expression"})
_CONDITIONAL = frozenset({
    "if_expression", "match_expression", *_LOOPS, "closure_expression", "async_block", "macro_invocation",
    "token_tree",
})
# branching expressions whose head (the field named) is evaluated before any branch
_HEADED = {"if_expression": "condition", "match_expression": "value", "for_expression": "value"}
_BY_VALUE_PARTS = frozenset({"arguments", "array_expression", "tuple_expression"})
_LOOP_EXITS = re.compile(rb"\b(?:break|return)\b|\?\s*[;,.)\]]")


def _moved_here(source: bytes, stmt: Node, name: bytes, methods: bool = True) -> tuple[Node, str] | None:
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
    return _moved_in(source, candidates, name, methods)


def _moved_in(source: bytes, candidates: list[Node], name: bytes, methods: bool) -> tuple[Node, str] | None:
    while candidates:
        node = candidates.pop()
        if not _names(source, node, name):
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
        if t in _HEADED:  # the condition or scrutinee runs whatever branch is taken
            head = node.child_by_field_name(_HEADED[t])
            if head is not None and head.type == "let_condition":
                head = head.child_by_field_name("value")
            if head is not None and head.type != "let_chain":
                candidates.append(head)
            continue
        if t in _CONDITIONAL:
            continue
        if t in _BY_VALUE_PARTS and node.child_by_field_name("length") is None:  # `f(x)`, `[x, y]`, `(x, y)`
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


# tokens after which a macro's arguments may bind, branch or capture: nothing in them is read as a move
_UNSURE_TOKENS = frozenset({"|", "let", "if", "match", "for", "while", "loop", "move", "=>", "return", "break", "?"})


def _passed_in_macro(macro: Node, name: bytes) -> Node | None:
    """`assert!(g.has_edge(x, y))`, `assert_eq!(v, vec![x])`: `name` passed by value to a call (or as a
    `vec!` element) among the tokens of a std macro whose arguments are expressions evaluated in place."""
    path = macro.child_by_field_name("macro")
    macro_name = (path.text or b"").decode() if path is not None and path.type == "identifier" else ""
    if macro_name not in _EXPRESSION_MACROS and macro_name != "vec":
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
    if params is not None and _first_use(source, params, name) is not None:
        return None
    body = closure.child_by_field_name("body")
    stack = [body] if body is not None else []
    while stack:
        node = stack.pop()
        if not _names(source, node, name):
            continue
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


def _moved_in_loop(source: bytes, stmt: Node, name: bytes, methods: bool) -> tuple[Node, str] | None:
    """A loop statement whose body (or `while` condition), run again, moves `name` again: the body's
    straight-line part moves it (also in a loop nested there), and the body holds no `break`/`return`
    and never rebinds `name`; or a `while` condition moves it and the body never names it."""
    loop = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else stmt
    if loop.type not in _LOOPS:
        return None
    pattern = loop.child_by_field_name("pattern")
    body = loop.child_by_field_name("body")
    if body is None or (pattern is not None and _first_use(source, pattern, name) is not None):
        return None
    if loop.type == "while_expression":
        condition = loop.child_by_field_name("condition")
        if condition is None or condition.type == "let_chain":
            return None
        if condition.type == "let_condition":
            bound = condition.child_by_field_name("pattern")
            if bound is None or _first_use(source, bound, name) is not None:
                return None  # `while let Some(name) = ..`: the body's `name` is another binding
        if _first_use(source, condition, name) is not None:
            return _moved_in_condition(source, condition, body, name, methods)
    if not _names(source, body, name):
        return None
    moved = None
    for inner in body.named_children:
        moved = _moved_here(source, inner, name, methods) or _moved_in_loop(source, inner, name, methods)
        if moved is not None:
            if len(list(_uses(source, body, name))) > 1:
                return None  # also used after the move: rustc may report that use instead
            break
        if _ends_tracking(source, inner, name) or _first_use(source, inner, name) is not None:
            return None  # used before the move in the body: reported, if at all, as another case
    if moved is None or not _loops_back(body):
        return None
    if any(_ends_tracking(source, inner, name) for inner in body.named_children) or _assigns(source, body, name):
        return None
    return moved


def _moved_in_condition(source: bytes, condition: Node, body: Node, name: bytes,
                        methods: bool) -> tuple[Node, str] | None:
    """`while x.index() < n { .. }`: the condition's one mention of `name` moves it, and the body, which
    never names it nor leaves the loop, leads back to the condition, which moves it again."""
    head = condition.child_by_field_name("value") if condition.type == "let_condition" else condition
    if head is None or _first_use(source, body, name) is not None or not _loops_back(body):
        return None
    if next(islice(_uses(source, condition, name), 1, None), None) is not None:
        return None  # named twice: an earlier use may be the one rustc reports
    return _moved_in(source, [head], name, methods)


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
        if t == "macro_invocation":
            path = n.child_by_field_name("macro")
            called = (path.text or b"").decode().rsplit("::", 1)[-1] if path is not None else ""
            if called in _DIVERGING_MACROS or _LOOP_EXITS.search(n.text or b""):
                return False
        if t == "call_expression":
            func = n.child_by_field_name("function")
            if func is not None and _DIVERGING_CALLS.search(func.text or b""):
                return False
        if t != "closure_expression":
            stack.extend(n.named_children)
    return True


def _assigns(source: bytes, node: Node, name: bytes) -> bool:
    """`name = ..` anywhere under `node`."""
    stack = [node]
    while stack:
        n = stack.pop()
        if not _names(source, n, name):
            continue
        if n.type == "assignment_expression":
            left = n.child_by_field_name("left")
            if left is not None and left.type == "identifier" and left.text == name:
                return True
        stack.extend(n.named_children)
    return False


def _first_use(source: bytes, stmt: Node, name: bytes) -> Node | None:
    """The first identifier `name` under `stmt`, found from where its bytes occur (no walk of the tree)."""
    return next(_uses(source, stmt, name), None)


def _uses(source: bytes, stmt: Node, name: bytes) -> Iterator[Node]:
    """The identifiers `name` under `stmt`, in document order."""
    end = stmt.end_byte
    width = len(name)
    at = source.find(name, stmt.start_byte, end)
    while at >= 0:
        node = stmt.descendant_for_byte_range(at, at + width)
        if node is not None and node.type == "identifier" and node.start_byte == at and node.end_byte == at + width:
            yield node
        at = source.find(name, at + 1, end)


def _names(source: bytes, node: Node, name: bytes) -> bool:
    """Whether `name`'s bytes occur in `node`: a subtree without them holds no use of it."""
    return source.find(name, node.start_byte, node.end_byte) >= 0


def _ends_tracking(source: bytes, stmt: Node, name: bytes) -> bool:
    """A shadowing `let name` or a reassignment `name = ..`."""
    if stmt.type == "let_declaration":
        pattern = stmt.child_by_field_name("pattern")
        return pattern is not None and _first_use(source, pattern, name) is not None
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


class Unsure(Exception):
    """Raised by `track` when rustc may report another use than the one found: nothing is to be
    reported for the local (not even by a search that passes over method calls)."""


def track(source: bytes, sib: Node | None, name: bytes, methods: bool,
          pairs: list[tuple[Node, Node]] | None = None,
          moved: tuple[Node, str] | None = None) -> tuple[tuple[Node, str], Node, bool] | None:
    """From statement `sib` (of the tree of `source`) on: the first move of `name` (a method call on it
    only with `methods`; or `moved`, a move before `sib`), the next use after it, and whether the move
    is in a loop body (the use being the move itself). With `pairs`, also collects the first `f(x, x)`
    found up to that move (see `_moved_and_used_in_one_call`). Raises `Unsure`."""
    fallback: Node | None = None
    while sib is not None:
        start, end = sib.start_byte, sib.end_byte
        if source.find(name, start, end) < 0:
            sib = sib.next_named_sibling
            continue
        if moved is None:
            if _ends_tracking(source, sib, name):
                if sib.type == "let_declaration":
                    return None  # shadowed
                sib = sib.next_named_sibling  # `x = other;`: a value of the same type again
                continue
            if pairs is not None and not pairs and source.count(name, start, end) > 1:
                pairs.extend(_moved_and_used_in_one_call(source, sib, name))
            moved = _moved_here(source, sib, name, methods)
            if moved is not None:
                inner = _used_in_branch(source, sib, moved[0], name)
                if inner is not None:
                    return moved, inner, False
            if moved is None:
                looped = _moved_in_loop(source, sib, name, methods)
                if looped is not None:
                    later = None if _in_loop_condition(sib, looped[0]) else \
                        track(source, sib.next_named_sibling, name, methods, moved=looped)
                    return later or (looped, looped[0], True)
        else:
            if _ends_tracking(source, sib, name) and _first_use(source, _rhs(sib), name) is None:
                break  # reinitialised or shadowed without reading the moved value
            use, leaving = _first_plain_use(source, sib, name)
            if use is not None:
                if _may_move_again_in_loop(use, sib) and not _moved_in_while_condition(source, sib, use, name):
                    raise Unsure  # rustc reports one of this use and a later one
                return moved, use, False
            fallback = fallback or leaving
        sib = sib.next_named_sibling
    return (moved, fallback, False) if moved is not None and fallback is not None else None


def _used_in_branch(source: bytes, stmt: Node, moved: Node, name: bytes) -> Node | None:
    """`if !visit(x) { remove(x); }`: `x` moved in the head of an `if`/`match` (run whatever branch
    follows) and named once more, in a branch of it, outside closures and macros other than std's
    expression macros: that use (the statement names `x` only twice, so nothing binds another `x`)."""
    node, head_of = moved, None
    while node is not None and node != stmt and head_of is None:
        parent = node.parent
        if parent is not None and parent.type in ("if_expression", "match_expression") and \
                node == parent.child_by_field_name(_HEADED[parent.type]):
            head_of = parent
        node = parent
    if head_of is None:
        return None
    uses = list(islice(_uses(source, stmt, name), 3))
    if len(uses) != 2 or uses[0] != moved:
        return None
    use = uses[1]
    if not head_of.start_byte <= use.start_byte < head_of.end_byte or _may_move_again_in_loop(use, stmt):
        return None
    node = use.parent
    while node is not None and node != head_of:
        if node.type == "closure_expression":
            return None
        if node.type == "macro_invocation":
            path = node.child_by_field_name("macro")
            if path is None or (path.text or b"").decode() not in _EXPRESSION_MACROS | {"vec", "debug_assert"}:
                return None
        node = node.parent
    return use


def _moved_in_while_condition(source: bytes, stmt: Node, use: Node, name: bytes) -> bool:
    """`use` is the one mention of `name` in the condition of the `while` loop `stmt`, whose body never
    names it: the uses after the loop share only the condition's move, not the one before the loop,
    so rustc reports this use of the moved value on its own."""
    looped = _moved_in_loop(source, stmt, name, True)
    return looped is not None and looped[0] == use and _in_loop_condition(stmt, use)


def _in_loop_condition(stmt: Node, moved: Node) -> bool:
    """Whether `moved` sits in the condition of the `while` loop `stmt`, or of a `loop` (that ends only
    by a `break`, which `_loops_back` excludes): the move runs before any code after the loop, and
    rustc reports it there. A move in a `for`/`while` body shares its moves with a use after the
    loop, and rustc reports that use."""
    loop = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else stmt
    if loop.type == "loop_expression":
        return True
    condition = loop.child_by_field_name("condition") if loop.type == "while_expression" else None
    return condition is not None and condition.start_byte <= moved.start_byte < condition.end_byte


def chained_moves(source: bytes, use: Node, name: bytes) -> list[tuple[Node, Node]]:
    """`f(x); g(x); h(x);`: after the use `g(x)` of a moved `x`, each use that moves it again (an
    argument, element or field value; the statement's only mention of `x`) and the next use after it,
    which rustc reports too."""
    out: list[tuple[Node, Node]] = []
    while True:
        stmt = _statement_of(use)
        if stmt is None or next(islice(_uses(source, stmt, name), 1, None), None) is not None:
            return out  # named twice in the statement
        again = _moved_here(source, stmt, name, False)
        if again is None or again[0] != use:
            return out
        try:
            found = track(source, stmt.next_named_sibling, name, False, moved=again)
        except Unsure:
            return out
        if found is None or found[2]:
            return out
        after = found[1]
        at = _statement_of(after)
        if at is None or _first_plain_use(source, at, name)[0] != after:
            return out  # a use in a branch that leaves: not one to go on from
        out.append((use, after))
        use = after


def _statement_of(node: Node) -> Node | None:
    """The statement of a block that holds `node`."""
    parent = node.parent
    while parent is not None and parent.type != "block":
        node, parent = parent, parent.parent
    return node if parent is not None else None


def _may_move_again_in_loop(use: Node, stmt: Node) -> bool:
    """`use` sits in a loop inside `stmt` and may move the value again there (a method receiver, an
    argument or element): the uses before and after that loop share their moves, and rustc reports
    only one of them."""
    parent = use.parent
    if parent is None or not (parent.type in _BY_VALUE_PARTS or
                              (parent.type == "field_expression" and _is_method_callee(parent))):
        return False
    node: Node | None = use
    while node is not None and node != stmt:
        if node.type in _LOOPS:
            return True
        node = node.parent
    return stmt.type in _LOOPS or (stmt.type == "expression_statement" and stmt.named_child_count > 0
                                   and stmt.named_children[0].type in _LOOPS)


_BRANCHES = frozenset({"match_arm", "block"})
_LEAVING = frozenset({"return_expression", "break_expression", "continue_expression"})


def _first_plain_use(source: bytes, stmt: Node, name: bytes) -> tuple[Node | None, Node | None]:
    """The first use of `name` in `stmt` outside branches that leave (`None => { ..; return; }`), and
    the first one inside them: rustc reports a use after move on the path that goes on, when there is
    one."""
    leaving: Node | None = None
    stack = [stmt]
    while stack:
        node = stack.pop()
        if not _names(source, node, name):
            continue
        if node.type == "identifier" and node.text == name:
            return node, leaving
        if node.type in _BRANCHES and node is not stmt and node.parent is not None and \
                node.parent.type in ("match_arm", "if_expression", "else_clause", "match_block") and _leaves(node):
            if leaving is None:
                leaving = _first_use(source, node, name)
            continue
        stack.extend(reversed(node.named_children))
    return None, leaving


def _leaves(branch: Node) -> bool:
    """A `return`, `break` or `continue` at the top of the branch's block."""
    body = branch.child_by_field_name("value") if branch.type == "match_arm" else branch
    if body is None:
        return False
    if body.type in _LEAVING:
        return True
    if body.type != "block":
        return False
    return any(c.type in _LEAVING or (c.type == "expression_statement" and c.named_child_count
                                        and c.named_children[0].type in _LEAVING) for c in body.named_children)


_BINDERS = frozenset({"let_declaration", "closure_expression", "match_arm", "for_expression", "let_condition",
                      "macro_invocation"})


def _moved_and_used_in_one_call(source: bytes, stmt: Node, name: bytes) -> list[tuple[Node, Node]]:
    """`f(x, x)` / `Span::new(x, x.end)` / `S { a: f(x), x }`: `x` moved by one argument (field,
    element) and used by a later one of the same call, in a statement that binds no other `x`."""
    out: list[tuple[Node, Node]] = []
    if _binds_inside(source, stmt, name):
        return out
    for node in _sequenced_around_uses(source, stmt, name):
        args = [a for a in node.named_children if a.type not in ("line_comment", "block_comment")]
        for i, arg in enumerate(args):
            moved = _moved_by_part(source, arg, name)
            if moved is not None:
                use = next((u for u in map(lambda a: _first_use(source, a, name), args[i + 1:]) if u), None)
                if use is not None:
                    return [(moved, use)]
                break
            if _first_use(source, arg, name) is not None:
                break  # used (borrowed) before any move: unsure what follows
    return out


def _sequenced_around_uses(source: bytes, stmt: Node, name: bytes) -> list[Node]:
    """The `_SEQUENCED` nodes under `stmt` (itself included) that hold a use of `name`, outer ones and
    earlier ones first (the order of a walk of the tree)."""
    found: dict[tuple[int, int, str], tuple[int, int, int, Node]] = {}
    for use in _uses(source, stmt, name):
        chain: list[Node] = []
        node: Node | None = use
        while node is not None:
            if node.type in _SEQUENCED:
                chain.append(node)
            if node == stmt:
                break
            node = node.parent
        for depth, seq in enumerate(reversed(chain)):
            found.setdefault((seq.start_byte, seq.end_byte, seq.type), (seq.start_byte, -seq.end_byte, depth, seq))
    return [entry[3] for entry in sorted(found.values(), key=lambda e: e[:3])]


# nodes whose parts are evaluated in order, each one's value moved into the whole
_SEQUENCED = frozenset({"arguments", "field_initializer_list", "tuple_expression", "array_expression"})


def _moved_by_part(source: bytes, part: Node, name: bytes) -> Node | None:
    """Where one argument, field initialiser or element moves `name`: `x`, `f: x`, the shorthand `x`,
    or `x` passed by value to a call inside it."""
    if part.type in ("identifier", "shorthand_field_initializer") and part.text == name:
        return part
    if part.type == "field_initializer":
        value = part.child_by_field_name("value")
        if value is not None and value.type == "identifier" and value.text == name:
            return value
        part = value if value is not None else part
    found = _moved_in(source, [part], name, False)
    return found[0] if found is not None else None


def _binds_inside(source: bytes, stmt: Node, name: bytes) -> bool:
    """A `let`, closure, match arm, `for` or `if let` inside `stmt` that may bind another `name` (or a
    macro that may): one that holds a use of `name`, found from the uses up."""
    for use in _uses(source, stmt, name):
        node: Node | None = use
        while node is not None:
            if node.type in _BINDERS:
                if node != stmt or node.type != "let_declaration":
                    return True
                pattern = node.child_by_field_name("pattern")
                if pattern is not None and _first_use(source, pattern, name) is not None:
                    return True
            if node == stmt:
                break
            node = node.parent
    return False
