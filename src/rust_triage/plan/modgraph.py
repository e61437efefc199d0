"""The crate+module graph behind blast radius: who truly depends on a file, and how central it is.

Nodes are crates (`crate:<package>`) and modules (`file:<rel>`: a file is one module; inline `mod {}`
blocks belong to their file). An edge `a -> b` means `a` depends on `b`:

- `use`/call edges of the symbol graph (which already drops edges into crates a package does not depend
  on). An import of a module (`use crate::net;`) points at the module's own file, not at the file that
  declares `mod net;`. Test code (test targets, `#[cfg(test)]` items) and files no target compiles
  depend on nothing here: they do not widen production blast radius.
- `mod` edges: a parent module depends on the child modules it declares.
- crate edges: a module belongs to (depends on) its crate, and crate A depends on crate B when a module
  of A uses or calls into B. A crate root therefore gains nothing from its crate being used: only what
  other modules really use from it counts.

Dependent files of a file are the files that reach it through `use`/call edges only (not the
module-tree parents that merely declare it). Centrality is PageRank over the whole graph (mass flows
from a module to what it depends on), scaled so that the average node scores 1.0: a leaf module used
everywhere is central, a crate root nobody imports is not. Everything is computed in sorted order, so
the numbers are the same on every run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext

_DEPENDENCY_EDGES = ("uses", "calls")
_DAMPING = 0.85
_TOLERANCE = 1e-10
_MAX_ITERATIONS = 200


class ModuleGraph:
    """File-level dependency graph (for dependents) and crate+module centrality, built once per plan."""

    def __init__(self, ctx: AnalysisContext | None) -> None:
        self.package: dict[str, str] = {}
        self.files = nx.DiGraph()  # file -> file it uses or calls into
        self.callers: dict[tuple[str, str], set[str]] = {}  # (file, symbol) -> item nodes using it
        self.centrality: dict[str, float] = {}  # rel -> PageRank × node count
        self._closure: _Closure | None = None
        if ctx is not None:
            self._build(ctx)

    def dependents(self, rel: str) -> tuple[int, set[str]]:
        """How many files depend on `rel` (transitively, through `use` and calls), and their packages."""
        if rel not in self.files:
            return 0, set()
        if self._closure is None:
            self._closure = _Closure(self.files, self.package)
        return self._closure.of(rel)

    def _build(self, ctx: AnalysisContext) -> None:
        live = {src.rel for src in ctx.files if src.modules and not src.in_test_target}
        self.package = {src.rel: src.package for src in ctx.files}
        module_files = _module_files(ctx)
        self.files.add_nodes_from(sorted(self.package))
        graph = ctx.graph
        nodes = graph.nodes
        callers: dict[tuple[str, str], set[str]] = {}
        for u, v, kind in graph.edges(data="kind"):
            if kind not in _DEPENDENCY_EDGES:
                continue
            source = nodes[u]
            src_file = _file_of(source)
            if src_file not in live or source.get("in_test"):
                continue  # tests and dead code do not widen the production blast radius
            target = nodes[v]
            dst_file = _file_of(target)
            if target.get("kind") == "mod":  # `use crate::net;` depends on net's file, if it has one
                dst_file = module_files.get((dst_file, str(target.get("symbol", ""))), dst_file)
            if not dst_file or dst_file not in self.package:
                continue
            if src_file != dst_file:
                self.files.add_edge(src_file, dst_file)
            symbol = target.get("symbol")
            if symbol and u != v:
                callers.setdefault((dst_file, str(symbol)), set()).add(u)
        self.callers = callers
        self.centrality = _centrality(ctx, self.files, live)


class _Closure:
    """Transitive dependents of every file at once: one bit set per strongly connected component, filled in
    topological order (a file's dependents are those of its component's predecessors, plus its own
    component). Linear in the edges, where one graph search per file would be quadratic on large trees."""

    def __init__(self, files: nx.DiGraph, package: dict[str, str]) -> None:
        dag = nx.condensation(files)
        self._component: dict[str, int] = dag.graph["mapping"]
        packages = sorted({p for p in package.values() if p})
        self._packages = packages
        bit_of = {rel: 1 << i for i, rel in enumerate(sorted(files.nodes))}
        crate_bit = {p: 1 << i for i, p in enumerate(packages)}
        members = {c: sum(bit_of[rel] for rel in dag.nodes[c]["members"]) for c in dag.nodes}
        crates = {c: _or(crate_bit.get(package.get(rel, ""), 0) for rel in dag.nodes[c]["members"]) for c in dag.nodes}
        self._files: dict[int, int] = {}
        self._crates: dict[int, int] = {}
        for c in nx.topological_sort(dag):  # dependents (edge sources) before what they depend on
            file_bits = members[c]
            crate_bits = crates[c]
            for p in dag.predecessors(c):
                file_bits |= self._files[p]
                crate_bits |= self._crates[p]
            self._files[c] = file_bits
            self._crates[c] = crate_bits

    def of(self, rel: str) -> tuple[int, set[str]]:
        c = self._component[rel]
        count = bin(self._files[c]).count("1") - 1  # not the file itself
        crate_bits = self._crates[c]
        return count, {p for i, p in enumerate(self._packages) if crate_bits >> i & 1}


def _or(bits: Iterable[int]) -> int:
    out = 0
    for bit in bits:
        out |= bit
    return out


def _module_files(ctx: AnalysisContext) -> dict[tuple[str, str], str]:
    """(file declaring `mod x;`, symbol of that `mod` item) -> the file that holds module x."""
    by_path: dict[tuple[str, str, str], str] = {}
    for src in ctx.files:
        for m in src.modules:
            by_path.setdefault((m.package, m.target, m.module_path), src.rel)
    found: dict[tuple[str, str], str] = {}
    for src in ctx.files:
        if not src.modules:
            continue
        first = src.modules[0]
        for item in src.facts.items:
            if item.kind != "mod":
                continue
            symbol = src.symbol(item.index)
            child = by_path.get((first.package, first.target, symbol))
            if child is not None:
                found[(src.rel, symbol)] = child
    return found


def _centrality(ctx: AnalysisContext, files: nx.DiGraph, live: set[str]) -> dict[str, float]:
    """PageRank on crate + module nodes (use/call, mod and crate edges), scaled to mean 1.0 per file."""
    edges: set[tuple[str, str]] = {(f"file:{a}", f"file:{b}") for a, b in files.edges}
    nodes: set[str] = {f"file:{rel}" for rel in files.nodes}
    by_path: dict[tuple[str, str, str], str] = {}
    for src in ctx.files:
        for m in src.modules:
            by_path.setdefault((m.package, m.target, m.module_path), src.rel)
    for (package, target, path), rel in by_path.items():
        crate = f"crate:{package}"
        nodes.add(crate)
        if rel in live:
            edges.add((f"file:{rel}", crate))
        if path == "crate":
            continue
        parent = _declaring_file(by_path, package, target, path)
        if parent is not None and parent != rel and parent in live:
            edges.add((f"file:{parent}", f"file:{rel}"))
    package = {src.rel: src.package for src in ctx.files}
    for a, b in files.edges:
        pa, pb = package.get(a, ""), package.get(b, "")
        if pa and pb and pa != pb:
            edges.add((f"crate:{pa}", f"crate:{pb}"))
    ranks = pagerank(sorted(nodes), sorted(edges))
    scale = len(nodes)
    return {node[5:]: round(rank * scale, 3) for node, rank in ranks.items() if node.startswith("file:")}


def _declaring_file(by_path: dict[tuple[str, str, str], str], package: str, target: str, path: str) -> str | None:
    """The file of the nearest enclosing module that has one (inline modules live in their file)."""
    while "::" in path:
        path = path.rpartition("::")[0]
        found = by_path.get((package, target, path))
        if found is not None:
            return found
    return None


def pagerank(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, float]:
    """PageRank by power iteration (damping 0.85, dangling mass spread evenly), in a fixed order."""
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    out_degree = [0] * n
    incoming: list[list[int]] = [[] for _ in range(n)]
    for a, b in edges:
        if a == b:
            continue
        out_degree[index[a]] += 1
        incoming[index[b]].append(index[a])
    dangling = [i for i in range(n) if out_degree[i] == 0]
    rank = [1.0 / n] * n
    for _ in range(_MAX_ITERATIONS):
        base = (1.0 - _DAMPING) / n + _DAMPING * sum(rank[i] for i in dangling) / n
        share = [rank[i] / out_degree[i] if out_degree[i] else 0.0 for i in range(n)]
        new = [base + _DAMPING * sum(share[u] for u in incoming[v]) for v in range(n)]
        change = sum(abs(a - b) for a, b in zip(new, rank, strict=True))
        rank = new
        if change < _TOLERANCE:
            break
    return dict(zip(nodes, rank, strict=True))


def _file_of(attrs: dict[str, object]) -> str:
    if attrs.get("kind") == "file":
        return str(attrs.get("path", ""))
    return str(attrs.get("file", "") or "")
