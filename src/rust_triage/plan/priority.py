"""Priority = severity weight × blast radius × occurrences.

The blast radius of a finding comes from the crate+module graph (`plan.modgraph`): the centrality of the
finding's file (PageRank, 1.0 = an average module), how many other crates depend on it, and how many
items call or import the finding's enclosing symbol. A panic in a module every crate imports outranks
the same panic in a leaf binary or an unused crate root. The true count of dependent files (transitive,
through `use` and calls) is reported with it. Test code does not count as a dependent.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rust_triage.plan.model import BlastRadius
from rust_triage.plan.modgraph import ModuleGraph

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext

SEVERITY_WEIGHT = {"info": 1, "low": 2, "medium": 4, "high": 8, "critical": 16,
                   # compiler levels, for findings ingested from cargo
                   "note": 1, "help": 1, "warning": 2, "error": 16}


def severity_weight(severity: str) -> int:
    return SEVERITY_WEIGHT.get(severity, 2)


class BlastRadiusIndex:
    """Blast radius per (file, symbol), from the crate+module graph (built lazily, once per plan)."""

    def __init__(self, ctx: AnalysisContext | None) -> None:
        self._ctx = ctx
        self._graph: ModuleGraph | None = None
        self._cache: dict[tuple[str, str], BlastRadius] = {}

    def radius(self, file: str, symbol: str = "") -> BlastRadius:
        key = (file, symbol)
        found = self._cache.get(key)
        if found is not None:
            return found
        if self._graph is None:
            self._graph = ModuleGraph(self._ctx)
        graph = self._graph
        dependents, packages = graph.dependents(file)
        crates = packages - {graph.package.get(file, ""), ""}
        callers = _symbol_callers(graph.callers, file, symbol)
        centrality = graph.centrality.get(file, 0.0)
        score = 1.0 + math.log2(1 + centrality + 2 * len(crates) + callers)
        found = BlastRadius(round(score, 2), dependents, len(crates), callers, centrality)
        self._cache[key] = found
        return found


def _symbol_callers(callers: dict[tuple[str, str], set[str]], file: str, symbol: str) -> int:
    """Callers of the enclosing item, walking up `a::b::c` until a graph symbol matches."""
    parts = symbol.split("::") if symbol else []
    while len(parts) > 1:
        found = callers.get((file, "::".join(parts)))
        if found:
            return len(found)
        parts.pop()
    return 0
