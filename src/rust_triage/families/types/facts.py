"""Per-file facts for the type checks (the `types` extractor section), plain data the cache stores.

Expressions are stored as small nested tuples (see `rust_triage.families.types.exprs`), so the rules can
type them later without the syntax tree:

    ("id", name)            a local binding or parameter
    ("self",)               `self`
    ("field", expr, name)   `expr.name` (`name` is "0", "1"... for tuple fields)
    ("ref", expr)           `&expr` / `&mut expr`
    ("deref", expr)         `*expr`
    ("lit", path)           a struct literal `path { .. }`
    ("call", path)          `path(..)` (fn call, tuple-struct constructor, `T::new(..)`)
    ("mcall", expr, name)   `expr.name(..)`
    ("try", expr)           `expr?`, `expr.unwrap()`, `expr.expect(..)`
    ("path", path)          `A::B` (typed only when it names a unit enum variant)
    ("pat", expr, path, field, mode)  a name a `match`/`if let` pattern binds (see pattern_bindings)
    ("array", expr, ..)     an array literal `[a, b]` / `[a; n]`, a few of its elements (see exprs)
    ("tuple", expr, ..)     a tuple literal `(a, b)`; ("?",) for a part that does not encode
    ("some", expr)          `Some(expr)` as an element of those literals
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

MOVE_OUT = "move out of a reference"  # the `how` of a Copy use: a value moved out of a place (E0507)
EXPR_MAX_DEPTH = 8  # `exprs.encode` gives up on deeper expressions


def _nested_tuples(depth: int) -> Any:
    """tuple[str | tuple[str | ..., ...], ...] nested `depth` times: Expr spelled out for the cache's decoder."""
    expr: Any = tuple[str, ...]
    for _ in range(depth):
        expr = tuple[str | expr, ...]
    return expr


if TYPE_CHECKING:
    Expr = tuple[Any, ...]
else:
    # encode's deepest tuple, plus the wrappers the extractor adds: ("deref", ("elem", expr, "map"))
    Expr = _nested_tuples(EXPR_MAX_DEPTH + 3)


@dataclass(slots=True)
class LitField:
    name: str  # "0", "1"... for `Foo { 0: x }`
    line: int
    column: int
    cfg_gated: bool = False
    default_call: bool = False  # the value is `Default::default()`


@dataclass(slots=True)
class StructLit:
    path: str  # generics stripped: "crate::a::Foo", "Self", "E::V"
    line: int
    column: int
    end_line: int
    end_column: int
    item: int  # enclosing item index
    fields: list[LitField] = field(default_factory=list)
    base: str = ""  # "" (none), "default" (`..Default::default()`), "other"
    in_macro: bool = False  # inside a macro body we could not read as plain expressions
    macro: str = ""  # in the arguments of these workspace-macro calls ("outer/inner"), when in_macro


@dataclass(slots=True)
class TupleCall:
    """`Path(a, b)` whose last path segment starts with a capital: maybe a tuple-struct constructor."""

    path: str
    args: int
    line: int
    column: int
    item: int
    in_macro: bool = False
    macro: str = ""  # as StructLit.macro


@dataclass(slots=True)
class Binding:
    """A name introduced by `let`, a parameter or a pattern; visible in [visible_from, scope_end)."""

    name: str
    visible_from: int  # byte offset
    scope_end: int
    item: int  # enclosing item (a binding is not visible in nested fn items)
    type_text: str = ""  # declared type, when written
    init: Expr | None = None  # initialiser, when it is an expression we can type


@dataclass(slots=True)
class TraitUse:
    """A use that needs a trait: Debug, Clone, PartialEq, PartialOrd, Default, MapKey (a keyed map
    method), Ord (`.sort()` of a sequence of it) or Unwrap (`Result::unwrap`/`expect`: the other
    variant's type needs Debug)."""

    trait: str
    expr: Expr  # for Default: ("type", text) or ("call", "T::default")
    line: int
    column: int
    byte: int  # where the expression is evaluated (for binding lookup)
    item: int
    how: str = ""  # what the use is, for messages: "{:?}", ".clone()", "==", "insert"...
    in_macro: bool = False
    macro: str = ""  # the macro whose arguments hold the use (`println`, `info`), if any


@dataclass(slots=True)
class TypeFacts:
    literals: list[StructLit] = field(default_factory=list)
    tuple_calls: list[TupleCall] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)  # sorted by visible_from
    uses: list[TraitUse] = field(default_factory=list)
    # struct/enum item index -> field names with attributes other than doc/cfg (`#[serde(skip)]`)
    attributed_fields: dict[int, list[str]] = field(default_factory=dict)
    # enum item index -> tuple variant name -> (field type, line) per position
    tuple_variants: dict[int, dict[str, list[tuple[str, int]]]] = field(default_factory=dict)
    # identifiers mentioned by item-level macro invocations (they may generate impls)
    macro_idents: set[str] = field(default_factory=set)
    # macro name (last path segment) -> identifiers its item-level invocations mention
    macro_calls: dict[str, list[str]] = field(default_factory=dict)
    # the impls that expanded item-level calls of the file's own macros write (see macro_expand): (macro name,
    # trait as written, self type as written, generic parameters, the item the call is in or -1)
    macro_impls: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    # macro name -> identifiers mentioned by its item-level calls that were not expanded
    unread_macro_calls: dict[str, list[str]] = field(default_factory=dict)
    # macro_rules! name -> (derivable traits its body names, whether it may implement any trait:
    # a trait given by a metavariable or another macro invoked)
    macro_bodies: dict[str, tuple[list[str], bool]] = field(default_factory=dict)
    # macro_rules! name -> (whether its arguments reach the expansion as type-checked code: every
    # metavariable is an expr/ident/ty/... fragment and used; the macros its body invokes)
    macro_passes: dict[str, tuple[bool, list[str]]] = field(default_factory=dict)
    # item index -> line of its `#[derive(...)]` attribute (first one)
    derive_lines: dict[int, int] = field(default_factory=dict)
    # structs/enums whose definition has syntax errors (e.g. default field values): not checked
    broken_items: set[int] = field(default_factory=set)
    # fn items (methods) that take `self` by value
    by_value_self: set[int] = field(default_factory=set)
    # type alias item index -> (its type parameters in order, lifetimes left out; its target as written)
    type_aliases: dict[int, tuple[list[str], str]] = field(default_factory=dict)
    # trait item index -> associated type -> the bounds its declaration names (`type Id: Copy + Eq;`)
    assoc_bounds: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    # the same for traits declared in the tokens of item-level macro calls, by trait name:
    # (the enclosing inline module's item index or -1, associated type -> bounds)
    macro_assoc_bounds: dict[str, tuple[int, dict[str, list[str]]]] = field(default_factory=dict)
