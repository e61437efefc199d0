"""The sync part of the Python call graph, for finding blocking calls reached from async code."""

from __future__ import annotations

from collections import deque

from rust_triage.families.python.blocking import BlockingSpec, blocking_spec
from rust_triage.families.python.facts import PyCall
from rust_triage.families.python.resolve import PyIndex, PyTarget

_MAX_DEPTH = 8
Key = tuple[str, int]  # (rel, def index)


class SyncCallGraph:
    """Sync Python functions: their resolved callees and the blocking calls they make themselves."""

    def __init__(self, index: PyIndex) -> None:
        self.files = {s.rel: s for s in index.files}
        self.callees: dict[Key, list[tuple[PyCall, PyTarget]]] = {}
        self.blocking: dict[Key, list[tuple[PyCall, str, BlockingSpec]]] = {}
        for src in index.files:
            for call, targets in index.calls_from(src):
                if call.func < 0 or call.deferred:
                    continue
                key = (src.rel, call.func)
                for t in targets:
                    if isinstance(t, PyTarget) and t.src.facts.defs[t.index].kind == "function":
                        self.callees.setdefault(key, []).append((call, t))
                qualified = index.qualify(src, call.callee, call.func)
                spec = blocking_spec(qualified) if qualified else None
                if spec is not None:
                    self.blocking.setdefault(key, []).append((call, qualified or call.callee, spec))
        self._memo: dict[Key, list[tuple[Key, PyCall]] | None] = {}

    def is_async(self, key: Key) -> bool:
        return self.files[key[0]].facts.defs[key[1]].is_async

    def path_to_blocking(self, start: Key) -> list[tuple[Key, PyCall]] | None:
        """Shortest chain of (function, call) steps from sync `start` to a blocking call, or None."""
        if start in self._memo:
            return self._memo[start]
        parents: dict[Key, tuple[Key, PyCall] | None] = {start: None}
        queue: deque[tuple[Key, int]] = deque([(start, 0)])
        found: list[tuple[Key, PyCall]] | None = None
        while queue:
            key, depth = queue.popleft()
            hits = self.blocking.get(key)
            if hits:
                steps = [(key, hits[0][0])]
                cur = key
                while parents[cur] is not None:
                    prev, call = parents[cur]  # type: ignore[misc]
                    steps.append((prev, call))
                    cur = prev
                found = list(reversed(steps))
                break
            if depth >= _MAX_DEPTH:
                continue
            for call, target in self.callees.get(key, []):
                nxt = target.key
                if nxt not in parents and not self.is_async(nxt):
                    parents[nxt] = (key, call)
                    queue.append((nxt, depth + 1))
        self._memo[start] = found
        return found
