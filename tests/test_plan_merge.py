"""Static findings and compiler errors describing the same fix site are one task, not two."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES, run_cli

FIXTURE = FIXTURES / "broken" / "derive_fields"
CARGO_JSON = FIXTURES / "broken" / "derive_fields.cargo.json"


def _without_file(tmp_path: Path, dropped: str) -> Path:
    """The cargo JSON minus the diagnostics whose primary span is in `dropped` (as if cargo stopped early)."""
    out = tmp_path / "partial.json"
    kept = []
    for line in CARGO_JSON.read_text().splitlines():
        message = json.loads(line).get("message") or {}
        spans = [s for s in message.get("spans", []) if s.get("is_primary")]
        if spans and spans[0]["file_name"] == dropped:
            continue
        kept.append(line)
    out.write_text("\n".join(kept) + "\n")
    return out


def _plan(*args: str) -> dict:
    proc = run_cli("plan", str(FIXTURE), "--no-cache", "-j", "1", "--format", "json", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_static_derive_sites_join_the_compiler_pattern_of_the_same_definition(tmp_path: Path) -> None:
    plan = _plan("--cargo-json", str(_without_file(tmp_path, "src/engine.rs")))
    p0 = plan["phases"][0]["tasks"]
    committee = [t for t in p0 if {"file": "src/metrics.rs", "line": 2} in (t["extra"].get("definitions") or [])]
    assert len(committee) == 1
    (task,) = committee
    assert task["source"] == "cargo" and "RT310" in task["rules"]
    sites = {(f["file"], line) for f in task["files"] for line in f["lines"]}
    assert ("src/engine.rs", 17) in sites  # the static site cargo did not report
    # no second task for the same definition
    static_defs = [t["extra"].get("definition") for t in p0 if t["source"] == "findings"]
    assert {"file": "src/metrics.rs", "line": 2} not in static_defs
    assert any("merged into it" in n for n in plan["notes"])


def test_without_compiler_output_the_static_root_causes_are_tasks_of_their_own() -> None:
    plan = _plan()
    titles = [t["title"] for t in plan["phases"][0]["tasks"]]
    assert any(t.startswith("Derive Clone, Debug on `CommitteeMetrics`") for t in titles), titles
    assert any(t.startswith("Update the literals of `OptimizationOutcome`") for t in titles), titles
