"""`rust-triage check --fix` adds the missing derives: the fixture then compiles, a second run changes
nothing, and only derive attributes change."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, check_json, run_cli

from rust_triage.families.types.oracle import cargo_check

FIXTURE = FIXTURES / "types" / "derive_fix"


def _sources(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.rs"))}


@pytest.fixture(scope="module")
def fixed(cargo: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    ws = tmp_path_factory.mktemp("fix") / "derive_fix"
    shutil.copytree(FIXTURE, ws, ignore=shutil.ignore_patterns("target"))
    target = tmp_path_factory.mktemp("fix-target")
    before = cargo_check(ws, target, cargo)
    assert len(before.errors) >= 10  # the fixture really is broken
    proc = run_cli("check", str(ws), "--no-cache", "--fix", "--select", "RT310,RT311")
    assert proc.returncode in (0, 1), proc.stderr
    return ws, target, proc.stderr


def test_fix_makes_the_fixture_compile(fixed: tuple[Path, Path, str], cargo: str) -> None:
    ws, target, stderr = fixed
    assert "fixed 11 finding(s)" in stderr
    after = cargo_check(ws, target, cargo)
    assert after.errors == []
    assert check_json(str(ws), "--select", "RT3")["findings"] == []


def test_fix_changes_only_derive_attributes(fixed: tuple[Path, Path, str]) -> None:
    ws, _, _ = fixed
    before, after = _sources(FIXTURE), _sources(ws)
    assert before.keys() == after.keys()
    changed = []
    for name in before:
        for line in difflib.unified_diff(before[name].splitlines(), after[name].splitlines(), lineterm="", n=0):
            if line.startswith(("+", "-")) and not line.startswith(("+++", "---")):
                changed.append(line)
    assert changed
    for line in changed:
        body = line[1:].strip()
        assert body.startswith("#[derive(") or body in ("Debug,", "Debug, Clone, Default,"), line


def test_fix_keeps_style_and_indentation(fixed: tuple[Path, Path, str]) -> None:
    ws, _, _ = fixed
    lib = (ws / "src" / "lib.rs").read_text()
    assert "    /// Used as a map key: needs Hash and Eq (and so PartialEq).\n    #[derive(PartialEq, Eq, Hash)]\n    pub struct Key {" in lib
    assert "    #[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]\n    pub struct Rank" in lib
    metrics = (ws / "src" / "metrics.rs").read_text()
    assert "#[derive(\n    Debug, Clone, Default,\n)]\npub struct CacheMetrics" in metrics
    assert "/// Lost `#[derive(Debug, Clone)]`.\n#[derive(Debug, Clone, Default)]\npub struct CommitteeMetrics" in metrics
    # Vec<Vote> is Default whatever Vote is: Vote gets only what CommitteeMetrics' derives need
    assert "#[derive(Debug, Clone)]\npub struct Vote" in metrics
    assert "#[derive(Debug, PartialEq)]\npub enum Phase" in metrics


def test_fix_is_idempotent(fixed: tuple[Path, Path, str]) -> None:
    ws, _, _ = fixed
    first = _sources(ws)
    proc = run_cli("check", str(ws), "--no-cache", "--fix", "--select", "RT3")
    assert "fixed 0 finding(s)" in proc.stderr
    assert _sources(ws) == first


def test_fix_leaves_unsafe_cases_alone(tmp_path: Path) -> None:
    """A derive that could not compile (a field type outside the workspace lacks the trait) is not added."""
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    (ws / "Cargo.toml").write_text('[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n')
    source = (
        "pub struct Guarded {\n    pub lock: std::sync::Mutex<u32>,\n}\n\n"
        "pub fn copy(g: Guarded) -> Guarded {\n    g.clone()\n}\n"
    )
    (ws / "src" / "lib.rs").write_text(source)
    report = check_json(str(ws), "--select", "RT310")
    assert [f["detail"]["fix"] for f in report["findings"]] == [[]]
    assert "implement or derive `Clone`" in report["findings"][0]["fix_hint"]
    proc = run_cli("check", str(ws), "--no-cache", "--fix", "--select", "RT310")
    assert "fixed 0 finding(s)" in proc.stderr
    assert (ws / "src" / "lib.rs").read_text() == source
