"""Strict inputs: unknown rules, misspelt or mistyped options and over-deep TOML stop the run with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from rust_triage.docs_gen import rule_markdown
from rust_triage.engine.registry import load_registry

MANIFEST = '[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n'
LIB = "pub fn f(x: Option<u8>) -> u8 { x.unwrap() }\n\npub fn g() -> u8 {\n    1\n}\n"
DEEP_ARRAY = "[" * 5000 + "]" * 5000


def _crate(tmp_path: Path, manifest_extra: str = "") -> Path:
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    (ws / "Cargo.toml").write_text(MANIFEST + manifest_extra)
    (ws / "src" / "lib.rs").write_text(LIB)
    return ws


def _one_line_error(proc) -> str:  # type: ignore[no-untyped-def]
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("rust-triage: error: "), proc.stderr
    return lines[0]


@pytest.mark.parametrize(("flag", "token"), [("--select", "RT0O1"), ("--select", "RT9999"), ("--ignore", "RT9999"),
                                             ("--ignore", "RT001,unwrap-usd"), ("--select", "RTX")])
def test_unknown_rule_on_the_command_line_exits_2(tmp_path: Path, flag: str, token: str) -> None:
    ws = _crate(tmp_path)
    line = _one_line_error(run_cli("check", "--no-cache", flag, token, "--", str(ws)))
    bad = token.split(",")[-1]
    assert line == f"rust-triage: error: {flag}: unknown rule {bad!r} (see `rust-triage rules`)"
    history = run_cli("history", "record", "--no-cache", "--file", str(tmp_path / "h.json"), flag, token, str(ws))
    assert _one_line_error(history) == line and not (tmp_path / "h.json").exists()


def test_ids_names_and_prefixes_that_match_a_rule_are_accepted(tmp_path: Path) -> None:
    ws = _crate(tmp_path)
    assert run_cli("check", "--no-cache", "-q", "--select", "RT0,RT0O1", "--", str(ws)).returncode == 2
    for select in ("RT0", "RT00", "rt001", "unwrap-used", "ALL", "RT1,RT0"):
        proc = run_cli("check", "--no-cache", "-q", "--select", select, "--", str(ws))
        assert proc.returncode == 1, (select, proc.stderr)
    assert run_cli("check", "--no-cache", "-q", "--ignore", "RT0", "--select", "RT00", "--", str(ws)).returncode == 0


@pytest.mark.parametrize(("text", "key", "problem"), [
    ('[thresholds]\noversized-file-lines = "many"', "thresholds.oversized-file-lines",
     "expected a positive integer, got 'many'"),
    ("[thresholds]\noversized-function-lines = 1.5", "thresholds.oversized-function-lines",
     "expected a positive integer, got 1.5"),
    ("[thresholds]\noversized-file-line = 500", "thresholds.oversized-file-line", "unknown threshold (known: "),
    ("[rules.RT210]\nmax-line = 5", "rules.RT210.max-line",
     "unknown option of RT210 oversized-file (known: severity, max-lines)"),
    ("[rules.RT506]\nmax-lines = true", "rules.RT506.max-lines", "expected a positive integer, got True"),
    ("[rules.RT234]\ncategories = [1, 2]", "rules.RT234.categories",
     "expected a list of non-empty strings, got [1, 2]"),
    ("[rules.RT234]\ndepth = 0", "rules.RT234.depth", "expected a positive integer, got 0"),
    ("[rules.RT201]\nextra_phrases = 3", "rules.RT201.extra_phrases", "expected a list of non-empty strings, got 3"),
    ("[rules.orphan-file]\nmax = 3", "rules.RT010.max", "unknown option of RT010 orphan-file (it has none but severity)"),
], ids=["type", "float", "misspelt-threshold", "misspelt-option", "bool", "list-of-ints", "zero", "phrases",
        "no-options"])
def test_bad_option_exits_2_before_analysis_naming_file_key_and_value(tmp_path: Path, text: str, key: str,
                                                                     problem: str) -> None:
    ws = _crate(tmp_path)
    config = ws / "rust-triage.toml"
    config.write_text(text + "\n")
    # The rule reading the option is not even selected: the file is checked as a whole when it loads.
    line = _one_line_error(run_cli("check", "--no-cache", "--select", "RT001", "--", str(ws)))
    assert line.startswith(f"rust-triage: error: {config}: key `{key}`: {problem}"), line


def test_bad_option_in_cargo_metadata_names_the_full_key(tmp_path: Path) -> None:
    ws = _crate(tmp_path, '\n[package.metadata.rust-triage.thresholds]\noversized-file-lines = "many"\n')
    line = _one_line_error(run_cli("check", "--no-cache", "--select", "RT001", "--", str(ws)))
    assert line == (f"rust-triage: error: {ws / 'Cargo.toml'}: key `package.metadata.rust-triage.thresholds."
                    "oversized-file-lines`: expected a positive integer, got 'many'")


def test_declared_options_reach_the_rules(tmp_path: Path) -> None:
    ws = _crate(tmp_path)
    (ws / "rust-triage.toml").write_text("[rules.oversized-function]\nmax-lines = 1\n\n"
                                         "[thresholds]\noversized_file_lines = 2\n")
    proc = run_cli("check", "--no-cache", "-f", "json", "--select", "RT210,RT211", "--", str(ws))
    assert proc.returncode == 1, proc.stderr
    found = {(f["rule"], f["detail"]["threshold"]) for f in json.loads(proc.stdout)["findings"]}
    assert found == {("RT210", 2), ("RT211", 1)}


def test_rule_docs_list_the_options() -> None:
    text = rule_markdown(load_registry().by_id()["RT210"].meta)
    assert "## Options" in text
    assert "| `max-lines` (or `oversized-file-lines` under `[thresholds]`) | a positive integer | `300` |" in text
    assert "## Options" not in rule_markdown(load_registry().by_id()["RT010"].meta)


@pytest.mark.parametrize("where", ["rust-triage.toml", "--config Cargo.toml", "rule dir"])
def test_deeply_nested_toml_config_exits_2_with_one_line(tmp_path: Path, where: str) -> None:
    ws = _crate(tmp_path)
    if where == "rust-triage.toml":
        bad = ws / "rust-triage.toml"
        bad.write_text(f"select = {DEEP_ARRAY}\n")
        args: tuple[str, ...] = ()
    elif where == "rule dir":
        (ws / "rules").mkdir()
        bad = ws / "rules" / "deep.toml"
        bad.write_text(f"id = {DEEP_ARRAY}\n")
        (ws / "rust-triage.toml").write_text('rule-dirs = ["rules"]\n')
        args = ()
    else:
        bad = tmp_path / "Cargo.toml"
        bad.write_text(MANIFEST + f"\n[package.metadata.rust-triage]\nselect = {DEEP_ARRAY}\n")
        args = ("--config", str(bad))
    line = _one_line_error(run_cli("check", "--no-cache", *args, "--", str(ws)))
    assert line == f"rust-triage: error: {bad}: invalid TOML: arrays or tables nested too deeply"


def test_deeply_nested_cargo_metadata_is_a_manifest_error_not_a_traceback(tmp_path: Path) -> None:
    ws = _crate(tmp_path, f"\n[package.metadata.rust-triage]\nselect = {DEEP_ARRAY}\n")
    proc = run_cli("check", "--no-cache", "-f", "json", "--", str(ws))
    assert "Traceback" not in proc.stderr and proc.returncode in (0, 1), proc.stderr
    errors = json.loads(proc.stdout)["errors"]
    assert [e["message"] for e in errors] == ["invalid TOML: arrays or tables nested too deeply"]


def test_huge_or_special_config_files_exit_2_at_once(tmp_path: Path) -> None:
    """An 8 MB file of 150k overrides used to be ground through for minutes; a FIFO would block."""
    import os

    ws = _crate(tmp_path)
    huge = tmp_path / "huge.toml"
    huge.write_text("".join(f'[[overrides]]\npaths = ["p{i}/**"]\nignore = ["RT001"]\n' for i in range(60_000)))
    assert "1 MiB" in _one_line_error(run_cli("check", str(ws), "--no-cache", "--config", str(huge)))
    (ws / "rust-triage.toml").write_text("".join(f'[[overrides]]\npaths = ["p{i}/**"]\n' for i in range(60_000)))
    assert "1 MiB" in _one_line_error(run_cli("check", str(ws), "--no-cache"))
    (ws / "rust-triage.toml").unlink()
    os.mkfifo(ws / "rust-triage.toml")
    proc = run_cli("check", str(ws), "--no-cache")  # not a configuration file: passed over, never read
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr
    assert "rust-triage.toml" in _one_line_error(run_cli("check", str(ws), "--no-cache", "--config",
                                                         str(ws / "rust-triage.toml")))
