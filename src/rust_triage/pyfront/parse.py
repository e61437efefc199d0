"""Parse Python files like the Rust side: read and validate, look up the cache, extract misses in workers."""

from __future__ import annotations

import multiprocessing
import pickle
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rust_triage.errors import FileError
from rust_triage.parse.cache import FactsCache
from rust_triage.parse.pool import DEFAULT_MAX_BYTES, read_source
from rust_triage.pyfront.facts import EXTRACT_VERSION, PyFacts

_IN_PROCESS_LIMIT = 16  # below this many misses, worker start-up costs more than it saves
_BATCH_FILES = 24


class PyFactsCache(FactsCache):
    """The Rust facts cache's directory and key scheme, holding PyFacts (a different salt keeps them apart)."""

    def get(self, key: str) -> PyFacts | None:  # type: ignore[override]
        if self.directory is None:
            return None
        try:
            with open(self._path(key), "rb") as fh:
                value = pickle.load(fh)
        except Exception:  # missing, truncated, from another version: rebuild
            return None
        return value if isinstance(value, PyFacts) else None


def cache_salt() -> str:
    try:
        libcst_version = version("libcst")
    except PackageNotFoundError:
        libcst_version = "unknown"
    return f"python;libcst={libcst_version};extract={EXTRACT_VERSION}"


@dataclass(slots=True)
class PyParseOutcome:
    facts: dict[Path, PyFacts] = field(default_factory=dict)
    errors: list[FileError] = field(default_factory=list)
    cache_hits: int = 0
    parsed: int = 0


def _extract_batch(batch: list[tuple[str, bytes, str]], cache: PyFactsCache) -> list[tuple[str, PyFacts | str]]:
    from rust_triage.pyfront.extract import extract_python

    out: list[tuple[str, PyFacts | str]] = []
    for path, data, key in batch:
        try:
            facts = extract_python(data)
        except RecursionError:
            out.append((path, "nesting too deep to analyse"))
            continue
        except Exception as exc:  # one unusual file must not stop the run
            out.append((path, f"{exc.__class__.__name__}: {exc}"))
            continue
        cache.put(key, facts)  # type: ignore[arg-type]
        out.append((path, facts))
    return out


def parse_python_files(
    paths: list[Path],
    *,
    cache: PyFactsCache,
    jobs: int,
    display: Callable[[Path], str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    index_scope: str = "",
) -> PyParseOutcome:
    outcome = PyParseOutcome()
    misses: list[tuple[str, bytes, str]] = []
    by_name: dict[str, Path] = {}
    scope = "python:" + (index_scope or (str(paths[0].parent) if paths else ""))
    stat_index = cache.load_stat_index(scope)  # unchanged files (size, mtime) skip reading and hashing
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
            cached = cache.get(known[2])
            if cached is not None:
                outcome.facts[path] = cached
                outcome.cache_hits += 1
                new_index[name] = known
                continue
        data, error = read_source(path, display(path), max_bytes)
        if error is not None:
            outcome.errors.append(error)
            continue
        assert data is not None
        key = cache.key(data)
        if stamp is not None:
            new_index[name] = (stamp[0], stamp[1], key)
        cached = cache.get(key)
        if cached is not None:
            outcome.facts[path] = cached
            outcome.cache_hits += 1
            continue
        by_name[str(path)] = path
        misses.append((str(path), data, key))
    batches = [misses[i : i + _BATCH_FILES] for i in range(0, len(misses), _BATCH_FILES)]
    results: list[tuple[str, PyFacts | str]] = []
    if len(misses) <= _IN_PROCESS_LIMIT or jobs <= 1:
        for batch in batches:
            results.extend(_extract_batch(batch, cache))
    else:
        import rust_triage.pyfront.extract  # noqa: F401  (import libcst once, before forking)

        method = "fork" if sys.platform.startswith("linux") else "spawn"
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method)) as pool:
            futures = {pool.submit(_extract_batch, b, cache): b for b in batches}
            for fut in as_completed(futures):
                try:
                    results.extend(fut.result())
                except Exception as exc:  # a worker died (e.g. the native parser crashed): report its files
                    reason = f"the parser process failed ({exc.__class__.__name__})"
                    results.extend((name, reason) for name, _, _ in futures[fut])
    if new_index != stat_index:
        cache.save_stat_index(scope, new_index)
    for name, value in results:
        path = by_name[name]
        if isinstance(value, str):
            outcome.errors.append(FileError(display(path), "python-parse", f"could not analyse Python file: {value}"))
        else:
            outcome.facts[path] = value
            outcome.parsed += 1
    return outcome
