"""RT3xx against real rustc: on the broken fixtures every judged compiler error is predicted and every
finding is a real error; on the clean fixture cargo is green and rust-triage says nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, check_json, run_cli

from rust_triage.families.types.oracle import CargoCheck, cargo_check, judge, predicted_from_report

TYPES = FIXTURES / "types"


@pytest.fixture(scope="module")
def target_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cargo-target")


def _copy(src: Path, tmp: Path) -> Path:
    dest = tmp / src.name
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("target"))
    return dest


@pytest.fixture(scope="module")
def broken(cargo: str, target_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[CargoCheck, dict]:
    ws = _copy(TYPES / "broken", tmp_path_factory.mktemp("broken"))
    return cargo_check(ws, target_dir, cargo), check_json(str(ws), "--select", "RT3")


@pytest.fixture(scope="module")
def clean(cargo: str, target_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[CargoCheck, Path]:
    ws = _copy(TYPES / "clean", tmp_path_factory.mktemp("clean"))
    return cargo_check(ws, target_dir, cargo), ws


def test_broken_fixture_matches_rustc_exactly(broken: tuple[CargoCheck, dict]) -> None:
    check, report = broken
    predicted = predicted_from_report(report)
    result = judge(predicted, check.errors)
    assert not result.false_positives, result.false_positives
    assert not result.missed, result.missed
    assert len(result.matched) >= 35
    # every deliberate break is a judged error: nothing else went wrong in the fixture
    assert {e.code for e in check.errors} <= {"E0063", "E0560", "E0061", "E0277", "E0599", "E0369"}


def test_broken_fixture_covers_every_rule_and_path_form(broken: tuple[CargoCheck, dict]) -> None:
    _, report = broken
    by_rule = report["summary"]["by_rule"]
    for rule in ("RT301", "RT302", "RT303", "RT310", "RT311"):
        assert by_rule.get(rule, 0) >= 1, rule
    lines = {(f["rule"], f["file"].rsplit("/", 1)[-1], f["line"]) for f in report["findings"]}
    expected = {
        ("RT301", "build.rs", 12),  # renamed import
        ("RT301", "build.rs", 16),  # `pub use ... as` re-export
        ("RT301", "build.rs", 20),  # glob import
        ("RT301", "build.rs", 24),  # type alias
        ("RT301", "build.rs", 28),  # enum struct variant
        ("RT302", "build.rs", 32),  # full path, other crate
        ("RT303", "build.rs", 36),
        ("RT303", "build.rs", 40),  # tuple variant
        ("RT301", "build.rs", 44),  # inside vec![]
        ("RT301", "build.rs", 49),  # super::
        ("RT302", "build.rs", 53),  # crate::
        ("RT301", "local.rs", 12),  # Self { .. }
        ("RT310", "show.rs", 15),  # {p:?}
        ("RT310", "show.rs", 19),  # {value:#?} with value = p
        ("RT310", "show.rs", 28),  # let p = Point::new()
        ("RT310", "show.rs", 48),  # self.point
        ("RT310", "compare.rs", 20),  # enum ==
        ("RT310", "compare.rs", 39),  # HashMap key
        ("RT310", "compare.rs", 50),  # BTreeSet key through self.seen
        ("RT311", "local.rs", 18),
        ("RT311", "local.rs", 35),  # Eq without PartialEq
    }
    assert expected <= lines, expected - lines


def test_findings_name_fields_definition_and_fix(broken: tuple[CargoCheck, dict]) -> None:
    _, report = broken
    by_key = {(f["rule"], f["file"].rsplit("/", 1)[-1], f["line"]): f for f in report["findings"]}
    missing = by_key[("RT301", "build.rs", 28)]
    assert "`label`" in missing["message"] and "Mode::Slow" in missing["message"]
    assert "label: String" in missing["fix_hint"]
    assert missing["related"][0]["file"] == "crates/model/src/config.rs"
    assert missing["detail"]["missing"] == ["label"]
    debug = by_key[("RT310", "show.rs", 11)]
    assert "`Point` does not implement `Debug`" in debug["message"]
    assert "#[derive(Debug)]" in debug["fix_hint"] and "crates/model/src/shapes.rs:2" in debug["fix_hint"]
    assert debug["detail"]["fix"] == [{"file": "crates/model/src/shapes.rs", "line": 2, "type": "Point",
                                      "add": ["Debug"]}]
    key = by_key[("RT310", "compare.rs", 39)]
    assert key["detail"]["trait"] in ("Hash", "Eq")
    assert all(f["confidence"] == "high" for f in report["findings"])


def test_clean_fixture_compiles_and_has_no_findings(clean: tuple[CargoCheck, Path]) -> None:
    check, ws = clean
    assert check.errors == []
    report = check_json(str(ws), "--select", "RT3")
    assert report["findings"] == [], [f["message"] for f in report["findings"]]


def test_clean_fixture_low_confidence_only_for_cfg_gated_field(clean: tuple[CargoCheck, Path], tmp_path: Path) -> None:
    _, ws = clean
    config = tmp_path / "rust-triage.toml"
    config.write_text('min-confidence = "low"\n')
    report = check_json(str(ws), "--select", "RT3", "--config", str(config))
    assert [(f["rule"], f["line"], f["confidence"]) for f in report["findings"]] == [("RT301", 14, "medium")]
    assert "`tls`" in report["findings"][0]["message"]


def test_seed_shaped_fixture_matches_rustc(cargo: str, target_dir: Path, tmp_path: Path) -> None:
    ws = _copy(FIXTURES / "broken" / "derive_fields", tmp_path)
    check = cargo_check(ws, target_dir, cargo)
    report = check_json(str(ws), "--select", "RT3")
    result = judge(predicted_from_report(report), check.errors)
    assert not result.false_positives
    assert not result.missed
    assert len(result.matched) >= 10


def test_default_run_reports_types_in_text(tmp_path: Path) -> None:
    ws = _copy(TYPES / "broken", tmp_path)
    proc = run_cli("check", str(ws), "--no-cache", "--select", "RT301")
    assert proc.returncode == 1
    assert "missing-struct-fields" in proc.stdout and "is missing field `x`" in proc.stdout
    proc = run_cli("check", str(ws), "--no-cache", "--select", "RT301", "--format", "json")
    assert json.loads(proc.stdout)["summary"]["by_rule"] == {"RT301": 8}
