"""Priority = severity weight × blast radius × occurrences.

The blast radius of a finding comes from the symbol graph (`ctx.graph`): the files that depend on the
finding's file through `uses`/`calls` edges, directly or transitively, how many other crates those files
belong to, and how many items call or import the finding's enclosing symbol. A panic in a module every
crate imports outranks the same panic in a leaf binary. Test targets do not count as dependents.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

import networkx as nx

from rust_triage.plan.model import BlastRadius

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext

SEVERITY_WEIGHT = {"info": 1, "low": 2, "medium": 4, "high": 8, "critical": 16,
                   # compiler levels, for findings ingested from cargo
                   "note": 1, "help": 1, "warning": 2, "error": 16}
_DEPENDENCY_EDGES = ("uses", "calls")


def severity_weight(severity: str) -> int:
    return SEVERITY_WEIGHT.get(severity, 2)


class BlastRadiusIndex:
    """Blast radius per (file, symbol), computed lazily from the workspace graph and cached."""

    def __init__(self, ctx: AnalysisContext | None) -> None:
        self._ctx = ctx
        self._file_graph: nx.DiGraph | None = None
        self._callers: dict[tuple[str, str], set[str]] = {}
        self._package: dict[str, str] = {}
        self._cache: dict[tuple[str, str], BlastRadius] = {}

    def _build(self) -> nx.DiGraph:
        files = nx.DiGraph()
        if self._ctx is None:
            return files
        self._package = {src.rel: src.package for src in self._ctx.files}
        tests_only = {src.rel for src in self._ctx.files if src.in_test_target}
        files.add_nodes_from(self._package)
        graph = self._ctx.graph
        nodes = graph.nodes
        callers: dict[tuple[str, str], set[str]] = defaultdict(set)
        for u, v, kind in graph.edges(data="kind"):
            if kind not in _DEPENDENCY_EDGES:
                continue
            src_file = _file_of(nodes[u])
            dst_file = _file_of(nodes[v])
            if not src_file or not dst_file or src_file in tests_only:
                continue  # tests depending on code do not widen its production blast radius
            if src_file != dst_file:
                files.add_edge(src_file, dst_file)
            symbol = nodes[v].get("symbol")
            if symbol and u != v:
                callers[(dst_file, symbol)].add(u)
        self._callers = dict(callers)
        return files

    def radius(self, file: str, symbol: str = "") -> BlastRadius:
        key = (file, symbol)
        found = self._cache.get(key)
        if found is not None:
            return found
        if self._file_graph is None:
            self._file_graph = self._build()
        graph = self._file_graph
        dependents: set[str] = set(nx.ancestors(graph, file)) if file in graph else set()
        own = self._package.get(file, "")
        crates = {self._package.get(f, "") for f in dependents} - {own, ""}
        callers = _symbol_callers(self._callers, file, symbol)
        score = 1.0 + math.log2(1 + len(dependents) + 2 * len(crates) + callers)
        found = BlastRadius(round(score, 2), len(dependents), len(crates), callers)
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


def _file_of(attrs: dict[str, object]) -> str:
    kind = attrs.get("kind")
    if kind == "file":
        return str(attrs.get("path", ""))
    return str(attrs.get("file", "") or "")
