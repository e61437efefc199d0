"""Handlers of the types scanner for the names a statement or pattern binds (`let`, parameters,
closure parameters, `for`, `match`/`if let` patterns): a typed binding, or a shadowing one of unknown type."""

from __future__ import annotations

from tree_sitter import Node

from rust_triage.families.types.exprs import encode, node_text
from rust_triage.families.types.facts import Binding, Expr, TypeFacts
from rust_triage.families.types.pattern_bindings import pattern_init, scrutinee
from rust_triage.families.types.syntax import iterator_element


class BindingsMixin:
    out: TypeFacts
    needed: set[bytes]  # names some use needs typed: bindings of other names are not recorded
    pattern_receivers: set[bytes]  # method receivers: recorded when a `match`/`if let` pattern types them

    def _bind(self, binding: Binding) -> None:
        raise NotImplementedError

    def _context(self, node: Node) -> tuple[int, bool]:
        raise NotImplementedError

    def _byte(self, node: Node) -> int:
        raise NotImplementedError

    def _end_byte(self, node: Node) -> int:
        raise NotImplementedError

    def _src(self) -> bytes:
        """The text the scanned tree was parsed from (see `exprs.node_text`)."""
        raise NotImplementedError

    def _let(self, node: Node, _: Node | None) -> None:
        pattern = node.child_by_field_name("pattern")
        scope = node.parent
        if pattern is None or scope is None:
            return
        visible, end = self._end_byte(node), self._end_byte(scope)
        if pattern.type == "identifier":
            declared = node.child_by_field_name("type")
            src = self._src()
            init = encode(node.child_by_field_name("value"), src)
            self._bind(Binding(node_text(pattern, src), visible, end, self._context(node)[0], node_text(declared, src),
                               init))
        elif pattern.type in ("struct_pattern", "tuple_struct_pattern", "tuple_pattern"):  # `let S { a, b: c } = v;`: typed as a
            self._unknown_names(pattern, visible, end, node)  # `match` arm's names are
        else:
            self._unknown_names(pattern, visible, end)

    def _param(self, node: Node, pattern: Node) -> None:
        owner = node.parent.parent if node.parent is not None else None
        if owner is None:
            return
        start, end = self._byte(node), self._end_byte(owner)
        if pattern.type == "identifier":
            declared = node.child_by_field_name("type")
            src = self._src()
            self._bind(Binding(node_text(pattern, src), start, end, self._context(node)[0], node_text(declared, src)))
        else:
            self._unknown_names(pattern, start, end)

    def _closure_params(self, node: Node, _: Node | None) -> None:
        owner = node.parent
        if owner is None:
            return
        start, end = self._byte(node), self._end_byte(owner)
        params = node.named_children
        src = self._src()
        element = iterator_element(owner, src) if len(params) == 1 else None
        for child in params:
            if element is not None and child.type == "tuple_pattern" and \
                    self._tuple_names(child, element, start, end, node):
                continue
            if element is not None and child.type in ("identifier", "reference_pattern"):
                name = child if child.type == "identifier" else child.named_children[-1]
                if name.type == "identifier":
                    init = element if child.type == "identifier" else ("deref", element)
                    self._bind(Binding(node_text(name, src), start, end, self._context(node)[0], "", init))
                    continue
            if child.type != "parameter":  # typed ones come through the `parameter` pattern
                self._unknown_names(child, start, end)

    def _for(self, node: Node, pattern: Node) -> None:
        start, end = self._byte(pattern), self._end_byte(node)
        src = self._src()
        value = encode(node.child_by_field_name("value"), src)
        if pattern.type == "identifier" and value is not None:
            self._bind(Binding(node_text(pattern, src), start, end, self._context(node)[0], "", ("elem", value, "for")))
        elif not (pattern.type == "tuple_pattern" and value is not None
                  and self._tuple_names(pattern, ("elem", value, "for"), start, end, node)):
            self._unknown_names(pattern, start, end)

    def _tuple_names(self, pattern: Node, element: Expr, start: int, end: int, site: Node) -> bool:
        """`(i, e)` / `(_, mut e)` over the items of `element`: each name is its part of the item (see
        LocalEnv); False, binding nothing, for any other tuple pattern."""
        parts = [c for c in pattern.children if c.type not in ("(", ")", ",")]
        names = [c.named_children[-1] if c.type == "mut_pattern" and c.named_child_count else c for c in parts]
        if not names or any(n.type not in ("identifier", "_", "tuple_pattern") for n in names):
            return False
        src = self._src()
        item = self._context(site)[0]
        for index, name in enumerate(names):
            if name.type == "identifier":
                self._bind(Binding(node_text(name, src), start, end, item, "", ("tpart", element, str(index))))
            elif name.type == "tuple_pattern":  # `((new, old), e)` over `a.zip(b).zip(c)`: over `a.zip(b)`
                inner = _side_items(element, index)
                if inner is None or not self._tuple_names(name, inner, start, end, site):
                    self._unknown_names(name, start, end)
        return True

    def _pattern(self, scope: Node, pattern: Node) -> None:
        self._unknown_names(pattern, self._byte(pattern), self._end_byte(scope), scope)

    def _let_condition(self, node: Node, pattern: Node) -> None:
        scope = node.parent
        while scope is not None and scope.type not in ("if_expression", "while_expression", "block"):
            scope = scope.parent
        self._unknown_names(pattern, self._byte(pattern), self._end_byte(scope or node), node)

    def _unknown_names(self, pattern: Node, start: int, end: int, site: Node | None = None) -> None:
        """Every name a pattern may bind shadows outer bindings; a `match`/`if let` `site` types the
        names its pattern takes out of one struct or variant (see pattern_bindings), others stay unknown."""
        item = self._context(pattern)[0]
        src = self._src()
        stack = [pattern]
        while stack:
            n = stack.pop()
            if n.type in ("identifier", "shorthand_field_identifier") and (
                    (text := src[n.start_byte:n.end_byte]) in self.needed
                    or (site is not None and text in self.pattern_receivers)):
                init = pattern_init(n, pattern, scrutinee(site), src) if site is not None else None
                if init is not None or text in self.needed:
                    self._bind(Binding(text.decode("utf-8", "replace"), start, end, item, "", init))
            if n.type == "match_pattern" and (guard := n.child_by_field_name("condition")) is not None:
                stack.extend(c for c in n.named_children if c != guard)  # `P if guard`: the guard binds nothing
            else:
                stack.extend(n.named_children)


def _side_items(element: Expr, index: int) -> Expr | None:
    """The items of the `index`-th side of `element`'s `zip`/`enumerate` pairs, as an "elem" expr."""
    it = element[1] if element[0] == "elem" else None
    if it is None or it[0] != "pairs" or index > 1 or it[1 + index] == ("?",):
        return None
    return ("elem", it[1 + index], element[2])
