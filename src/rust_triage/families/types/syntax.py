"""Syntax helpers of the `types` extractor: item lookup by offset, and small node predicates."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from tree_sitter import Node

from rust_triage.families.types.exprs import ITERATOR_ADAPTERS, argument_count, encode, node_text, path_text
from rust_triage.parse.facts import FileFacts

# common std methods taking `&self`/`&mut self`: a call on a place (or a local) moves nothing
BORROWING_STD_METHODS = frozenset({
    b"iter", b"iter_mut", b"len", b"is_empty", b"push", b"insert", b"get", b"get_mut", b"contains", b"contains_key",
    b"as_str", b"as_ref", b"as_mut", b"as_slice", b"as_bytes", b"as_ptr", b"to_string", b"to_owned", b"to_vec",
    b"clone", b"borrow", b"borrow_mut", b"lock", b"read", b"write", b"extend", b"remove", b"pop", b"clear",
    b"starts_with", b"ends_with", b"split", b"trim", b"chars", b"bytes", b"keys", b"values", b"entry", b"first",
    b"last", b"fmt", b"hash", b"eq", b"ne", b"cmp", b"partial_cmp", b"push_str", b"join", b"retain", b"sort",
    b"dedup", b"truncate", b"drain", b"lines", b"find", b"position", b"capacity", b"reserve", b"display", b"set",
    b"replace", b"take", b"is_some", b"is_none", b"is_ok", b"is_err", b"as_deref", b"as_deref_mut",
    b"get_or_insert_with", b"send", b"recv", b"load", b"store", b"fetch_add", b"sort_by", b"sort_by_key",
    b"binary_search", b"windows", b"chunks", b"swap", b"split_at", b"to_lowercase", b"to_uppercase", b"parse",
    b"with_capacity", b"len_utf8", b"flush", b"next", b"peek",
})
BORROWING_STD_METHOD_NAMES = frozenset(name.decode() for name in BORROWING_STD_METHODS)
DEFAULT_PATHS = ("Default::default", "std::default::Default::default", "core::default::Default::default")


class ItemLocator:
    """Innermost item containing a byte offset, from the items' line/column spans.

    Parsed expressions never sit inside a macro token tree, so the item is all the context the
    scanner needs for nodes of the file's own tree (and cheaper than walking up the tree).
    """

    def __init__(self, source: bytes, facts: FileFacts, spans: dict[int, tuple[int, int]] | None = None) -> None:
        """`spans`: item index -> (start byte, end byte), when known (the core pass records them); the
        others are computed from the items' lines and columns."""
        items = facts.items
        known = spans or {}
        starts: list[int] = []

        def byte(line: int, col: int) -> int:
            if not starts:
                starts.extend(accumulate((len(line) + 1 for line in source.split(b"\n")), initial=0))
            return starts[line - 1] + col - 1 if 0 < line <= len(starts) else len(source)

        self.items = items
        self.spans = [known.get(it.index) or (byte(it.line, it.column), byte(it.end_line, it.end_column))
                      for it in items]
        self.order = sorted(range(len(items)), key=lambda i: self.spans[i][0])
        self.starts = [self.spans[i][0] for i in self.order]

    def item_at(self, offset: int) -> int:
        k = bisect_right(self.starts, offset) - 1
        index = self.order[k] if k >= 0 else -1
        while index >= 0 and not (self.spans[index][0] <= offset < self.spans[index][1]):
            index = self.items[index].parent
        return index


def add_base_name(expr: tuple | None, names: set[bytes]) -> None:
    """The local name an expression starts from (`x` in `x.a.b()`), if any."""
    while expr:
        if expr[0] == "id":
            names.add(expr[1].encode())
            return
        if expr[0] in ("field", "ref", "deref", "try", "mcall", "iter", "elem", "index", "pat", "vec", "tpart", "slice"):
            expr = expr[1]
        elif expr[0] == "turbo":
            expr = expr[3]
        elif expr[0] in ("cmp", "keyed", "pairs"):
            add_base_name(expr[1], names)
            expr = expr[2]
        elif expr[0] in ("array", "tuple", "some"):
            for part in expr[2:]:
                add_base_name(part, names)
            expr = expr[1]
        else:
            return


def iterator_element(closure: Node, src: bytes | None = None) -> tuple | None:
    """("elem", iterator, adapter) when `closure` is the first argument of `it.map(..)`-like calls (`src`:
    see `exprs.node_text`)."""
    args = closure.parent
    if args is None or args.type != "arguments" or not args.named_children or args.named_children[0] != closure:
        return None
    call = args.parent
    func = call.child_by_field_name("function") if call is not None else None
    if func is None or func.type != "field_expression":
        return None
    method = node_text(func.child_by_field_name("field"), src)
    if method not in ITERATOR_ADAPTERS:
        return None
    recv = encode(func.child_by_field_name("value"), src)
    return ("elem", recv, method) if recv is not None else None


def array_of(root: Node) -> Node | None:
    fn = root.named_children[0] if root.named_child_count else None
    body = fn.child_by_field_name("body") if fn is not None else None
    stmt = body.named_children[0] if body is not None and body.named_child_count else None
    array = stmt.named_children[0] if stmt is not None and stmt.named_child_count else None
    return array if array is not None and array.type == "array_expression" else None


def position_in(body: Node, child: Node) -> int:
    return sum(1 for c in body.named_children if c.type not in ("attribute_item", "visibility_modifier",
                                                                  "line_comment", "block_comment")
               and c.start_byte < child.start_byte)


def has_cfg(node: Node) -> bool:
    return any(c.type == "attribute_item" and node_text(c)[2:].lstrip().startswith("cfg") for c in node.named_children)


def is_default_call(node: Node | None, src: bytes | None = None) -> bool:
    if node is None or node.type != "call_expression":
        return False
    func = node.child_by_field_name("function")
    return func is not None and path_text(func, src) in DEFAULT_PATHS and argument_count(node.child_by_field_name("arguments")) == 0


def expected_type(node: Node) -> Node | None:
    """The type written for the value of `node`: `let x: T = node`, or the fn's return type when
    `node` is the fn body's tail expression or a `return` value."""
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "let_declaration":
        return parent.child_by_field_name("type")
    if parent.type == "return_expression":
        fn = parent.parent
        while fn is not None and fn.type not in ("function_item", "closure_expression"):
            fn = fn.parent
    elif parent.type == "block" and [c for c in parent.named_children if "comment" not in c.type][-1] == node:
        fn = parent.parent
    else:
        return None
    if fn is None or fn.type != "function_item":
        return None
    return fn.child_by_field_name("return_type")


_STATEMENT_LEVEL = frozenset({"block", "function_item", "source_file", "declaration_list", "match_block",
                              "match_arm", "let_declaration"})


def in_error(node: Node) -> bool:
    """True when the node sits where an expression cannot be: in a region the grammar could not parse,
    or inside a pattern it misread (`(| E::A(..) | E::B(..), _)` comes out as a closure in a pattern)."""
    cur = node.parent
    while cur is not None and cur.type not in _STATEMENT_LEVEL:
        t = cur.type
        if t == "ERROR" or t.endswith("_pattern") or t == "closure_parameters":
            return True
        cur = cur.parent
    return False


def self_by_reference(node: Node, src: bytes) -> bool:
    """True when the fn around `node` (in a tree parsed from `src`) takes `&self` or `&mut self`."""
    fn = node.parent
    while fn is not None and fn.type not in ("function_item", "closure_expression"):
        fn = fn.parent
    params = fn.child_by_field_name("parameters") if fn is not None and fn.type == "function_item" else None
    first = params.named_children[0] if params is not None and params.named_child_count else None
    return first is not None and first.type == "self_parameter" and src[first.start_byte:first.end_byte].startswith(b"&")


def named_field(node: Node, field: str) -> Node | None:
    """The named child in `field` (what a `field: (_)` query step matches), else None."""
    child = node.child_by_field_name(field)
    return child if child is not None and child.is_named else None


def text_without_comments(tt: Node, src: bytes) -> bytes:
    """The token tree's text with its comments (doc comments too) cut out: a word in a comment is no
    mention of an item."""
    text = src[tt.start_byte:tt.end_byte]
    if b"//" not in text and b"/*" not in text:
        return text
    comments: list[tuple[int, int]] = []
    work = [tt]
    while work:
        for child in work.pop().children:
            if child.type in ("line_comment", "block_comment"):
                comments.append((child.start_byte, child.end_byte))
            elif child.type == "token_tree":
                work.append(child)
    if not comments:
        return text
    cut, at = [], tt.start_byte
    for start, end in sorted(comments):
        cut.append(src[at:start])
        at = end
    cut.append(src[at:tt.end_byte])
    return b" ".join(cut)


def binds_scrutinee(match: Node, src: bytes) -> bool:
    """An arm of the `match` binds its whole scrutinee by value (`other => ..`, a name's pattern, with or
    without a guard): the arm moves the scrutinee."""
    value = match.child_by_field_name("value")
    body = match.child_by_field_name("body")
    for arm in body.named_children if body is not None and value is not None else ():
        pattern = arm.child_by_field_name("pattern") if arm.type == "match_arm" else None
        first = pattern.named_children[0] if pattern is not None and pattern.named_child_count else None
        if first is not None and first.type == "identifier" and src[first.start_byte:first.start_byte + 1].islower():
            return True
    return False


def field_type(node: Node, field: str) -> str:
    """The node type of `node`'s child in `field` ("" without one)."""
    child = node.child_by_field_name(field)
    return child.type if child is not None else ""


def is_deref(node: Node) -> bool:
    """A unary expression `*x`."""
    return node.child_count == 2 and node.children[0].type == "*"
