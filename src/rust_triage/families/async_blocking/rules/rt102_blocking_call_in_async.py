"""RT102 blocking-call-in-async: std::thread::sleep, std::fs, std::net, std::process... in async code."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.engine.taxonomy import RiskKind
from rust_triage.families.async_blocking.support import async_facts, classify_call, classify_chain


class BlockingCallInAsync(Rule):
    scope = "file"
    meta = RuleMeta(
        id="RT102",
        name="blocking-call-in-async",
        category="async",
        severity="high",
        effort_minutes=15,
        summary="blocking std call (`thread::sleep`, `std::fs`, `std::net`, `Command::output`...) inside async code",
        tests_in_scope=True,
        precision="high",
        tags=("async", "latency", "reliability"),
        risk_kind=RiskKind.BLOCKING_CALL,
        docs=RuleDocs(
            what="Finds blocking calls made directly inside an `async fn` or `async` block: `std::thread::sleep`, "
            "every `std::fs` function and `File::open`/`create`, `std::net::TcpStream::connect`, "
            "`TcpListener::bind`, `UdpSocket::bind`, `std::process::Command::new(..)...output()`/`.status()`/"
            "`.spawn()?.wait()`, `std::io::stdin().read_line(..)`, `std::thread::spawn(..).join()` and anything "
            "under `reqwest::blocking`. Paths are resolved through `use` declarations and aliases "
            "(`use std::thread::sleep as nap; nap(..)`, `use std::{fs, thread}; thread::sleep(..)`), and a "
            "`Command` kept in a local (`let mut cmd = Command::new(..); cmd.output()`) is followed. Closures "
            "passed to `spawn_blocking`, `block_in_place` or `std::thread::spawn` are not async code.",
            why="An async runtime runs many tasks on a few threads. A blocking call holds one of those threads "
            "for its whole duration, so every other task scheduled there waits too: latency spikes under load, "
            "timeouts that fire late, and on a single-threaded runtime a full stall. `reqwest::blocking` even "
            "panics when used inside a runtime.",
            example="```rust\nasync fn handle(req: Request) -> Response {\n"
            "    std::thread::sleep(Duration::from_millis(5)); // stalls every task on this worker\n"
            "    let body = std::fs::read_to_string(\"page.html\").unwrap_or_default();\n    render(body)\n}\n```",
            fix="Use the async equivalent (`tokio::time::sleep(..).await`, `tokio::fs`, `tokio::net`, "
            "`tokio::process::Command`, the async `reqwest::Client`), or move the blocking work to "
            "`tokio::task::spawn_blocking(move || ...).await`.",
            suppress="`// rust-triage: allow(RT102) -- reason` on the line or the line above (e.g. a read of a "
            "tiny file at start-up), or `// rust-triage: allow-file(RT102) -- reason` at the top of the file.",
            clippy="none: clippy has no lint for blocking calls in async code",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for src in ctx.files:
            for call in src.facts.calls:
                if not call.async_ctx:
                    continue
                hit = classify_call(src, call)
                if hit is not None and not hit.label.endswith(("block_on", "block_in_place")):
                    yield ctx.finding(
                        self.meta, src, call.line, call.column,
                        f"blocking call `{hit.label}` inside async code stalls the executor thread",
                        item=call.item, fix_hint=f"use {hit.instead}, or move it into `spawn_blocking`",
                        detail={"call": hit.label},
                    )
            for chain in async_facts(src).chain_calls:
                if not chain.async_ctx:
                    continue
                hit = classify_chain(src, chain)
                if hit is not None:
                    yield ctx.finding(
                        self.meta, src, chain.line, chain.column,
                        f"blocking call `{hit.label}` inside async code stalls the executor thread",
                        item=chain.item, fix_hint=f"use {hit.instead}, or move it into `spawn_blocking`",
                        detail={"call": hit.label},
                    )


RULES = [BlockingCallInAsync()]
