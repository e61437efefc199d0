"""The `types` section: struct literals, tuple-struct calls, local bindings and trait-needing uses.
Arguments of std macros (`vec!`, `format!`, `assert_eq!`...) are re-parsed as an array expression, so
literals and `{:?}` arguments in them count as code; `log`/`tracing` macros are read as text; other
macro bodies are skipped."""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import itemgetter

from tree_sitter import Node, Tree

from rust_triage.families.types.assoc_bounds import macro_trait_bounds, trait_assoc_bounds
from rust_triage.families.types.binding_scan import BindingsMixin
from rust_triage.families.types.debug_builders import BUILDER_METHODS, debug_formatted
from rust_triage.families.types.exprs import argument_count, compared, encode, first_argument, path_of
from rust_triage.families.types.facts import (
    MOVE_OUT,
    Binding,
    LitField,
    StructLit,
    TraitUse,
    TupleCall,
    TypeFacts,
)
from rust_triage.families.types.item_facts import ItemFactsMixin
from rust_triage.families.types.macro_args import Position
from rust_triage.families.types.macro_expand import FileMacros
from rust_triage.families.types.macro_scan import HIDDEN, MacroScanMixin
from rust_triage.families.types.map_keys import KEYING_METHODS
from rust_triage.families.types.repeats import REPEAT, repeated_element
from rust_triage.families.types.scan_query import SCAN_QUERY
from rust_triage.families.types.syntax import (
    BORROWING_STD_METHODS,
    DEFAULT_PATHS,
    ItemLocator,
    add_base_name,
    binds_scrutinee,
    expected_type,
    field_type,
    has_cfg,
    in_error,
    is_default_call,
    is_deref,
    iterator_element,
    named_field,
    self_by_reference,
)
from rust_triage.parse.context import ContextResolver
from rust_triage.parse.facts import FileFacts
from rust_triage.parse.registry import Matches, extractor

MAP_METHODS = frozenset({"insert", "get", "get_mut", "contains_key", "entry", "remove", "contains"})
# Result methods that format the other variant with Debug -> number of arguments
UNWRAP_METHODS = {"unwrap": 0, "expect": 1, "unwrap_err": 0, "expect_err": 1}
_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")

# parents that take every such child by value, and those that take only the child in one field
_POSTFIX = re.compile(rb"[ \t\r\n]*[.(\[?]")  # what follows an operand of a field, call, index or `?`
_MOVING_PARENTS = frozenset({"arguments", "tuple_expression", "return_expression"})
_MOVING_FIELD = {"let_declaration": "value", "field_initializer": "value", "assignment_expression": "right",
                 "type_cast_expression": "value", "match_arm": "value", "closure_expression": "body", "match_expression": "value"}


_LITERALS = frozenset({"integer_literal", "float_literal", "string_literal", "raw_string_literal", "char_literal",
                       "boolean_literal"})


def _file_position(node: Node) -> tuple[int, int, int]:
    return node.start_point[0] + 1, node.start_point[1] + 1, node.start_byte


def _file_end_column(node: Node) -> int:
    return node.end_point[1] + 1


@extractor("types", version=26, section=TypeFacts, query=SCAN_QUERY)
def extract(tree: Tree, source: bytes, facts: FileFacts, resolver: ContextResolver, matches: Matches) -> TypeFacts:
    out = TypeFacts()
    macros = FileMacros(source, tree.root_node)
    try:
        scanner = _Scanner(out, facts, resolver, ItemLocator(source, facts, resolver.item_spans()), source)
        scanner.macros = macros
        scanner.scan(matches, _file_position, None, 0, 0, source)
        scanner.finish_bindings()
    except RecursionError:
        return TypeFacts()
    finally:
        macros.release()
    out.bindings.sort(key=lambda b: b.visible_from)
    out.assoc_bounds = trait_assoc_bounds(tree.root_node, source, facts)
    if b"trait" in source and b"!" in source:
        out.macro_assoc_bounds = macro_trait_bounds(tree.root_node, source, facts)
    return out


_FOR = 3  # the kind `_defer` gives `for` patterns
_PATTERN = 4  # and `match` arms (4) and `if let`/`while let` conditions (5)
# a scanned tree's (position map, fixed context, shift, text): `text[n.start_byte:n.end_byte]` is `n.text`, without
# the memory view and method call tree-sitter's `Node.text` costs
_Frame = tuple[Position, tuple[int, bool] | None, int, bytes]


class _Scanner(ItemFactsMixin, BindingsMixin, MacroScanMixin):
    def __init__(self, out: TypeFacts, facts: FileFacts, resolver: ContextResolver, locator: ItemLocator,
                 source: bytes) -> None:
        self.out = out
        self.facts = facts
        self.resolver = resolver
        self.locator = locator
        # binding sites (start byte in the file, kind, node, names' node, frame), handled at the end for the
        # names some use needs
        self.deferred: list[tuple[int, int, Node, Node | None, _Frame]] = []
        self.hidden_looped: set[bytes] = set()  # names `for` loops in expansions bind (see `_defer`)
        self.frame: _Frame = (_file_position, None, 0, source)
        self.pattern_receivers: set[bytes] = set()
        self.end_column: Callable[[Node], int] = _file_end_column  # a node's end column in the file
        self.macros: FileMacros | None = None  # the file's own macro_rules!, expanded at their calls
        self.reparsed: dict[bytes, tuple[bytes, Node, Matches, Tree] | None] = {}  # see `_parsed_arguments`

    def scan(self, matches: Matches, pos: Position, fixed: tuple[int, bool] | None, depth: int, shift: int,
             src: bytes) -> None:
        """Collect from the scan query's `matches`; `fixed` is the (item, in_macro) context of re-parsed
        macro arguments, `shift` what to add to the tree's byte offsets to get the file's, `src` the text
        the tree was parsed from."""
        self.pos, self.fixed, self.depth, self.shift = pos, fixed, depth, shift
        self.frame = (pos, fixed, shift, src)
        for index, caps in matches:
            _HANDLERS[index](self, caps)  # a handler that re-parses restores the scan's fields itself

    def _defer_pattern(self, kind: int, node: Node) -> None:
        """A binding site whose names are in its `pattern` field (sites without one bind nothing)."""
        pattern = named_field(node, "pattern")
        if pattern is not None:
            self._defer(kind, node, pattern)

    def _defer(self, kind: int, node: Node, aux: Node | None) -> None:
        if self.shift == HIDDEN:  # declared in an expansion: no use can see it (macro hygiene), not recorded;
            if kind == _FOR and aux is not None and aux.type == "identifier":  # a loop's name still counts
                self.hidden_looped.add(self.frame[3][aux.start_byte:aux.end_byte])  # in `finish_bindings`
            return
        self.deferred.append((node.start_byte + self.shift, kind, node, aux, self.frame))

    def finish_bindings(self) -> None:
        """Record the bindings of names that uses (or the bindings they lead to) refer to.

        Latest sites first: an initialiser only names earlier bindings, so one pass finds them all.
        """
        needed: set[bytes] = set()
        for use in self.out.uses:
            add_base_name(use.expr, needed)
        for move in self.facts.extra.get("moves") or ():  # run before (extractors run by name): the moved
            add_base_name(move.init, needed)  # locals' values are typed from these names' bindings
        handlers = (self._let, self._param, self._closure_params, self._for, self._pattern, self._let_condition)
        self.needed = needed
        self.deferred.sort(key=itemgetter(0), reverse=True)  # stable: equal offsets keep their order
        looped = {d[4][3][d[3].start_byte:d[3].end_byte] for d in self.deferred
                  if d[1] == _FOR and d[3] is not None and d[3].type == "identifier"} | self.hidden_looped
        if looped - needed:  # `for r in &xs { r.by_value() }` moves `*r`: type the loop's method receivers
            needed.update(looped & {c.receiver.encode() for c in self.facts.calls if c.method and c.receiver})
        if not needed:
            self.deferred.clear()
            return  # no use names a local: no binding is recorded
        # method receivers a `match`/`if let` pattern binds: typed for the calls of trait methods
        self.pattern_receivers = {c.receiver.encode() for c in self.facts.calls if c.method and c.receiver.isidentifier()}
        for _, kind, node, aux, frame in self.deferred:
            src = frame[3]
            if aux is not None and aux.type == "identifier":
                if src[aux.start_byte:aux.end_byte] not in needed:
                    continue
            else:
                names_node = aux if aux is not None else node
                names = _NAME.findall(src, names_node.start_byte, names_node.end_byte)
                if needed.isdisjoint(names) and (kind < _PATTERN or self.pattern_receivers.isdisjoint(names)):
                    continue
            self.frame = frame
            self.pos, self.fixed, self.shift, _ = frame
            handlers[kind](node, aux)
        self.deferred.clear()

    def _bind(self, binding: Binding) -> None:
        if binding.init is not None:
            add_base_name(binding.init, self.needed)
        self.out.bindings.append(binding)

    # -- context ------------------------------------------------------------------------------
    def _context(self, node: Node) -> tuple[int, bool]:
        if self.fixed is not None:
            return self.fixed
        return self.locator.item_at(node.start_byte), False

    def _byte(self, node: Node) -> int:
        return node.start_byte + self.shift

    def _end_byte(self, node: Node) -> int:
        return self._byte(node) + (node.end_byte - node.start_byte)

    def _text(self, node: Node) -> str:
        """`node_text(node)`, sliced from the scanned text (cheaper than `Node.text`)."""
        return self.frame[3][node.start_byte:node.end_byte].decode("utf-8", "replace")

    def _path(self, node: Node) -> str:
        return path_of(self._text(node))

    def _src(self) -> bytes:
        return self.frame[3]

    # -- struct literals and calls ------------------------------------------------------------
    def _literal(self, node: Node) -> None:
        name = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        path = self._path(name) if name is not None else ""
        if not path or body is None or body.has_error or in_error(node):
            return  # `S { a, .. }` (default field values) is not in the grammar yet
        item, in_macro = self._context(node)
        line, col, _ = self.pos(node)
        end_line = line + node.end_point[0] - node.start_point[0]
        lit = StructLit(path, line, col, end_line, self.end_column(node), item, in_macro=in_macro)
        for child in body.named_children:
            t = child.type
            if t == "shorthand_field_initializer":
                ident = child.named_children[-1] if child.named_child_count else child
                fl, fc, _ = self.pos(ident)
                lit.fields.append(LitField(self._text(ident), fl, fc, has_cfg(child)))
            elif t == "field_initializer":
                fname = child.child_by_field_name("field")
                value = child.child_by_field_name("value")
                if fname is None:
                    continue
                fl, fc, _ = self.pos(fname)
                lit.fields.append(LitField(self._text(fname), fl, fc, has_cfg(child), is_default_call(value, self.frame[3])))
                self._repeat(value)
            elif t == "base_field_initializer":
                inner = child.named_children[0] if child.named_child_count else None
                lit.base = "default" if is_default_call(inner, self.frame[3]) else "other"
        self.out.literals.append(lit)

    def _call(self, node: Node, func: Node, args: Node) -> None:
        if func.type == "generic_function":
            func = func.child_by_field_name("function") or func
        path = self._path(func)
        if not path:
            return
        last = path.rsplit("::", 1)[-1]
        if last[:1].isupper():
            if in_error(node):
                return  # e.g. `| E::V(..)` patterns the grammar misreads as calls
            item, in_macro = self._context(node)
            line, col, _ = self.pos(node)
            self.out.tuple_calls.append(TupleCall(path, argument_count(args), line, col, item, in_macro))
            if path.endswith(("Cow::Borrowed", "Cow::Owned")):  # `B: ToOwned` of the value's type
                self._use("ToOwned", first_argument(args) or node, f"{path}(..)")
        elif last == "default" and argument_count(args) == 0:
            if path in DEFAULT_PATHS:
                declared = expected_type(node)
                if declared is not None:
                    self._add_use("Default", ("type", self._text(declared)), node, "Default::default()")
            elif "::" in path:
                self._add_use("Default", ("call", path), node, f"{path}()")

    def _method(self, at: Node, recv: Node, name: str, args: Node) -> None:
        """`at` is the method name, where rustc reports a missing trait."""
        formatted = debug_formatted(recv, name, args, self._text) if name in BUILDER_METHODS else []
        if formatted:
            for arg in formatted:
                self._use("Debug", arg, f".{name}(..)")
            return
        count = argument_count(args)
        if name == "clone" and count == 0:
            self._use("Clone", recv, ".clone()", at=at)
        elif name in MAP_METHODS and count >= 1:
            self._use("MapKey", recv, name, at=at)
            if name in KEYING_METHODS and recv.type == "identifier":  # `m.insert(k, v)`, `m` maybe untyped
                key = encode(first_argument(args), self.frame[3])
                if key is not None:
                    self._add_use("KeyArg", ("keyed", ("id", self._text(recv)), key), at, name, eval_node=recv)
        elif name in UNWRAP_METHODS and count == UNWRAP_METHODS[name]:
            self._use("Unwrap", recv, f".{name}()" if count == 0 else f".{name}(..)", at=at)
        elif name == "get" and count == 0:
            self._use("CellGet", recv, ".get()", at=at)
        elif name in ("sort", "sort_unstable") and count == 0:
            self._use("Ord", recv, f".{name}()", at=at)

    def _move(self, node: Node, method: str = "") -> None:
        """`*r` or `a.b` where a value is needed: a move, which needs `Copy` when the place is behind a
        reference (checked later, with types). `self.x` counts only in methods taking `&self`. With
        `method`, the place is the receiver of that method call: a move when it takes `self` by value."""
        if node.type == "unary_expression" and not is_deref(node):
            return
        root = node
        while root.type in ("field_expression", "unary_expression", "parenthesized_expression"):
            root = root.child_by_field_name("value") if root.type == "field_expression" else root.named_children[-1]
        if root.type == "self" and not self_by_reference(node, self.frame[3]):
            return
        self._use("Copy", node, method or MOVE_OUT)

    def _let_statement(self, node: Node) -> None:
        """A `let`: its bindings are typed at the end (`finish_bindings`); a repeat it holds, now."""
        self._defer(0, node, node.child_by_field_name("pattern"))
        self._repeat(node.child_by_field_name("value"))

    def _repeat(self, value: Node | None) -> None:
        """`[f(); N]` / `vec![f(); n]` (a `let`'s value or a field initialiser): Copy / Clone of the element."""
        repeated = repeated_element(value, self.frame[3]) if value is not None else None
        if repeated is not None and value is not None:
            self._add_use(REPEAT, repeated[0], value, repeated[1])

    def _move_site(self, node: Node) -> None:
        """`node` (`*r`, `a.b`, `v[i]`) where its parent takes it by value: an argument, a tuple element,
        a returned, assigned or cast value, a field initialiser, `let x = node`, a match arm's or a
        closure's value, an index (`g[node]`), or a fn body's tail."""
        if _POSTFIX.match(self.frame[3], node.end_byte):
            return  # `node.f`, `node(..)`, `node[..]`, `node?`: the parent takes no value (and `Node.parent`
            # walks down from the root: a long method chain made this quadratic)
        if node.type == "unary_expression" and not is_deref(node):
            return  # `!x`, `-x`: not a place (`_move` takes none), its parent not looked up
        parent = node.parent
        if parent is None:
            return
        kind = parent.type
        if kind in _MOVING_PARENTS:
            self._move(node)
        elif kind in _MOVING_FIELD:
            if parent.child_by_field_name(_MOVING_FIELD[kind]) == node and (  # a `match` moves it to bind it whole
                    kind != "let_declaration" or field_type(parent, "pattern") == "identifier") and \
                    (kind != "match_expression" or binds_scrutinee(parent, self.frame[3])):
                self._move(node)
        elif kind == "index_expression":  # `g[v[i]]` is `*g.index(v[i])`: the index is passed by value
            if parent.named_child_count == 2 and parent.named_children[1] == node:
                self._move(node)
        elif kind == "block":  # a block's tail (a fn body's only with a return type)
            if parent.parent is None or parent.parent.type != "function_item" or expected_type(node) is not None:
                self._move(node)

    def _pattern_move(self, at: Node, element: tuple | None) -> None:
        """`for &x in it` / `it.map(|&x| ..)`: `&x` moves the item out of the reference it is."""
        if element is not None and element[1] is not None:
            self._add_use("Copy", ("deref", element), at, MOVE_OUT)

    def _compare(self, node: Node, left: Node | None, op: str) -> None:
        right = node.child_by_field_name("right")
        if left is None or right is None or right.type in _LITERALS or left.type in _LITERALS:
            return  # `i < 10`, `s == "x"`: a std type on both sides
        src = self.frame[3]
        pair = compared(encode(left, src), encode(right, src))
        if pair is not None:
            self._add_use("PartialEq" if op in ("==", "!=") else "PartialOrd", pair, left, op, eval_node=left)

    def _use(self, trait: str, expr_node: Node, how: str, at: Node | None = None, macro: str = "") -> None:
        expr = encode(expr_node, self.frame[3])
        if expr is not None:
            self._add_use(trait, expr, at or expr_node, how, macro, expr_node)

    def _add_use(self, trait: str, expr: tuple, at: Node, how: str, macro: str = "",
                 eval_node: Node | None = None, pos: Position | None = None,
                 context: tuple[int, bool] | None = None) -> None:
        item, in_macro = context or self._context(at)
        position = pos or self.pos
        line, col, byte = position(at)
        if eval_node is not None and eval_node is not at:
            byte = position(eval_node)[2]
        self.out.uses.append(TraitUse(trait, expr, line, col, byte, item, how, in_macro, macro))

    def add_text_use(self, trait: str, expr: tuple, where: tuple[int, int, int], item: int, how: str,
                     macro: str) -> None:
        """A use found in macro text, at an already mapped (line, column, byte)."""
        line, col, byte = where
        self.out.uses.append(TraitUse(trait, expr, line, col, byte, item, how, False, macro))


# One handler per pattern of the scan query, in order. Plain functions of the scanner (not closures over
# it): a scanner holds no reference cycle and is freed, with the trees it read, as soon as its file is done.
_HANDLERS: tuple[Callable[[_Scanner, dict[str, list[Node]]], None], ...] = (
    lambda s, c: s._literal(c["lit"][0]),
    lambda s, c: s._call(c["call"][0], c["call.fn"][0], c["call.args"][0]),
    lambda s, c: s._method(c["m.name"][0], c["m.recv"][0], s._text(c["m.name"][0]), c["m.args"][0]),
    lambda s, c: s._compare(c["eq"][0], named_field(c["eq"][0], "left"), s._text(c["eq.op"][0])),
    lambda s, c: s._let_statement(c["let"][0]),
    lambda s, c: s._defer_pattern(1, c["param"][0]),
    lambda s, c: s._defer(2, c["cparams"][0], None),
    lambda s, c: s._defer_pattern(3, c["for"][0]),
    lambda s, c: s._defer_pattern(4, c["arm"][0]),
    lambda s, c: s._defer_pattern(5, c["lc"][0]),
    lambda s, c: s._macro(c["mac"][0], c["mac.name"][0], c["mac.tt"][0]),
    lambda s, c: s._adt(c["adt"][0]) if s.fixed is None else None,
    lambda s, c: s._move_site(c["mv"][0]),
    lambda s, c: s._alias(c["alias"][0]) if s.fixed is None else None,
    lambda s, c: s._macro_definition(c["md"][0], c["md.name"][0]) if s.fixed is None else None,
    lambda s, c: s._self_parameter(c["sv.name"][0], c["sv.self"][0]) if s.fixed is None else None,
    lambda s, c: s._move(c["sm.recv"][0], "." + s._text(c["sm.name"][0]) + "()")
        if s.frame[3][(m := c["sm.name"][0]).start_byte:m.end_byte] not in BORROWING_STD_METHODS else None,
    lambda s, c: s._pattern_move(c["rp.value"][0], ("elem", encode(c["rp.value"][0], s.frame[3]), "for")),
    lambda s, c: s._pattern_move(c["crp"][0], iterator_element(c["crp.params"][0].parent, s.frame[3]))
        if c["crp.params"][0].parent is not None else None,
)
