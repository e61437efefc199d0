"""The cargo-ingest benchmark: its generator makes valid, deterministic cargo JSON; the script runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from rust_triage.families.compiler import ingest

BENCHES = Path(__file__).resolve().parent.parent / "benches"
sys.path.insert(0, str(BENCHES))

from cargo_diagnostics_gen import generate  # noqa: E402


def test_generator_is_deterministic_and_readable(tmp_path: Path) -> None:
    lines = list(generate(600, duplicates=0.25, seed=3))
    assert lines == list(generate(600, duplicates=0.25, seed=3))
    assert all(isinstance(json.loads(line), dict) for line in lines)
    result, patterns = ingest(lines, tmp_path)
    assert result.errors == [] and result.stats["compiler_messages"] == 600
    assert 300 < len(result.diagnostics) < 600 and result.stats["duplicates"] == 600 - len(result.diagnostics)
    kinds = {pattern.kind for pattern in patterns}
    assert {"missing-method", "missing-derive", "type-mismatch", "missing-fields", "private-item",
            "warning"} <= kinds
    assert sum(pattern.count for pattern in patterns) == len(result.diagnostics)


def test_bench_script_prints_its_figure() -> None:
    proc = subprocess.run([sys.executable, str(BENCHES / "bench_cargo_ingest.py"), "--count", "3000",
                           "--repeat", "1"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert re.match(r"3000 messages \(\d+ MB, 3000 unique, \d+ patterns\): read \d+\.\d\d s \+ group "
                    r"\d+\.\d\d s = \d+\.\d\d s \(cpu \d+\.\d\d s\) \[(OK|SLOW), budget 2\.0 s per 100k\]", proc.stdout), proc.stdout
