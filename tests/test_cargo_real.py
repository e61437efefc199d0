"""Real `cargo check --message-format=json --offline` on the broken fixtures, and the cargo runner.

Set RT_REFRESH_CARGO_CAPTURE=1 to rewrite fixtures/broken/<name>.cargo.json from the live runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_cargo_patterns import BROKEN, EXPECTED, FIXTURE_NAMES, captured_lines, grep_definitions, shape

from rust_triage.errors import UsageError
from rust_triage.families.compiler import CargoError, CargoNotFound, find_cargo, ingest, run_cargo
from rust_triage.families.compiler.runner import cargo_check_command

REFRESH = os.environ.get("RT_REFRESH_CARGO_CAPTURE") == "1"
CAPTURE_ROOT = "/fixture"  # stands for the absolute fixture path in captured manifest/src paths


@pytest.fixture(scope="session")
def target_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cargo-target")


@pytest.fixture(scope="module")
def live(cargo: str, target_dir: Path) -> dict[str, tuple[list[str], list[str]]]:
    """stdout lines and stderr tail of one real check per fixture (run once for the module)."""
    runs: dict[str, tuple[list[str], list[str]]] = {}
    for name in FIXTURE_NAMES:
        run = run_cargo(BROKEN / name, offline=True, target_dir=target_dir, cargo=cargo)
        lines = list(run)
        assert run.returncode == 101, "\n".join(run.stderr_tail)
        runs[name] = (lines, list(run.stderr_tail))
        if REFRESH:
            (BROKEN / f"{name}.cargo.json").write_text(sanitize(lines, BROKEN / name))
    return runs


def sanitize(lines: list[str], root: Path) -> str:
    """Captured JSON that works from any clone: the absolute fixture path becomes /fixture."""
    prefix = root.resolve().as_posix()
    return "".join(line.replace(prefix, CAPTURE_ROOT) + "\n" for line in lines if line.startswith("{"))


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_real_cargo_output_groups_into_the_expected_patterns(live: dict, name: str) -> None:
    root = BROKEN / name
    lines, _ = live[name]
    result, patterns = ingest(lines, root, grep_definitions(root))
    assert result.errors == []
    assert result.stats["build_success"] is False
    assert shape(patterns) == EXPECTED[name]


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_captured_json_is_current(live: dict, name: str) -> None:
    lines, _ = live[name]
    root = BROKEN / name
    _, from_live = ingest(lines, root)
    _, from_capture = ingest(captured_lines(name), root)
    assert shape(from_capture) == shape(from_live), "refresh with RT_REFRESH_CARGO_CAPTURE=1"
    capture = (BROKEN / f"{name}.cargo.json").read_text()
    assert str(BROKEN.resolve()) not in capture


def test_every_fixture_error_lands_in_a_pattern_with_a_fix(live: dict) -> None:
    for name in FIXTURE_NAMES:
        lines, _ = live[name]
        root = BROKEN / name
        result, patterns = ingest(lines, root, grep_definitions(root))
        grouped = sum(p.error_count for p in patterns)
        assert grouped == result.error_count > 0
        assert all(p.kind != "other" and p.fix for p in patterns)


def test_runner_streams_lines_and_progress(cargo: str, target_dir: Path) -> None:
    seen: list[str] = []
    progress: list[str] = []
    run = run_cargo(BROKEN / "counter_crisis" / "Cargo.toml", ["-j", "1"], True, seen.append,
                    on_stderr=progress.append, target_dir=target_dir, cargo=cargo)
    assert "--manifest-path" in run.argv and "--offline" in run.argv and run.argv[-2:] == ["-j", "1"]
    lines = list(run)
    assert lines == seen and lines[-1].startswith('{"reason":"build-finished"')
    assert run.returncode == 101
    assert any("committee" in line for line in progress)


def test_leaving_the_iteration_early_stops_cargo(cargo: str, target_dir: Path) -> None:
    run = run_cargo(BROKEN / "derive_fields", offline=True, target_dir=target_dir, cargo=cargo)
    first = next(run)
    run.close()
    assert first.startswith("{")
    with pytest.raises(StopIteration):
        next(run)


def test_cargo_that_fails_without_json_raises_cargo_error(cargo: str, tmp_path: Path) -> None:
    (tmp_path / "Cargo.toml").write_text("[package\nname = broken\n")
    run = run_cargo(tmp_path, offline=True, target_dir=tmp_path / "target", cargo=cargo)
    with pytest.raises(CargoError, match=r"status 101:\n(?s:.*)Cargo.toml"):
        list(run)


def test_missing_cargo_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(CargoNotFound):
        list(run_cargo(BROKEN / "counter_crisis", cargo=str(tmp_path / "no-cargo-here")))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CARGO_HOME", str(tmp_path))
    monkeypatch.delenv("CARGO", raising=False)
    with pytest.raises(CargoNotFound, match="cargo was not found"):
        find_cargo()


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        cargo_check_command(tmp_path / "nope", cargo="cargo")


def test_command_for_a_directory_uses_its_manifest() -> None:
    argv, cwd = cargo_check_command(BROKEN / "mixed_workspace", ["--features", "x"], offline=False, cargo="cargo")
    assert argv[:6] == ["cargo", "check", "--workspace", "--all-targets", "--message-format=json", "--keep-going"]
    assert "--offline" not in argv
    assert "--keep-going" not in cargo_check_command(BROKEN / "mixed_workspace", cargo="cargo", keep_going=False)[0]
    assert argv[argv.index("--manifest-path") + 1] == str((BROKEN / "mixed_workspace" / "Cargo.toml").resolve())
    assert argv[-2:] == ["--features", "x"] and cwd == (BROKEN / "mixed_workspace").resolve()
