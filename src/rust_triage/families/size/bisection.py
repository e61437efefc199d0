"""Kernighan-Lin bisection of a unit graph, seeded: the same halves as networkx's
`kernighan_lin_bisection(graph, weight="weight", seed=seed)` (networkx 3.x, BSD-3-Clause; the sweep
below follows its code step by step, with its heap's tie-breaking by insertion order), without
importing networkx.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from heapq import heappop, heappush
from itertools import count

from rust_triage.families.size.modularity import UnitGraph


class _Heap:
    """A min-heap of keys by value, updated lazily (networkx's BinaryHeap)."""

    def __init__(self) -> None:
        self.values: dict[int, float] = {}
        self.heap: list[tuple[float, int, int]] = []
        self.order = count()

    def __bool__(self) -> bool:
        return bool(self.values)

    def __contains__(self, key: int) -> bool:
        return key in self.values

    def pop(self) -> tuple[int, float]:
        values, heap = self.values, self.heap
        while True:
            value, _, key = heap[0]
            heappop(heap)
            if key in values and value == values[key]:
                break
        del values[key]
        return key, value

    def insert(self, key: int, value: float, allow_increase: bool = False) -> None:
        values = self.values
        if key in values:
            old = values[key]
            if value < old or (allow_increase and value > old):
                values[key] = value
                heappush(self.heap, (value, next(self.order), key))
            return
        values[key] = value
        heappush(self.heap, (value, next(self.order), key))


def _sweep(edge_info: dict[int, dict[int, float]], side: dict[int, int]
           ) -> Iterator[tuple[float, int, tuple[int, int]]]:
    heaps = (_Heap(), _Heap())
    for u, nbrs in edge_info.items():
        cost_u = sum(wt if side[v] else -wt for v, wt in nbrs.items())
        if side[u]:
            heaps[1].insert(u, cost_u)
        else:
            heaps[0].insert(u, -cost_u)

    def update(node: int) -> None:
        side_node = side[node]
        for nbr, wt in edge_info[node].items():
            side_nbr = side[nbr]
            if side_nbr == side_node:
                wt = -wt
            heap = heaps[side_nbr]
            if nbr in heap:
                heap.insert(nbr, heap.values[nbr] + 2 * wt, allow_increase=True)

    moves = 0
    total: float = 0
    while heaps[0] and heaps[1]:
        u, cost_u = heaps[0].pop()
        update(u)
        v, cost_v = heaps[1].pop()
        update(v)
        total += cost_u + cost_v
        moves += 1
        yield total, moves, (u, v)


def kernighan_lin_bisection(graph: UnitGraph, seed: int, max_iter: int = 10) -> tuple[set[int], set[int]]:
    nodes = list(graph.nodes)
    random.Random(seed).shuffle(nodes)
    half = nodes[: len(nodes) // 2]
    side: dict[int, int] = {node: (node in half) for node in nodes}
    edge_info = {u: dict(graph.neighbours(u)) for u in graph.nodes}
    for _ in range(max_iter):
        costs = list(_sweep(edge_info, side))
        min_cost, min_i, _pair = min(costs)
        if min_cost >= 0:
            break
        for _cost, _i, (u, v) in costs[:min_i]:
            side[u] = 1
            side[v] = 0
    return {u for u, s in side.items() if s == 0}, {u for u, s in side.items() if s == 1}
