"""The parse cache end to end: warm runs give the same bytes, and planted or damaged entries are misses."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from rust_triage.families.python import PythonRun
from rust_triage.pipeline import Options, analyse

MIXED = FIXTURES / "mixed"  # Rust and Python files: both kinds of cache entries


class _Payload:
    """Unpickling this creates a directory at `marker` (what an attacker's pickle could do instead)."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (self.marker,))


def _report(cache: Path, out: Path, fmt: str = "json") -> bytes:
    args = ["check", str(MIXED), "--format", fmt, "--cache-dir", str(cache), "--jobs", "1", "-o", str(out)]
    # a short timeout: a cache entry must never make the run wait (a FIFO planted in the cache dir)
    proc = subprocess.run([sys.executable, "-m", "rust_triage", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1, proc.stderr  # the fixture has findings
    assert not proc.stderr.strip(), proc.stderr
    return out.read_bytes()


def _cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file())


def _hits(cache: Path) -> tuple[int, int, int]:
    """(Rust files, Rust cache hits, Python cache hits) of an in-process run."""
    analysis = analyse(Options(paths=[MIXED], cache_dir=cache, jobs=1))
    run = analysis.context.get(PythonRun)
    python = run.stats if run is not None else {}
    return int(analysis.stats["files"]), int(analysis.stats["cache_hits"]), int(python.get("cache_hits", 0))


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_warm_run_gives_byte_identical_report(tmp_path: Path, fmt: str) -> None:
    cache = tmp_path / "cache"
    cold = _report(cache, tmp_path / "cold", fmt)
    files, hits, py_hits = _hits(cache)
    assert hits == files > 0 and py_hits > 0  # the warm run reads every file's facts from the cache
    assert _report(cache, tmp_path / "warm", fmt) == cold


def test_planted_pickle_is_never_loaded(tmp_path: Path) -> None:
    cache, marker = tmp_path / "cache", tmp_path / "pwned"
    cold = _report(cache, tmp_path / "report.json")
    planted = _cache_files(cache)
    assert len(planted) > 3  # Rust entries, Python entries, the stat indexes and the replay stamp
    evil = pickle.dumps(_Payload(marker))
    for path in planted:  # every entry and every index the next run (the same command) will look at
        path.write_bytes(evil)
    assert _report(cache, tmp_path / "report.json") == cold
    assert not marker.exists()
    assert all(p.read_bytes() != evil for p in planted)  # rebuilt, so the next run is warm again
    files, hits, py_hits = _hits(cache)
    assert hits == files and py_hits > 0
    assert not marker.exists()


@pytest.mark.parametrize("damage", ["truncate", "fifo", "symlink"])  # more kinds: test_cache_format.py
def test_damaged_entries_are_rebuilt(tmp_path: Path, damage: str) -> None:
    cache, elsewhere = tmp_path / "cache", tmp_path / "elsewhere"
    elsewhere.mkdir()
    cold = _report(cache, tmp_path / "cold.json")
    entries = _cache_files(cache)
    for n, path in enumerate(entries):
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "fifo":
            path.unlink()
            os.mkfifo(path)
        else:  # a link to a copy of another file's entry, outside the cache: followed, it gives wrong facts
            other = entries[(n + 1) % len(entries)]
            (elsewhere / str(n)).write_bytes(other.read_bytes())
    if damage == "symlink":
        for n, path in enumerate(entries):
            path.unlink()
            path.symlink_to(elsewhere / str(n))
    assert _report(cache, tmp_path / "after.json") == cold
    files, hits, _ = _hits(cache)
    assert hits == files
