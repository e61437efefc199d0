"""`--` ends the options of every command: file names after it are paths, never options."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

BUILD_RS = "fn main() {}\n"
UNWRAP = "pub fn g() -> u8 { None::<u8>.unwrap() }\n"
# File names an attacker can commit: each would be an option without `--`.
HOSTILE = ("--output=build.rs", "--cache-dir=evil.rs", "-o", "-x.rs")


def hostile_crate(root: Path, lib: str = UNWRAP) -> Path:
    """A crate whose committed file names look like options, next to `evil.rs/` (a would-be cache dir)."""
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "hostile"\nversion = "0.1.0"\nedition = "2021"\n\n'
                                     '[package.metadata.rust-triage]\nselect = ["RT0"]\n')
    (root / "build.rs").write_text(BUILD_RS)
    (root / "src" / "lib.rs").write_text(lib)  # reported only when the whole crate is analysed
    (root / "evil.rs").mkdir()
    (root / "evil.rs" / "README").write_text("not a cache\n")
    for name in HOSTILE:
        (root / name).write_text(UNWRAP)
    git = shutil.which("git")
    if git is not None:
        for args in (["init", "-q"], ["add", "-A"]):
            subprocess.run([git, *args], cwd=root, check=True, capture_output=True, timeout=60)
    return root


def assert_untouched(root: Path, *created: str) -> None:
    """build.rs and the hostile files as written, `evil.rs/` unused, nothing new but `created`."""
    expected = {".git", "Cargo.toml", "build.rs", "src", "evil.rs", *HOSTILE, *created}
    assert {p.name for p in root.iterdir()} <= expected | {"target"}
    assert (root / "build.rs").read_text() == BUILD_RS
    assert sorted(p.name for p in (root / "evil.rs").iterdir()) == ["README"]
    for name in HOSTILE:
        assert (root / name).read_text() == UNWRAP


@pytest.mark.parametrize("command", [["check"], []], ids=["check", "implicit-check"])
def test_file_names_after_double_dash_are_paths(tmp_path: Path, command: list[str]) -> None:
    root = hostile_crate(tmp_path / "crate")
    env = {"RUST_TRIAGE_CACHE_DIR": str(tmp_path / "cache")}
    proc = run_cli(*command, "--format", "json", "--", *HOSTILE, cwd=root, env=env)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    unwraps = {f["file"] for f in report["findings"] if f["rule"] == "RT001"}
    assert unwraps == {"--output=build.rs", "--cache-dir=evil.rs", "-x.rs"}  # `-o` is not Rust source
    assert all(f["file"] in HOSTILE for f in report["findings"])  # only the named files, not `src/lib.rs`
    assert_untouched(root)


def test_text_output_as_the_hook_runs_it(tmp_path: Path) -> None:
    root = hostile_crate(tmp_path / "crate")
    proc = run_cli("check", "--", *HOSTILE, cwd=root, env={"RUST_TRIAGE_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 1, proc.stderr
    assert "--output=build.rs" in proc.stdout and "RT001" in proc.stdout
    assert "src/lib.rs" not in proc.stdout
    assert_untouched(root)


def test_options_before_double_dash_still_apply(tmp_path: Path) -> None:
    root = hostile_crate(tmp_path / "crate")
    proc = run_cli("check", "-o", "report.json", "-f", "json", "--no-cache", "--", "-x.rs", cwd=root)
    assert proc.returncode == 1, proc.stderr
    assert {f["file"] for f in json.loads((root / "report.json").read_text())["findings"]} == {"-x.rs"}
    assert_untouched(root, "report.json")


def test_an_option_after_double_dash_is_a_missing_path(tmp_path: Path) -> None:
    root = hostile_crate(tmp_path / "crate")
    proc = run_cli("check", "--", "--fail-on", "high", cwd=root)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "rust-triage: error: path not found: --fail-on (arguments after `--` are paths; options go before it)"
    ]


def test_cargo_path_after_double_dash_and_cargo_args_need_run(tmp_path: Path) -> None:
    proc = run_cli("cargo", "--input", "-", "--no-graph", "--", "--quiet")
    assert proc.returncode == 2
    assert "path not found" in proc.stderr and "--cargo-arg" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("cargo", "--input", os.devnull, "--cargo-arg=--quiet", "--no-graph")
    assert proc.returncode == 2 and "--cargo-arg needs --run" in proc.stderr


@pytest.mark.skipif(not hasattr(os, "umask"), reason="POSIX permissions")
def test_report_file_honours_the_umask(tmp_path: Path) -> None:
    root = hostile_crate(tmp_path / "crate")
    old = os.umask(0o022)
    try:
        proc = run_cli("check", "--no-cache", "-f", "json", "-o", "report.json", "--", "src/lib.rs", cwd=root)
    finally:
        os.umask(old)
    assert proc.returncode == 1, proc.stderr
    assert (root / "report.json").stat().st_mode & 0o777 == 0o644


def test_each_command_parses_alone_and_unknown_ones_list_all() -> None:
    """A run builds only its own command's parser; every command still has one, and a wrong name lists them."""
    from rust_triage.cli import COMMANDS

    for module in COMMANDS:
        command = run_cli(module.replace("_", "-"), "--help")
        assert command.returncode == 0, (module, command.stderr)
        assert f"usage: rust-triage {module.replace('_', '-')}" in command.stdout
    wrong = run_cli("chekc")
    assert wrong.returncode == 2
    for module in COMMANDS:
        assert f"'{module.replace('_', '-')}'" in wrong.stderr
