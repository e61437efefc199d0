"""Types of array and tuple literals (`[a, b]`, `(a, b)`, `Some(a)` inside them) and of the parts of the
tuples a loop takes out of a local array literal (`for (filter, level) in mapping.iter()`).

An array's elements are all of one type, so the first element that can be typed types them all. A
tuple literal is typed whole only when every part is typed at one site (a type's text resolves where
it was written); the parts a tuple pattern binds are typed one by one (see `literal_part`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from rust_triage.families.types.env_paths import Typed

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile
    from rust_triage.families.types.facts import Binding, Expr


class LocalEnv(Protocol):
    """What this module needs of `env.LocalEnv` (which imports it)."""

    def type_of(self, src: SourceFile, item: int, expr: Expr | None, byte: int, depth: int = 0) -> Typed | None: ...

    def binding(self, src: SourceFile, item: int, name: str, byte: int) -> Binding | None: ...


def literal_type(env: LocalEnv, src: SourceFile, item: int, expr: Expr, byte: int, depth: int) -> Typed | None:
    """The type of an ("array", ..), ("tuple", ..) or ("some", x) expression (see facts)."""
    kind = expr[0]
    if kind == "some":
        inner = env.type_of(src, item, expr[1], byte, depth + 1)
        return Typed(f"Option<{inner.text}>", inner.src, inner.item) if inner is not None else None
    if kind == "array":
        for element in expr[1:]:
            typed = env.type_of(src, item, element, byte, depth + 1)
            if typed is not None:
                return Typed(f"[{typed.text}; _]", typed.src, typed.item)
        return None
    parts = [env.type_of(src, item, part, byte, depth + 1) for part in expr[1:]]
    first = parts[0]
    if first is None or any(p is None or (p.src.rel, p.item) != (first.src.rel, first.item) for p in parts):
        return None
    return Typed("(" + ", ".join(p.text for p in parts if p is not None) + ")", first.src, first.item)


def literal_part(env: LocalEnv, src: SourceFile, item: int, it: Expr, index: int, byte: int,
                 depth: int) -> tuple[Typed, bool] | None:
    """The type of the `index`-th part of the tuple items of iterating over `it`, when `it` is a local bound
    to an array literal of tuples (or `&` / `.iter()` of one, whose items are references): the first
    element whose part there can be typed, and whether the items are references (a tuple pattern then
    binds the part by reference). `array.into_iter()` is left unknown (its items depend on the edition)."""
    borrowed = False
    while it[0] == "ref" or (it[0] == "iter" and it[2] == "iter"):
        borrowed = True
        it = it[1]
    if it[0] != "id":
        return None
    b = env.binding(src, item, it[1], byte)
    if b is None or b.type_text or b.init is None or b.init[0] != "array":
        return None
    for element in b.init[1:]:
        if element[0] != "tuple" or index + 1 >= len(element):
            continue
        typed = env.type_of(src, item, element[1 + index], b.visible_from - 1, depth + 1)
        if typed is not None:
            return typed, borrowed
    return None
