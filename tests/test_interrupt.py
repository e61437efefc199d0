"""Ctrl-C during a run: one or two of them stop it within seconds, with exit status 130, and leave
no partial report or cache files behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, sigint_as_a_terminal_sends_it


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace big enough to be mid-parse a second after the start (about 15 s of work)."""
    out = tmp_path_factory.mktemp("corpus") / "ws"
    proc = subprocess.run([sys.executable, str(REPO / "benches" / "make_corpus.py"), "600", "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.mark.parametrize("signals", [1, 2])
@pytest.mark.parametrize("to_group", [False, True], ids=["process", "group"])
def test_ctrl_c_exits_130_promptly(corpus: Path, tmp_path: Path, signals: int, to_group: bool) -> None:
    report = tmp_path / "out" / "report.json"
    cache = tmp_path / "cache"
    proc = subprocess.Popen(
        [sys.executable, "-m", "rust_triage", "check", str(corpus), "--jobs", "2", "--cache-dir", str(cache),
         "--format", "json", "-o", str(report)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=sigint_as_a_terminal_sends_it,
    )
    try:
        _wait_until_parsing(proc, cache)  # start-up, discovery, workers forked: parsing
        assert proc.poll() is None, "the run ended before it could be interrupted"
        sent = time.monotonic()
        for _ in range(signals):  # a terminal sends Ctrl-C to the whole process group
            os.killpg(proc.pid, signal.SIGINT) if to_group else proc.send_signal(signal.SIGINT)
            time.sleep(0.2)
        _, err = proc.communicate(timeout=10)
        elapsed = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130, err[-2000:]
    assert elapsed < 5, f"took {elapsed:.1f} s to stop"
    assert "interrupted" in err and "Traceback" not in err
    assert not report.parent.exists() or list(report.parent.iterdir()) == []
    leftovers = [p for p in cache.rglob("*") if p.name.endswith(".tmp")] if cache.exists() else []
    assert leftovers == []
    time.sleep(0.5)
    assert _children_of(proc.pid) == []  # no orphaned parse workers


def _wait_until_parsing(proc: subprocess.Popen[str], cache: Path, limit: float = 30.0) -> None:
    """Until the first cache entry is written (workers are extracting), whatever the machine's load:
    a fixed delay could land in the interpreter's start-up on a busy machine."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if cache.exists() and any(p.is_file() for p in cache.rglob("*")):
            return
        time.sleep(0.05)


def _children_of(pid: int) -> list[int]:
    """Processes whose parent is `pid` (or that are still in its process group), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == pid or int(fields[2]) == pid:  # ppid, process group
            found.append(int(entry.name))
    return found
