"""`rust-triage cargo`: the command-line face of the diagnostics ingest."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from conftest import FIXTURES, REPO, run_cli

CAPTURED = FIXTURES / "broken" / "counter_crisis.cargo.json"
SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"


def test_markdown_from_captured_json_points_at_definitions() -> None:
    proc = run_cli("cargo", str(FIXTURES / "broken" / "counter_crisis"), "--input", str(CAPTURED))
    assert proc.returncode == 1, proc.stderr  # errors present
    assert "## PATTERN 1: RelaxedCounter lacks methods: get, inc, sub" in proc.stdout
    assert "src/relaxed_counter.rs:" in proc.stdout  # definition site from the symbol graph


def test_json_and_sarif_outputs(tmp_path: Path) -> None:
    proc = run_cli("cargo", str(FIXTURES / "broken" / "counter_crisis"), "--input", str(CAPTURED), "-f", "json")
    data = json.loads(proc.stdout)
    assert data["version"] == 1 and data["summary"]["errors"] > 0
    sarif = run_cli("cargo", str(FIXTURES / "broken" / "counter_crisis"), "--input", str(CAPTURED),
                    "-f", "sarif", "-o", str(tmp_path / "c.sarif"))
    assert sarif.returncode == 1
    log = json.loads((tmp_path / "c.sarif").read_text())
    jsonschema.validate(log, json.loads(SCHEMA.read_text()))
    assert {r["ruleId"] for r in log["runs"][0]["results"]} <= {"RT900", "RT901"}


def test_stdin_truncated_input_is_reported_not_raised() -> None:
    import subprocess
    import sys

    line = '{"reason":"compiler-message","message":{"level":"error","message":"x"'
    proc = subprocess.run([sys.executable, "-m", "rust_triage", "cargo", "--input", "-", "--no-graph"],
                          input=line, capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "not valid JSON" in proc.stderr


def test_run_real_cargo_with_extra_cargo_args(cargo: str, tmp_path: Path) -> None:
    proc = run_cli("cargo", "--run", "--offline", "-f", "json", "--cargo-arg=--quiet", "--cargo-arg=--locked",
                   "--", str(FIXTURES / "broken" / "derive_fields"), env={"CARGO_TARGET_DIR": str(tmp_path / "target")})
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["summary"]["errors"] >= 1
    assert any(p["kind"] == "missing-derive" for p in data["patterns"])


def test_usage_errors_exit_2() -> None:
    assert run_cli("cargo", "--input", "/no/such/file.json", "--no-graph").returncode == 2
    assert run_cli("cargo", "fixtures/demo").returncode == 2  # neither --input nor --run
