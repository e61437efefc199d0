"""RT104 block-on-reached-from-async: `block_on` in a sync fn that async code calls (directly or not)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, Location, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.engine.taxonomy import RiskKind
from rust_triage.families.async_blocking.support import (
    MAX_HOPS,
    AsyncIndex,
    Edge,
    FnKey,
    async_index,
    context_label,
)


class BlockOnReachedFromAsync(Rule):
    meta = RuleMeta(
        id="RT104",
        name="block-on-reached-from-async",
        category="async",
        severity="high",
        effort_minutes=30,
        summary="`block_on` in a sync function that async code calls",
        tests_in_scope=True,
        precision="high",
        tags=("async", "deadlock"),
        risk_kind=RiskKind.BLOCK_ON,
        docs=RuleDocs(
            what="Reports a `block_on` call (any function or method of that name) in a synchronous function "
            "when async code calls that function, directly or through up to " + str(MAX_HOPS) + " sync calls. "
            "The message names the async caller and the chain. RT103 reports the same chain at the async call "
            "site; this rule reports it where the `block_on` is, for the owner of that function.",
            why="A sync function that runs `block_on` is only safe when called from plain threads. Once async "
            "code calls it, the executor thread blocks on a future that may need that very thread: a deadlock "
            "on single-threaded runtimes and a panic (\"Cannot start a runtime from within a runtime\") in tokio.",
            example="```rust\nfn write_audit(id: u64) -> String {\n"
            "    block_on(async move { format!(\"audit:{id}\") }) // called from `async fn handle`\n}\n```",
            fix="Make the function async and `.await` the future, or keep a sync version for sync callers and an "
            "async one for async callers. Do not hide `block_on` behind a sync API that async code uses.",
            suppress="`// rust-triage: allow(RT104) -- reason` on the `block_on` line or the line above. There is "
            "no clippy lint to honour.",
            clippy="none: clippy does not follow calls across functions",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        index = async_index(ctx)
        for key, hits in sorted(index.blocking.items()):
            block_ons = [b for b in hits if b.block_on]
            if not block_ons or index.is_async_fn(key):
                continue
            path = _async_caller(index, key)
            if path is None:
                continue
            entry, fns = path
            origin = context_label(index, entry)
            chain = " → ".join(f"`{index.label(k)}`" for k in fns)
            related = [Location(e.src.rel, e.call.line, e.call.column,
                                message=f"`{index.label(e.callee)}` is called here") for e in _edges(index, entry, fns)]
            src = index.fns[key]
            for hit in block_ons:
                yield ctx.finding(
                    self.meta, src, hit.line, hit.column,
                    f"`block_on` in sync fn `{index.label(key)}`, which async code reaches: {origin} → {chain}",
                    item=key[1],
                    fix_hint="make this function async and `.await` the future instead of blocking on it",
                    related=related,
                    detail={"chain": [index.label(k) for k in fns]},
                )


def _async_caller(index: AsyncIndex, target: FnKey) -> tuple[Edge, list[FnKey]] | None:
    """The nearest call from async code that reaches `target`: (that call, [callee, ..., target])."""
    queue: deque[tuple[FnKey, list[FnKey]]] = deque([(target, [target])])
    seen = {target}
    while queue:
        key, path = queue.popleft()
        edges = sorted(index.callers.get(key, []), key=lambda e: (e.src.rel, e.call.line, e.call.column))
        for edge in edges:
            if edge.call.async_ctx:
                return edge, path
        if len(path) >= MAX_HOPS:
            continue
        for edge in edges:
            caller = edge.caller
            if caller is not None and caller not in seen and not index.is_async_fn(caller):
                seen.add(caller)
                queue.append((caller, [caller, *path]))
    return None


def _edges(index: AsyncIndex, entry: Edge, fns: list[FnKey]) -> list[Edge]:
    out = [entry]
    for a, b in zip(fns, fns[1:], strict=False):
        edge = index.site(a, b)
        if edge is not None:
            out.append(edge)
    return out


RULES = [BlockOnReachedFromAsync()]
