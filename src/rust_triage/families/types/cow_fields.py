"""`Cow<'a, B>` needs `B: ToOwned` wherever the type is written; for a sized `B` that is `B: Clone`
(`[T]` needs `T: Clone`). A field of a workspace type lacking `Clone` inside a `Cow` is an error at the
field (E0277), whatever the struct derives."""

from __future__ import annotations

from collections.abc import Iterator

from rust_triage.families.types.typeref import Shape, parse_type

_COW_PATHS = frozenset({"Cow", "borrow::Cow", "std::borrow::Cow", "alloc::borrow::Cow"})


def may_hold_cow(types: list[str]) -> bool:
    return any("Cow" in t for t in types)


def cow_arguments(type_text: str) -> Iterator[Shape]:
    """The `B` of every `Cow<'_, B>` in the type, outermost first."""
    work = [parse_type(type_text)]
    while work:
        shape = work.pop()
        if shape.kind == "path" and shape.path in _COW_PATHS and len(shape.args) == 1:
            yield shape.args[0]
        work.extend(reversed(shape.args))
