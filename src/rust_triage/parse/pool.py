"""Parse many files: read and validate, look up the cache, extract the misses in worker processes."""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from rust_triage import collector
from rust_triage.errors import FileError, UsageError
from rust_triage.interrupts import raise_if_interrupted
from rust_triage.parse.cache import FactsCache
from rust_triage.parse.facts import FileFacts
from rust_triage.parse.queries import QuerySpec
from rust_triage.parse.query_gate import specs_for_sources
from rust_triage.workspace.model import ModDecl
from rust_triage.workspace.safepath import DEFAULT_MAX_FILE_SIZE, PathRefused, read_file

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

DEFAULT_MAX_BYTES = DEFAULT_MAX_FILE_SIZE
_BATCH_BYTES = 256 * 1024
_IN_PROCESS_LIMIT = 16  # below this many misses, worker start-up costs more than it saves
# With `jobs=0` (auto), one worker per this many bytes to parse, up to one per CPU: starting a worker
# (fork, imports, grammar, sending results back) costs about what parsing and extracting 0.5 MB saves.
_BYTES_PER_WORKER = 512 * 1024


class ParseOutcome(msgspec.Struct):
    facts: dict[Path, FileFacts] = msgspec.field(default_factory=dict)
    errors: list[FileError] = msgspec.field(default_factory=list)
    cache_hits: int = 0
    parsed: int = 0
    keys: dict[Path, str] = msgspec.field(default_factory=dict)  # cache key of each analysed file's bytes
    mods: dict[Path, list[ModDecl]] = msgspec.field(default_factory=dict)  # each file's `mod` items
    # With `lazy`, a cached file's facts are a `DeferredFacts` until read (one-file runs read few).
    deferred: dict[Path, DeferredFacts] = msgspec.field(default_factory=dict)


class DeferredFacts(msgspec.Struct):
    """Cached facts decoded on first use; extracted again if the entry went missing meanwhile."""

    cache: FactsCache
    key: str
    path: Path
    specs: tuple[QuerySpec, ...]
    extract: Extract
    max_bytes: int
    roots: tuple[str, ...]

    def __call__(self) -> FileFacts:
        found = self.cache.get(self.key)
        if isinstance(found, FileFacts):
            return found
        data, _ = read_source(self.path, str(self.path), self.max_bytes, self.roots)
        return self.extract(data, self.specs) if data is not None else FileFacts()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def auto_jobs(miss_bytes: int, cpus: int | None = None) -> int:
    """Workers worth starting for `miss_bytes` of source: 1 (no pool) for a small crate or a warm run."""
    return max(1, min(cpus or default_jobs(), miss_bytes // _BYTES_PER_WORKER))


def read_source(
    path: Path, display: str, max_bytes: int, roots: tuple[str, ...] = ()
) -> tuple[bytes | None, FileError | None]:
    """The file's bytes through the path policy (inside `roots`, regular, at most `max_bytes`)."""
    try:
        data = read_file(path, roots, max_bytes)
    except PathRefused as refused:
        return None, FileError(display, refused.kind, refused.reason)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, FileError(display, "invalid-utf8", f"not valid UTF-8 at byte {exc.start}; skipped", line)
    return data, None


def combined_query_or_usage_error(specs: tuple[QuerySpec, ...]) -> None:
    """Compile the combined query; if the installed grammar rejects it, a usage error naming the part.

    Shipped rules' queries are not compiled one by one at load (tests do that), so a grammar that renamed
    a node shows here, before any file is extracted, instead of as one error per file."""
    from rust_triage.parse.queries import CORE_QUERY, check_query, compile_queries
    from rust_triage.parse.registry import all_extractors

    try:
        compile_queries(specs)
    except Exception as exc:  # tree-sitter raises QueryError or NameError/SyntaxError subclasses
        raise_if_interrupted()
        parts = [("the core patterns", CORE_QUERY), *((f"rule {s.rule}", s.query) for s in specs),
                 *((f"the {e.name} extractor", e.query) for e in all_extractors() if e.query)]
        for owner, source in parts:
            error = check_query(source)
            if error:
                raise UsageError(f"{owner}: invalid tree-sitter query for the installed grammar "
                                 f"(tree-sitter-rust): {error}") from None
        raise UsageError(f"the combined tree-sitter query does not compile: {exc}") from None


def extract_rust(data: bytes, specs: tuple[QuerySpec, ...]) -> FileFacts:
    from rust_triage.parse.extract import extract_file

    return extract_file(data, specs)


# An extractor: (source bytes, query specs) -> facts. Module-level so worker processes can run it.
Extract = Callable[[bytes, tuple[QuerySpec, ...]], Any]


def _extract_batch(
    batch: list[tuple[str, bytes, str]], specs: tuple[QuerySpec, ...], cache: FactsCache, extract: Extract
) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for path, data, key in batch:
        if _stop_requested[0]:
            return []  # the run is being stopped: nothing of this batch is wanted
        try:
            with collector.paused():
                facts = extract(data, specs)
        except RecursionError:
            out.append((path, "nesting too deep to analyse"))
            continue
        except Exception as exc:  # a grammar or extractor failure on one file must not stop the run
            out.append((path, f"{exc.__class__.__name__}: {exc}"))
            continue
        cache.put(key, facts)
        out.append((path, facts))
    return out


_stop_requested = [False]  # in a worker: the parent asked it to stop
_STOP_GRACE = 5.0  # seconds a worker gets to finish the file it is on


def _worker_init() -> None:
    """Workers leave Ctrl-C to the parent (a terminal sends it to the whole process group). The
    parent stops them with SIGTERM, which makes a worker skip the rest of its batch: it finishes the
    file (and cache entry) it is on, and no message to the parent is ever cut short."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)
    gc.enable()  # forked while the parent's collector is paused; a worker pauses it per file itself


def _on_terminate(_signum: int, _frame: object) -> None:
    _stop_requested[0] = True


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """Stop the workers and drop queued work, so neither this run nor the interpreter's exit waits
    for the remaining batches. A worker still busy after `_STOP_GRACE` seconds is killed.

    Further Ctrl-Cs are ignored by then (rust_triage.interrupts): a second KeyboardInterrupt inside
    the executor's shutdown used to deadlock it.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)  # shutdown() forgets it
    for process in processes:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    if manager is not None:
        manager.join(timeout=_STOP_GRACE)
    for process in processes:
        if process.is_alive():
            process.kill()
        process.join(timeout=1)


def _batches(items: list[tuple[str, bytes, str]], jobs: int) -> list[list[tuple[str, bytes, str]]]:
    total = sum(len(d) for _, d, _ in items)
    limit = max(16 * 1024, min(_BATCH_BYTES, total // (jobs * 4) + 1))
    batches: list[list[tuple[str, bytes, str]]] = [[]]
    size = 0
    for entry in items:
        if size >= limit and batches[-1]:
            batches.append([])
            size = 0
        batches[-1].append(entry)
        size += len(entry[1])
    return [b for b in batches if b]


def _extract_misses(
    misses: list[tuple[str, bytes, str]], specs: tuple[QuerySpec, ...], cache: FactsCache, extract: Extract,
    jobs: int, warm_up: Callable[[], None] | None, progress: Callable[[int], None] | None,
) -> list[tuple[str, Any]]:
    """(path, facts or the reason it failed) for each file not in the cache: in this process when there
    are few, else in worker processes."""
    results: list[tuple[str, Any]] = []
    if misses and extract is extract_rust:
        # Rules that cannot match in any of these files stay out of the query: they would find nothing.
        specs = specs_for_sources(specs, (data for _, data, _ in misses))
        combined_query_or_usage_error(specs)  # compiled once here (forked workers inherit it), or exit 2
    if jobs <= 0:
        jobs = auto_jobs(sum(len(data) for _, data, _ in misses))
    if len(misses) <= _IN_PROCESS_LIMIT or jobs <= 1:
        for batch in _batches(misses, 1):
            raise_if_interrupted()
            results.extend(_extract_batch(batch, specs, cache, extract))
            if progress:
                progress(len(batch))
    else:
        if warm_up is not None:
            warm_up()  # import heavy modules once, before forking
        import multiprocessing  # a one-file run starts no pool: not imported there
        from concurrent.futures import ProcessPoolExecutor, as_completed

        method = "fork" if sys.platform.startswith("linux") else "spawn"
        ctx = multiprocessing.get_context(method)
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init)
        try:
            futures = {pool.submit(_extract_batch, b, specs, cache, extract): b for b in _batches(misses, jobs)}
            for fut in as_completed(futures):
                try:
                    part = fut.result()
                except Exception as exc:  # a worker died (e.g. a native parser crashed): report its files
                    reason = f"the parser process failed ({exc.__class__.__name__})"
                    part = [(name, reason) for name, _, _ in futures[fut]]
                results.extend(part)
                if progress:
                    progress(len(part))
                raise_if_interrupted()
        except BaseException:  # Ctrl-C (or anything else): stop the workers now, do not wait for them
            _stop_now(pool)
            raise
        pool.shutdown(wait=True)
    return results


def parse_files(
    paths: list[Path],
    *,
    specs: tuple[QuerySpec, ...],
    cache: FactsCache,
    jobs: int,  # 0: chosen from the amount of work (auto_jobs)
    display: Callable[[Path], str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int], None] | None = None,
    index_scope: str = "",
    extract: Extract = extract_rust,
    error_kind: str = "parse",
    warm_up: Callable[[], None] | None = None,
    roots: tuple[str, ...] = (),
    lazy: bool = False,
) -> ParseOutcome:
    """Facts for every readable file: from the cache when the content is known, else extracted
    (in worker processes when there are many). Unreadable files become per-file errors.

    `lazy`: a file whose size and modification time match the stat index and whose `mod` items are in
    the mods index is not decoded now (`outcome.deferred`)."""
    if collector.frozen_by_runs():  # an earlier run of this process froze its objects (below, and for its rules):
        collector.unfreeze()  # what is garbage now is collected, else every run would leak its reference cycles
        gc.collect()
    outcome = ParseOutcome()
    misses: list[tuple[str, bytes, str]] = []
    by_name: dict[str, Path] = {}
    scope = index_scope or (str(paths[0].parent) if paths else "")
    stat_index = cache.load_stat_index(scope)
    mods_index = cache.load_mods_index(scope) if cache.value_type is FileFacts else {}
    new_index: dict[str, tuple[int, int, str]] = {}
    for path in paths:
        name = str(path)
        try:
            st = path.stat()
            stamp: tuple[int, int] | None = (st.st_size, st.st_mtime_ns)
        except OSError:
            stamp = None
        known = stat_index.get(name)
        if stamp is not None and known is not None and known[:2] == stamp:
            if lazy and known[2] in mods_index:  # decoded when first read
                outcome.deferred[path] = DeferredFacts(cache, known[2], path, specs, extract, max_bytes, roots)
                outcome.mods[path] = mods_index[known[2]]
                hit = True
            else:
                cached = cache.get(known[2])
                if cached is not None:
                    outcome.facts[path] = cached
                hit = cached is not None
            if hit:
                outcome.keys[path] = known[2]
                outcome.cache_hits += 1
                new_index[name] = known
                if progress:
                    progress(1)
                continue
        data, error = read_source(path, display(path), max_bytes, roots)
        if error is not None:
            outcome.errors.append(error)
            continue
        assert data is not None
        key = outcome.keys[path] = cache.key(data)
        if stamp is not None:
            new_index[name] = (stamp[0], stamp[1], key)
        cached = cache.get(key)
        if cached is not None:
            outcome.facts[path] = cached
            outcome.cache_hits += 1
            if progress:
                progress(1)
            continue
        by_name[str(path)] = path
        misses.append((str(path), data, key))
    # No collection from the first extraction on, and the facts frozen at the end: extraction builds no
    # cycles, and the facts live to the end of the run, so neither this phase's collections nor those that
    # follow (module tree, indexes, rules) need scan them (the first full collection used to scan them all).
    with collector.paused():
        results = _extract_misses(misses, specs, cache, extract, jobs, warm_up, progress)
        for name, value in results:
            path = by_name[name]
            if isinstance(value, str):
                outcome.errors.append(FileError(display(path), error_kind, f"could not analyse file: {value}"))
                new_index.pop(name, None)
                outcome.keys.pop(path, None)
            else:
                outcome.facts[path] = value
                outcome.parsed += 1
        if new_index != stat_index:
            cache.save_stat_index(scope, new_index)
        if cache.value_type is FileFacts:  # Rust facts (the Python side's have no `mod` items)
            for path, facts in outcome.facts.items():
                outcome.mods[path] = facts.mods
            new_mods = {outcome.keys[path]: mods for path, mods in outcome.mods.items() if path in outcome.keys}
            if new_mods != mods_index:
                cache.save_mods_index(scope, new_mods)
        gc.freeze()
    return outcome
