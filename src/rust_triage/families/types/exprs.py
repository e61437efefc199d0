"""Syntax-tree nodes to the expression tuples of `rust_triage.families.types.facts` (runs in parse workers)."""

from __future__ import annotations

import re

from tree_sitter import Node

from rust_triage.families.types.facts import EXPR_MAX_DEPTH, Expr

_GENERIC_ARGS = re.compile(r"<.*>", re.S)
_WS = re.compile(r"\s+")
_MAX_DEPTH = EXPR_MAX_DEPTH
UNWRAPPING = frozenset({"unwrap", "expect", "unwrap_or_default"})
# methods whose turbofish names the result: `collect::<T>()` is a `T`, `parse::<T>()` a `Result<T, _>`
TURBOFISH_METHODS = frozenset({"collect", "parse"})
# methods whose result iterates over the receiver's items (see types.env)
ITERATORS = frozenset({"iter", "iter_mut", "into_iter", "filter", "skip", "take", "rev", "inspect", "skip_while",
                       "take_while", "step_by", "peekable", "cloned", "copied", "chain"})
# iterator methods whose items are pairs: `enumerate` (index, item), `zip` (item, the argument's item)
PAIRING = frozenset({"enumerate", "zip"})
# iterator methods whose closure gets the item (or a reference to it, see types.env)
ITERATOR_ADAPTERS = frozenset({
    "map", "for_each", "any", "all", "filter_map", "flat_map", "find_map", "position", "map_while",
    "filter", "find", "skip_while", "take_while", "inspect", "partition",
})


def node_text(node: Node | None, src: bytes | None = None) -> str:
    """The node's text; `src`, when given, is the text its tree was parsed from: slicing it is cheaper than
    tree-sitter's `Node.text`."""
    if node is None:
        return ""
    raw = node.text if src is None else src[node.start_byte:node.end_byte]
    return raw.decode("utf-8", "replace")


def path_text(node: Node, src: bytes | None = None) -> str:
    """`crate::a::Foo::<T>` / `Foo<T>` -> `crate::a::Foo`; empty when it is not a plain path."""
    return path_of(node_text(node, src))


def path_of(text: str) -> str:
    """`path_text` of a node whose text is `text`."""
    if text.isidentifier():
        return text  # most paths are one name
    text = _WS.sub("", text)
    if text.startswith("<"):
        return ""  # `<T as Trait>::f`
    return _GENERIC_ARGS.sub("", text).replace("::::", "::").rstrip(":")


def encode(node: Node | None, src: bytes | None = None, depth: int = 0) -> Expr | None:
    """The expression tuple for `node`, or None when it is not a form the checks can type (`src`: see
    `node_text`)."""
    if node is None or depth > _MAX_DEPTH:
        return None
    t = node.type
    if t == "identifier":
        return ("id", node_text(node, src))
    if t == "self":
        return ("self",)
    if t == "field_expression":
        inner = encode(node.child_by_field_name("value"), src, depth + 1)
        name = node.child_by_field_name("field")
        return ("field", inner, node_text(name, src)) if inner is not None and name is not None else None
    if t == "reference_expression":
        inner = encode(node.child_by_field_name("value"), src, depth + 1)
        return ("ref", inner) if inner is not None else None
    if t == "unary_expression":
        if node.child_count == 2 and node.children[0].type == "*":
            inner = encode(node.children[1], src, depth + 1)
            return ("deref", inner) if inner is not None else None
        return None
    if t == "parenthesized_expression":
        return encode(node.named_children[0], src, depth + 1) if node.named_child_count == 1 else None
    if t == "struct_expression":
        name = node.child_by_field_name("name")
        path = path_text(name, src) if name is not None else ""
        return ("lit", path) if path else None
    if t == "try_expression":
        inner = encode(node.named_children[0], src, depth + 1) if node.named_child_count else None
        return ("try", inner) if inner is not None else None
    if t == "call_expression":
        return _encode_call(node, src, depth)
    if t == "index_expression":  # `v[i]`; a range index (`v[1..]`) gives a slice of the elements
        if node.named_child_count != 2:
            return None
        inner = encode(node.named_children[0], src, depth + 1)
        if inner is None:
            return None
        return ("slice", inner) if node.named_children[1].type == "range_expression" else ("index", inner)
    if t == "scoped_identifier":  # `Color::Green`: typed only when it names a unit variant
        path = path_text(node, src)
        return ("path", path) if path else None
    if t == "macro_invocation":
        return _encode_vec(node, src)
    if t == "array_expression":
        return _encode_array(node, src, depth)
    if t == "tuple_expression":
        return _encode_tuple(node, src, depth)
    return None


_ARRAY_SAMPLES = 4  # an array literal keeps its first distinct encodable elements (typed from the first that types)


def _encode_array(node: Node, src: bytes | None, depth: int) -> Expr | None:
    """`[a, b, ..]` / `[a; n]`: ("array", a, b, ..) of up to `_ARRAY_SAMPLES` distinct elements that encode
    (each typed as the array's element type: an array's elements are of one type)."""
    values = [c for c in node.named_children if c.type not in ("line_comment", "block_comment", "attribute_item")]
    length = node.child_by_field_name("length")
    if length is not None:
        values = [v for v in values if v != length]
    samples: list[Expr] = []
    for value in values:
        encoded = _encode_part(value, src, depth + 1)
        if encoded is not None and encoded not in samples:
            samples.append(encoded)
            if len(samples) == _ARRAY_SAMPLES:
                break
    return ("array", *samples) if samples else None


def _encode_tuple(node: Node, src: bytes | None, depth: int) -> Expr | None:
    """`(a, b)`: ("tuple", a, b), ("?",) standing for a part that does not encode; None when none does."""
    values = [c for c in node.named_children if c.type not in ("line_comment", "block_comment", "attribute_item")]
    parts = [_encode_part(v, src, depth + 1) for v in values]
    if len(parts) < 2 or all(p is None for p in parts):
        return None
    return ("tuple", *(p or ("?",) for p in parts))


def _encode_part(node: Node, src: bytes | None, depth: int) -> Expr | None:
    """An element of an array or tuple literal: as `encode`, and `Some(x)` as ("some", x)."""
    inner = wrapped_value(node, src)
    if inner is not None and node_text(node.child_by_field_name("function"), src) == "Some":
        value = encode(inner, src, depth + 1)
        return ("some", value) if value is not None else None
    return encode(node, src, depth)


def _encode_vec(node: Node, src: bytes | None) -> Expr | None:
    """`vec![x; n]` / `vec![x, ..]` whose (first) element is a name or a call of a path without tokens that
    could bind (`vec![NodeIndex::end(); n]`): ("vec", element), a `Vec` of the element's type."""
    name = node.child_by_field_name("macro")
    tree = node.named_children[-1] if node.named_child_count else None
    if name is None or name.type != "identifier" or node_text(name, src) != "vec" or tree is None or \
            tree.type != "token_tree":
        return None
    tokens = tree.children[1:-1]
    end = next((i for i, tok in enumerate(tokens) if tok.type in (";", ",")), len(tokens))
    element = tokens[:end]
    if len(element) == 1 and element[0].type == "identifier":
        return ("vec", ("id", node_text(element[0], src)))
    if len(element) >= 4 and len(element) % 2 == 0 and element[-1].type == "token_tree" and \
            node_text(element[-1], src).startswith("(") and \
            all(tok.type == ("identifier" if i % 2 == 0 else "::") for i, tok in enumerate(element[:-1])):
        return ("vec", ("call", "".join(node_text(tok, src) for tok in element[:-1])))
    return None


def compared(left: Expr | None, right: Expr | None) -> Expr | None:
    """("cmp", left, right) for `left == right`: typed from the left operand, or from the right one
    when the left one is unknown (see types.env); ("?",) stands for an operand that cannot be typed."""
    if left is None and right is None:
        return None
    return ("cmp", left or ("?",), right or ("?",))


def wrapped_value(node: Node, src: bytes | None = None) -> Node | None:
    """`x` of `Ok(x)` / `Err(x)` / `Some(x)`, else None."""
    if node.type != "call_expression":
        return None
    func = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if func is None or args is None or node_text(func, src) not in ("Ok", "Err", "Some"):
        return None
    values = [c for c in args.named_children if c.type not in ("line_comment", "block_comment", "attribute_item")]
    return values[0] if len(values) == 1 else None


def _encode_call(node: Node, src: bytes | None, depth: int) -> Expr | None:
    func = node.child_by_field_name("function")
    if func is None:
        return None
    if func.type == "field_expression":
        recv = encode(func.child_by_field_name("value"), src, depth + 1)
        method = node_text(func.child_by_field_name("field"), src)
        if method in PAIRING:  # `a.enumerate()` / `a.zip(b)`: pairs, each side typed on its own
            args = node.child_by_field_name("arguments")
            values = [c for c in args.named_children if c.type not in ("line_comment", "block_comment")] \
                if args is not None else []
            if method == "enumerate" and not values and recv is not None:
                return ("pairs", ("?",), recv)
            if method == "zip" and len(values) == 1:
                other = encode(values[0], src, depth + 1)
                return ("pairs", recv or ("?",), other or ("?",)) if recv is not None or other is not None else None
            return None
        if recv is None:
            return None
        if method in UNWRAPPING:
            return ("try", recv)
        if method in ITERATORS:
            return ("iter", recv, method)
        return ("mcall", recv, method)
    if func.type == "generic_function":
        inner = func.child_by_field_name("function")
        if inner is not None and inner.type == "field_expression":
            return _encode_turbofish(inner, func.child_by_field_name("type_arguments"), src, depth)
        func = inner or func
    if func.type in ("identifier", "scoped_identifier"):
        path = path_text(func, src)
        if path in _SAME_TYPE_FNS:
            return _same_type_call(node, path, src, depth)
        if path.rsplit("::", 1)[-1] == "enumerate" and (path != "enumerate" or b"::enumerate" in (src or b"")):
            args = node.child_by_field_name("arguments")
            inner = encode(first_argument(args), src, depth + 1) if argument_count(args) == 1 and args else None
            if inner is not None:  # itertools' (or a crate's own) `enumerate(v)`: `v.into_iter().enumerate()`
                return ("pairs", ("?",), inner)
        return ("call", path) if path else None
    return None


# std fns whose result has the type of one argument: `cmp::max(a, b)` (of `a`), `mem::replace(&mut d, v)` (of `v`)
_SAME_TYPE_FNS = {f"{root}{module}::{name}": at for root in ("", "std::", "core::")
                  for module, name, at in (("cmp", "max", 0), ("cmp", "min", 0), ("mem", "replace", 1))}


def _same_type_call(node: Node, path: str, src: bytes | None, depth: int) -> Expr | None:
    """The argument a `_SAME_TYPE_FNS` call's value is typed from (a bare `cmp::max` only in a file that names
    std's or core's `cmp`)."""
    if not path.startswith(("std::", "core::")):
        text = src or b""
        module = path.split("::", 1)[0].encode()
        if b"std::" + module not in text and b"core::" + module not in text:
            return ("call", path)
    arguments = node.child_by_field_name("arguments")
    args = [a for a in arguments.named_children if a.type not in ("line_comment", "block_comment", "attribute_item")] \
        if arguments is not None else []
    return encode(args[_SAME_TYPE_FNS[path]], src, depth + 1) if len(args) == 2 else None


def _encode_turbofish(method_node: Node, type_args: Node | None, src: bytes | None, depth: int) -> Expr | None:
    """`x.collect::<T>()` / `s.parse::<T>()`: ("turbo", method, T, receiver or ("?",))."""
    method = node_text(method_node.child_by_field_name("field"), src)
    if method not in TURBOFISH_METHODS or type_args is None or type_args.named_child_count != 1:
        return None
    recv = encode(method_node.child_by_field_name("value"), src, depth + 1) or ("?",)
    return ("turbo", method, _WS.sub(" ", node_text(type_args.named_children[0], src)), recv)


def argument_count(args: Node | None) -> int:
    """Arguments of an `arguments` node (attributes and comments are not arguments)."""
    if args is None:
        return 0
    return sum(1 for c in args.named_children if c.type not in ("line_comment", "block_comment", "attribute_item"))


def first_argument(args: Node) -> Node | None:
    """The first argument of an `arguments` node (attributes and comments left out)."""
    for c in args.named_children:
        if c.type not in ("line_comment", "block_comment", "attribute_item"):
            return c
    return None
