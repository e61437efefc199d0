"""Types used in ways that need a trait they neither derive nor implement (RT310, RT311)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.families.types.assoc_checks import assoc_type_lacks
from rust_triage.families.types.bound_calls import BOUND_TRAITS, bound_call_lacks
from rust_triage.families.types.bound_sites import BOUND
from rust_triage.families.types.compare_rhs import other_rhs_taken
from rust_triage.families.types.copy_bounds import needs_copy_elsewhere
from rust_triage.families.types.cow_fields import cow_arguments, may_hold_cow
from rust_triage.families.types.env_paths import Typed
from rust_triage.families.types.facts import MOVE_OUT, TraitUse
from rust_triage.families.types.impl_checks import impl_supertrait_lacks, manual_copy_target
from rust_triage.families.types.issue_grouping import DeriveIssue, dedupe_supertraits, dedupe_uses, merge_copy
from rust_triage.families.types.literal_checks import definition_fields
from rust_triage.families.types.map_keys import key_lacks
from rust_triage.families.types.move_places import behind_reference, takes_self_by_value
from rust_triage.families.types.receiver_moves import (
    STD_BY_VALUE_NAMES,
    copy_receiver_moves,
    reference_methods,
    std_takes_self_by_value,
)
from rust_triage.families.types.repeats import REPEAT, VEC_HOW
from rust_triage.families.types.syntax import BORROWING_STD_METHOD_NAMES
from rust_triage.families.types.tools import TypeTools, type_tools
from rust_triage.families.types.trait_calls import broken_impls, calls_needing
from rust_triage.families.types.traits import DERIVABLE, SUPERTRAITS, Lack, has_unknown_attribute
from rust_triage.families.types.typeref import Shape, parse_type
from rust_triage.graph.resolve import Def
from rust_triage.parse.facts import Item

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile

_HASH_KEYED = frozenset({"HashMap", "HashSet"})
_ORD_KEYED = frozenset({"BTreeMap", "BTreeSet"})
_MAP_PATHS = ("", "std::collections::", "collections::")


def derive_issues(ctx: AnalysisContext) -> list[DeriveIssue]:
    return ctx.memo(_compute)


_USE_TRAITS = {"Debug": ("Debug",), "PartialEq": ("PartialEq",), "PartialOrd": ("PartialOrd",), "Clone": ("Clone",),
               "Default": ("Default",), "MapKey": ("Hash", "Eq", "Ord"), "Ord": ("Ord",), "Unwrap": ("Debug",),
               "Copy": ("Copy",), "CellGet": ("Copy",), BOUND: BOUND_TRAITS,
               "KeyArg": ("Hash", "Eq", "Ord"), "ToOwned": ("Clone",), REPEAT: ("Copy", "Clone")}
_CELL_PATHS = ("Cell", "std::cell::Cell", "core::cell::Cell", "cell::Cell")
_RESULT_PATHS = ("Result", "std::result::Result", "core::result::Result", "result::Result")


def _compute(ctx: AnalysisContext) -> list[DeriveIssue]:
    tools = type_tools(ctx)
    out: list[DeriveIssue] = []
    # Uses of a trait every workspace type implements cannot fail: skip typing them.
    possible = {use: any(tools.traits.anyone_lacks(t) for t in traits) for use, traits in _USE_TRAITS.items()}
    by_value = by_value_methods(ctx.files, tools)
    receivable = by_value - reference_methods(ctx) if by_value else by_value
    borrow_named = by_value & BORROWING_STD_METHOD_NAMES  # by-value methods the scan takes for borrowing ones
    impl_lacks: list[tuple[SourceFile, Item, Def, str, bool]] = []
    for src in ctx.files:
        facts = tools.facts(src)
        if facts is None:
            continue
        checked: set[tuple] = set()
        for use in facts.uses:
            if use.in_macro or not possible[use.trait] or \
                    (use.macro in tools.workspace_macros and tools.workspace_macros.shadows(use.macro, src, use.item)):
                continue
            if use.trait == "Copy" and use.how != MOVE_OUT and use.how[1:-2] not in by_value and \
                    use.how[1:-2] not in STD_BY_VALUE_NAMES:
                continue  # a method call: only methods taking `self` by value move the receiver
            seen = len(checked)
            checked.add((use.trait, use.expr, use.line, use.column, use.byte, use.item, use.how, use.macro))
            if len(checked) == seen:
                continue  # the same use again (a macro's body in each of its expansions): the same issues, deduped
            out.extend(_check_use(tools, src, use))
        if possible["Copy"] and (receivable or borrow_named):
            for use in copy_receiver_moves(src, receivable, borrow_named, facts.by_value_self):
                out.extend(_check_use(tools, src, use))
        for binding, trait, lack in assoc_type_lacks(tools, src):
            sure = lack.sure and not tools.cfg_gated(src, binding.index)
            out.append(DeriveIssue("use", src, binding.line, binding.column, binding.index, lack.owner, trait,
                                   f"type {binding.name} = ..", confidence="high" if sure else "medium"))
        for lit in facts.literals:
            if not lit.in_macro:
                out.extend(_check_literal_defaults(tools, src, lit))
        for item in src.facts.items:
            if item.kind in ("struct", "enum") and item.derives:
                out.extend(_check_propagation(tools, src, item.index))
            if item.kind in ("struct", "enum") and may_hold_cow([f.type for f in item.fields]
                                                                + [f.type for fs in item.variants.values() for f in fs]):
                out.extend(_check_cow_fields(tools, src, item.index))
            elif item.kind == "impl" and item.trait:
                for owner, trait, how, confidence, direct in impl_supertrait_lacks(tools, src, item):
                    out.append(DeriveIssue("use", src, item.line, item.column, item.index, owner, trait, how,
                                           confidence=confidence))
                    if direct:  # a `Copy` bound without `Clone` breaks the impl, not the calls
                        impl_lacks.append((src, item, owner, trait, confidence == "high"))
                out.extend(_check_manual_copy(tools, src, item))
    broken = broken_impls(tools, impl_lacks)
    for src in ctx.files if broken else []:
        for call, lack in calls_needing(tools, src, broken):
            confidence = "high" if lack.sure and not tools.cfg_gated(src, call.item) else "medium"
            out.append(DeriveIssue("use", src, call.line, call.column, call.item, lack.owner, lack.trait,
                                   f"{call.callee.rsplit('::', 1)[-1]}(..)", confidence=confidence))
    return dedupe_uses(out)


def _check_manual_copy(tools: TypeTools, src: SourceFile, impl: Item) -> list[DeriveIssue]:
    """`impl Copy for T {}` where a field of `T` is not Copy (E0204 at the impl, once, at the first such
    field; a field the impl's generics name may be asserted Copy by a bound)."""
    container = manual_copy_target(tools, src, impl)
    if container is None:
        return []
    for _name, text, _line, gated in sorted(field_types(tools, container.file, container), key=lambda f: f[2]):
        for lack in tools.traits.lacking(parse_type(text), "Copy", container.file, container.item.index):
            if gated or lack.owner.item.name in impl.generics:
                continue
            sure = lack.sure and not tools.cfg_gated(src, impl.index) and not has_unknown_attribute(container.item.attrs)
            return [DeriveIssue("use", src, impl.line, impl.column, impl.index, lack.owner, "Copy",
                                f"impl Copy for {container.item.name}",
                                shown=text if text != lack.owner.item.name else "",
                                confidence="high" if sure else "medium")]
    return []


def by_value_methods(files: list[SourceFile], tools: TypeTools) -> frozenset[str]:
    """Names of the workspace's methods that take `self` by value."""
    names = set()
    for src in files:
        facts = tools.facts(src)
        for index in facts.by_value_self if facts is not None else ():
            names.add(src.facts.items[index].name)
    return frozenset(names)


def _issues(tools: TypeTools, src: SourceFile, use: TraitUse, lacks: list[Lack], shown: Shape | None,
            confidence: str = "high") -> list[DeriveIssue]:
    if tools.cfg_gated(src, use.item):
        confidence = "medium"
    out = []
    while shown is not None and shown.kind == "ref":
        shown = shown.args[0]
    for lack in lacks:
        text = shown.text() if shown is not None else ""
        out.append(DeriveIssue(
            "use", src, use.line, use.column, use.item, lack.owner, lack.trait, use.how,
            shown=text if text and text not in (lack.owner.item.name, "Self") else "",
            confidence=confidence if lack.sure else "medium",
        ))
    return out


def _check_use(tools: TypeTools, src: SourceFile, use: TraitUse) -> list[DeriveIssue]:
    oracle = tools.traits
    if use.trait == "Default":
        return _check_default_use(tools, src, use)
    if use.trait == BOUND:
        found = bound_call_lacks(tools, src, use)
        return _issues(tools, src, *found) if found is not None else []
    if use.trait == "KeyArg":
        found = key_lacks(tools, src, use)
        return _issues(tools, src, use, found[0], found[1]) if found is not None else []
    typed = tools.env.type_of(src, use.item, use.expr, use.byte)
    if typed is None:
        return []
    shape = typed.shape
    if use.trait in ("Debug", "PartialEq", "PartialOrd"):
        lacks = oracle.lacking(shape, use.trait, typed.src, typed.item)
        if use.trait != "Debug":
            lacks = [lack for lack in lacks if not other_rhs_taken(tools, src, use, typed, lack.owner)]
        return _issues(tools, src, use, lacks, shape)
    if use.trait == "Clone":
        owner = tools.env.owner(typed)
        if owner is not None and (tools.resolver.methods_of(owner, "clone") or tools.traits.status(owner, "Deref") != "no"):
            return []  # an inherent `clone` method, or auto-deref to a target that may be Clone
        if shape.kind == "ref":
            inner = shape.args[0]
            if inner.kind == "ref":
                return []
            # `&T` clones the reference instead: an error only where the value is needed (E0308);
            # `&mut T` is not Clone, so rustc finds no `clone` at all (E0599)
            return _issues(tools, src, use, oracle.lacking(inner, "Clone", typed.src, typed.item), inner,
                           "high" if shape.mutable else "medium")
        return _issues(tools, src, use, oracle.lacking(shape, "Clone", typed.src, typed.item), shape)
    if use.trait == "MapKey":
        return _check_map_key(tools, src, use, typed)
    if use.trait == "Ord":
        element = tools.env.element(typed)
        if element is None:
            return []
        return _issues(tools, src, use, oracle.lacking(element.shape, "Ord", element.src, element.item), element.shape)
    if use.trait == "Unwrap":
        return _check_unwrap(tools, src, use, typed)
    if use.trait == "ToOwned":  # `Cow::Borrowed(&b)` / `Cow::Owned(b)`: `B: ToOwned`, i.e. Clone
        if use.how.endswith("Borrowed(..)"):
            if shape.kind != "ref":
                return []
            shape = shape.args[0]
        elif oracle.to_owned_targets is None or shape.name in oracle.to_owned_targets:
            return []  # `Cow::Owned(b)` holds `B::Owned`: a workspace `impl ToOwned` makes it `b`'s type
        if tools.resolver.resolve(src, use.item, use.how.split("(", 1)[0].rsplit("::", 1)[0]) is not None:
            return []  # a workspace `Cow`
        return _issues(tools, src, use, oracle.without_to_owned(oracle.lacking(shape, "Clone", typed.src, typed.item)),
                       shape)
    if use.trait == REPEAT:  # `[x; N]` copies `x`, `vec![x; n]` clones it; a reference is both
        trait = "Clone" if use.how == VEC_HOW else "Copy"
        return [] if shape.kind == "ref" else _issues(tools, src, use, oracle.lacking(shape, trait, typed.src,
                                                                                        typed.item), shape)
    if use.trait == "CellGet":  # `Cell::get` needs `T: Copy`
        while shape.kind == "ref":
            shape = shape.args[0]
        if shape.kind != "path" or shape.path not in _CELL_PATHS or len(shape.args) != 1 or \
                tools.ctx.index.resolve(typed.src, typed.item, shape.path):
            return []
        return _issues(tools, src, use, oracle.lacking(shape.args[0], "Copy", typed.src, typed.item), shape.args[0])
    if use.trait == "Copy":
        if not behind_reference(tools, src, use.item, use.expr, use.byte):
            return []
        method = use.how[1:-2]
        if use.how != MOVE_OUT and not takes_self_by_value(tools, typed, method, use.expr[0] in ("field", "index")) \
                and not std_takes_self_by_value(tools, typed, method):
            return []
        lacks = oracle.lacking(shape, "Copy", typed.src, typed.item)
        clone_too = bool(oracle.lacking(shape, "Clone", typed.src, typed.item))  # then `vec![x; n]` fails too
        if not lacks or needs_copy_elsewhere(tools.ctx, src, use.item, clone_too):
            return []  # code that may need `Copy` fails to type-check, and then rustc checks no moves
        moved = TraitUse(use.trait, use.expr, use.line, use.column, use.byte, use.item, MOVE_OUT, use.in_macro, use.macro)
        return _issues(tools, src, moved, lacks, shape)
    return []


def _check_unwrap(tools: TypeTools, src: SourceFile, use: TraitUse, typed: Typed) -> list[DeriveIssue]:
    """`Result<T, E>::unwrap`/`expect` format `E` with Debug; `unwrap_err`/`expect_err` format `T`."""
    shape, at, index = tools.resolver.expand_alias(typed.shape, typed.src, typed.item)
    if shape.kind != "path" or shape.path not in _RESULT_PATHS or len(shape.args) != 2:
        return []
    if tools.ctx.index.resolve(at, index, shape.path):
        return []  # a workspace `Result` we could not follow
    other = shape.args[0] if use.how.startswith((".unwrap_err", ".expect_err")) else shape.args[1]
    return _issues(tools, src, use, tools.traits.lacking(other, "Debug", at, index), other)


def _check_map_key(tools: TypeTools, src: SourceFile, use: TraitUse, typed: Typed) -> list[DeriveIssue]:
    shape = typed.shape
    while shape.kind == "ref":
        shape = shape.args[0]
    if shape.kind != "path" or not shape.args:
        return []
    name = shape.name
    if shape.path[: len(shape.path) - len(name)] not in _MAP_PATHS:
        return []
    if tools.resolver.resolve(typed.src, typed.item, shape.path) is not None:
        return []  # a workspace type that happens to be called HashMap
    if name in _HASH_KEYED:
        traits = ("Hash", "Eq")
    elif name in _ORD_KEYED:
        traits = ("Ord",)
    else:
        return []
    key = shape.args[0]
    if key.kind != "path":
        return []  # tuple keys and references: keep to the clear cases
    lacks: list[Lack] = []
    for trait in traits:
        lacks.extend(tools.traits.lacking(key, trait, typed.src, typed.item))
    return _issues(tools, src, use, lacks, key)


def _check_default_use(tools: TypeTools, src: SourceFile, use: TraitUse) -> list[DeriveIssue]:
    kind, text = use.expr[0], use.expr[1]
    if kind == "type":
        shape = parse_type(text)
        if shape.kind != "path":
            return []
        return _issues(tools, src, use, tools.traits.lacking(shape, "Default", src, use.item), shape)
    prefix = text[: -len("::default")]
    owner = tools.resolver.resolve(src, use.item, prefix)
    if owner is None or tools.resolver.methods_of(owner, "default"):
        return []
    verdict = tools.traits.status(owner, "Default")
    if verdict == "yes":
        return []
    return _issues(tools, src, use, [Lack(owner, "Default", verdict == "no")], None)


def _check_literal_defaults(tools: TypeTools, src: SourceFile, lit) -> list[DeriveIssue]:  # type: ignore[no-untyped-def]
    """`..Default::default()` and `field: Default::default()` in struct literals."""
    wants_base = lit.base == "default"
    defaults = [f for f in lit.fields if f.default_call]
    if not wants_base and not defaults:
        return []
    found = tools.resolver.resolve_variant(src, lit.item, lit.path)
    if found is None:
        return []
    owner, variant = found
    out: list[DeriveIssue] = []
    if wants_base and variant is None:
        verdict = tools.traits.status(owner, "Default")
        if verdict != "yes":
            use = TraitUse("Default", (), lit.line, lit.column, 0, lit.item, "..Default::default()")
            out.extend(_issues(tools, src, use, [Lack(owner, "Default", verdict == "no")], None))
    fields = {f.name: f for f in definition_fields(tools, owner, variant) or []}
    for f in defaults:
        fdef = fields.get(f.name)
        if fdef is None or fdef.cfg_gated:
            continue
        shape = parse_type(fdef.type)
        if shape.kind != "path":
            continue
        lacks = tools.traits.lacking(shape, "Default", owner.file, owner.item.index)
        use = TraitUse("Default", (), f.line, f.column, 0, lit.item, "Default::default()")
        out.extend(_issues(tools, src, use, lacks, shape))
    return out


def _check_propagation(tools: TypeTools, src: SourceFile, index: int) -> list[DeriveIssue]:
    container = tools.definition(src, index)
    if container is None:
        return []
    item = container.item
    facts = tools.facts(src)
    attributed = set(facts.attributed_fields.get(index, [])) if facts is not None else set()
    # an attribute macro (`#[salsa::input]`...) may rewrite the type and its derives
    base_conf = "medium" if tools.cfg_gated(src, index) or has_unknown_attribute(item.attrs) else "high"
    out: list[DeriveIssue] = []
    derived = [d for d in item.derives if d in DERIVABLE]
    fields = sorted(((fname, ftype, fline, gated, parse_type(ftype))  # in source order: rustc reports the first
                     for fname, ftype, fline, gated in field_types(tools, src, container)), key=lambda f: f[2]) \
        if derived else []
    for trait in derived:
        for sup in SUPERTRAITS.get(trait, ()):
            verdict = tools.traits.status(container, sup)
            if verdict != "yes":
                out.append(DeriveIssue(
                    "supertrait", src, item.line, item.column, index, container, sup,
                    f"#[derive({trait})] on `{item.name}`", confidence=base_conf if verdict == "no" else "medium",
                    container=container,
                ))
        if trait == "Default" and item.kind == "enum":
            continue  # derived Default uses the #[default] unit variant
        reported: set[tuple[str, str, int]] = set()  # (variant or field type, lacking type)
        for fname, ftype, fline, gated, shape in fields:
            if trait in ("Serialize", "Deserialize") and fname in attributed:
                continue
            for lack in tools.traits.lacking(shape, trait, src, index):
                if trait in ("Debug", "Eq"):
                    # rustc reports a missing Debug once per struct or variant; derived Eq asserts each
                    # distinct field type once for the whole type
                    scope = fname.split(".")[0] if item.kind == "enum" and trait == "Debug" else ""
                    key = (scope if trait == "Debug" else ftype, lack.owner.file.rel, lack.owner.item.index)
                    if key in reported:
                        continue
                    reported.add(key)
                conf = base_conf if lack.sure and not gated else "medium"
                out.append(DeriveIssue(
                    "field", src, fline, 1, index, lack.owner, trait, f"#[derive({trait})] on `{item.name}`",
                    shown=ftype if ftype != lack.owner.item.name else "", confidence=conf,
                    container=container, field_name=fname,
                ))
    return merge_copy(dedupe_supertraits(out))


def _check_cow_fields(tools: TypeTools, src: SourceFile, index: int) -> list[DeriveIssue]:
    """Fields holding `Cow<'_, B>` where `B` lacks `Clone` (see `cow_fields`)."""
    container = tools.definition(src, index)
    if container is None or tools.resolver.resolve(src, index, "Cow") is not None:
        return []
    base_conf = "medium" if tools.cfg_gated(src, index) else "high"
    out: list[DeriveIssue] = []
    for _fname, ftype, fline, gated in field_types(tools, src, container):
        for arg in cow_arguments(ftype):
            for lack in tools.traits.without_to_owned(tools.traits.lacking(arg, "Clone", src, index)):
                out.append(DeriveIssue("use", src, fline, 1, index, lack.owner, "Clone", f"Cow<'_, {arg.text()}>",
                                       confidence=base_conf if lack.sure and not gated else "medium"))
    return out


def field_types(tools: TypeTools, src: SourceFile, owner: Def) -> list[tuple[str, str, int, bool]]:
    """(name, type, line, cfg-gated) of every field of a struct or of every variant of an enum."""
    item = owner.item
    if item.kind == "struct":
        return [(f.name, f.type, f.line, gated) for f in item.fields if (gated := tools.field_gated(src, f)) is not None]
    out = [(f"{v}.{f.name}", f.type, f.line, gated) for v, fs in item.variants.items() for f in fs
           if (gated := tools.field_gated(src, f)) is not None]
    facts = tools.facts(src)
    for v, types in (facts.tuple_variants.get(item.index, {}) if facts is not None else {}).items():
        out.extend((f"{v}.{i}", t, line, False) for i, (t, line) in enumerate(types))
    return out
