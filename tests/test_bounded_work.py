"""Bounded work: inputs that used to hang or take super-linear time finish, each in a fresh CLI process.

The inputs come from benches/pathological.py (which also times them). Each run has a generous
timeout: the point is that it finishes, not how fast.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "benches"))
import pathological  # noqa: E402

TIMEOUT = 60


def check(root: Path, *extra: str, timeout: float = TIMEOUT) -> dict:
    """The JSON report of `check root`; fails (instead of hanging) when it takes over `timeout` s."""
    out = root / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "rust_triage", "check", str(root), "--no-cache", "--jobs", "1",
         "--format", "json", "-o", str(out), *extra],
        capture_output=True, text=True, timeout=timeout,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(out.read_text())


def test_private_helpers_in_a_cycle_get_a_split_proposal(tmp_path: Path) -> None:
    root = pathological.write_case("helper_cycle", tmp_path / "ws")
    report = check(root, "--select", "RT210")
    (finding,) = [f for f in report["findings"] if f["rule"] == "RT210"]
    modules = finding["detail"]["proposal"]["modules"]
    holding = [m["name"] for m in modules if {"ha", "hb", "hc"} & {it["name"] for it in m["items"]}]
    kept = {it["name"] for it in finding["detail"]["proposal"]["keep"]}
    # the three helpers only use each other: they move together (or all stay)
    assert len(holding) == 1 or {"ha", "hb", "hc"} <= kept
