"""Names bound by a `match` arm, `if let`/`while let` or `let` pattern that destructures one struct,
variant, tuple or `Some`/`Ok`/`Err` directly: `E::V(ref x, y)`, `S { a, b: ref c }`, `Some(node)`, `(a, b)`
(path `TUPLE`). Their binding records where the value comes from (runs in parse workers):

    ("pat", scrutinee, path, field, mode)

`scrutinee` is the matched expression (`("?",)` when it is not one the checks can type), `path` the
pattern's path, `field` the position ("0", "1"...) or the field's name, `mode` "ref" for `ref x` and
"" otherwise. Nested patterns, or-patterns and positions after `..` are left untyped.
"""

from __future__ import annotations

from tree_sitter import Node

from rust_triage.families.types.exprs import encode, node_text, path_text
from rust_triage.families.types.facts import Expr

UNKNOWN: Expr = ("?",)
TUPLE = "()"  # the path of a tuple pattern's names: `let (a, b) = v.split_at(i);`
_WRAPPERS = frozenset({"ref_pattern", "mut_pattern"})
_NOT_ELEMENTS = frozenset({"(", ")", ",", "line_comment", "block_comment", "attribute_item"})


def scrutinee(site: Node) -> Node | None:
    """The value a `match_arm`, `let_condition` or `let_declaration` site matches against."""
    if site.type in ("let_condition", "let_declaration"):
        return site.child_by_field_name("value")
    block = site.parent
    match = block.parent if block is not None else None
    return match.child_by_field_name("value") if match is not None and match.type == "match_expression" else None


def pattern_init(name: Node, root: Node, value: Node | None, src: bytes | None = None) -> Expr | None:
    """The `("pat", ..)` initialiser of the identifier `name` in the pattern `root`, or None (`src`: the
    text the tree was parsed from, see `exprs.node_text`)."""
    mode = ""
    at = name
    parent = name.parent
    while parent is not None and parent.type in _WRAPPERS:
        if parent.type == "ref_pattern":
            mode = "ref"
        at, parent = parent, parent.parent
    if parent is None:
        return None
    if parent.type in ("tuple_struct_pattern", "tuple_pattern"):
        holder = parent
        field = _position(parent, at)
    elif parent.type == "field_pattern":
        holder = parent.parent
        label = parent.child_by_field_name("name")
        field = node_text(label, src) if label is not None else ""
        if any(c.type == "ref" for c in parent.children):
            mode = "ref"  # `S { ref a }`
    else:
        return None
    if holder is None or not field:
        return None
    top = holder.parent if root.type == "match_pattern" else holder
    if top is None or top.id != root.id:
        return None  # nested in another pattern
    kind = holder.child_by_field_name("type")
    path = TUPLE if holder.type == "tuple_pattern" else path_text(kind, src) if kind is not None else ""
    if not path:
        return None
    scrutinised = encode(value, src) if value is not None else None
    return ("pat", scrutinised or UNKNOWN, path, field, mode)


def _position(pattern: Node, at: Node) -> str:
    """The position of `at` among the tuple pattern's elements (`_` counts); "" after a `..` rest."""
    kind = pattern.child_by_field_name("type")
    position = 0
    for child in pattern.children:
        if child.type in _NOT_ELEMENTS or (kind is not None and child.id == kind.id):
            continue
        if child.type == "remaining_field_pattern":
            return ""
        if child.id == at.id:
            return str(position)
        position += 1
    return ""
