"""Shared test helpers: paths, running the CLI in a subprocess, finding cargo."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

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


def check_json(*args: str, cwd: Path | None = None) -> dict:
    proc = run_cli("check", *args, "--format", "json", "--no-cache", cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


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
