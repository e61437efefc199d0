"""RT220 (embedded test modules, with plans that compile once applied) and RT230-RT234 (test organization)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, check_json

from rust_triage.engine.registry import load_registry
from rust_triage.pipeline import Options, analyse

WORKSPACE = FIXTURES / "debt"
TESTORG = "crates/testorg/"


@pytest.fixture(scope="module")
def report() -> dict:
    return check_json(str(WORKSPACE), "--select", "RT22,RT23")


def keys(report: dict, rule: str) -> set[tuple[str, int]]:
    return {(f["file"], f["line"]) for f in report["findings"] if f["rule"] == rule}


def finding(report: dict, rule: str, file: str, line: int) -> dict:
    return next(f for f in report["findings"] if (f["rule"], f["file"], f["line"]) == (rule, file, line))


def test_embedded_test_modules_exact(report: dict) -> None:
    assert keys(report, "RT220") == {
        ("crates/placeholders/src/strings.rs", 28),
        ("crates/sizes/src/engine.rs", 1025),
        (TESTORG + "src/counter.rs", 38),  # nested in `pub mod limits`
        (TESTORG + "src/counter.rs", 49),
        (TESTORG + "src/math.rs", 17),
        (TESTORG + "src/secret.rs", 21),
    }
    f = finding(report, "RT220", TESTORG + "src/math.rs", 17)
    assert (f["detail"]["lines"], f["detail"]["tests"], f["in_test"]) == (13, 2, True)
    assert f["symbol"] == "crate::math::tests"


def test_public_api_tests_go_to_tests_dir(report: dict) -> None:
    plan = finding(report, "RT220", TESTORG + "src/math.rs", 17)["detail"]["plan"]
    assert plan["form"] == "integration"
    assert plan["target"] == TESTORG + "tests/math.rs"
    assert plan["integration"]["import"] == "use testorg::math::*;"
    assert plan["private_items_used"] == []
    assert plan["in_crate"]["path"] == TESTORG + "src/math/tests.rs"
    nested = finding(report, "RT220", TESTORG + "src/counter.rs", 38)["detail"]["plan"]
    assert nested["target"] == TESTORG + "tests/counter_limits.rs"
    assert nested["integration"]["import"] == "use testorg::counter::limits::*;"
    assert nested["in_crate"]["path"] == TESTORG + "src/counter/limits/tests.rs"


def test_private_items_force_the_in_crate_form(report: dict) -> None:
    counter = finding(report, "RT220", TESTORG + "src/counter.rs", 49)["detail"]["plan"]
    assert counter["form"] == "in-crate"
    assert counter["target"] == TESTORG + "src/counter/tests.rs"
    assert counter["in_crate"]["replace_with"] == "#[cfg(test)]\nmod tests;"
    assert [p["name"] for p in counter["private_items_used"]] == ["Counter::reset"]
    secret = finding(report, "RT220", TESTORG + "src/secret.rs", 21)
    plan = secret["detail"]["plan"]
    assert plan["target"] == TESTORG + "src/secret/unit.rs"  # the module is called `unit`
    assert plan["in_crate"]["replace_with"] == "#[cfg(test)]\nmod unit;"
    assert [(p["name"], p["kind"]) for p in plan["private_items_used"]] == [("Vault.key", "field"), ("checksum", "fn")]
    assert "module `crate::secret` is not `pub`" in plan["reasons_in_crate"]
    assert "src/secret/unit.rs" in secret["fix_hint"]


def apply_extraction(root: Path, f: dict) -> None:
    """Do what an RT220 plan says, on a copy of the workspace."""
    path = root / f["file"]
    lines = path.read_text().splitlines()
    first, last = f["line"], f["end_line"]  # `mod name {` ... `}`
    indent = len(lines[first - 1]) - len(lines[first - 1].lstrip())
    body = [line[indent + 4:] if line.strip() else "" for line in lines[first: last - 1]]
    plan = f["detail"]["plan"]
    if plan["form"] == "integration":
        body = [plan["integration"]["import"] if line.strip() == "use super::*;" else line for line in body]
        replacement: list[str] = []
        first -= 1  # the #[cfg(test)] line goes too
        target = root / plan["integration"]["path"]
    else:
        replacement = [" " * indent + f"mod {f['detail']['module']};"]
        target = root / plan["in_crate"]["path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(body) + "\n")
    path.write_text("\n".join(lines[: first - 1] + replacement + lines[last:]) + "\n")


def test_applied_plans_compile(report: dict, cargo: str, tmp_path: Path) -> None:
    copy = tmp_path / "ws"
    shutil.copytree(WORKSPACE, copy, ignore=shutil.ignore_patterns("target"))
    plans = sorted((f for f in report["findings"] if f["rule"] == "RT220"), key=lambda f: (f["file"], -f["line"]))
    for f in plans:  # bottom-up, so earlier line numbers stay valid
        apply_extraction(copy, f)
    assert (copy / TESTORG / "tests/math.rs").exists()
    assert (copy / TESTORG / "src/secret/unit.rs").exists()
    env = {**os.environ, "CARGO_TARGET_DIR": str(tmp_path / "target")}
    proc = subprocess.run([cargo, "check", "--offline", "--workspace", "--tests", "--quiet"], cwd=copy,
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    after = check_json(str(copy), "--select", "RT220")
    assert after["findings"] == []


def test_untested_modules_exact(report: dict) -> None:
    assert keys(report, "RT230") == {
        ("crates/placeholders/src/store.rs", 1),
        ("crates/placeholders/src/stubs.rs", 1),
        ("crates/sizes/src/report.rs", 1),
        (TESTORG + "src/storage.rs", 1),
    }
    f = finding(report, "RT230", TESTORG + "src/storage.rs", 1)
    assert f["detail"]["pub_items"] == ["Disk"]
    assert f["detail"]["suggested_test_file"] == TESTORG + "tests/storage.rs"
    # not reported: math (unit tests), text (integration test names `shout`), secret (unit tests),
    # shapes (doctest), settings (data only), counter (unit tests), no_tests (RT231 instead)


def test_crate_without_tests(report: dict) -> None:
    assert keys(report, "RT231") == {("crates/no_tests/Cargo.toml", 1)}
    assert finding(report, "RT231", "crates/no_tests/Cargo.toml", 1)["detail"]["package"] == "no_tests"


def test_test_file_without_tests(report: dict) -> None:
    # harness.rs has its own main (harness = false); uat/main.rs has its tests in a submodule
    assert keys(report, "RT232") == {(TESTORG + "tests/helpers_only.rs", 1)}
    f = finding(report, "RT232", TESTORG + "tests/helpers_only.rs", 1)
    assert f["detail"]["fns"] == ["adds_small_numbers"]


def test_tests_without_assertion(report: dict) -> None:
    assert keys(report, "RT233") == {
        (TESTORG + "src/math.rs", 26),  # smoke: `let _ = mul(2, 3);`
        (TESTORG + "tests/smoke.rs", 40),  # does_nothing
        (TESTORG + "tests/smoke.rs", 45),  # returns Ok(()) without a `?`
    }
    # asserting helper fn, asserting macro, #[should_panic], `?` in a Result test, .unwrap(): all fine
    assert finding(report, "RT233", TESTORG + "tests/smoke.rs", 40)["symbol"] == "crate::does_nothing"


def run_rt234(options: dict) -> list:
    analysis = analyse(Options(paths=[WORKSPACE / "crates" / "testorg"], no_cache=True, select=["RT234"]))
    analysis.context.config.rule_options["RT234"] = options
    return list(load_registry().by_id()["RT234"].check(analysis.context))


def test_missing_test_category_is_off_by_default(report: dict) -> None:
    assert run_rt234({}) == []


def test_missing_test_categories() -> None:
    found = {f.detail["module"]: f.detail["missing"] for f in run_rt234({"categories": ["sanity", "uat"]})
             if f.file.startswith(TESTORG)}
    assert found == {
        "crate::counter": ["sanity", "uat"],
        "crate::math": ["uat"],  # tests/sanity_math.rs
        "crate::secret": ["sanity", "uat"],
        "crate::settings": ["sanity", "uat"],
        "crate::shapes": ["sanity", "uat"],
        "crate::storage": ["sanity", "uat"],
        "crate::text": ["sanity"],  # tests/uat/text_flow.rs
    }
    one = run_rt234({"categories": ["uat"]})
    assert {f.file for f in one if f.detail["module"] == "crate::counter"} == {TESTORG + "src/counter.rs"}


def test_test_rules_see_test_code(report: dict) -> None:
    registry = load_registry().by_id()
    for rule in ("RT220", "RT230", "RT231", "RT232", "RT233", "RT234"):
        assert registry[rule].meta.tests_in_scope
    assert all(f["category"] == "tests" for f in report["findings"])


def test_options_from_a_configuration_file(tmp_path: Path) -> None:
    copy = tmp_path / "ws"
    shutil.copytree(WORKSPACE, copy, ignore=shutil.ignore_patterns("target"))
    (copy / "rust-triage.toml").write_text(
        '[thresholds]\noversized-file-lines = 2000\n\n'
        '[rules.RT234]\ncategories = ["sanity", "uat"]\n\n'
        '[rules.RT201]\nphrases = ["hack"]\nextra-phrases = ["linear scan"]\n'
    )
    report = check_json(str(copy), "--select", "RT234,RT210,RT201")
    rules = {f["rule"] for f in report["findings"]}
    assert "RT210" not in rules  # threshold raised above engine.rs
    assert {f["detail"]["module"] for f in report["findings"] if f["rule"] == "RT234"} >= {"crate::storage"}
    rt201 = [f for f in report["findings"] if f["rule"] == "RT201"]
    assert [(f["detail"]["phrase"], f["detail"]["phrases"]) for f in rt201] == [("hack", ["hack", "linear scan"])]
