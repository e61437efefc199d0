"""Per-file facts for the async rules (RT10x): blocking method chains, lock guards held across
`.await`, and closures handed to blocking-friendly threads (`spawn_blocking`, `thread::spawn`).

The extractor's patterns run in the file's single combined query pass (`@extractor(..., query=...)`);
it receives their matches instead of querying the tree again."""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node, Tree

from rust_triage.parse.context import ContextResolver, _is_offloaded
from rust_triage.parse.facts import FileFacts
from rust_triage.parse.items import text
from rust_triage.parse.registry import Matches, extractor

# Methods that block when the receiver chain starts at a blocking API (`Command::new(..)...output()`).
CHAIN_METHODS = ("output", "status", "wait", "wait_with_output", "read_line", "read_to_string",
                 "read_to_end", "join")
_LOCK_METHODS = ("lock", "read", "write")
_UNWRAPS = ("unwrap", "expect", "unwrap_or_else")
# Code under these nodes runs later or elsewhere, not where it is written.
_CHAIN_STARTS = ("call_expression", "try_expression", "identifier", "parenthesized_expression")
_DEFERRED = ("closure_expression", "async_block", "function_item", "impl_item", "trait_item", "mod_item")

_QUERY_SRC = f"""
(call_expression
  function: (field_expression field: (field_identifier) @method)
  (#any-of? @method {" ".join(f'"{m}"' for m in CHAIN_METHODS)})) @mcall
(let_declaration pattern: (identifier) @let.name value: (_) @let.value) @let
(call_expression arguments: (arguments (closure_expression) @closure))
"""


@dataclass(slots=True)
class ChainCall:
    """`root(..).a().method()` or `x.method()` with `let x = root(..)...` earlier in the same item."""

    method: str
    root: str  # path text of the call the receiver chain starts at, e.g. "Command::new", "io::stdin"
    line: int
    column: int
    item: int
    async_ctx: bool
    in_macro: bool = False


@dataclass(slots=True)
class HeldGuard:
    """`let g = m.lock().unwrap();` in async code, followed by an `.await` while `g` is alive."""

    name: str
    lock: str  # e.g. "self.state.lock()"
    line: int
    column: int
    item: int
    await_line: int
    await_column: int


@dataclass(slots=True)
class AsyncFacts:
    chain_calls: list[ChainCall] = field(default_factory=list)
    held_guards: list[HeldGuard] = field(default_factory=list)
    # (start line, start column, end line, end column) of closures passed to spawn_blocking, thread::spawn...
    offloaded: list[tuple[int, int, int, int]] = field(default_factory=list)

    def is_offloaded(self, line: int, column: int) -> bool:
        return any((sl, sc) <= (line, column) <= (el, ec) for sl, sc, el, ec in self.offloaded)


@extractor("async", version=2, section=AsyncFacts, query=_QUERY_SRC)
def extract(tree: Tree, source: bytes, facts: FileFacts, resolver: ContextResolver, matches: Matches) -> AsyncFacts:
    out = AsyncFacts()
    if b"." not in source:
        return out
    bindings: dict[tuple[int, str], list[tuple[int, str]]] = {}
    method_calls: list[tuple[Node, Node]] = []
    for _pattern, caps in matches:
        if "mcall" in caps:
            method_calls.append((caps["mcall"][0], caps["method"][0]))
        elif "let" in caps:
            let, name, value = caps["let"][0], text(caps["let.name"][0]), caps["let.value"][0]
            if value.type in _CHAIN_STARTS:
                item = resolver.item_of(let)
                root = chain_root(value, bindings, item, let.start_byte)
                if root:
                    bindings.setdefault((item, name), []).append((let.start_byte, root))
            guard = _held_guard(let, name, value, resolver)
            if guard is not None:
                out.held_guards.append(guard)
        elif "closure" in caps:
            closure = caps["closure"][0]
            if _is_offloaded(closure):
                out.offloaded.append((closure.start_point[0] + 1, closure.start_point[1] + 1,
                                      closure.end_point[0] + 1, closure.end_point[1] + 1))
    for call, method in method_calls:
        function = call.child_by_field_name("function")
        receiver = function.child_by_field_name("value") if function is not None else None
        ctx = resolver.context(method)
        root = chain_root(receiver, bindings, ctx.item, call.start_byte) if receiver is not None else None
        if root:
            out.chain_calls.append(ChainCall(text(method), root, method.start_point[0] + 1,
                                             method.start_point[1] + 1, ctx.item, ctx.async_ctx, ctx.in_macro))
    return out


def chain_root(node: Node | None, bindings: dict[tuple[int, str], list[tuple[int, str]]], item: int,
               before: int) -> str | None:
    """The path of the call at the bottom of a method chain (`a::b(..).c()?.d()` -> `a::b`)."""
    for _ in range(64):
        if node is None:
            return None
        t = node.type
        if t == "call_expression":
            func = node.child_by_field_name("function")
            if func is not None and func.type == "generic_function":
                func = func.child_by_field_name("function")
            if func is None:
                return None
            if func.type == "field_expression":
                node = func.child_by_field_name("value")
                continue
            if func.type in ("identifier", "scoped_identifier"):
                return text(func).replace(" ", "")
            return None
        if t in ("try_expression", "parenthesized_expression", "reference_expression"):
            node = node.named_children[-1] if node.named_children else None
            continue
        if t == "identifier":
            earlier = [root for start, root in bindings.get((item, text(node)), []) if start < before]
            return earlier[-1] if earlier else None
        return None
    return None


def _lock_call(value: Node) -> Node | None:
    """The `x.lock()` call when `value` is `x.lock()`, `x.lock().unwrap()`, `x.lock()?`, `x.write().expect(..)`."""
    unwrapped = False
    if value.type == "try_expression" and value.named_children:
        value, unwrapped = value.named_children[0], True
    elif value.type == "call_expression":
        func = value.child_by_field_name("function")
        if func is not None and func.type == "field_expression" and text(func.child_by_field_name("field")) in _UNWRAPS:
            inner = func.child_by_field_name("value")
            if inner is not None:
                value, unwrapped = inner, True
    if value.type != "call_expression":
        return None
    func = value.child_by_field_name("function")
    args = value.child_by_field_name("arguments")
    if func is None or func.type != "field_expression" or args is None or args.named_child_count:
        return None
    method = text(func.child_by_field_name("field"))
    if method == "lock" or (method in _LOCK_METHODS and unwrapped):
        return value
    return None


def _held_guard(let: Node, name: str, value: Node, resolver: ContextResolver) -> HeldGuard | None:
    if name == "_":
        return None
    lock = _lock_call(value)  # before the parent: most `let`s end here, and a node's parent is found from the root
    if lock is None or let.parent is None or let.parent.type != "block":
        return None
    ctx = resolver.context(let)
    if not ctx.async_ctx:
        return None
    sibling = let.next_named_sibling
    while sibling is not None:
        event = _first_event(sibling, name)
        if event is not None:
            if event.type != "await_expression":
                return None  # the guard is dropped, moved or shadowed first
            where = event.child_by_field_name("await") or event.children[-1]
            return HeldGuard(name, text(lock)[:80], let.start_point[0] + 1, let.start_point[1] + 1, ctx.item,
                             where.start_point[0] + 1, where.start_point[1] + 1)
        sibling = sibling.next_named_sibling
    return None


def _first_event(node: Node, name: str) -> Node | None:
    """In document order: the first `.await`, or the first node that ends the guard's life."""
    stack = [node]
    while stack:
        cur = stack.pop()
        t = cur.type
        if t == "await_expression":
            return cur
        if t in _DEFERRED:
            continue
        if t == "let_declaration":
            value = cur.child_by_field_name("value")
            if text(cur.child_by_field_name("pattern")) == name or (value is not None and text(value) == name):
                return cur  # shadowed or moved: not a clear case
        if t == "arguments" and any(c.type == "identifier" and text(c) == name for c in cur.named_children):
            return cur  # `drop(g)` or moved into a call
        if t == "assignment_expression" and text(cur.child_by_field_name("left")) == name:
            return cur
        stack.extend(reversed(cur.children))
    return None
