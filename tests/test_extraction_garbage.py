"""Extraction leaves no reference cycles behind: what it builds is freed by reference counting as soon as
a file is done (the parse pool pauses the cyclic collector while a file is extracted)."""

from __future__ import annotations

import gc
from pathlib import Path

from rust_triage.engine.registry import load_registry
from rust_triage.parse.extract import extract_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_extracting_files_creates_no_cyclic_garbage() -> None:
    specs = load_registry().query_specs()
    sources = [p.read_bytes() for p in sorted((FIXTURES / "types").rglob("*.rs"))]
    assert len(sources) > 10
    extract_file(sources[0], specs)  # imports, compiled queries and caches are not garbage
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        kept = [extract_file(source, specs) for source in sources]
        unreachable = gc.collect()
    finally:
        if was_enabled:
            gc.enable()
    assert len(kept) == len(sources)
    assert unreachable == 0


def test_repeated_runs_in_one_process_do_not_keep_frozen_garbage() -> None:
    """A run freezes its facts (no collection scans them again); the next run of the same process
    collects what of them became garbage instead of freezing it once more."""
    from rust_triage.pipeline import Options, analyse

    workspace = FIXTURES / "types" / "broken"
    counts = []
    for _ in range(3):
        analyse(Options(paths=[workspace], no_cache=True, jobs=1))
        counts.append(gc.get_freeze_count())
    gc.unfreeze()
    assert counts[2] <= counts[0] * 1.05, counts
