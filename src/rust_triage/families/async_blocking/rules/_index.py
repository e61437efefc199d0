"""The async_blocking family's Python rules' metadata, generated: do not edit.

Regenerate with `python -m rust_triage.engine.rule_index_gen` (or `rust-triage docs`) after adding a
rule to this package or changing a rule's metadata; tests/test_rule_index.py fails while this file is stale.
Not a rule module: rule discovery skips modules whose name starts with `_`.
"""

# ruff: noqa: E501
from rust_triage.engine.indexed_rule import IndexEntry
from rust_triage.engine.model import RuleDocs, RuleMeta, RuleOption
from rust_triage.engine.taxonomy import RiskKind

# this package's Python rules, in module order
ENTRIES: tuple[IndexEntry, ...] = (
    IndexEntry(
        module='rust_triage.families.async_blocking.rules.rt102_blocking_call_in_async', qualname='BlockingCallInAsync', scope='file', checks_suppressions=False,
        meta=RuleMeta(
            id='RT102',
            name='blocking-call-in-async',
            category='async',
            severity='high',
            summary='blocking std call (`thread::sleep`, `std::fs`, `std::net`, `Command::output`...) inside async code',
            docs=RuleDocs(
                what='Finds blocking calls made directly inside an `async fn` or `async` block: `std::thread::sleep`, every `std::fs` function and `File::open`/`create`, `std::net::TcpStream::connect`, `TcpListener::bind`, `UdpSocket::bind`, `std::process::Command::new(..)...output()`/`.status()`/`.spawn()?.wait()`, `std::io::stdin().read_line(..)`, `std::thread::spawn(..).join()` and anything under `reqwest::blocking`. Paths are resolved through `use` declarations and aliases (`use std::thread::sleep as nap; nap(..)`, `use std::{fs, thread}; thread::sleep(..)`), and a `Command` kept in a local (`let mut cmd = Command::new(..); cmd.output()`) is followed. Closures passed to `spawn_blocking`, `block_in_place` or `std::thread::spawn` are not async code.',
                why='An async runtime runs many tasks on a few threads. A blocking call holds one of those threads for its whole duration, so every other task scheduled there waits too: latency spikes under load, timeouts that fire late, and on a single-threaded runtime a full stall. `reqwest::blocking` even panics when used inside a runtime.',
                example='```rust\nasync fn handle(req: Request) -> Response {\n    std::thread::sleep(Duration::from_millis(5)); // stalls every task on this worker\n    let body = std::fs::read_to_string("page.html").unwrap_or_default();\n    render(body)\n}\n```',
                fix='Use the async equivalent (`tokio::time::sleep(..).await`, `tokio::fs`, `tokio::net`, `tokio::process::Command`, the async `reqwest::Client`), or move the blocking work to `tokio::task::spawn_blocking(move || ...).await`.',
                suppress='`// rust-triage: allow(RT102) -- reason` on the line or the line above (e.g. a read of a tiny file at start-up), or `// rust-triage: allow-file(RT102) -- reason` at the top of the file.',
                clippy='none: clippy has no lint for blocking calls in async code',
            ),
            tags=('async', 'latency', 'reliability'),
            options=(RuleOption(name='constant-constructors', type='string-list', default=[], doc='risk ranking: constructors whose result is constant when all their arguments are literals (`Template::compile`); merged across the ranked rules'), RuleOption(name='infallible-calls', type='string-list', default=[], doc='risk ranking: calls (paths, or method names) whose result cannot be an error; merged across the ranked rules'), RuleOption(name='external-sources', type='string-list', default=[], doc='risk ranking: calls (paths, or method names) whose result comes from outside the program; merged across the ranked rules')),
            effort_minutes=15,
            risk_kind=RiskKind.BLOCKING_CALL,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.async_blocking.rules.rt103_transitive_blocking_in_async', qualname='TransitiveBlockingInAsync', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT103',
            name='transitive-blocking-in-async',
            category='async',
            severity='high',
            summary='async code calls a sync function that ends in `block_on` or a blocking call',
            docs=RuleDocs(
                what='Follows the workspace call graph from every call made in async code into synchronous functions, up to 6 calls deep, and reports the call when the chain ends in `block_on` or a blocking call (the ones RT102 knows). The message shows the chain, e.g. ``async `handle` → `audit_entry` → `write_audit`: `block_on` ``, and each hop is a related location. Only calls that resolve to exactly one workspace function are followed; calls on receivers other than `self` need type inference and are not followed. Chains through async functions are left to RT101/RT102 in those functions.',
                why='A blocking call hidden two functions down blocks the executor exactly like a direct one, but no reviewer sees it at the call site. These chains are how `block_on` deadlocks reach production.',
                example='```rust\npub async fn handle(id: u64) -> String { audit_entry(id) }\nfn audit_entry(id: u64) -> String { write_audit(id) }\nfn write_audit(id: u64) -> String { block_on(async move { format!("audit:{id}") }) }\n```',
                fix='Make the chain async (`async fn write_audit` + `.await` up the chain), or call the sync function through `tokio::task::spawn_blocking(move || audit_entry(id)).await`.',
                suppress='`// rust-triage: allow(RT103) -- reason` on the line of the call in async code or the line above. There is no clippy lint to honour.',
                clippy='none: clippy does not follow calls across functions',
            ),
            tags=('async', 'deadlock', 'latency'),
            options=(RuleOption(name='constant-constructors', type='string-list', default=[], doc='risk ranking: constructors whose result is constant when all their arguments are literals (`Template::compile`); merged across the ranked rules'), RuleOption(name='infallible-calls', type='string-list', default=[], doc='risk ranking: calls (paths, or method names) whose result cannot be an error; merged across the ranked rules'), RuleOption(name='external-sources', type='string-list', default=[], doc='risk ranking: calls (paths, or method names) whose result comes from outside the program; merged across the ranked rules')),
            effort_minutes=45,
            risk_kind=RiskKind.BLOCKING_CALL,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.async_blocking.rules.rt104_block_on_reached_from_async', qualname='BlockOnReachedFromAsync', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT104',
            name='block-on-reached-from-async',
            category='async',
            severity='high',
            summary='`block_on` in a sync function that async code calls',
            docs=RuleDocs(
                what='Reports a `block_on` call (any function or method of that name) in a synchronous function when async code calls that function, directly or through up to 6 sync calls. The message names the async caller and the chain. RT103 reports the same chain at the async call site; this rule reports it where the `block_on` is, for the owner of that function.',
                why='A sync function that runs `block_on` is only safe when called from plain threads. Once async code calls it, the executor thread blocks on a future that may need that very thread: a deadlock on single-threaded runtimes and a panic ("Cannot start a runtime from within a runtime") in tokio.',
                example='```rust\nfn write_audit(id: u64) -> String {\n    block_on(async move { format!("audit:{id}") }) // called from `async fn handle`\n}\n```',
                fix='Make the function async and `.await` the future, or keep a sync version for sync callers and an async one for async callers. Do not hide `block_on` behind a sync API that async code uses.',
                suppress='`// rust-triage: allow(RT104) -- reason` on the `block_on` line or the line above. There is no clippy lint to honour.',
                clippy='none: clippy does not follow calls across functions',
            ),
            tags=('async', 'deadlock'),
            options=(RuleOption(name='constant-constructors', type='string-list', default=[], doc='risk ranking: constructors whose result is constant when all their arguments are literals (`Template::compile`); merged across the ranked rules'), RuleOption(name='infallible-calls', type='string-list', default=[], doc='risk ranking: calls (paths, or method names) whose result cannot be an error; merged across the ranked rules'), RuleOption(name='external-sources', type='string-list', default=[], doc='risk ranking: calls (paths, or method names) whose result comes from outside the program; merged across the ranked rules')),
            effort_minutes=30,
            risk_kind=RiskKind.BLOCK_ON,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.async_blocking.rules.rt105_lock_guard_across_await', qualname='LockGuardAcrossAwait', scope='file', checks_suppressions=False,
        meta=RuleMeta(
            id='RT105',
            name='lock-guard-across-await',
            category='async',
            severity='high',
            summary='`std::sync::Mutex` / `RwLock` guard held across an `.await`',
            docs=RuleDocs(
                what='Finds `let guard = m.lock().unwrap();` (also `.expect(..)`, `?`, a bare `.lock()` as with parking_lot, and `.read()`/`.write()` followed by `unwrap`/`expect`/`?`) in async code when a later statement of the same block `.await`s while the guard is still alive. A lock that is itself awaited (`tokio::sync::Mutex::lock().await`) is an async lock and is not reported. Only clear cases are reported: a `drop(guard)`, a move of the guard or a shadowing `let` before the `.await` ends the search, and temporaries (`m.lock().unwrap().len()`) are never held.',
                why="A blocking lock's guard kept across a suspension point keeps the lock while the task sleeps. Any other task on the same thread that takes the lock blocks the thread that should resume the holder: a deadlock. `std::sync::MutexGuard` is also `!Send`, so the future cannot be spawned on a multi-threaded runtime.",
                example='```rust\nasync fn bump(state: &Mutex<State>) {\n    let mut s = state.lock().unwrap();\n    s.count += 1;\n    save(&s).await; // guard still held here\n}\n```',
                fix='Limit the guard to a block that ends before the `.await` (`{ let mut s = ...; s.count += 1; }`), `drop(guard)` before awaiting, copy what you need out of the guard, or use an async lock (`tokio::sync::Mutex`) when the lock must be held across the await.',
                suppress='`#[allow(clippy::await_holding_lock)]` / `#[expect(clippy::await_holding_lock)]` on the function, impl or module, or `// rust-triage: allow(RT105) -- reason` on the `let` line or the line above.',
                clippy='`clippy::await_holding_lock` (type-aware; this rule needs no build)',
            ),
            tags=('async', 'deadlock'),
            clippy_lints=('clippy::await_holding_lock',),
            options=(RuleOption(name='constant-constructors', type='string-list', default=[], doc='risk ranking: constructors whose result is constant when all their arguments are literals (`Template::compile`); merged across the ranked rules'), RuleOption(name='infallible-calls', type='string-list', default=[], doc='risk ranking: calls (paths, or method names) whose result cannot be an error; merged across the ranked rules'), RuleOption(name='external-sources', type='string-list', default=[], doc='risk ranking: calls (paths, or method names) whose result comes from outside the program; merged across the ranked rules')),
            effort_minutes=30,
            risk_kind=RiskKind.LOCK_ACROSS_AWAIT,
        ),
    ),
)
