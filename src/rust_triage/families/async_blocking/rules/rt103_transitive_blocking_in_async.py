"""RT103 transitive-blocking-in-async: async code calls a sync fn that (through more calls) blocks."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, Location, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.engine.taxonomy import RiskKind
from rust_triage.families.async_blocking.support import (
    MAX_HOPS,
    Blocking,
    async_index,
    classify_call,
    context_label,
)


class TransitiveBlockingInAsync(Rule):
    meta = RuleMeta(
        id="RT103",
        name="transitive-blocking-in-async",
        category="async",
        severity="high",
        effort_minutes=45,
        summary="async code calls a sync function that ends in `block_on` or a blocking call",
        tests_in_scope=True,
        precision="high",
        tags=("async", "deadlock", "latency"),
        risk_kind=RiskKind.BLOCKING_CALL,
        docs=RuleDocs(
            what="Follows the workspace call graph from every call made in async code into synchronous "
            "functions, up to " + str(MAX_HOPS) + " calls deep, and reports the call when the chain ends in "
            "`block_on` or a blocking call (the ones RT102 knows). The message shows the chain, e.g. "
            "``async `handle` → `audit_entry` → `write_audit`: `block_on` ``, and each hop is a related "
            "location. Only calls that resolve to exactly one workspace function are followed; calls on "
            "receivers other than `self` need type inference and are not followed. Chains through async "
            "functions are left to RT101/RT102 in those functions.",
            why="A blocking call hidden two functions down blocks the executor exactly like a direct one, but no "
            "reviewer sees it at the call site. These chains are how `block_on` deadlocks reach production.",
            example="```rust\npub async fn handle(id: u64) -> String { audit_entry(id) }\n"
            "fn audit_entry(id: u64) -> String { write_audit(id) }\n"
            "fn write_audit(id: u64) -> String { block_on(async move { format!(\"audit:{id}\") }) }\n```",
            fix="Make the chain async (`async fn write_audit` + `.await` up the chain), or call the sync function "
            "through `tokio::task::spawn_blocking(move || audit_entry(id)).await`.",
            suppress="`// rust-triage: allow(RT103) -- reason` on the line of the call in async code or the line "
            "above. There is no clippy lint to honour.",
            clippy="none: clippy does not follow calls across functions",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        index = async_index(ctx)
        for edge in index.async_calls:
            if index.is_async_fn(edge.callee) or classify_call(edge.src, edge.call) is not None:
                continue  # awaiting is fine; a direct blocking call is RT101/RT102's
            chain = index.chain_to_blocking(edge.callee)
            if chain is None:
                continue
            terminal = chain[-1]
            assert isinstance(terminal, Blocking)
            names = " → ".join(f"`{index.label(k)}`" for k in chain[:-1] if isinstance(k, tuple))
            origin = context_label(index, edge)
            related = [Location(edge.src.rel, edge.call.line, edge.call.column,
                                message=f"{origin} calls `{index.label(edge.callee)}`")]
            related += index.hop_locations(chain)
            yield ctx.finding(
                self.meta, edge.src, edge.call.line, edge.call.column,
                f"{origin} → {names}: `{terminal.label}` blocks the executor thread",
                item=edge.call.item,
                fix_hint="make the chain async and `.await` it, or run it with `spawn_blocking`",
                related=related,
                detail={"chain": [index.label(k) for k in chain[:-1] if isinstance(k, tuple)],
                        "blocking_call": terminal.label},
            )


RULES = [TransitiveBlockingInAsync()]
