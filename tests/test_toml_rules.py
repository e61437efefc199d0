"""Declarative TOML rules: embedded samples (`test-rules`), a team's rule dir, schema errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from rust_triage.cli import main
from rust_triage.engine.registry import builtin_toml_files
from rust_triage.engine.toml_rules import load_rule_dir, load_rule_file, run_samples

RULE = '''
id = "{id}"
name = "dbg-left"
category = "{category}"
severity = "low"
summary = "dbg! left in code"
message = "remove `dbg!`"
context = "{context}"
query = """(macro_invocation macro: (identifier) @match (#eq? @match "dbg"))"""
valid = ["fn f() {{ println!(\\"x\\"); }}"]
invalid = ["{invalid}"]
[docs]
what = "w"
why = "y"
example = "e"
fix = "f"
suppress = "s"
'''


def _write(directory: Path, **fields: str) -> Path:
    values = {"id": "TEAM001", "context": "any", "invalid": "fn f() { dbg!(1); }", "category": "debt", **fields}
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{values['id']}.toml"
    path.write_text(RULE.format(**values))
    return directory


def test_every_builtin_toml_rule_passes_its_samples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test-rules"]) == 0
    out = capsys.readouterr().out
    assert "0 failed" in out
    # not `shipped=True`: every shipped query is compiled here (a run leaves that to the combined query)
    rules = [r for path in builtin_toml_files() for r in load_rule_file(path, builtin=True)]
    assert {"RT001", "RT002", "RT003", "RT004", "RT005", "RT006", "RT101"} <= {r.rule.meta.id for r in rules}
    assert all(r.valid and r.invalid for r in rules), "every TOML rule embeds valid and invalid samples"


def test_team_rule_dir_with_own_prefix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules_dir = _write(tmp_path / "rules")
    assert main(["test-rules", str(rules_dir)]) == 0
    assert "1 rules, 2 samples: 2 passed" in capsys.readouterr().out
    assert main(["rules", "--rule-dir", str(rules_dir)]) == 0
    assert "TEAM001" in capsys.readouterr().out


def test_a_failing_sample_fails_test_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules_dir = _write(tmp_path / "rules", invalid="fn f() { let dbg = 1; }")
    assert main(["test-rules", str(rules_dir)]) == 1
    assert "FAIL TEAM001" in capsys.readouterr().out


def test_async_context_filters_samples(tmp_path: Path) -> None:
    rules_dir = _write(tmp_path / "rules", context="async", invalid="async fn f() { dbg!(1); }")
    checked, failures = run_samples(load_rule_dir(rules_dir))
    assert (checked, failures) == (2, [])
    rules_dir = _write(tmp_path / "sync", context="async", invalid="fn f() { dbg!(1); }")
    assert [f.kind for f in run_samples(load_rule_dir(rules_dir))[1]] == ["invalid"]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"id": "team1"}, "upper-case letters followed by digits"),
        ({"context": "threaded"}, "context must be one of"),
        ({"category": "misc"}, "category must be one of build, types"),  # a closed set
    ],
)
def test_bad_rule_files_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fields: dict[str, str], problem: str
) -> None:
    rules_dir = _write(tmp_path / "rules", **fields)
    assert main(["test-rules", str(rules_dir)]) == 2
    assert problem in capsys.readouterr().err


def test_builtin_rules_need_rt_ids(tmp_path: Path) -> None:
    from rust_triage.errors import UsageError

    rules_dir = _write(tmp_path / "rules")
    with pytest.raises(UsageError, match="RT followed by digits"):
        load_rule_dir(rules_dir, builtin=True)


def test_team_rule_with_a_risk_kind_is_ranked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`risk_kind` in a rule's metadata is all it takes for its findings to be risk-ranked."""
    import json

    rules_dir = _write(tmp_path / "rules")
    path = rules_dir / "TEAM001.toml"
    path.write_text(path.read_text().replace('context = "any"', 'context = "any"\nrisk_kind = "explicit-panic"'))
    crate = tmp_path / "crate"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "c"\nversion = "0.1.0"\nedition = "2021"\n')
    (crate / "src" / "lib.rs").write_text("pub fn f() { dbg!(1); }\n")
    (crate / "rust-triage.toml").write_text(f"rule-dirs = [{json.dumps(str(rules_dir))}]\n")
    assert main(["check", str(crate), "--select", "TEAM001", "--format", "json"]) == 1
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["risk"], finding["risk_class"], finding["risk_context"]) == ("medium", "internal-invariant",
                                                                                 "production")


def test_an_unknown_risk_kind_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules_dir = _write(tmp_path / "rules")
    path = rules_dir / "TEAM001.toml"
    path.write_text(path.read_text().replace('context = "any"', 'context = "any"\nrisk_kind = "fatal"'))
    assert main(["test-rules", str(rules_dir)]) == 2
    assert "risk_kind must be one of unwrap, unfinished" in capsys.readouterr().err


def test_a_query_the_installed_grammar_rejects_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    """Shipped queries are compiled only in the combined query: a grammar that renamed a node names the
    rule once, before any file is extracted, instead of failing every file."""
    from rust_triage.errors import UsageError
    from rust_triage.parse.cache import FactsCache
    from rust_triage.parse.pool import parse_files
    from rust_triage.parse.queries import QuerySpec

    source = tmp_path / "lib.rs"
    source.write_text("fn f() {}\n")
    renamed = (QuerySpec("RT001", "(call_expression) @match"), QuerySpec("RT999", "(no_such_node) @match"))
    with pytest.raises(UsageError, match="rule RT999: invalid tree-sitter query"):
        parse_files([source], specs=renamed, cache=FactsCache(None, "t"), jobs=1, display=str)
