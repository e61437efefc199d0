"""Shared test helpers: paths, running the CLI in a subprocess, finding cargo."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
DEMO = FIXTURES / "demo"


def pytest_configure(config: pytest.Config) -> None:
    """Child processes read an empty stdin, whatever the suite was started from: cargo asks `rustc -`
    for target information on its inherited stdin, and stray text on a shared pipe became its input."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)


def cargo_bin() -> str | None:
    found = shutil.which("cargo")
    if found:
        return found
    home = Path.home() / ".cargo" / "bin" / "cargo"
    return str(home) if home.exists() else None


def sigint_as_a_terminal_sends_it() -> None:
    """For `Popen(preexec_fn=...)`: the child starts with SIGINT's default action, as from a shell prompt
    (a suite started in the background of a non-interactive shell hands it down ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "rust_triage", *args],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=600,
    )


@dataclass(frozen=True)
class EditCase:
    """A workspace (`files` under `src/`) and an edit: `old` replaced by `new` in `src/<edited>`."""

    files: dict[str, str]
    edited: str
    old: str
    new: str


def reports_around_an_edit(tmp: Path, files: dict[str, str], edited: str, old: str, new: str, count: int = 1,
                           manifest: str = "", top: dict[str, str] | None = None) -> tuple[bytes, bytes, bytes]:
    """A one-package workspace of `files` (under `src/`; `top`: beside Cargo.toml, which ends with `manifest`):
    the JSON report of a first cached run, then, after `old` is replaced by `new` in `edited` (a path from
    the root; `count` times, -1: everywhere), of a cached and a `--no-cache` run."""
    root, cache = tmp / "ws", tmp / "cache"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "case"\nversion = "0.1.0"\nedition = "2021"\n' + manifest)
    for name, text in files.items():
        (root / "src" / name).write_text(text)
    for name, text in (top or {}).items():
        (root / name).write_text(text)

    def report(out: str, *cache_args: str) -> bytes:
        proc = run_cli("check", str(root), "--format", "json", "--jobs", "1", "-o", str(tmp / out), *cache_args)
        assert proc.returncode in (0, 1), proc.stderr
        assert not proc.stderr.strip(), proc.stderr
        return (tmp / out).read_bytes()

    first = report("first.json", "--cache-dir", str(cache))
    path = root / edited
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, count))
    return first, report("cached.json", "--cache-dir", str(cache)), report("cold.json", "--no-cache")


# Runs the CLI in this process, then writes the names of the modules it imported.
_IMPORTED = """
import sys
out, sys.argv = sys.argv[1], ["rust-triage", *sys.argv[2:]]
from rust_triage.cli import main
code = main()
with open(out, "w") as f:
    f.write("\\n".join(sorted(sys.modules)))
sys.exit(code)
"""


def modules_imported_by(listing: Path, *args: str) -> list[str]:
    """The modules a CLI run with `args` imported (written to `listing`); the run must end with 0 or 1."""
    proc = subprocess.run([sys.executable, "-c", _IMPORTED, str(listing), *args],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    return listing.read_text().split()


def check_json(*args: str, cwd: Path | None = None) -> dict[str, Any]:
    proc = run_cli("check", *args, "--format", "json", "--no-cache", cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for the `cargo` fixture is a `cargo` test: `-m "not cargo"` deselects it."""
    for item in items:
        if "cargo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.cargo)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """The one place that skips real-cargo tests when cargo is not installed."""
    if item.get_closest_marker("cargo") is not None and cargo_bin() is None:
        pytest.skip("cargo is not installed")


@pytest.fixture(scope="session")
def cargo() -> str:
    path = cargo_bin()
    assert path is not None  # tests using this fixture are marked `cargo`, skipped without it
    return path
