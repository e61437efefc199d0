"""Where a statement moves a local, and where it is used next: the tree walks behind the `moves`
extractor (see moves_extractor). Only clear cases: moves under a branch, a non-`move` closure or a
macro (other than std's assertion and formatting macros) are not counted."""

from __future__ import annotations

from itertools import islice

from tree_sitter import Node

from rust_triage.families.types.exprs import encode, path_text
from rust_triage.families.types.facts import Expr
from rust_triage.families.types.move_branches import moved_in_blocks
from rust_triage.families.types.move_forms import (
    BY_VALUE_PARTS,
    EXPRESSION_MACROS,
    HEADED,
    LOOPS,
    is_method_callee,
    moved_here,
    moved_in,
    moved_in_loop,
)
from rust_triage.families.types.name_uses import ends_tracking, first_use, member_token, mentions, uses_of

_BRANCH_MACROS = EXPRESSION_MACROS | {"vec"}  # macros whose arguments a branch use may sit in


def _rhs(stmt: Node) -> Node:
    """What a `let` or an assignment statement reads: its value / right-hand side."""
    if stmt.type == "let_declaration":
        return stmt.child_by_field_name("value") or stmt
    expr = stmt.named_children[0] if stmt.named_children else stmt
    return expr.child_by_field_name("right") or stmt


class Unsure(Exception):
    """Raised by `track` when rustc may report another use than the one found: nothing is to be
    reported for the local (not even by a search that passes over method calls)."""


def track(source: bytes, sib: Node | None, name: bytes, methods: int,
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
            if ends_tracking(source, sib, name):
                if sib.type == "let_declaration":
                    return None  # shadowed
                sib = sib.next_named_sibling  # `x = other;`: a value of the same type again
                continue
            if pairs is not None and not pairs and source.count(name, start, end) > 1:
                pairs.extend(_moved_and_used_in_one_call(source, sib, name))
            moved = moved_here(source, sib, name, methods)
            if moved is not None:
                inner = _used_in_branch(source, sib, moved[0], name)
                if inner is not None:
                    return moved, inner, False
            if moved is None:
                looped = moved_in_loop(source, sib, name, methods)
                if looped is not None:
                    later = None if _in_loop_condition(sib, looped[0]) else \
                        track(source, sib.next_named_sibling, name, methods, moved=looped)
                    return later or (looped, looped[0], True)
                nested = moved_in_blocks(source, sib, name, methods, track, Unsure)
                if nested is not None and nested[0] is not None:
                    return nested[0]
                if nested is not None:
                    moved = nested[1]  # maybe moved: the next use finds it moved
        else:
            if ends_tracking(source, sib, name) and first_use(source, _rhs(sib), name) is None:
                break  # reinitialised or shadowed without reading the moved value
            use, leaving = _first_plain_use(source, sib, name)
            if use is not None:
                if _may_move_again_in_loop(use, sib) and not _moved_in_while_condition(source, sib, use, name):
                    return _after_loop(source, sib, name, methods, moved, use)
                return moved, use, False
            fallback = fallback or leaving
        sib = sib.next_named_sibling
    return (moved, fallback, False) if moved is not None and fallback is not None else None


def _after_loop(source: bytes, stmt: Node, name: bytes, methods: int, moved: tuple[Node, str],
                use: Node) -> tuple[tuple[Node, str], Node, bool] | None:
    """`use` of the moved `name` moves it again in the `for` or `while` statement `stmt`: the uses in
    the loop and after it share their moves, and rustc reports the first use after the loop (and
    sometimes the one in the loop as well); the use in the loop only when nothing after the loop names
    `name`. Raises `Unsure` for other statements (a `while let` loop: rustc may report the use in the
    loop alone)."""
    loop = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else stmt
    condition = loop.child_by_field_name("condition") if loop.type == "while_expression" else None
    if loop.type not in ("for_expression", "while_expression") or \
            (condition is not None and condition.type in ("let_condition", "let_chain")):
        raise Unsure  # `loop`, `while let`: rustc may report the use in the loop alone
    later = track(source, stmt.next_named_sibling, name, methods, moved=moved)
    if later is not None:
        return later
    sib = stmt.next_named_sibling
    while sib is not None:
        if mentions(source, sib, name):
            raise Unsure
        sib = sib.next_named_sibling
    return moved, use, False


def _used_in_branch(source: bytes, stmt: Node, moved: Node, name: bytes) -> Node | None:
    """`if !visit(x) { remove(x); }`: `x` moved in the head of an `if`/`match` (run whatever branch
    follows) and named once more, in a branch of it, outside closures and macros other than std's
    expression macros: that use (the statement names `x` only twice, so nothing binds another `x`)."""
    node, head_of = moved, None
    while node is not None and node != stmt and head_of is None:
        parent = node.parent
        if parent is not None and parent.type in ("if_expression", "match_expression") and \
                node == parent.child_by_field_name(HEADED[parent.type]):
            head_of = parent
        node = parent
    if head_of is None:
        return None
    uses = list(islice(uses_of(source, stmt, name), 3))
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
            if path is None or (path.text or b"").decode() not in _BRANCH_MACROS:
                return None
        node = node.parent
    return use


def _moved_in_while_condition(source: bytes, stmt: Node, use: Node, name: bytes) -> bool:
    """`use` is the one mention of `name` in the condition of the `while` loop `stmt`, whose body never
    names it: the uses after the loop share only the condition's move, not the one before the loop,
    so rustc reports this use of the moved value on its own."""
    looped = moved_in_loop(source, stmt, name, True)
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


def chained_moves(source: bytes, use: Node, name: bytes) -> list[tuple[Node, Node, str]]:
    """`f(x); g(x); h(x);`: after the use `g(x)` of a moved `x`, each use that moves it again (an
    argument, element or field value, or the receiver of a method call, a move only if the method takes
    `self` by value; the statement's only mention of `x`) and the next use after it, which rustc
    reports too: (the move, the use, the method called at the move or "")."""
    out: list[tuple[Node, Node, str]] = []
    while True:
        stmt = _statement_of(use)
        if stmt is None or next(islice(uses_of(source, stmt, name), 1, None), None) is not None:
            return out  # named twice in the statement
        again = moved_here(source, stmt, name, True) or _moved_in_while_head(source, stmt, name)
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
        out.append((use, after, again[1]))
        use = after


def _moved_in_while_head(source: bytes, stmt: Node, name: bytes) -> tuple[Node, str] | None:
    """The move of `name` in the condition of the `while` statement `stmt` (not `while let`): it runs
    before any code after the loop, so the next use after the loop is moved by it."""
    loop = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else stmt
    condition = loop.child_by_field_name("condition") if loop.type == "while_expression" else None
    if condition is None or condition.type in ("let_condition", "let_chain"):
        return None
    return moved_in(source, [condition], name, True)


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
    if parent is None or not (parent.type in BY_VALUE_PARTS or
                              (parent.type == "field_expression" and is_method_callee(parent))):
        return False
    node: Node | None = use
    while node is not None and node != stmt:
        if node.type in LOOPS:
            return True
        node = node.parent
    return stmt.type in LOOPS or (stmt.type == "expression_statement" and stmt.named_child_count > 0
                                   and stmt.named_children[0].type in LOOPS)


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
        if not mentions(source, node, name):
            continue
        if node.type == "identifier" and node.text == name and not member_token(node):
            return node, leaving
        if node.type in _BRANCHES and node is not stmt and node.parent is not None and \
                node.parent.type in ("match_arm", "if_expression", "else_clause", "match_block") and _leaves(node):
            if leaving is None:
                leaving = first_use(source, node, name)
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
    """`f(x, x)` / `Span::new(x, x.end)` / `S { a: f(x), x }` / `f(x) && g(x)`: `x` moved by one argument
    (field, element, operand) and used by a later one of the same call, in a statement that binds no other `x`."""
    out: list[tuple[Node, Node]] = []
    if _binds_inside(source, stmt, name):
        return out
    for node in _sequenced_around_uses(source, stmt, name):
        args = [a for a in node.named_children if a.type not in ("line_comment", "block_comment")]
        for i, arg in enumerate(args):
            moved = None if node.type == "binary_expression" and arg.type == "identifier" else \
                _moved_by_part(source, arg, name)  # `x == y`, `x + y`: operators borrow (or are unsure)
            if moved is not None:
                use = next((u for u in map(lambda a: first_use(source, a, name), args[i + 1:]) if u), None)
                if use is not None:
                    return [(moved, use)]
                break
            if first_use(source, arg, name) is not None:
                break  # used (borrowed) before any move: unsure what follows
    return out


def _sequenced_around_uses(source: bytes, stmt: Node, name: bytes) -> list[Node]:
    """The `_SEQUENCED` nodes under `stmt` (itself included) that hold a use of `name`, outer ones and
    earlier ones first (the order of a walk of the tree)."""
    found: dict[tuple[int, int, str], tuple[int, int, int, Node]] = {}
    for use in uses_of(source, stmt, name):
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


# nodes whose parts are evaluated in order, each one's value moved into the whole; and binary operators (`f(x) &&
# g(x)`: the left operand runs first, whatever the right one does)
_SEQUENCED = frozenset({"arguments", "field_initializer_list", "tuple_expression", "array_expression",
                        "binary_expression"})


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
    found = moved_in(source, [part], name, False)
    return found[0] if found is not None else None


def _binds_inside(source: bytes, stmt: Node, name: bytes) -> bool:
    """A `let`, closure, match arm, `for` or `if let` inside `stmt` that may bind another `name` (or a
    macro that may): one that holds a use of `name`, found from the uses up."""
    for use in uses_of(source, stmt, name):
        node: Node | None = use
        while node is not None:
            if node.type in _BINDERS:
                if node != stmt or node.type != "let_declaration":
                    return True
                pattern = node.child_by_field_name("pattern")
                if pattern is not None and first_use(source, pattern, name) is not None:
                    return True
            if node == stmt:
                break
            node = node.parent
    return False


def passed_to(source: bytes, *sites: Node) -> tuple[tuple[Expr, int], ...]:
    """The calls `sites` (identifiers) pass their value to as a whole argument, with the argument's index:
    ("mcall", receiver, method) for `r.m(.., x)`, ("call", path) for `f(.., x)` / `T::f(.., x)`."""
    out: list[tuple[Expr, int]] = []
    for site in sites:
        args = site.parent
        call = args.parent if args is not None and args.type == "arguments" else None
        func = call.child_by_field_name("function") if call is not None else None
        if func is None or args is None:
            continue
        index = [a for a in args.named_children if a.type not in ("line_comment", "block_comment")].index(site)
        if func.type == "field_expression":
            receiver, method = func.child_by_field_name("value"), func.child_by_field_name("field")
            encoded = encode(receiver, source)
            if encoded is not None and method is not None:
                out.append((("mcall", encoded, source[method.start_byte:method.end_byte].decode()), index))
        elif func.type in ("identifier", "scoped_identifier"):
            path = path_text(func, source)
            if path:
                out.append((("call", path), index))
    return tuple(out)
