"""RT105 lock-guard-across-await: a sync Mutex/RwLock guard still alive at an `.await`."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, Location, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.engine.taxonomy import RiskKind
from rust_triage.families.async_blocking.support import async_facts


class LockGuardAcrossAwait(Rule):
    scope = "file"
    meta = RuleMeta(
        id="RT105",
        name="lock-guard-across-await",
        category="async",
        severity="high",
        effort_minutes=30,
        summary="`std::sync::Mutex` / `RwLock` guard held across an `.await`",
        tests_in_scope=True,
        precision="high",
        clippy_lints=("clippy::await_holding_lock",),
        tags=("async", "deadlock"),
        risk_kind=RiskKind.LOCK_ACROSS_AWAIT,
        docs=RuleDocs(
            what="Finds `let guard = m.lock().unwrap();` (also `.expect(..)`, `?`, a bare `.lock()` as with "
            "parking_lot, and `.read()`/`.write()` followed by `unwrap`/`expect`/`?`) in async code when a later "
            "statement of the same block `.await`s while the guard is still alive. A lock that is itself awaited "
            "(`tokio::sync::Mutex::lock().await`) is an async lock and is not reported. Only clear cases are "
            "reported: a `drop(guard)`, a move of the guard or a shadowing `let` before the `.await` ends the "
            "search, and temporaries (`m.lock().unwrap().len()`) are never held.",
            why="A blocking lock's guard kept across a suspension point keeps the lock while the task sleeps. "
            "Any other task on the same thread that takes the lock blocks the thread that should resume the "
            "holder: a deadlock. `std::sync::MutexGuard` is also `!Send`, so the future cannot be spawned on a "
            "multi-threaded runtime.",
            example="```rust\nasync fn bump(state: &Mutex<State>) {\n    let mut s = state.lock().unwrap();\n"
            "    s.count += 1;\n    save(&s).await; // guard still held here\n}\n```",
            fix="Limit the guard to a block that ends before the `.await` (`{ let mut s = ...; s.count += 1; }`), "
            "`drop(guard)` before awaiting, copy what you need out of the guard, or use an async lock "
            "(`tokio::sync::Mutex`) when the lock must be held across the await.",
            suppress="`#[allow(clippy::await_holding_lock)]` / `#[expect(clippy::await_holding_lock)]` on the "
            "function, impl or module, or `// rust-triage: allow(RT105) -- reason` on the `let` line or the line "
            "above.",
            clippy="`clippy::await_holding_lock` (type-aware; this rule needs no build)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for src in ctx.files:
            for guard in async_facts(src).held_guards:
                yield ctx.finding(
                    self.meta, src, guard.line, guard.column,
                    f"guard `{guard.name}` from `{guard.lock}` is still held at the `.await` on line "
                    f"{guard.await_line}",
                    item=guard.item,
                    fix_hint="drop the guard (or end its block) before the `.await`, or use an async mutex",
                    related=[Location(src.rel, guard.await_line, guard.await_column,
                                      message=f"`{guard.name}` is still alive at this `.await`")],
                    detail={"guard": guard.name, "await_line": guard.await_line},
                )


RULES = [LockGuardAcrossAwait()]
