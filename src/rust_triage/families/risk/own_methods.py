"""Precision: `unwrap`/`expect` calls that are a workspace type's own methods, not Option/Result's.

A tokenizer's `self.expect(Token::LeftBracket)?` or a wrapper's `self.inner.unwrap()` are reported by
the query rules, which cannot see types. The symbol graph can: when a workspace type (or trait)
defines a method of that name and the receiver is known to be of that type — `self` in its impl, a
field or parameter declared with it, a local built by its constructor — or when `expect` is given
something that cannot be a message (`Token::LeftBracket`, `'('`), the finding is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rust_triage.engine.results_store import WorkspaceMemo
from rust_triage.engine.taxonomy import RiskKind
from rust_triage.families.panics.extractor import PanicSite, leading_name
from rust_triage.families.risk.stored import StoredOwners
from rust_triage.graph.calls import enclosing_fn, enclosing_impl_type
from rust_triage.graph.type_names import last_segment as _last

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile
    from rust_triage.engine.model import Finding, RuleMeta

_METHODS = ("unwrap", "expect", "unwrap_err", "expect_err")
_MESSAGE = re.compile(r"""^\(\s*(?:&?\s*(?:b?r?#*"|format!|concat!|&)|[a-z_][a-z0-9_]*\s*\)|(?:\w+::)*[A-Z][A-Z0-9_]+\s*\))""")
_TYPE_WORD = re.compile(r"[A-Za-z_]\w*")


def own_method_owners(ctx: AnalysisContext) -> dict[str, set[str]]:
    """Method name -> workspace types and traits that define it (only for unwrap/expect-like names)."""
    owners: dict[str, set[str]] = {}
    for type_name, methods in ctx.index.methods.items():
        for name in _METHODS:
            if name in methods:
                owners.setdefault(name, set()).add(type_name)
    for src in ctx.files:
        items = src.facts.items
        for item in items:
            if item.kind == "fn" and item.name in _METHODS and item.parent >= 0 and items[item.parent].kind == "trait":
                owners.setdefault(item.name, set()).add(items[item.parent].name)
    return owners


def drop_own_method_calls(ctx: AnalysisContext, findings: list[Finding], rules: Mapping[str, RuleMeta]) -> list[Finding]:
    """The findings without the `.unwrap()`/`.expect()` ones (and Python-reached panics on them) that
    call a workspace type's own method of that name."""
    unwraps = {rule for rule, meta in rules.items() if meta.risk_kind is RiskKind.UNWRAP}
    python = {rule for rule, meta in rules.items() if meta.risk_kind is RiskKind.PYTHON_PANIC}
    candidates = [f for f in findings if f.rule in unwraps
                  or (f.rule in python and f.detail.get("panic_rule") in unwraps)]
    if not candidates:
        return findings
    memo = ctx.get(WorkspaceMemo)
    if memo is None:
        owners = own_method_owners(ctx)
    else:  # kept while no file's interface changes
        stored = memo.get_or_build("risk-own-methods", StoredOwners,
                                   lambda: StoredOwners({k: sorted(v) for k, v in own_method_owners(ctx).items()}))
        owners = {k: set(v) for k, v in stored.owners.items()}
    if not owners:
        return findings
    dropped: set[int] = set()
    for f in candidates:
        src = ctx.by_rel.get(f.file)
        if src is None:
            continue
        site = next((s for s in src.facts.extra.get("panic_sites") or [] if (s.line, s.column) == (f.line, f.column)),
                    None)
        if site is not None and site.method in owners and _is_own_call(ctx, src, site, owners[site.method]):
            dropped.add(id(f))
            f.detail["own_method"] = True
    return [f for f in findings if id(f) not in dropped]


def _is_own_call(ctx: AnalysisContext, src: SourceFile, site: PanicSite, types: set[str]) -> bool:
    item = next((m.item for m in src.facts.matches if (m.line, m.column) == (site.line, site.column)), -1)
    recv = site.recv.strip()
    if recv == "self" or recv == "Self":
        owner = enclosing_impl_type(src, item)
        return owner is not None and _last(owner) in types
    if site.method.startswith("expect") and site.args and not _MESSAGE.match(site.args):
        return True  # Option/Result::expect takes a message; this is given a token, a char, a value
    name = leading_name(recv)
    if not name or recv != name:
        return False
    declared = _declared_type(ctx, src, item, site, name)
    return declared is not None and bool(set(_TYPE_WORD.findall(declared)) & types)


def _declared_type(ctx: AnalysisContext, src: SourceFile, item: int, site: PanicSite, name: str) -> str | None:
    """The written type of a local, parameter or `self.field`; for locals, their constructor path."""
    if name.startswith("self."):
        owner = enclosing_impl_type(src, item)
        field = name.split(".", 1)[1]
        for d in ctx.index.by_name.get(_last(owner or ""), []):
            for f in d.item.fields:
                if f.name == field:
                    return str(f.type)
        return None
    if name in site.let_types:
        return site.let_types[name]
    if name in site.bindings:
        value = site.bindings[name]
        head = value.split("(", 1)[0].split("{", 1)[0]
        return head if "::" in head or head[:1].isupper() else None
    fn = enclosing_fn(src, item)
    if fn >= 0:
        for pattern, typ in src.facts.items[fn].params:
            if pattern.replace("mut ", "").strip() == name:
                return typ
    return None
