"""Struct literals and tuple-struct constructors checked against their definitions (RT301-RT303)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rust_triage.families.types.tools import TypeTools, type_tools
from rust_triage.families.types.traits import has_unknown_attribute
from rust_triage.graph.resolve import Def
from rust_triage.parse.facts import FieldDef

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile


@dataclass
class LiteralIssue:
    kind: str  # "missing" | "unknown" | "arity"
    src: SourceFile
    line: int
    column: int
    end_line: int
    end_column: int
    item: int
    owner: Def
    variant: str | None
    fields: list[FieldDef] = field(default_factory=list)  # missing: the missing fields
    names: list[str] = field(default_factory=list)  # unknown: the unknown names
    expected: int = 0  # arity
    given: int = 0
    all_fields: list[FieldDef] = field(default_factory=list)
    confidence: str = "high"

    @property
    def type_name(self) -> str:
        return f"{self.owner.item.name}::{self.variant}" if self.variant else self.owner.item.name


def literal_issues(ctx: AnalysisContext) -> list[LiteralIssue]:
    return ctx.memo(_compute)


def _compute(ctx: AnalysisContext) -> list[LiteralIssue]:
    tools = type_tools(ctx)
    passing = passing_macros(tools)
    names = _nameable(ctx)
    out: list[LiteralIssue] = []
    for src in ctx.files:
        facts = tools.facts(src)
        if facts is None:
            continue
        for lit in facts.literals:
            if (not lit.in_macro or _passed_on(lit.macro, passing)) and _may_name_workspace(lit.path, names):
                out.extend(_check_literal(tools, src, lit))
        for call in facts.tuple_calls:
            if (not call.in_macro or _passed_on(call.macro, passing)) and _may_name_workspace(call.path, names):
                issue = _check_tuple_call(tools, src, call)
                if issue is not None:
                    out.append(issue)
    return out


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _nameable(ctx: AnalysisContext) -> frozenset[str]:
    """Every name a path can reach a workspace definition through: the names of items (associated ones
    only through their type's name), `use` renames, `Self`, and the variants of enums that a `use`
    imports by name (`use E::V`) or with a glob (`use E::*`). A literal or call whose path holds none of
    them (`Some(x)`, `Ok(())`, a foreign type) resolves to nothing, so it is not looked up."""
    names = {"Self"}
    globbed: set[str] = set()  # `use ..::E::*`: E
    imported: set[tuple[str, str]] = set()  # `use ..::E::V`: (E, V)
    renames: set[str] = set()
    enums = []
    for src in ctx.files:
        items = src.facts.items
        for item in items:
            if item.parent >= 0 and items[item.parent].kind in ("impl", "trait"):
                continue
            names.add(item.name)
            if item.variants:
                enums.append(item)
        for use in src.facts.uses:
            if use.alias:
                renames.add(use.alias)
            if len(use.path) < 2:
                continue
            if use.path[-1] == "*":
                globbed.add(use.path[-2])
            else:
                imported.add((use.path[-2], use.path[-1]))
    names |= renames
    renamed_enum = not globbed.isdisjoint(renames)  # `use E as F; use F::*`: any enum's variants
    through_rename = {v for e, v in imported if e in renames}
    for item in enums:
        if renamed_enum or item.name in globbed:
            names.update(item.variants)
        else:
            names.update(v for v in item.variants if (item.name, v) in imported or v in through_rename)
    return frozenset(names)


def _may_name_workspace(path: str, names: frozenset[str]) -> bool:
    return not names.isdisjoint(_WORD.findall(path))


def passing_macros(tools: TypeTools) -> frozenset[str]:
    """Workspace `macro_rules!` whose arguments reach the expansion as type-checked code, through the
    workspace macros they invoke as well (see `macro_args.macro_passes`)."""
    rules: dict[str, tuple[bool, set[str]]] = {}
    for src in tools.ctx.files:
        facts = tools.facts(src)
        for name, (passes, invoked) in (facts.macro_passes if facts is not None else {}).items():
            before = rules.get(name, (True, set()))
            rules[name] = (before[0] and passes, before[1] | set(invoked))
    passing = {name for name, (passes, _) in rules.items() if passes}
    changed = True
    while changed:  # drop macros that hand their arguments to a macro that does not pass them on
        changed = False
        for name in list(passing):
            if not rules[name][1] <= passing:
                passing.discard(name)
                changed = True
    return frozenset(passing)


def _passed_on(chain: str, passing: frozenset[str]) -> bool:
    return bool(chain) and all(name in passing for name in chain.split("/"))


def definition_fields(tools: TypeTools, owner: Def, variant: str | None) -> list[FieldDef] | None:
    """Named fields of a struct or struct variant; None for shapes we do not check."""
    item = owner.item
    facts = tools.facts(owner.file)
    if facts is not None and item.index in facts.broken_items:
        return None  # syntax the grammar does not know (default field values...)
    if variant is None:
        return list(item.fields) if item.kind == "struct" else None
    if facts is not None and variant in facts.tuple_variants.get(item.index, {}):
        return None
    return list(item.variants.get(variant, []))


def _base_confidence(tools: TypeTools, src: SourceFile, item: int, owner: Def) -> str:
    if tools.cfg_gated(src, item):
        return "medium"
    if has_unknown_attribute(owner.item.attrs) or "non_exhaustive" in owner.item.attrs:
        return "medium"  # an attribute macro may rewrite the definition
    return "high"


def _check_literal(tools: TypeTools, src: SourceFile, lit) -> list[LiteralIssue]:  # type: ignore[no-untyped-def]
    found = tools.resolver.resolve_variant(src, lit.item, lit.path)
    if found is None:
        return []
    owner, variant = found
    fields = definition_fields(tools, owner, variant)
    if fields is None:
        return []
    confidence = _base_confidence(tools, src, lit.item, owner)
    defined = {f.name: f for f in fields}
    given = {f.name for f in lit.fields}
    issues: list[LiteralIssue] = []
    unknown = [f for f in lit.fields if f.name not in defined]
    if unknown:
        first = unknown[0]
        issues.append(LiteralIssue(
            "unknown", src, first.line, first.column, first.line, first.column + len(first.name), lit.item,
            owner, variant, names=[f.name for f in unknown], all_fields=fields,
            confidence="medium" if all(f.cfg_gated for f in unknown) else confidence,
        ))
    if not lit.base and all(f.cfg_gated for f in unknown):  # rustc reports no missing field (E0063) after an
        missing = [f for f in fields if f.name not in given]  # unknown one (E0560): a renamed field is one error
        if missing:
            sure = [f for f in missing if not f.cfg_gated]
            issues.append(LiteralIssue(
                "missing", src, lit.line, lit.column, lit.end_line, lit.end_column, lit.item, owner, variant,
                fields=missing, all_fields=fields, confidence=confidence if sure else "medium",
            ))
    return issues


def _check_tuple_call(tools: TypeTools, src: SourceFile, call) -> LiteralIssue | None:  # type: ignore[no-untyped-def]
    candidates = tools.resolver.resolve_values(src, call.item, call.path)
    structs = {(d.file.rel, d.item.index): d for d in candidates if d.item.kind == "struct"}
    fns = {(d.file.rel, d.item.index): d for d in candidates if d.item.kind == "fn"}
    if len(fns) == 1 and len(candidates) == len([d for d in candidates if d.item.kind == "fn"]):
        return _check_fn_call(tools, src, call, next(iter(fns.values())))
    if len(structs) == 1 and len(candidates) == len([d for d in candidates if d.item.kind == "struct"]):
        owner = next(iter(structs.values()))
        if not owner.item.tuple_struct:
            return None
        fields = owner.item.fields
        variant = None
    else:
        imported = tools.resolver.variant_import(src, call.item, call.path)
        if imported is not None:
            owner, variant = imported
        elif "::" not in call.path:
            return None
        else:
            prefix, variant = call.path.rsplit("::", 1)
            found = tools.resolver.resolve(src, call.item, prefix)
            if found is None or found.item.kind != "enum":
                return None
            owner = found
        facts = tools.facts(owner.file)
        types = facts.tuple_variants.get(owner.item.index, {}).get(variant) if facts is not None else None
        if types is None:
            return None
        fields = [FieldDef(str(i), t, line) for i, (t, line) in enumerate(types)]
    if len(fields) == call.args:
        return None
    confidence = _base_confidence(tools, src, call.item, owner)
    if any(f.cfg_gated for f in fields):
        confidence = "medium"
    return LiteralIssue(
        "arity", src, call.line, call.column, call.line, call.column, call.item, owner, variant,
        expected=len(fields), given=call.args, all_fields=fields, confidence=confidence,
    )


def _check_fn_call(tools: TypeTools, src: SourceFile, call, fn: Def) -> LiteralIssue | None:  # type: ignore[no-untyped-def]
    """A capitalised fn that looks like a constructor (`M("a")`) called with the wrong number of
    arguments (E0061). Methods are left out (`T::F(x)` may pass `self`)."""
    if fn.item.has_self or len(fn.item.params) == call.args:
        return None
    fields = [FieldDef(pattern, type_, fn.item.line) for pattern, type_ in fn.item.params]
    return LiteralIssue(
        "arity", src, call.line, call.column, call.line, call.column, call.item, fn, None,
        expected=len(fields), given=call.args, all_fields=fields,
        confidence=_base_confidence(tools, src, call.item, fn),
    )
