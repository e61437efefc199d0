"""RT210's own greedy-modularity clustering and Kernighan-Lin bisection: the same groups as networkx's,
without importing it."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest
from conftest import REPO, modules_imported_by
from networkx.algorithms.community import greedy_modularity_communities as networkx_communities
from networkx.algorithms.community import kernighan_lin_bisection as networkx_bisection

from rust_triage.families.size.bisection import kernighan_lin_bisection
from rust_triage.families.size.modularity import UnitGraph, greedy_modularity_communities


def _networkx_graph(nodes: list[int], edges: list[tuple[tuple[int, int], float]]) -> nx.Graph:
    """Built as RT210 built its graph with networkx."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for (a, b), w in edges:
        if graph.has_edge(a, b):
            graph[a][b]["weight"] += w
        else:
            graph.add_edge(a, b, weight=w)
    return graph


@pytest.mark.parametrize("seed", range(4))
def test_communities_and_visiting_order_match_networkx(seed: int) -> None:
    """Random weighted graphs with ties, self-loops, shuffled nodes and subgraphs of subgraphs (whose
    node order networkx takes from the node set when it is under half the graph)."""
    rng = random.Random(seed)
    for _ in range(300):
        n = rng.randint(1, 50)
        nodes = list(range(n))
        if rng.random() < 0.3:
            rng.shuffle(nodes)
        refs: dict[tuple[int, int], float] = {}
        for _ in range(rng.randint(0, 3 * n)):
            a, b = rng.randrange(n + 2), rng.randrange(n + 2)  # a few nodes only edges add
            if rng.random() < 0.05:
                b = a
            refs[(a, b)] = refs.get((a, b), 0.0) + rng.choice([1.0, 2.0, 0.5, 3.0, 0.1, 1 / 3])
        edges = sorted(refs.items())
        pairs = [(_networkx_graph(nodes, edges), UnitGraph.build(nodes, edges))]
        for _ in range(2):
            keep = sorted(x for x in pairs[0][0].nodes if rng.random() < rng.choice([0.3, 0.6, 0.9]))
            pairs.append((pairs[-1][0].subgraph(keep), pairs[-1][1].subgraph(keep)))
        for theirs, ours in pairs:
            assert list(theirs.nodes) == list(ours.nodes)
            assert (theirs.number_of_edges() > 0) == ours.has_edges()
            for node in theirs.nodes:
                assert [(m, d["weight"]) for m, d in theirs[node].items()] == list(ours.neighbours(node))
            if len(list(ours.nodes)) > 1:
                assert kernighan_lin_bisection(ours, seed=seed) == networkx_bisection(theirs, weight="weight",
                                                                                      seed=seed)
            if not ours.has_edges():
                continue
            for resolution in (1, 1.5):
                expected = [sorted(c) for c in networkx_communities(theirs, weight="weight", resolution=resolution)]
                assert [sorted(c) for c in greedy_modularity_communities(ours, resolution)] == expected


@pytest.mark.parametrize("fixture", ["proposals", "debt"])
def test_split_proposals_do_not_import_networkx(tmp_path: Path, fixture: str) -> None:
    """Oversized files get their split plans without loading networkx (half a billion instructions)."""
    modules = modules_imported_by(tmp_path / "modules.txt", "check", str(REPO / "fixtures" / fixture), "--format",
                                  "json", "--no-cache", "-o", str(tmp_path / "out.json"))
    assert "rust_triage.families.size.clustering" in modules  # a split was planned
    assert not [m for m in modules if m == "networkx" or m.startswith("networkx.")]
