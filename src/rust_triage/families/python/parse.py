"""Parse Python files with the Rust side's pipeline: same validation, cache, stat index and workers."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rust_triage.families.python.facts import EXTRACT_VERSION, PyFacts
from rust_triage.parse.cache import FactsCache
from rust_triage.parse.pool import DEFAULT_MAX_BYTES, ParseOutcome, parse_files
from rust_triage.parse.queries import QuerySpec

PyParseOutcome = ParseOutcome  # .facts maps each path to its PyFacts


class PyFactsCache(FactsCache):
    """The Rust facts cache's directory and key scheme, holding PyFacts (a different salt keeps them apart)."""

    def __init__(self, directory: Path | None, salt: str) -> None:
        super().__init__(directory, salt, value_type=PyFacts)


def cache_salt() -> str:
    try:
        libcst_version = version("libcst")
    except PackageNotFoundError:
        libcst_version = "unknown"
    return f"python;libcst={libcst_version};extract={EXTRACT_VERSION}"


def _extract(data: bytes, _specs: tuple[QuerySpec, ...]) -> PyFacts:
    from rust_triage.families.python.extract import extract_python

    return extract_python(data)


def _warm_up() -> None:
    import rust_triage.families.python.extract  # noqa: F401  (import libcst once, before forking)


def parse_python_files(
    paths: list[Path],
    *,
    cache: PyFactsCache,
    jobs: int,
    display: Callable[[Path], str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    index_scope: str = "",
    roots: tuple[str, ...] = (),
) -> ParseOutcome:
    scope = "python:" + (index_scope or (str(paths[0].parent) if paths else ""))
    return parse_files(
        paths, specs=(), cache=cache, jobs=jobs, display=display, max_bytes=max_bytes,
        index_scope=scope, extract=_extract, error_kind="python-parse", warm_up=_warm_up, roots=roots,
    )
