"""Grouping units into modules: greedy-modularity communities of the unit graph (deterministic, the
same as networkx's, `modularity.py`), hubs placed afterwards, oversized groups split again, tiny ones
merged into their closest neighbour.

Community detection costs more than linear time, so a file with more than `MAX_GRAPH_NODES` units
(generated code) is clustered in runs of consecutive units: at most `MAX_GRAPH_NODES` of them; and
a graph with more than `MAX_GRAPH_EDGES` links keeps only each unit's `KEEP_LINKS` heaviest ones.

A group that would be the whole file is halved by the Kernighan-Lin bisection (`bisection.py`, the
same halves as networkx's).
"""

from __future__ import annotations

from rust_triage.families.debt.common import TYPE_KINDS
from rust_triage.families.size.bisection import kernighan_lin_bisection
from rust_triage.families.size.modularity import UnitGraph, greedy_modularity_communities
from rust_triage.families.size.units import Unit

MAX_GRAPH_NODES = 500
MAX_GRAPH_EDGES = 20_000
KEEP_LINKS = 8


def cluster(units: list[Unit], refs: dict[tuple[int, int], float], threshold: int,
            min_lines: int) -> tuple[list[set[int]], set[int]]:
    """The groups of units that become modules, and the units left in the file."""
    blocks, block_refs, members = _coarsen(units, refs)
    block_refs = _sparsify(block_refs)
    block_graph = unit_graph(blocks, block_refs)
    groups, leftover = merge_small(communities(block_graph, blocks, threshold, block_refs), block_graph, blocks,
                                   min_lines, threshold)
    if len(groups) == 1 and not leftover and len(blocks) > 1:
        groups = halve(groups[0], block_graph, blocks)
    if blocks is not units:
        groups = [{n for b in g for n in members[b]} for g in groups]
        leftover = {n for b in leftover for n in members[b]}
    return groups, leftover


def _sparsify(refs: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """Past `MAX_GRAPH_EDGES` undirected links, only each unit's `KEEP_LINKS` heaviest ones."""
    links: dict[tuple[int, int], float] = {}
    for (a, b), w in refs.items():
        key = (a, b) if a < b else (b, a)
        links[key] = links.get(key, 0.0) + w
    if len(links) <= MAX_GRAPH_EDGES:
        return refs
    by_node: dict[int, list[tuple[float, tuple[int, int]]]] = {}
    for key, w in links.items():
        by_node.setdefault(key[0], []).append((-w, key))
        by_node.setdefault(key[1], []).append((-w, key))
    kept: set[tuple[int, int]] = set()
    for node_links in by_node.values():
        kept.update(key for _w, key in sorted(node_links)[:KEEP_LINKS])
    return {key: links[key] for key in sorted(kept)}


def _coarsen(units: list[Unit], refs: dict[tuple[int, int], float]
             ) -> tuple[list[Unit], dict[tuple[int, int], float], list[list[int]]]:
    """Runs of consecutive units as single units when there are too many; (units, refs, members)."""
    if len(units) <= MAX_GRAPH_NODES:
        return units, refs, [[u.node] for u in units]
    size = -(-len(units) // MAX_GRAPH_NODES)
    blocks: list[Unit] = []
    members: list[list[int]] = []
    for start in range(0, len(units), size):
        run = units[start:start + size]
        lead = max(run, key=lambda u: (u.lines * (2 if u.kind in TYPE_KINDS else 1), -u.node))
        block = Unit(len(blocks), lead.name, lead.kind, [it for u in run for it in u.items],
                     sum(u.lines for u in run))
        blocks.append(block)
        members.append([u.node for u in run])
    block_refs: dict[tuple[int, int], float] = {}
    for (a, b), w in refs.items():
        key = (a // size, b // size)
        if key[0] != key[1]:
            block_refs[key] = block_refs.get(key, 0.0) + w
    return blocks, block_refs, members


def unit_graph(units: list[Unit], refs: dict[tuple[int, int], float]) -> UnitGraph:
    return UnitGraph.build((u.node for u in units), sorted(refs.items()))


def communities(graph: UnitGraph, units: list[Unit], threshold: int,
                refs: dict[tuple[int, int], float] | None = None) -> list[set[int]]:
    """Greedy-modularity communities of the graph without its hub types, then the hubs placed.

    A hub is a type used by many more units than usual (at least 4, and twice the median): an AST,
    a shared error type. Left in the graph it glues unrelated concerns together; placed afterwards
    it joins the community that holds most of its links, or a shared module when no community does.
    """
    refs = refs or {}
    users: dict[int, set[int]] = {}
    for user, used in refs:
        users.setdefault(used, set()).add(user)
    counts = sorted(len(v) for v in users.values())
    cutoff = max(4, 2 * counts[len(counts) // 2]) if counts else 4
    hubs = [u.node for u in units if u.kind in TYPE_KINDS and len(users.get(u.node, ())) >= cutoff]
    if len(units) - len(hubs) < 2:
        hubs = []
    core = graph.subgraph(sorted(n for n in graph.nodes if n not in set(hubs)))
    groups = _split(core, units, threshold)
    shared: set[int] = set()
    link_weight: dict[int, float] = {}
    for (a, b), w in refs.items():
        link_weight[a] = link_weight.get(a, 0.0) + w
        if b != a:
            link_weight[b] = link_weight.get(b, 0.0) + w
    by_weight = sorted(hubs, key=lambda h: (-link_weight.get(h, 0.0), h))
    group_of = {n: i for i, group in enumerate(groups) for n in group}
    for hub in by_weight:
        scores = [0.0] * len(groups)
        total = 0.0
        for n, weight in graph.neighbours(hub):
            if n in group_of:
                scores[group_of[n]] += weight
                total += weight
            elif n in shared:
                total += weight
        best = max(range(len(groups)), key=lambda i: (scores[i], -i)) if groups else -1
        if best >= 0 and total and scores[best] * 2 >= total:
            groups[best].add(hub)
            group_of[hub] = best
        else:
            shared.add(hub)
    if shared:
        groups.append(shared)
    return sorted(groups, key=lambda g: min(units[n].start for n in g))


def _split(graph: UnitGraph, units: list[Unit], threshold: int) -> list[set[int]]:
    """Greedy-modularity communities; ones still over the threshold are split once more."""
    if not graph.has_edges():
        return [{n} for n in sorted(graph.nodes)]
    found = [set(c) for c in greedy_modularity_communities(graph)]
    out: list[set[int]] = []
    for group in found:
        size = sum(units[n].lines for n in group)
        if size > threshold and len(group) > 2:
            sub = graph.subgraph(sorted(group))
            if sub.has_edges():
                parts = [set(c) for c in greedy_modularity_communities(sub, resolution=1.5)]
                if len(parts) > 1:
                    out.extend(parts)
                    continue
        out.append(group)
    return sorted(out, key=lambda g: min(units[n].start for n in g))


def merge_small(groups: list[set[int]], graph: UnitGraph, units: list[Unit], min_lines: int,
                threshold: int) -> tuple[list[set[int]], set[int]]:
    """Tiny groups join the group they are most connected to; isolated leftovers stay in the file.

    The smallest group is handled first (ties: lowest item); it joins the group with the heaviest
    links to it that stays within the threshold (ties: the earlier group). A heap keeps this
    O(E log G) on files with hundreds of items.
    """
    import heapq

    members = {gid: set(g) for gid, g in enumerate(groups)}
    size = {gid: sum(units[n].lines for n in g) for gid, g in members.items()}
    low = {gid: min(g) for gid, g in members.items() if g}
    group_of = {n: gid for gid, g in members.items() for n in g}
    heap = [(size[gid], low[gid], gid) for gid in members if members[gid]]
    heapq.heapify(heap)
    leftover: set[int] = set()
    while heap:
        g_size, g_low, gid = heapq.heappop(heap)
        if gid not in members or size[gid] != g_size or low[gid] != g_low:
            continue  # stale entry
        if g_size >= min_lines:
            break
        weights: dict[int, float] = {}
        for a in members[gid]:
            for b, weight in graph.neighbours(a):
                other = group_of.get(b)
                if other is not None and other != gid:
                    weights[other] = weights.get(other, 0.0) + weight
        best, best_w = None, 0.0
        for other in sorted(weights):
            w = weights[other]
            if w > best_w and size[other] + g_size <= max(threshold, size[other]):
                best, best_w = other, w
        moved = members.pop(gid)
        if best is None:
            leftover.update(moved)
            for n in moved:
                group_of.pop(n, None)
            continue
        members[best].update(moved)
        for n in moved:
            group_of[n] = best
        size[best] += g_size
        low[best] = min(low[best], g_low)
        heapq.heappush(heap, (size[best], low[best], best))
    result = [members[gid] for gid in sorted(members)]
    if leftover and sum(units[n].lines for n in leftover) >= min_lines * 2:
        result.append(set(leftover))  # unrelated small items: one module of their own
        leftover = set()
    return result, leftover


def halve(group: set[int], graph: UnitGraph, units: list[Unit]) -> list[set[int]]:
    """One tightly knit group: cut it into two by the Kernighan-Lin bisection (seeded)."""
    a, b = kernighan_lin_bisection(graph.subgraph(sorted(group)), seed=0)
    return [set(a), set(b)] if a and b else [group]
