"""The per-rule, per-file time budget: a rule that runs away on one file becomes an error for that
file, the rule's findings elsewhere are kept, and the run finishes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

RUNAWAY_RULE = '''
from rust_triage.engine.model import RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule


class Runaway(Rule):
    meta = RuleMeta(id="EXT900", name="runaway", category="style", severity="low",
                    summary="one finding per file; never ends on files named slow*",
                    docs=RuleDocs(what="-", why="-", example="-", fix="-", suppress="-"))

    def check(self, ctx):
        for src in ctx.files:
            while "slow" in src.rel:
                try:
                    sum(range(1000))
                except Exception:  # a rule's own error handling must not swallow the stop
                    pass
            yield ctx.finding(self.meta, src, 1, 1, "seen")


RULES = [Runaway()]
'''


def plugin_path(root: Path) -> Path:
    """A rule package on a path entry, found through its real entry point (dist-info metadata)."""
    site = root / "site"
    (site / "rt_runaway").mkdir(parents=True)
    (site / "rt_runaway" / "__init__.py").write_text(RUNAWAY_RULE)
    info = site / "rt_runaway-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: rt-runaway\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[rust_triage.rules]\nrunaway = rt_runaway:RULES\n")
    return site


def workspace(root: Path, budget: object) -> Path:
    ws = root / "ws"
    (ws / "src").mkdir(parents=True)
    (ws / "Cargo.toml").write_text('[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n')
    (ws / "rust-triage.toml").write_text(f"rule-time-budget = {budget}\n")
    (ws / "src" / "lib.rs").write_text("mod fast;\nmod slow;\nmod zed;\n")
    for name in ("fast", "slow", "zed"):
        (ws / "src" / f"{name}.rs").write_text("pub fn f() {}\n")
    return ws


def run(ws: Path, site: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH")) if p)}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "rust_triage", "check", str(ws), "--no-cache", "--select", "EXT900",
                           "--format", "json", *extra], capture_output=True, text=True, env=env, timeout=60)
    return proc, time.monotonic() - started


def test_runaway_rule_is_stopped_per_file(tmp_path: Path) -> None:
    proc, _ = run(workspace(tmp_path, 1), plugin_path(tmp_path))
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert sorted(f["file"] for f in report["findings"]) == ["src/fast.rs", "src/lib.rs", "src/zed.rs"]
    (error,) = report["errors"]
    assert error["file"] == "src/slow.rs" and error["kind"] == "rule-timeout"
    assert "EXT900" in error["message"] and "rule-time-budget" in error["message"]


@pytest.mark.parametrize("bad", ['"soon"', "-1", "true"])
def test_budget_must_be_a_number_of_seconds(tmp_path: Path, bad: str) -> None:
    proc, _ = run(workspace(tmp_path, bad), plugin_path(tmp_path))
    assert proc.returncode == 2
    assert "rule-time-budget" in proc.stderr and "number of seconds" in proc.stderr
    assert "Traceback" not in proc.stderr
