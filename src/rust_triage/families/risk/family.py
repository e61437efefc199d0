"""The risk family, registered through the `rust_triage.rules` entry point: no rules of its own; after
the rules ran it drops calls of a workspace's own `unwrap`/`expect` methods and ranks the panic and
blocking findings by risk."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rust_triage.engine.family import Family

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.engine.model import Finding, RuleMeta


def _rank(ctx: AnalysisContext, findings: list[Finding], rules: Mapping[str, RuleMeta]) -> list[Finding]:
    from rust_triage.families.risk import drop_own_method_calls, rank_findings

    kept = drop_own_method_calls(ctx, findings, rules)
    rank_findings(ctx, kept, rules)
    return kept


FAMILY = Family(
    name="risk",
    after_rules=_rank,
    doc="Risk ranking of panic and blocking findings: context, what can fail, reachability.",
)
