"""Moves out of places: whether a place is reached through a reference (moving out of it is E0507
unless its type is Copy) and whether a method call takes its receiver by value (RT310's moves)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.families.types.env_paths import Typed
from rust_triage.families.types.method_pick import inherent_first
from rust_triage.families.types.pattern_types import by_pattern_value
from rust_triage.families.types.tools import TypeTools
from rust_triage.families.types.typeref import generic_param_names, parse_type
from rust_triage.graph.resolve import Def

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile


def takes_self_by_value(tools: TypeTools, typed: Typed, method: str, place: bool) -> bool:
    """True when the call of `method` on a value of the workspace type `typed` takes it by value: every
    method of that name does, or (on a `place` of that type, `a.b.m()` or `v[i].m()`, not on `*r`) its inherent ones
    do, which method lookup tries first on the place itself. On `r.m()` with `r: &T` a trait method
    taking `&self` is found first."""
    shape = typed.shape
    owner = tools.resolver.resolve(typed.src, typed.item, shape.path) if shape.kind == "path" else None
    return owner is not None and owner_takes_self_by_value(tools, owner, method, place)


def owner_takes_self_by_value(tools: TypeTools, owner: Def, method: str, place: bool) -> bool:
    """`takes_self_by_value` for a value of the workspace type `owner`."""
    methods = tools.resolver.methods_of(owner, method)
    by_value = [(facts := tools.facts(d.file)) is not None and d.item.index in facts.by_value_self for d in methods]
    inherent = [taken for d, taken in zip(methods, by_value, strict=True)
                if not d.file.facts.items[d.item.parent].trait]
    return (place and bool(inherent) and all(inherent)) or (bool(methods) and all(by_value))


def behind_reference(tools: TypeTools, src: SourceFile, item: int, expr: tuple, byte: int) -> bool:
    """True when the place `expr` (`*r`, `a.b.c`, `v[i]`) is reached through a reference, so that moving
    out of it is E0507 unless its type is Copy. An index `v[i]` of a std sequence or map is
    `*v.index(i)`; `*rc` and `rc.x` of an `Rc`/`Arc` are behind the reference `Deref` gives; one of an array field (`e.ends[0]`, `e: &Edge`) is E0507 when the field is behind a
    reference. Moving out of a slice or array that a reference points at (`s[i]`, `s: &[T]`) or that
    is owned is E0508, another error: not reported."""
    if expr[0] not in ("deref", "field", "index") or by_pattern_value(tools.env, src, item, expr, byte) or \
            _bound_from_owned_self(tools, src, item, expr, byte):
        return False
    base = tools.env.type_of(src, item, expr[1], byte)
    if base is None:
        return False
    shape = base.shape
    if expr[0] == "index":
        while shape.kind == "ref":
            shape = shape.args[0]
        if shape.kind == "slice" or (shape.kind == "array" and base.shape.kind == "ref"):
            return False  # E0508
        if shape.kind != "array":
            return True  # typed, so a std sequence or map: `Index::index` returns a reference
        return expr[1][0] == "field" and behind_reference(tools, src, item, expr[1], byte)
    if shape.kind == "ref" or (shape.kind == "path" and shape.name in _SHARED_OWNERS and len(shape.args) == 1 and
                               tools.resolver.resolve(base.src, base.item, shape.path) is None):
        return True  # `*r`, `r.x`; `*rc`, `rc.x` (`Rc`/`Arc` deref to a shared reference; a `Box` is owned)
    return expr[0] == "field" and behind_reference(tools, src, item, expr[1], byte)


_SHARED_OWNERS = frozenset({"Rc", "Arc"})


def _bound_from_owned_self(tools: TypeTools, src: SourceFile, item: int, expr: tuple, byte: int) -> bool:
    """`match self { Entry::Vacant(e) => e.insert(v), .. }` in a method taking `self` by value: the place
    starts from a name a pattern binds out of `self` (or a field of it), which is owned, not borrowed."""
    while expr[0] in ("field", "deref", "index"):
        expr = expr[1]
    if expr[0] != "id":
        return False
    b = tools.env.binding(src, item, expr[1], byte)
    scrutinee = b.init[1] if b is not None and b.init is not None and b.init[0] == "pat" else None
    while scrutinee is not None and scrutinee[0] == "field":
        scrutinee = scrutinee[1]
    facts = tools.facts(src) if scrutinee == ("self",) else None
    return facts is not None and item in facts.by_value_self


def parameter_type(tools: TypeTools, src: SourceFile, item: int, callee: tuple, index: int, byte: int) -> Def | None:
    """The workspace type of parameter `index` of the one fn `callee` calls (("mcall", receiver, method) or
    ("call", path), see moves_extractor), when it is taken by value as a path type that is none of the fn's or
    its impl's generic parameters: an argument passed there whole is of that type (no coercion applies)."""
    env = tools.env
    if callee[0] == "mcall":
        owner = env.owner(env.type_of(src, item, callee[1], byte))
        fns = inherent_first(tools.resolver.methods_of(owner, callee[2]), method_call=True) if owner is not None else []
    else:
        fns = [d for d in tools.resolver.resolve_values(src, item, callee[1]) if d.item.kind == "fn"]
        fns = inherent_first(fns, method_call=False)
    if len({(d.file.rel, d.item.index) for d in fns}) != 1:
        return None
    fn = fns[0]
    at = index - 1 if callee[0] == "call" and fn.item.has_self else index  # `T::m(x, a)`: `x` is `self`
    if not 0 <= at < len(fn.item.params):
        return None
    shape = parse_type(fn.item.params[at][1])
    items = fn.file.facts.items
    impl = items[fn.item.parent] if fn.item.parent >= 0 and items[fn.item.parent].kind == "impl" else None
    generics = generic_param_names(fn.item.generics) | (generic_param_names(impl.generics) if impl else set())
    if shape.kind != "path" or shape.path in generics or shape.path.split("::", 1)[0] == "Self":
        return None
    return tools.resolver.resolve(fn.file, fn.item.index, shape.path)
