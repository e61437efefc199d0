"""The unit graph of an oversized file and its greedy-modularity communities, without networkx.

Importing networkx costs about half a billion instructions (a fifth of a cold run of a mid-sized
crate), and RT210 plans a split for every oversized file. This module gives the same answers as
`networkx.algorithms.community.greedy_modularity_communities` (Clauset-Newman-Moore, networkx 3.x,
BSD-3-Clause; the merge loop below follows its code step by step) on the same graph: nodes and
neighbours are visited in the order a networkx `Graph` and its subgraph views visit them, and float
sums are taken in that order, so the merges and their ties come out the same.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

Pair = tuple[int, int]


class UnitGraph:
    """An undirected weighted graph built like `networkx.Graph` (`add_edge` merges weights), or an
    induced subgraph view of one (`subgraph`), iterating as networkx's views do."""

    def __init__(self, adj: dict[int, dict[int, float]] | None = None, shown: set[int] | None = None) -> None:
        self.adj: dict[int, dict[int, float]] = {} if adj is None else adj  # the whole graph's adjacency
        self.shown = shown  # None: the whole graph; else the nodes of this view

    @classmethod
    def build(cls, nodes: Iterable[int], edges: Iterable[tuple[Pair, float]]) -> UnitGraph:
        graph = cls()
        adj = graph.adj
        for n in nodes:
            adj.setdefault(n, {})
        for (a, b), w in edges:
            if a in adj and b in adj[a]:
                adj[a][b] += w
                if a != b:
                    adj[b][a] += w
            else:
                adj.setdefault(a, {})
                adj.setdefault(b, {})
                adj[a][b] = w
                adj[b][a] = w
        return graph

    def __contains__(self, node: object) -> bool:
        return node in self.adj and (self.shown is None or node in self.shown)

    @property
    def nodes(self) -> Iterator[int]:
        """In networkx's order: a view of under half the graph lists its node set, else the graph's order."""
        shown, adj = self.shown, self.adj
        if shown is None:
            return iter(adj)
        if 2 * len(shown) < len(adj):
            return (n for n in shown if n in adj)
        return (n for n in adj if n in shown)

    def __iter__(self) -> Iterator[int]:
        return self.nodes

    def neighbours(self, node: int) -> Iterator[tuple[int, float]]:
        """(neighbour, weight) in insertion order; a view keeps only its own nodes."""
        shown = self.shown
        if shown is None:
            return iter(self.adj[node].items())
        return ((m, w) for m, w in self.adj[node].items() if m in shown)

    def subgraph(self, nodes: Iterable[int]) -> UnitGraph:
        """The induced subgraph view (always over the whole graph, as networkx's views chain)."""
        return UnitGraph(self.adj, {n for n in nodes if n in self})

    def has_edges(self) -> bool:
        return any(True for n in self.nodes for _ in self.neighbours(n))

    def degrees(self) -> Iterator[tuple[int, float]]:
        """Weighted degrees as networkx sums them (a self-loop counts twice)."""
        for n in self.nodes:
            nbrs = dict(self.neighbours(n))
            yield n, sum(w for w in nbrs.values()) + (n in nbrs and nbrs[n])

    def edges(self) -> Iterator[tuple[int, int, float]]:
        seen: set[int] = set()
        for n in self.nodes:
            for nbr, w in self.neighbours(n):
                if nbr not in seen:
                    yield n, nbr, w
            seen.add(n)


class _Queue:
    """A min-heap of (priority, element) with elements found by value (networkx's MappedQueue)."""

    def __init__(self, data: dict[Pair, float] | list[tuple[float, Pair]] | None = None) -> None:
        if data is None:
            self.heap: list[tuple[float, Pair]] = []
        elif isinstance(data, dict):
            self.heap = [(v, k) for k, v in data.items()]
        else:
            self.heap = list(data)
        heapq.heapify(self.heap)
        self.position = {elt: pos for pos, (_p, elt) in enumerate(self.heap)}

    def __len__(self) -> int:
        return len(self.heap)

    def push(self, entry: tuple[float, Pair]) -> None:
        if entry[1] in self.position:
            return
        pos = len(self.heap)
        self.heap.append(entry)
        self.position[entry[1]] = pos
        self._siftdown(0, pos)

    def pop(self) -> tuple[float, Pair]:
        entry = self.heap[0]
        del self.position[entry[1]]
        if len(self.heap) == 1:
            self.heap.pop()
            return entry
        last = self.heap.pop()
        self.heap[0] = last
        self.position[last[1]] = 0
        self._siftup(0)
        return entry

    def update(self, old: Pair, new: tuple[float, Pair]) -> None:
        pos = self.position.pop(old)
        self.heap[pos] = new
        self.position[new[1]] = pos
        self._siftup(pos)

    def remove(self, elt: Pair) -> None:
        pos = self.position.pop(elt)
        if pos == len(self.heap) - 1:
            self.heap.pop()
            return
        last = self.heap.pop()
        self.heap[pos] = last
        self.position[last[1]] = pos
        self._siftup(pos)

    def _siftup(self, pos: int) -> None:
        heap, position = self.heap, self.position
        end_pos = len(heap)
        newitem = heap[pos]
        child_pos = (pos << 1) + 1
        while child_pos < end_pos:
            child = heap[child_pos]
            right_pos = child_pos + 1
            if right_pos < end_pos:
                right = heap[right_pos]
                if not child < right:
                    child = right
                    child_pos = right_pos
            heap[pos] = child
            position[child[1]] = pos
            pos = child_pos
            child_pos = (pos << 1) + 1
        heap[pos] = newitem  # then bubbled up from the leaf it reached
        position[newitem[1]] = pos
        self._siftdown(0, pos)

    def _siftdown(self, start_pos: int, pos: int) -> None:
        heap, position = self.heap, self.position
        newitem = heap[pos]
        while pos > start_pos:
            parent_pos = (pos - 1) >> 1
            parent = heap[parent_pos]
            if not newitem < parent:
                break
            heap[pos] = parent
            position[parent[1]] = pos
            pos = parent_pos
        heap[pos] = newitem
        position[newitem[1]] = pos


def greedy_modularity_communities(graph: UnitGraph, resolution: float = 1) -> list[frozenset[int]]:
    """Communities by greedy modularity merges, largest first (networkx's function with weights)."""
    if not graph.has_edges():
        return [frozenset([n]) for n in graph]
    merges = _merges(graph, resolution)
    communities = next(merges)
    while len(communities) > 1:
        try:
            dq = next(merges)
        except StopIteration:
            return sorted(communities, key=len, reverse=True)
        if dq < 0:
            break
        communities = next(merges)
    return sorted(communities, key=len, reverse=True)


def _merges(graph: UnitGraph, resolution: float) -> Iterator[Any]:
    """Yields the communities, then alternately the next merge's modularity change and the communities
    after it (networkx's `_greedy_modularity_communities_generator` for undirected graphs)."""
    nodes = list(graph.nodes)
    m = sum(d for _n, d in graph.degrees()) / 2
    q0 = 1 / m
    a = b = {node: deg * q0 * 0.5 for node, deg in graph.degrees()}
    dq_dict: defaultdict[int, defaultdict[int, float]] = defaultdict(lambda: defaultdict(float))
    for u, v, wt in graph.edges():
        if u == v:
            continue
        dq_dict[u][v] += wt
        dq_dict[v][u] += wt
    for u, nbrdict in dq_dict.items():
        for v, wt in nbrdict.items():
            dq_dict[u][v] = q0 * wt - resolution * (a[u] * b[v] + b[u] * a[v])
    dq_heap = {u: _Queue({(u, v): -dq for v, dq in dq_dict[u].items()}) for u in nodes}
    H = _Queue([dq_heap[n].heap[0] for n in nodes if len(dq_heap[n]) > 0])
    communities = {n: frozenset([n]) for n in nodes}
    yield communities.values()
    while len(H) > 1:
        try:
            negdq, (u, v) = H.pop()
        except IndexError:
            break
        yield -negdq
        dq_heap[u].pop()
        if len(dq_heap[u]) > 0:
            H.push(dq_heap[u].heap[0])
        if dq_heap[v].heap[0][1] == (v, u):
            H.remove((v, u))
            dq_heap[v].remove((v, u))
            if len(dq_heap[v]) > 0:
                H.push(dq_heap[v].heap[0])
        else:
            dq_heap[v].remove((v, u))
        communities[v] = frozenset(communities[u] | communities[v])
        del communities[u]
        u_nbrs = set(dq_dict[u])
        v_nbrs = set(dq_dict[v])
        all_nbrs = (u_nbrs | v_nbrs) - {u, v}
        both_nbrs = u_nbrs & v_nbrs
        for w in all_nbrs:
            if w in both_nbrs:
                dq_vw = dq_dict[v][w] + dq_dict[u][w]
            elif w in v_nbrs:
                dq_vw = dq_dict[v][w] - resolution * (a[u] * b[w] + a[w] * b[u])
            else:
                dq_vw = dq_dict[u][w] - resolution * (a[v] * b[w] + a[w] * b[v])
            for row, col in [(v, w), (w, v)]:
                dq_heap_row = dq_heap[row]
                dq_dict[row][col] = dq_vw
                d_oldmax = dq_heap_row.heap[0] if len(dq_heap_row) > 0 else None
                d = (row, col)
                if w in v_nbrs:
                    dq_heap_row.update(d, (-dq_vw, d))
                else:
                    dq_heap_row.push((-dq_vw, d))
                if d_oldmax is None:
                    H.push((-dq_vw, d))
                else:
                    row_max = dq_heap_row.heap[0]
                    if d_oldmax != row_max:
                        H.update(d_oldmax[1], row_max)
        for w in dq_dict[u]:
            del dq_dict[w][u]
            if w != v:
                for row, col in [(w, u), (u, w)]:
                    dq_heap_row = dq_heap[row]
                    d_old = (row, col)
                    if dq_heap_row.heap[0][1] == d_old:
                        dq_heap_row.remove(d_old)
                        H.remove(d_old)
                        if len(dq_heap_row) > 0:
                            H.push(dq_heap_row.heap[0])
                    else:
                        dq_heap_row.remove(d_old)
        del dq_dict[u]
        dq_heap[u] = _Queue()
        a[v] += a[u]
        a[u] = 0
        yield communities.values()
