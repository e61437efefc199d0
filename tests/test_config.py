"""Configuration: where it is found (nearest wins), what it changes, CLI precedence, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from rust_triage.cli import main
from rust_triage.engine.config_load import load_config
from rust_triage.pipeline import Analysis, Options, analyse
from rust_triage.workspace import discover

CONFIG = FIXTURES / "config"
ALPHA = CONFIG / "crates" / "alpha"
BETA = CONFIG / "crates" / "beta"
GAMMA = CONFIG / "crates" / "gamma"


def _run(path: Path, **options: object) -> Analysis:
    return analyse(Options(paths=[path], no_cache=True, jobs=1, **options))  # type: ignore[arg-type]


def _found(analysis: Analysis) -> set[tuple[str, str, int, str]]:
    return {(f.rule, f.file, f.line, f.severity) for f in analysis.findings}


def test_workspace_metadata_applies_at_the_root() -> None:
    analysis = _run(CONFIG)
    assert analysis.context.config.source == (CONFIG / "Cargo.toml").resolve()
    assert {f.rule for f in analysis.findings} == {"RT001"}
    assert analysis.context.config.fail_on == "high"
    # fail-on high: the unwraps on parameters of pub fns are high-risk sites (severity follows risk)
    assert main(["check", str(CONFIG), "--no-cache", "-q"]) == 1
    assert main(["check", str(CONFIG), "--no-cache", "-q", "--select", "RT001", "--min-risk", "high",
                 "--ignore", "RT001"]) == 0


def test_package_metadata_beats_workspace_metadata() -> None:
    analysis = _run(ALPHA)
    assert analysis.context.config.source == (ALPHA / "Cargo.toml").resolve()
    assert _found(analysis) == {
        ("RT001", "crates/alpha/src/lib.rs", 2, "low"),  # severity override
        ("RT004", "crates/alpha/src/lib.rs", 10, "medium"),  # RT002 ignored by name; medium risk: a todo!()
    }


def test_rust_triage_toml_is_found_walking_up_from_a_file() -> None:
    for path in (BETA, BETA / "src" / "lib.rs"):
        analysis = _run(path)
        assert analysis.context.config.source == (BETA / "rust-triage.toml").resolve()
        assert _found(analysis) == {
            ("RT001", "crates/beta/src/lib.rs", 4, "high"),  # severity follows risk: a pub fn's input parsed
            ("RT002", "crates/beta/src/lib.rs", 8, "critical"),  # configured severity wins
            ("RT001", "crates/beta/src/lib.rs", 15, "low"),  # include-tests = true; test code is low risk
        }  # the unwrap in src/generated/ is ignored by the per-path override


def test_dot_file_rule_dirs_options_and_thresholds() -> None:
    analysis = _run(GAMMA)
    config = analysis.context.config
    assert config.source == (GAMMA / ".rust-triage.toml").resolve()
    assert config.rule_dirs == [(GAMMA / "team-rules").resolve()]
    assert config.rule_options == {"ACME001": {}} and config.severity["ACME001"] == "medium"
    assert config.threshold("oversized-file-lines", 0) == 500
    assert {(f.rule, f.line) for f in analysis.findings} == {("ACME001", 2), ("RT001", 2)}


def test_explicit_config_wins(capsys: pytest.CaptureFixture[str]) -> None:
    analysis = _run(ALPHA, config_file=CONFIG / "explicit.toml")
    assert {f.rule for f in analysis.findings} == {"RT004"}
    # a Cargo.toml given with --config: its metadata table is read
    assert {f.rule for f in _run(CONFIG, config_file=ALPHA / "Cargo.toml").findings} == {"RT001", "RT004"}
    assert main(["check", str(CONFIG), "--no-cache", "--config", str(BETA / "Cargo.toml")]) == 2
    assert "no [package.metadata.rust-triage]" in capsys.readouterr().err


def test_cli_flags_win_over_the_file() -> None:
    assert {f.rule for f in _run(CONFIG, select=["RT002"]).findings} == {"RT002"}
    # --select replaces the file's select *and* ignore: alpha ignores RT002 in its metadata
    assert {f.rule for f in _run(ALPHA, select=["expect-used"]).findings} == {"RT002"}
    assert {f.rule for f in _run(ALPHA, ignore=["RT004"]).findings} == {"RT001"}
    assert _run(CONFIG, fail_on="low").context.config.fail_on == "low"
    assert main(["check", str(CONFIG), "--no-cache", "-q", "--fail-on", "medium"]) == 1
    assert not _run(BETA, include_tests=False).context.config.include_tests


def test_clippy_toml_is_read(tmp_path: Path) -> None:
    ws = _crate(tmp_path)
    (ws / ".clippy.toml").write_text("allow-expect-in-tests = true\nmsrv = \"1.70\"\n")
    config = load_config(discover(ws), Options(paths=[ws]))
    assert config.clippy == {"allow-expect-in-tests": True}  # type: ignore[attr-defined]


def _crate(tmp_path: Path, manifest_extra: str = "") -> Path:
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True, exist_ok=True)
    (ws / "Cargo.toml").write_text(
        '[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n' + manifest_extra + "\n[workspace]\n"
    )
    (ws / "src" / "lib.rs").write_text("pub fn f(x: Option<u8>) -> u8 { x.unwrap() }\n")
    return ws


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ('selct = ["RT001"]', "selct", "unknown key"),
        ('fail-on = "severe"', "fail-on", "expected one of"),
        ('severity = { RT001 = "huge" }', "severity.RT001", "expected one of"),
        ('severity = { RT999 = "low" }', "severity.RT999", "unknown rule"),
        ('select = ["no-such-rule"]', "select", "unknown rule"),
        ("include-tests = 1", "include-tests", "expected true or false"),
        ('min-confidence = "certain"', "min-confidence", "expected one of"),
        ('rule-dirs = ["missing"]', "rule-dirs[0]", "directory not found"),
        ('[[overrides]]\nignore = ["RT001"]', "overrides[0].paths", "missing"),
        ('[[overrides]]\npaths = ["src/**"]\nselekt = ["RT001"]', "overrides[0].selekt", "unknown key"),
        ("[thresholds]\nlimit = 3", "thresholds.limit", "unknown threshold"),
        ("[thresholds]\noversized-file-lines = [1, 2]", "thresholds.oversized-file-lines", "expected a positive"),
        ("[rules]\nRT001 = 3", "rules.RT001", "expected a table"),
    ],
)
def test_bad_config_is_a_usage_error_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str, problem: str
) -> None:
    ws = _crate(tmp_path)
    (ws / "rust-triage.toml").write_text(text + "\n")
    assert main(["check", str(ws), "--no-cache", "-q"]) == 2
    err = capsys.readouterr().err
    assert str(ws / "rust-triage.toml") in err and f"`{key}`" in err and problem in err, err


def test_bad_cargo_metadata_names_the_full_key(tmp_path: Path) -> None:
    ws = _crate(tmp_path, '[package.metadata.rust-triage]\nfail_on = "sometimes"')
    proc = run_cli("check", str(ws), "--no-cache", "-q")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "Cargo.toml" in proc.stderr and "`package.metadata.rust-triage.fail-on`" in proc.stderr


def test_other_config_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = _crate(tmp_path)
    assert main(["check", str(ws), "--no-cache", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "config file not found" in capsys.readouterr().err
    (ws / ".rust-triage.toml").write_text("select = [\n")
    assert main(["check", str(ws), "--no-cache"]) == 2
    assert "invalid TOML" in capsys.readouterr().err
    (ws / ".rust-triage.toml").unlink()
    (ws / "clippy.toml").write_text('allow-unwrap-in-tests = "yes"\n')
    assert main(["check", str(ws), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "clippy.toml" in err and "`allow-unwrap-in-tests`" in err


def test_config_in_a_subdirectory_anchors_override_globs(tmp_path: Path) -> None:
    ws = _crate(tmp_path)
    (ws / "src" / "gen").mkdir()
    (ws / "src" / "lib.rs").write_text("pub mod gen;\npub fn f(x: Option<u8>) -> u8 { x.unwrap() }\n")
    (ws / "src" / "gen" / "mod.rs").write_text("pub fn g(x: Option<u8>) -> u8 { x.unwrap() }\n")
    (ws / "src" / "rust-triage.toml").write_text('[[overrides]]\npaths = ["gen/**"]\nseverity = { RT001 = "info" }\n')
    analysis = _run(ws / "src", select=["RT001"])
    # the override's severity wins over the one the risk gives (high: a pub fn's parameter unwrapped)
    assert {(f.file, f.severity) for f in analysis.findings} == {("src/lib.rs", "high"), ("src/gen/mod.rs", "info")}
