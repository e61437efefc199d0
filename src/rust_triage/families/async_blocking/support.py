"""Shared by the async rules RT101-RT105: what blocks, `use`-aware path resolution, and a call index
over the workspace (who calls whom, from async or sync code) built once per analysis."""

from __future__ import annotations

import msgspec

from rust_triage.engine.context import AnalysisContext, SourceFile
from rust_triage.engine.model import Location
from rust_triage.families.async_blocking.extractor import AsyncFacts, ChainCall
from rust_triage.graph.calls import enclosing_fn, resolve_call
from rust_triage.parse.facts import Call

MAX_HOPS = 6
BLOCK_ON = "block_on"
BLOCK_ON_FAMILY = ("block_on", "block_in_place")
_ABSOLUTE_ROOTS = ("std", "core", "alloc", "crate", "self", "super")
# Exact blocking functions -> what to use instead.
BLOCKING_FUNCTIONS = {
    "std::thread::sleep": "`tokio::time::sleep(..).await` (or your runtime's timer)",
    "std::net::TcpStream::connect": "`tokio::net::TcpStream::connect(..).await`",
    "std::net::TcpStream::connect_timeout": "`tokio::time::timeout(.., TcpStream::connect(..)).await`",
    "std::net::TcpListener::bind": "`tokio::net::TcpListener::bind(..).await`",
    "std::net::UdpSocket::bind": "`tokio::net::UdpSocket::bind(..).await`",
    "std::io::read_to_string": "an async reader, or `spawn_blocking`",
}
# Blocking module prefixes -> what to use instead; constructors that do no I/O are exempt.
BLOCKING_PREFIXES = {
    "std::fs::": "`tokio::fs` (or `spawn_blocking`)",
    "reqwest::blocking::": "the async `reqwest::Client`",
}
_NO_IO = ("new", "options", "default", "from_mode")
# (root of a method chain, method) that blocks -> what to use instead.
BLOCKING_CHAINS = {
    **{("std::process::Command::new", m): "`tokio::process::Command` and `.await`"
       for m in ("output", "status", "wait", "wait_with_output")},
    **{("std::io::stdin", m): "`tokio::io::stdin()` with `AsyncBufReadExt`"
       for m in ("read_line", "read_to_string", "read_to_end")},
    ("std::thread::spawn", "join"): "`tokio::task::spawn_blocking(..).await`",
}


class UseTable(msgspec.Struct):
    """A file's `use`s by the name they bring in, and its glob imports, each in file order."""

    named: dict[str, list[tuple[int, tuple[str, ...]]]]  # local name -> (enclosing item, target path)
    globs: list[tuple[int, tuple[str, ...]]]  # (enclosing item, module path)


def use_table(src: SourceFile) -> UseTable:
    table = UseTable({}, [])
    for use in src.facts.uses:
        if not use.path:
            continue
        if use.path[-1] == "*":
            table.globs.append((use.item, use.path[:-1]))
            continue
        target = use.path[:-1] if use.path[-1] == "self" and len(use.path) > 1 else use.path
        table.named.setdefault(use.alias or target[-1], []).append((use.item, target))
    return table


def canonical_path(src: SourceFile, item: int, path: str, table: UseTable | None = None) -> str:
    """`path` as written inside item `item`, with its first segment expanded through visible `use`s.
    `table`: `use_table(src)`, for a caller asking about many paths of one file."""
    parts = [p for p in path.replace(" ", "").split("::") if p]
    if not parts or parts[0] in _ABSOLUTE_ROOTS:
        return "::".join(parts)
    if table is None:
        table = use_table(src)
    named = table.named.get(parts[0], ())
    if not named and not table.globs:
        return "::".join(parts)  # no `use` can expand it
    visible = {-1} | ({i.index for i in src.facts.item_chain(item)} if item >= 0 else set())
    best: tuple[int, tuple[str, ...]] | None = None
    for use_item, target in named:
        if use_item in visible and (best is None or use_item > best[0]):
            best = (use_item, target)
    if best is not None:
        return "::".join((*best[1], *parts[1:]))
    for use_item, base in table.globs:
        if use_item not in visible:
            continue
        candidate = "::".join((*base, *parts))
        if blocking_function(candidate):
            return candidate
    return "::".join(parts)


def blocking_function(path: str) -> str | None:
    """What to use instead when `path` (canonical) is a blocking function, else None."""
    if path in BLOCKING_FUNCTIONS:
        return BLOCKING_FUNCTIONS[path]
    for prefix, instead in BLOCKING_PREFIXES.items():
        if path.startswith(prefix) and not (prefix == "std::fs::" and path.rsplit("::", 1)[-1] in _NO_IO):
            return instead
    return None


def is_block_on(call: Call, family: tuple[str, ...] = BLOCK_ON_FAMILY) -> bool:
    return call.callee.rsplit("::", 1)[-1] in family


def async_facts(src: SourceFile) -> AsyncFacts:
    found = src.facts.extra.get("async")
    return found if isinstance(found, AsyncFacts) else AsyncFacts()


class Blocking(msgspec.Struct, frozen=True):
    """One blocking call site: what it calls, and what to use instead."""

    label: str  # e.g. "block_on", "std::thread::sleep", "Command::new(..).output()"
    instead: str
    line: int
    column: int
    block_on: bool = False


def classify_call(src: SourceFile, call: Call, table: UseTable | None = None) -> Blocking | None:
    if is_block_on(call):
        name = call.callee.rsplit("::", 1)[-1]
        return Blocking(name, "`.await` the future instead", call.line, call.column, block_on=name == BLOCK_ON)
    if call.method:
        return None
    path = canonical_path(src, call.item, call.callee, table)
    instead = blocking_function(path)
    return Blocking(path, instead, call.line, call.column) if instead else None


def classify_chain(src: SourceFile, chain: ChainCall, table: UseTable | None = None) -> Blocking | None:
    root = canonical_path(src, chain.item, chain.root, table)
    instead = BLOCKING_CHAINS.get((root, chain.method))
    if instead is None:
        return None
    short = "::".join(root.split("::")[-2:])
    return Blocking(f"{short}(..).{chain.method}()", instead, chain.line, chain.column)


FnKey = tuple[str, int]  # (file rel, item index of the fn)


class Edge(msgspec.Struct):
    src: SourceFile
    call: Call
    caller: FnKey | None  # None: not inside a fn
    callee: FnKey


class AsyncIndex(msgspec.Struct):
    """Resolved calls of the whole workspace, split by context, and blocking calls per sync fn."""

    ctx: AnalysisContext
    fns: dict[FnKey, SourceFile] = msgspec.field(default_factory=dict)
    sync_calls: dict[FnKey, list[Edge]] = msgspec.field(default_factory=dict)  # caller -> calls made in sync code
    async_calls: list[Edge] = msgspec.field(default_factory=list)  # calls made in async code
    callers: dict[FnKey, list[Edge]] = msgspec.field(default_factory=dict)  # callee -> every call reaching it
    blocking: dict[FnKey, list[Blocking]] = msgspec.field(default_factory=dict)  # sync code of a fn -> blocking calls
    _chains: dict[FnKey, list[FnKey | Blocking] | None] = msgspec.field(default_factory=dict)
    _dist: dict[FnKey, int] | None = None

    def label(self, key: FnKey) -> str:
        src = self.fns[key]
        items = src.facts.items
        item = items[key[1]]
        parent = items[item.parent] if item.parent >= 0 else None
        if parent is not None and parent.kind in ("impl", "trait"):
            return f"{parent.self_type or parent.name}::{item.name}"
        return item.name

    def is_async_fn(self, key: FnKey) -> bool:
        return self.fns[key].facts.items[key[1]].is_async

    def chain_to_blocking(self, key: FnKey) -> list[FnKey | Blocking] | None:
        """Shortest known path from sync fn `key` to a blocking call: [key, next fn, ..., Blocking].

        At most MAX_HOPS functions; among equally short paths, each step takes the first call in
        source order. The distances of all functions are found once, by one breadth-first search
        backwards from the blocking calls (a search per start was exponential on wide call graphs).
        """
        if key in self._chains:
            return self._chains[key]
        dist = self._distances()
        best: list[FnKey | Blocking] | None = None
        if key in dist:
            chain: list[FnKey | Blocking] = [key]
            cur = key
            while dist[cur] > 0:
                cur = next(e.callee for e in self.sync_calls.get(cur, [])
                           if dist.get(e.callee) == dist[cur] - 1 and not self.is_async_fn(e.callee))
                chain.append(cur)
            chain.append(self.blocking[cur][0])
            best = chain
        self._chains[key] = best
        return best

    def _distances(self) -> dict[FnKey, int]:
        """Sync fn -> calls to the nearest blocking call (0: it blocks itself), up to MAX_HOPS - 1."""
        if self._dist is not None:
            return self._dist
        dist = {key: 0 for key, hits in self.blocking.items() if hits}
        callers_of: dict[FnKey, list[FnKey]] = {}
        for caller, edges in self.sync_calls.items():
            for edge in edges:
                if not self.is_async_fn(edge.callee):
                    callers_of.setdefault(edge.callee, []).append(caller)
        frontier = list(dist)
        for hops in range(1, MAX_HOPS):
            reached = []
            for key in frontier:
                for caller in callers_of.get(key, ()):
                    if caller not in dist:
                        dist[caller] = hops
                        reached.append(caller)
            frontier = reached
        self._dist = dist
        return dist

    def site(self, caller: FnKey, callee: FnKey) -> Edge | None:
        return next((e for e in self.sync_calls.get(caller, []) if e.callee == callee), None)

    def hop_locations(self, chain: list[FnKey | Blocking]) -> list[Location]:
        """One related location per call along a chain, ending at the blocking call."""
        out: list[Location] = []
        for i, step in enumerate(chain[:-1]):
            assert isinstance(step, tuple)
            nxt = chain[i + 1]
            rel = self.fns[step].rel
            if isinstance(nxt, Blocking):
                out.append(Location(rel, nxt.line, nxt.column, message=f"`{self.label(step)}` calls `{nxt.label}`"))
            else:
                edge = self.site(step, nxt)
                if edge is not None:
                    out.append(Location(rel, edge.call.line, edge.call.column,
                                        message=f"`{self.label(step)}` calls `{self.label(nxt)}`"))
        return out


def async_index(ctx: AnalysisContext) -> AsyncIndex:
    """Every fn, call edge and blocking call of the workspace (built once per run)."""
    return ctx.memo(_build_async_index)


def _build_async_index(ctx: AnalysisContext) -> AsyncIndex:
    index = AsyncIndex(ctx)
    symbols = ctx.index
    for src in ctx.files:
        facts = async_facts(src)
        table = use_table(src)
        for item in src.facts.items:
            if item.kind == "fn":
                index.fns[(src.rel, item.index)] = src
        for call in src.facts.calls:
            if not call.async_ctx and facts.offloaded and facts.is_offloaded(call.line, call.column):
                continue  # runs on another thread
            caller_idx = enclosing_fn(src, call.item)
            caller = (src.rel, caller_idx) if caller_idx >= 0 else None
            if not call.async_ctx and caller is not None:
                hit = classify_call(src, call, table)
                if hit is not None:
                    index.blocking.setdefault(caller, []).append(hit)
                    continue
            defs = resolve_call(symbols, src, call)
            if len(defs) != 1 or defs[0].item.kind != "fn":
                continue  # unknown or ambiguous: precision first
            edge = Edge(src, call, caller, (defs[0].file.rel, defs[0].item.index))
            index.callers.setdefault(edge.callee, []).append(edge)
            if call.async_ctx:
                index.async_calls.append(edge)
            elif caller is not None:
                index.sync_calls.setdefault(caller, []).append(edge)
        for chain in facts.chain_calls:
            caller_idx = enclosing_fn(src, chain.item)
            if chain.async_ctx or caller_idx < 0 or facts.is_offloaded(chain.line, chain.column):
                continue
            hit = classify_chain(src, chain, table)
            if hit is not None:
                index.blocking.setdefault((src.rel, caller_idx), []).append(hit)
    for hits in index.blocking.values():
        hits.sort(key=lambda b: (b.line, b.column))
    return index


def context_label(index: AsyncIndex, edge: Edge) -> str:
    """`async handle` for an async fn, `async block in main` for an async block in a sync fn."""
    if edge.caller is None:
        return "async code"
    name = index.label(edge.caller)
    return f"async `{name}`" if index.is_async_fn(edge.caller) else f"async block in `{name}`"
