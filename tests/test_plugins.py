"""Third-party rules through the `rust_triage.rules` entry point, after a real `pip install`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from rust_triage.cli import main

PLUGIN_PKG = REPO / "tests" / "plugin_pkg"


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """PYTHONPATH holding the plugin, installed with pip (offline, no build isolation) into a target dir."""
    base = tmp_path_factory.mktemp("plugin")
    source = shutil.copytree(PLUGIN_PKG, base / "src", ignore=shutil.ignore_patterns("__pycache__"))
    target = base / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "--quiet", "--target", str(target), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert list(target.glob("*.dist-info/entry_points.txt"))
    paths = [str(target), os.environ.get("PYTHONPATH", "")]
    return {"PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def test_plugin_rule_is_listed(plugin_env: dict[str, str]) -> None:
    proc = run_cli("rules", "--format", "json", env=plugin_env)
    assert proc.returncode == 0, proc.stderr
    rows = {r["id"]: r for r in json.loads(proc.stdout)}
    assert rows["EXT001"]["source"] == "plugin" and rows["EXT001"]["name"] == "too-many-params"
    assert {"builtin", "toml", "plugin"} <= {r["source"] for r in rows.values()}


def test_plugin_rule_reports_and_reads_its_options(plugin_env: dict[str, str], tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    (ws / "Cargo.toml").write_text('[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n')
    (ws / "src" / "lib.rs").write_text(
        "pub fn wide(a: u8, b: u8, c: u8, d: u8, e: u8) -> u8 { a + b + c + d + e }\n"
        "pub fn narrow(a: u8) -> u8 { a }\n"
    )
    proc = run_cli("check", str(ws), "--no-cache", "--format", "json", "--select", "EXT", env=plugin_env)
    findings = json.loads(proc.stdout)["findings"]
    assert [(f["rule"], f["line"], f["message"]) for f in findings] == [
        ("EXT001", 1, "`wide` takes 5 parameters (limit 4)")
    ]
    (ws / "rust-triage.toml").write_text("[rules.too-many-params]\nmax = 5\n")  # options by rule name
    proc = run_cli("check", str(ws), "--no-cache", "--format", "json", "--select", "EXT", env=plugin_env)
    assert proc.returncode == 0 and json.loads(proc.stdout)["findings"] == []


def test_without_the_plugin_its_id_is_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "EXT001"]) == 2
    assert "unknown rule" in capsys.readouterr().err


def test_rules_lists_at_least_twelve_rules_from_two_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) >= 12
    assert {"builtin", "toml"} <= {r["source"] for r in rows}
    assert {"RT001", "RT090", "RT101", "RT102", "RT103", "RT104", "RT105"} <= {r["id"] for r in rows}
