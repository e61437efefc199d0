"""`rust-triage fleet --engine dask` on a real dask.distributed LocalCluster: the same results as the local
engine, byte for byte; no process left behind; dask imported by nothing else."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from conftest import DEMO, REPO, run_cli
from test_fleet import interrupt_fleet, make_fleet, processes_with, without_timing

pytest.importorskip("dask.distributed")


def test_local_cluster_gives_the_same_reports_as_the_local_engine(tmp_path: Path) -> None:
    listing = make_fleet(tmp_path)
    marker = f"RT_FLEET_TEST_{uuid.uuid4().hex}"
    reports = {}
    for engine in ("local", "dask"):
        proc = run_cli("fleet", "--list", listing.name, "--engine", engine, "--jobs", "2", "--format", "json",
                       "-o", f"{engine}.json", "--output-dir", f"out-{engine}", "--cache-dir", f"cache-{engine}",
                       cwd=tmp_path, env={marker: "1"})
        assert proc.returncode == 1, proc.stderr
        assert "[7/7]" in proc.stderr and "Traceback" not in proc.stderr
        reports[engine] = json.loads((tmp_path / f"{engine}.json").read_text())
    assert reports["dask"]["timing"]["engine"] == "dask" and reports["dask"]["timing"]["workers"] == 2
    assert reports["local"]["timing"]["engine"] == "local"
    assert json.dumps(without_timing(reports["dask"])) == json.dumps(without_timing(reports["local"]))
    statuses = {e["name"]: e["status"] for e in reports["dask"]["repositories"]}
    assert statuses["ws/delta"] == statuses["ws/missing"] == "failed" and list(statuses.values()).count("ok") == 5
    local_files = sorted(p.name for p in (tmp_path / "out-local").iterdir())
    assert local_files == sorted(p.name for p in (tmp_path / "out-dask").iterdir()) and len(local_files) == 5
    for name in local_files:
        assert (tmp_path / "out-dask" / name).read_bytes() == (tmp_path / "out-local" / name).read_bytes()
    assert processes_with(marker) == []  # the cluster and its workers are gone


def test_ctrl_c_closes_the_cluster(tmp_path: Path) -> None:
    assert interrupt_fleet(tmp_path, "--engine", "dask") == []


def _imports_after(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300)


def test_check_and_the_local_engine_never_import_dask(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom rust_triage.cli import main\n"
        f"rc = main({['check', str(DEMO), '--no-cache', '-q', '-o', str(tmp_path / 'a.txt')]!r})\n"
        f"rc2 = main({['fleet', str(DEMO), '--no-cache', '-q', '-o', str(tmp_path / 'b.txt')]!r})\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
        "print(rc, rc2, loaded)\n"
    )
    proc = _imports_after(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "1 1 []"


def test_missing_dask_is_a_usage_error(tmp_path: Path) -> None:
    code = (
        "import sys\nsys.modules['dask'] = None\nsys.modules['distributed'] = None\n"
        "from rust_triage.cli import main\n"
        f"sys.exit(main({['fleet', str(DEMO), '--engine', 'dask', '--no-cache']!r}))\n"
    )
    proc = _imports_after(code)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == ("rust-triage: error: --engine dask needs dask.distributed, which is not "
                                   "installed: pip install 'rust-triage[fleet]'")


def test_unreachable_scheduler_is_a_usage_error() -> None:
    proc = run_cli("fleet", str(DEMO), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "--no-cache")
    assert proc.returncode == 2, proc.stderr
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in proc.stderr and "Traceback" not in proc.stderr


def test_benchmark_runs_both_engines(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(REPO / "benches" / "bench_fleet.py"), "--repos", "3", "--files", "3",
                           "--jobs", "2", "--out", str(tmp_path / "bench")], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "wrote 3 repositories, 9 files" in proc.stdout and "same results: yes" in proc.stdout
    assert [line.split()[0] for line in proc.stdout.splitlines()[2:4]] == ["local", "dask"]
    assert not (tmp_path / "bench").exists()  # removed without --keep
