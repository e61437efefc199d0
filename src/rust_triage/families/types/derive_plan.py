"""Which derives to add so that a type implements a trait, and whether that is safe to do.

Adding `#[derive(Debug)]` to `A` only compiles when every field type of `A` is Debug too, so the plan
follows field types: workspace types that lack the trait get the derive as well; std types must
surely implement it; anything else (external types, generics we cannot see through) makes the
plan unsafe and no automatic fix is offered.
"""

from __future__ import annotations

from rust_triage.families.types.derive_checks import field_types
from rust_triage.families.types.tools import TypeTools
from rust_triage.families.types.traits import STD_DERIVES, SUPERTRAITS
from rust_triage.families.types.typeref import parse_type
from rust_triage.graph.resolve import Def

_MAX_TYPES = 40

Key = tuple[str, int, str]  # (rel path, item index, trait)


def plan_derives(tools: TypeTools, owner: Def, trait: str) -> list[tuple[Def, list[str]]] | None:
    """[(type, traits to add in order)] that make `owner: trait` compile; None when not safe."""
    if trait not in STD_DERIVES:
        return None  # serde derives need an import and a dependency
    oracle = tools.traits
    adding: dict[Key, Def] = {}
    order: list[Key] = []
    work: list[tuple[Def, str]] = [(owner, trait)]
    while work:
        d, t = work.pop()
        key = (d.file.rel, d.item.index, t)
        if key in adding:
            continue
        verdict = oracle.status(d, t)
        if verdict == "yes":
            continue
        if verdict == "maybe" or d.item.kind not in ("struct", "enum"):
            return None
        if t == "Default" and d.item.kind == "enum":
            return None  # needs a #[default] variant
        adding[key] = d
        order.append(key)
        if len(order) > _MAX_TYPES:
            return None
        work.extend((d, sup) for sup in SUPERTRAITS.get(t, ()))
        for _, ftype, _, _ in field_types(tools, d.file, d):
            for lack in oracle.lacking(parse_type(ftype), t, d.file, d.item.index):
                if not lack.sure:
                    return None
                work.append((lack.owner, t))
    keys = set(adding)
    for (_rel, _index, t), d in adding.items():
        for _, ftype, _, _ in field_types(tools, d.file, d):
            if not oracle.derivable(parse_type(ftype), t, d.file, d.item.index, keys):
                return None
    grouped: dict[tuple[str, int], tuple[Def, list[str]]] = {}
    for rel, index, t in order:
        entry = grouped.setdefault((rel, index), (adding[(rel, index, t)], []))
        entry[1].append(t)
    return [(d, sorted(ts, key=STD_DERIVES.index)) for d, ts in grouped.values()]
