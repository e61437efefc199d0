"""Use-after-move candidates: a local bound to a value of a written type (`let x = T { .. }`, `T(..)`,
`E::V(..)`, `E::V`, `let x: T = ..`, a fn parameter `x: T`) or of a type the rule finds (`let x = f(..)`,
`let x = self.pos()`, a `for x` / `for &x` binding), then `x` moved by value (`let y = x;`, `f(x)`,
`v.push(x)`, `x.into_thing()`, also inside `assert_eq!`, captured by a `move` closure), then `x` used again
in a later statement of the same block, or by a later argument or field of the same call or literal;
or `x` moved inside the body of a later loop, which moves it again in the next iteration.

Only the clear cases: the move must not sit under a branch or a non-`move` closure, a loop body must
hold no `break`/`return` and not reassign `x`, and a reassignment or a shadowing `let x` ends the search.
Whether the type is Copy (and whether a method takes `self` by value) is decided later, by the rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node, Tree

from rust_triage.families.types.exprs import encode, node_text
from rust_triage.families.types.facts import Expr
from rust_triage.families.types.move_forms import ALL_METHODS
from rust_triage.families.types.move_sites import Unsure, chained_moves, passed_to, track
from rust_triage.families.types.syntax import BORROWING_STD_METHOD_NAMES, BORROWING_STD_METHODS
from rust_triage.parse.context import ContextResolver
from rust_triage.parse.facts import FileFacts
from rust_triage.parse.registry import Matches, extractor

_LETS = """
(let_declaration pattern: (identifier) @name type: (_)) @let
(let_declaration pattern: (identifier) @name !type
                 value: [(struct_expression) (call_expression) (identifier) (scoped_identifier) (field_expression)
                         (try_expression)]) @let
(function_item parameters: (parameters (parameter pattern: (identifier) @pname
                                                   type: [(type_identifier) (scoped_type_identifier)
                                                          (generic_type)] @ptype))
               body: (block) @body)
(closure_expression parameters: (closure_parameters (parameter pattern: (identifier) @pname
                                                               type: [(type_identifier) (scoped_type_identifier)
                                                                      (generic_type)] @ptype))
                    body: (block) @body)
(for_expression pattern: (reference_pattern (identifier) @fname) value: (_) @fvalue body: (block) @fbody)
(for_expression pattern: (identifier) @fname value: (_) @fvalue body: (block) @fbody)
(let_declaration pattern: (tuple_pattern) !type value: (tuple_expression)) @tlet
"""
# `let`s (patterns 0-1) only with a written type or a value `_binding_type` or the rule can type, parameters
# of fns (2) and closures (3) only of plain or generic types (`p: Point`, `a: NodeIndex<Ix>`; never references
# or `impl Trait`): other ones are never tracked. Then `for` bindings (4-5), and the names of a tuple pattern
# bound to a tuple of as many values (6: `let (s, t) = (s.into(), t.into());`), typed by the rule only from the
# parameter they are passed to.
_FIRST_FOR = 4
_TUPLE_LET = 6
# std types that are never Copy: no workspace derive can help
_STD_OWNED = frozenset({"String", "PathBuf", "OsString", "Vec", "Box", "Rc", "Arc", "File"})


# `= name;`: a `let` value or an assigned value
_ASSIGNED_NAME = re.compile(rb"=\s*([A-Za-z_][A-Za-z0-9_]*)\s*;")
_MOVE_CLOSURE = re.compile(rb"move\s*\|")  # at a word start (`_WORD_BYTE`): `\bmove` would search byte by byte
_WORD_BYTE = re.compile(rb"[A-Za-z0-9_]")
_WORD = re.compile(rb"\s*([A-Za-z_][A-Za-z0-9_]*)")
_ANY = frozenset({b"*"})
_LOOP_WORD = re.compile(rb"for|while|loop")


_SPACE = frozenset(b" \t\n\r\x0b\x0c")  # what `\s` matches in bytes


def _method_call_at(source: bytes, name: bytes, start: int, end: int,
                    methods: frozenset[bytes] | None = None) -> bool:
    """Whether `name` may be the receiver of a method call in source[start:end] (`name.`, or a comment
    between `name` and the dot), of one of `methods` when given (`name.m`). Found with `bytes.find`: a
    regex per name costs a compile per name and run."""
    at = source.find(name, start, end)
    while at >= 0:
        after = at + len(name)
        while after < end and source[after] in _SPACE:
            after += 1
        if after < end and source[after] in b"./":
            if methods is None:
                return True
            called = _WORD.match(source, after + 1, end)
            if called is not None and called.group(1) in methods:
                return True
        at = source.find(name, at + 1, end)
    return False


def _borrowing_call_move(source: bytes, sib: Node | None, name: bytes, start: int,
                         end: int) -> tuple[tuple[Node, str], Node, bool] | None:
    """The first move of `name` and the use after it, when the move is a call of a method named as
    std's borrowing methods (`x.get()`), which the other searches pass over."""
    if not _method_call_at(source, name, start, end, BORROWING_STD_METHODS):
        return None
    try:
        found = track(source, sib, name, ALL_METHODS)
    except Unsure:
        return None
    return found if found is not None and found[0][1].encode() in BORROWING_STD_METHODS else None


def _movable_names(source: bytes, facts: FileFacts) -> frozenset[bytes]:
    """Cheap pre-check, once per file: the names it may move, from the core pass's facts (names passed
    as arguments, receivers of methods that may take `self`) and `= name;` (`_ANY`: any name, in a file
    with a `move` closure)."""
    if b"move" in source and any(m.start() == 0 or not _WORD_BYTE.match(source, m.start() - 1)
                                 for m in _MOVE_CLOSURE.finditer(source)):
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
    init: Expr | None = None  # no written type: the `let`'s value (typed by the rule), and where it is
    byte: int = 0
    # the calls the move and the use pass `name` to: ("mcall", receiver, method) or ("call", path), and the
    # argument's index; by value, so the local has the parameter's type (the rule's fallback)
    passed_to: tuple[tuple[Expr, int], ...] = ()


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


# `let` values whose type the rule may find through the callee or the field's declaration
_TYPED_LATER = frozenset({"call_expression", "field_expression", "try_expression", "identifier"})


@extractor("moves", version=11, section=list[MoveThenUse], query=_LETS)
def extract(tree: Tree, source: bytes, facts: FileFacts, resolver: ContextResolver,
            matches: Matches) -> list[MoveThenUse]:
    out: list[MoveThenUse] = []
    movable = _movable_names(source, facts) if matches else _ANY
    for pattern, caps in _each_name(matches):
        ident = caps["fname"][0] if _FIRST_FOR <= pattern < _TUPLE_LET else \
            caps["name" if "let" in caps else "pname"][0]
        name = source[ident.start_byte:ident.end_byte]
        if movable is not _ANY and name not in movable:
            continue
        init: Expr | None = None
        if pattern == _TUPLE_LET:  # a name of a tuple pattern: typed from a parameter it is passed to
            let = caps["tlet"][0]
            scope = let.parent
            if scope is None or scope.type != "block":
                continue
            type_text = "_"
        elif pattern >= _FIRST_FOR:  # a `for` binding: typed by the rule from the iterated value
            let = scope = caps["fbody"][0]
            value = encode(caps["fvalue"][0], source)
            element = ("elem", value, "for") if value is not None else None
            init = ("deref", element) if element is not None and ident.parent.type == "reference_pattern" else element
            if init is None:
                continue
            type_text = "_"
        elif "let" in caps:
            let = caps["let"][0]
            scope = let.parent
            if scope is None or scope.type != "block":  # a `let` statement of a block
                continue
            type_text = _binding_type(let)
            if not type_text:  # `let x = self.pos();`: typed by the rule, through the callee
                value = let.child_by_field_name("value")
                init = encode(value, source) if value is not None and value.type in _TYPED_LATER else None
                type_text = "_" if init is not None else ""
        else:  # a parameter taken by value: `fn f(p: Point)`, `|p: Point| { .. }`
            let = scope = caps["body"][0]
            type_text = node_text(caps["ptype"][0], source)
        if not type_text or type_text.split("<", 1)[0].strip() in _STD_OWNED:
            continue
        # the statements `track` reads: after the `let` in its block, or the fn's / loop's body
        is_let = let is not scope
        start, end = (let.end_byte, scope.end_byte) if is_let else (let.start_byte, let.end_byte)
        named = source.count(name, start, end)
        if named == 0 or (named == 1 and _LOOP_WORD.search(source, start, end) is None):
            continue  # a move and a later use name it twice; a move in a loop body needs a loop
        if is_let:
            sib = let.next_named_sibling
        else:
            sib = let.named_children[0] if let.named_child_count else None
        item = resolver.item_of(let)
        byte = let.start_byte
        pairs: list[tuple[Node, Node]] = []
        chain: list[tuple[Node, Node, str]] = []
        borrowing = _borrowing_call_move(source, sib, name, start, end)
        if borrowing is not None:  # `x.get()`: a move if a workspace `get` takes `self` (the rule decides)
            (at, method), use, in_loop = borrowing
            out.append(MoveThenUse(name.decode(), type_text, item, at.start_point[0] + 1, at.start_point[1] + 1,
                                   use.start_point[0] + 1, use.start_point[1] + 1, method, in_loop, init, byte,
                                   passed_to(source, at, use)))
        for methods in (True, False):
            try:
                found = track(source, sib, name, methods, pairs if methods else None)
            except Unsure:
                break
            if found is None:
                if methods and not _method_call_at(source, name, start, end):
                    break  # no method call on `name`: the walk without them finds nothing either
                continue
            (at, method), use, in_loop = found
            out.append(MoveThenUse(name.decode(), type_text, item, at.start_point[0] + 1, at.start_point[1] + 1,
                                   use.start_point[0] + 1, use.start_point[1] + 1, method, in_loop, init, byte,
                                   passed_to(source, at, use)))
            if not in_loop and not chain:  # a move at the use and a use after it hold whatever moved first
                chain.extend(chained_moves(source, use, name))
            if not method:
                break  # else also look past the method call, in case it takes `self` by reference
        for at, use, method in [(at, use, "") for at, use in pairs] + chain:
            out.append(MoveThenUse(name.decode(), type_text, item, at.start_point[0] + 1, at.start_point[1] + 1,
                                   use.start_point[0] + 1, use.start_point[1] + 1, method, False, init, byte,
                                   passed_to(source, at, use)))
    return out


def _each_name(matches: Matches) -> Iterator[tuple[int, dict[str, list[Node]]]]:
    """The query's matches, a tuple `let` once per name its pattern binds that takes the value at the same
    position of the tuple it is bound to (as `name` captures)."""
    for pattern, caps in matches:
        if pattern != _TUPLE_LET:
            yield pattern, caps
            continue
        let = caps["tlet"][0]
        names = let.child_by_field_name("pattern")
        values = let.child_by_field_name("value")
        if names is None or values is None or names.named_child_count != values.named_child_count:
            continue
        for ident in names.named_children:
            if ident.type == "identifier":
                yield pattern, {"tlet": caps["tlet"], "name": [ident], "let": caps["tlet"]}
