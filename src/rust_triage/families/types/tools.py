"""Per-analysis type tools shared by the RT3xx rules (built once per run, `ctx.memo`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rust_triage.families.types.env import LocalEnv
from rust_triage.families.types.facts import TypeFacts
from rust_triage.families.types.resolve_types import TypeResolver
from rust_triage.families.types.traits import TraitOracle
from rust_triage.graph.resolve import Def

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile



@dataclass
class TypeTools:
    ctx: AnalysisContext
    resolver: TypeResolver
    traits: TraitOracle
    env: LocalEnv
    workspace_macros: frozenset[str]

    def facts(self, src: SourceFile) -> TypeFacts | None:
        return src.facts.extra.get("types")

    def definition(self, src: SourceFile, item_index: int) -> Def | None:
        scope = self.ctx.index.scope_of_item(src, item_index)
        return Def(src, src.facts.items[item_index], scope) if scope is not None else None

    def cfg_gated(self, src: SourceFile, item_index: int) -> bool:
        """True when the site sits in an item behind a `#[cfg(...)]` other than `cfg(test)`."""
        if item_index < 0:
            return False
        for item in src.facts.item_chain(item_index):
            for attr in item.attrs:
                if attr.startswith(("cfg(", "cfg (")) and not item.cfg_test:
                    return True
        return False

    def derive_line(self, d: Def) -> int:
        facts = self.facts(d.file)
        return facts.derive_lines.get(d.item.index, d.item.line) if facts is not None else d.item.line


def type_tools(ctx: AnalysisContext) -> TypeTools:
    """The run's type tools, built once (`ctx.memo`)."""
    return ctx.memo(_build_tools)


def _build_tools(ctx: AnalysisContext) -> TypeTools:
    resolver = TypeResolver(ctx)
    macros = frozenset(item.name for src in ctx.files for item in src.facts.items if item.kind == "macro")
    return TypeTools(ctx, resolver, TraitOracle(ctx, resolver), LocalEnv(resolver), macros)
