"""Extraction leaves no reference cycles behind: what it builds is freed by reference counting as soon as
a file is done (the parse pool pauses the cyclic collector while a file is extracted)."""

from __future__ import annotations

import gc
import subprocess
import sys
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


def test_the_cli_start_up_is_frozen_once_and_the_analysis_collects_its_young_objects_less_often() -> None:
    """What start-up built (modules, rules) lives to the end: the first resume freezes it, so no
    collection of the run scans it; the youngest generation is collected every 5000 allocations."""
    code = (
        "import gc\n"
        "from rust_triage import collector\n"
        "collector.pause()\n"
        "import rust_triage.pipeline\n"
        "collector.resume()\n"
        "first, young, by_runs = gc.get_freeze_count(), gc.get_threshold()[0], collector.frozen_by_runs()\n"
        "collector.pause()\n"
        "collector.resume()\n"  # a second run of the same process freezes nothing more
        "print(first, gc.get_freeze_count(), young, by_runs, gc.isenabled())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert int(out[0]) > 10_000
    assert out[1] == out[0]
    assert out[2:] == ["5000", "False", "True"]
