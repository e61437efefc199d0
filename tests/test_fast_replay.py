"""An unchanged `check` replays its saved report before loading any rule or grammar; any change to what
the report came from falls back to a real run, whose report is the one a cold run writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DEMO, REPO, run_cli

HEAVY = ("tree_sitter", "networkx", "rich", "rust_triage.families", "rust_triage.pipeline")


def _check(root: Path, cache: Path, out: Path | None) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """A check of `root` (JSON), and the modules the process imported."""
    cmd = [sys.executable, "-X", "importtime", "-m", "rust_triage", "check", str(root), "--format", "json",
           "--cache-dir", str(cache)]
    if out is not None:
        cmd += ["-o", str(out)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    modules = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    return proc, modules


def _report(proc: subprocess.CompletedProcess[str], out: Path | None) -> str:
    return out.read_text() if out is not None else proc.stdout


def _cold(root: Path) -> str:
    proc = run_cli("check", str(root), "--format", "json", "--no-cache")
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.startswith(HEAVY))


def _age(root: Path, seconds: int) -> None:
    """Date every file back (a stamp is not kept while files are younger than a timestamp tick)."""
    when = time.time() - seconds
    for path in root.rglob("*"):
        os.utime(path, (when, when), follow_symlinks=False)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    _age(root, 3600)
    return root


@pytest.mark.parametrize("to_file", [True, False], ids=["output-file", "stdout"])
def test_unchanged_check_replays_without_loading_rules(demo: Path, tmp_path: Path, to_file: bool) -> None:
    cache, out = tmp_path / "cache", (tmp_path / "report.json" if to_file else None)
    first, loaded = _check(demo, cache, out)
    assert "tree_sitter" in loaded
    report = _report(first, out)
    assert report == _cold(demo)
    again, loaded = _check(demo, cache, out)
    assert _heavy(loaded) == []
    assert (again.returncode, _report(again, out)) == (first.returncode, report)


def _edit_body(root: Path) -> None:
    path = root / "crates" / "server" / "src" / "handlers.rs"
    path.write_text(path.read_text().replace("from_millis(5)", "from_millis(7)", 1))


def _new_file(root: Path) -> None:
    (root / "crates" / "core" / "src" / "stray.rs").write_text("pub fn f() { None::<u8>.unwrap(); }\n")


def _new_directory(root: Path) -> None:
    (root / "crates" / "core" / "src" / "deep").mkdir()
    (root / "crates" / "core" / "src" / "deep" / "stray.rs").write_text("pub fn f() { None::<u8>.unwrap(); }\n")


def _config(root: Path) -> None:
    (root / "rust-triage.toml").write_text('ignore = ["RT201"]\n')


def _delete(root: Path) -> None:
    (root / "crates" / "core" / "src" / "metrics.rs").unlink()


def _damage_stamps(root: Path) -> None:
    for stamp in (root.parent / "cache" / "results").glob("replay-*"):
        stamp.write_bytes(stamp.read_bytes()[:-7] + b"garbage")


@pytest.mark.parametrize("change", [_edit_body, _new_file, _new_directory, _config, _delete, _damage_stamps],
                         ids=lambda c: c.__name__.strip("_"))
def test_any_change_falls_back_to_a_real_run(demo: Path, tmp_path: Path, change: Callable[[Path], None]) -> None:
    cache, out = tmp_path / "cache", tmp_path / "report.json"
    _check(demo, cache, out)
    _, loaded = _check(demo, cache, out)
    assert _heavy(loaded) == []  # replayed
    change(demo)
    _age(demo, 1800)
    after, loaded = _check(demo, cache, out)
    assert "rust_triage.pipeline" in loaded  # a real run
    assert _report(after, out) == _cold(demo)


def test_a_file_that_cannot_be_analysed_does_not_stop_the_replay(demo: Path, tmp_path: Path) -> None:
    """A source tree with a file the run reports as an error (here not UTF-8) is replayed all the same."""
    (demo / "crates" / "core" / "src" / "latin1.rs").write_bytes(b"// caf\xe9\npub fn f() {}\n")
    assert _replayed_with_error(demo, tmp_path, "invalid-utf8")


def test_a_python_syntax_error_does_not_stop_the_replay(tmp_path: Path) -> None:
    root = tmp_path / "mixed"
    shutil.copytree(REPO / "fixtures" / "mixed", root)
    (root / "broken.py").write_text("def f(:\n    pass\n")
    assert _replayed_with_error(root, tmp_path, "python-syntax")


def _replayed_with_error(root: Path, tmp_path: Path, kind: str) -> bool:
    """A run that reports a per-file error of `kind` is saved, and the same run again is replayed
    with the same exit code and report."""
    _age(root, 3600)
    cache, out = tmp_path / "cache", tmp_path / "report.json"
    first, _ = _check(root, cache, out)
    report = out.read_text()
    assert kind in report
    again, loaded = _check(root, cache, out)
    assert _heavy(loaded) == []
    return (again.returncode, out.read_text()) == (first.returncode, report)


# Runs the CLI with `tree_stamp` counted, then prints how often the run stamped the tree.
_COUNTED = """
import sys
from rust_triage import fast_replay
calls = []
real = fast_replay.tree_stamp
fast_replay.tree_stamp = lambda *a: calls.append(1) or real(*a)
sys.argv = ["rust-triage", *sys.argv[1:]]
from rust_triage.cli import main
code = main()
print(len(calls), file=sys.stderr)
sys.exit(code)
"""


def test_a_run_after_a_failed_replay_stamps_the_tree_once(demo: Path, tmp_path: Path) -> None:
    """The stamp the replay check took is the run's own (same inputs), so the tree is walked once; and
    that stamp is a true one: the next unchanged run replays."""
    cache, out = tmp_path / "cache", tmp_path / "out.json"

    def counted() -> int:
        proc = subprocess.run([sys.executable, "-c", _COUNTED, "check", str(demo), "--format", "json",
                               "--cache-dir", str(cache), "-o", str(out)], cwd=REPO, capture_output=True, text=True,
                              timeout=600)
        assert proc.returncode in (0, 1), proc.stderr
        return int(proc.stderr.split()[-1])

    assert counted() == 1  # no saved stamp yet: only the run's
    handlers = demo / "crates" / "server" / "src" / "handlers.rs"
    handlers.write_text(handlers.read_text().replace("from_millis(5)", "from_millis(7)", 1))
    _age(demo, 3600)
    assert counted() == 1  # the replay check's stamp, reused by the run
    assert out.read_text() == _cold(demo)
    proc, modules = _check(demo, cache, out)
    assert not _heavy(modules)  # replayed: the reused stamp was saved
    assert out.read_text() == _cold(demo)
