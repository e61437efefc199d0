"""Repeat expressions: `[x; N]` copies its element (rustc E0277 unless the element type is Copy, for a
length over 1) and `vec![x; n]` clones it (E0277 unless Clone). Only an element that is a call is read:
a const item or a literal may be repeated whatever its type."""

from __future__ import annotations

import re

from tree_sitter import Node

from rust_triage.families.types.exprs import encode, node_text
from rust_triage.families.types.facts import Expr

REPEAT = "Repeat"  # the TraitUse kind: Copy of an array repeat's element, Clone of a `vec!` one
ARRAY_HOW, VEC_HOW = "[x; N]", "vec![x; n]"
_LENGTH = re.compile(r"(\d+)(?:usize|u\d+|i\d+)?")


def repeated_element(value: Node, src: bytes) -> tuple[Expr, str] | None:
    """(element, how) of the repeat expression `value` whose element is a call, else None."""
    if value.type == "array_expression":
        length = value.child_by_field_name("length")
        if length is None or not value.named_child_count:
            return None
        count = _LENGTH.fullmatch(node_text(length, src).replace("_", ""))
        if count is None or int(count.group(1)) < 2:
            return None  # a const or an expression: it may be 0 or 1, which copies nothing
        element = encode(value.named_children[0], src)
        return (element, ARRAY_HOW) if element is not None and element[0] in ("call", "mcall") else None
    if value.type == "macro_invocation":
        vec = encode(value, src)
        tree = value.named_children[-1] if value.named_child_count else None
        if vec is None or vec[0] != "vec" or vec[1][0] != "call" or tree is None or \
                not any(tok.type == ";" for tok in tree.children):
            return None
        return vec[1], VEC_HOW
    return None
