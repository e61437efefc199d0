"""The reachability of a workspace as stored between runs (`engine.results_store.WorkspaceMemo`)."""

from __future__ import annotations

import msgspec

from rust_triage.graph.reachability import Reachability


class StoredReach(msgspec.Struct, array_like=True):
    parents: list[tuple[str, int, str, int]]  # fn, its parent ("", -1: an entry point)
    entry_kind: list[tuple[str, int, str]]
    labels: list[tuple[str, int, str]]

    @classmethod
    def of(cls, reach: Reachability) -> StoredReach:
        return cls(
            parents=[(k[0], k[1], *(p if p is not None else ("", -1))) for k, p in reach.parents.items()],
            entry_kind=[(k[0], k[1], v) for k, v in reach.entry_kind.items()],
            labels=[(k[0], k[1], v) for k, v in reach.labels.items()],
        )

    def restore(self) -> Reachability:
        return Reachability(
            parents={(rel, i): ((prel, pi) if pi >= 0 else None) for rel, i, prel, pi in self.parents},
            entry_kind={(rel, i): v for rel, i, v in self.entry_kind},
            labels={(rel, i): v for rel, i, v in self.labels},
        )


class StoredOwners(msgspec.Struct, array_like=True):
    owners: dict[str, list[str]]  # method name -> workspace types and traits defining it
