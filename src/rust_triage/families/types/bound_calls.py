"""Calls of the workspace's generic fns whose type parameter has a derivable bound (`fn new<P: Debug>(p: &P)`,
`fn check<T>(..) where T: PartialEq`): the argument's type, or the turbofish's type, must implement it.

Recorded from macro expansions only (`record_bound_calls`, see macro_expand): there the extractor walks the
expansion it parsed anyway; a pattern for every call of every file would cost the combined query more than
the class is worth. Checked per use: trait `Bound`, `how` = "callee#a<index>" for the index-th argument or
"callee#t<index>" for the index-th turbofish type.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rust_triage.families.types.other_rhs import trait_name
from rust_triage.families.types.text_facts import text_facts_of
from rust_triage.families.types.traits import STD_DERIVES, Lack
from rust_triage.families.types.typeref import Shape, parse_type

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile
    from rust_triage.families.types.facts import TraitUse
    from rust_triage.families.types.tools import TypeTools
    from rust_triage.graph.resolve import Def

# traits that a reference implements exactly when its referent does: checked through `&T` arguments too
_THROUGH_REFERENCES = frozenset({"Debug", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash"})
_CHECKED = frozenset(STD_DERIVES) - {"Default", "Copy"}
BOUND_TRAITS = tuple(sorted(_CHECKED))
_PARAM = re.compile(r"^(&\s*(?:'\w+\s+)?(?:mut\s+)?)?([A-Z]\w*)$")


def bound_call_lacks(tools: TypeTools, src: SourceFile, use: TraitUse) -> tuple[TraitUse, list[Lack], Shape] | None:
    """(the use named after its callee, the bounds its type lacks, that type), or None when it is fine
    or unknown."""
    callee, _, slot = use.how.rpartition("#")
    memo = tools.ctx.memo(_new_memo)
    key = (src.rel, use.item, use.how)
    found = memo.get(key, False)
    if found is False:
        found = memo[key] = _required(tools, src, use.item, callee, slot)
    if found is None:
        return None
    required, by_reference = set(found[0]), found[1]
    if slot.startswith("t"):
        shape = parse_type(use.expr[1])
        scope_src, scope_item = src, use.item
    else:
        typed = tools.env.type_of(src, use.item, use.expr, use.byte)
        if typed is None:
            return None
        shape, scope_src, scope_item = typed.shape, typed.src, typed.item
        if by_reference:
            if shape.kind != "ref":
                return None
            shape = shape.args[0]
        elif shape.kind == "ref":
            required &= _THROUGH_REFERENCES
    if shape.kind != "path":
        return None
    lacks = []
    for trait in sorted(required):
        lacks.extend(tools.traits.lacking(shape, trait, scope_src, scope_item))
    shown = f"{callee.rsplit('::', 1)[-1]}(..)"
    named = type(use)(use.trait, use.expr, use.line, use.column, use.byte, use.item, shown, use.in_macro, use.macro)
    return (named, lacks, shape) if lacks else None


def _new_memo(_: AnalysisContext) -> dict[tuple[str, int, str], tuple[frozenset[str], bool] | None]:
    return {}


def _required(tools: TypeTools, src: SourceFile, item: int, callee: str, slot: str) -> tuple[frozenset[str], bool] | None:
    """(the bounds every candidate fn (one per cfg) puts on the slot, whether its parameter is `&P`)."""
    required: set[str] | None = None
    by_reference = False
    for fn in _callees(tools, src, item, callee):
        found = _slot_bounds(fn, slot)
        if found is None:
            return None
        bounds, by_reference = found
        required = bounds if required is None else required & bounds
    return (frozenset(required), by_reference) if required else None


def _callees(tools: TypeTools, src: SourceFile, item: int, callee: str) -> list[Def]:
    """The workspace fns `callee` names: a free fn, or an associated fn of a workspace type."""
    if "::" in callee:
        owner_path, _, name = callee.rpartition("::")
        owner = tools.resolver.resolve(src, item, owner_path)
        if owner is not None:
            return [d for d in tools.resolver.methods_of(owner, name) if not d.item.has_self]
    return [d for d in tools.ctx.index.resolve(src, item, callee) if d.item.kind == "fn" and not d.item.has_self]


def _slot_bounds(fn: Def, slot: str) -> tuple[set[str], bool] | None:
    """(derivable traits the slot's type parameter is bound by, whether the parameter is `&P`); None when
    the slot is not plainly one type parameter."""
    params, bounds = _generics(fn)
    if params is None:
        return None
    if slot.startswith("t"):
        index, _, count = slot[1:].partition(":")
        if int(count) != len(params):
            return None
        return bounds.get(params[int(index)], set()), False
    index = int(slot[1:])
    if index >= len(fn.item.params):
        return None
    m = _PARAM.match(fn.item.params[index][1])
    if m is None or m.group(2) not in params:
        return set(), False
    return bounds.get(m.group(2), set()), m.group(1) is not None


def _generics(fn: Def) -> tuple[list[str] | None, dict[str, set[str]]]:
    """The fn's type parameters in order and the derivable traits each is bound by (inline and `where`)."""
    text = fn.item.generics.strip()
    if not text:
        return [], {}
    params: list[str] = []
    bounds: dict[str, set[str]] = {}
    for part in _split(text[1:-1]):
        name, _, bound = part.partition(":")
        name = name.strip()
        if name.startswith("'"):
            continue
        if name.startswith("const ") or not name.isidentifier() or "=" in part:
            return None, {}
        params.append(name)
        _add_bounds(bounds, name, bound)
    for predicate in _split(_where_clause(fn)):
        name, _, bound = predicate.partition(":")
        if name.strip() in params:
            _add_bounds(bounds, name.strip(), bound)
    return params, bounds


def _add_bounds(bounds: dict[str, set[str]], name: str, text: str) -> None:
    for b in text.split("+"):
        trait = trait_name(b)
        if trait in _CHECKED and "?" not in b:
            bounds.setdefault(name, set()).add(trait)


def _where_clause(fn: Def) -> str:
    return text_facts_of(fn.file).where_clauses.get(fn.item.index, "")


def _split(text: str) -> list[str]:
    """`text` split at its top-level commas."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "<([":
            depth += 1
        elif ch in ">)]" and not (ch == ">" and text[i - 1:i] == "-"):  # `Fn(A) -> B`
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [p.strip() for p in out if p.strip()]
