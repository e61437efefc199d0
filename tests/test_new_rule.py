"""`rust-triage new-rule`: the scaffold is a working rule, fixture and marker from the start."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

from rust_triage.engine.toml_rules import load_rule_file, run_samples
from rust_triage.parse.extract import extract_file
from rust_triage.parse.queries import QuerySpec


def _layout(root: Path) -> Path:
    rules = root / "src" / "rust_triage" / "families" / "panics" / "rules"
    rules.mkdir(parents=True)
    (rules / "__init__.py").write_text("")
    return rules


def test_toml_scaffold_is_a_rule_whose_samples_and_fixture_agree(tmp_path: Path) -> None:
    rules = _layout(tmp_path)
    proc = run_cli("new-rule", "RT0998", "demo-thing", "--family", "panics", "--category", "panic", "--root", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    [tr] = load_rule_file(rules / "RT0998-demo-thing.toml", builtin=True)
    assert run_samples([tr]) == (2, [])
    lib = tmp_path / "fixtures" / "examples" / "rt0998_demo_thing" / "src" / "lib.rs"
    facts = extract_file(lib.read_bytes(), (QuerySpec("RT0998", tr.rule.query),))
    marked = [n for n, line in enumerate(lib.read_text().splitlines(), 1) if "// expect: RT0998" in line]
    assert [m.line for m in facts.matches] == marked and marked


def test_python_scaffold_defines_one_rule(tmp_path: Path) -> None:
    rules = _layout(tmp_path)
    proc = run_cli("new-rule", "RT0997", "demo-py", "--family", "panics", "--category", "panic", "--python",
                   "--root", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    namespace: dict[str, object] = {}
    exec(compile((rules / "rt0997_demo_py.py").read_text(), "rule", "exec"), namespace)
    [rule] = namespace["RULES"]  # type: ignore[misc]
    assert rule.meta.id == "RT0997" and rule.meta.name == "demo-py"


def test_existing_id_unknown_family_and_bad_names_exit_2(tmp_path: Path) -> None:
    _layout(tmp_path)
    for args in (["RT001", "x-y", "--family", "panics"], ["RT0996", "x-y", "--family", "nope"],
                 ["RT0996", "Bad_Name", "--family", "panics"], ["X1", "x-y", "--family", "panics"]):
        proc = run_cli("new-rule", *args, "--category", "panic", "--root", str(tmp_path))
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, (args, proc.stderr)
