"""The architecture as executable contracts: import layers (import-linter), the families' registration."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from conftest import REPO

from rust_triage.engine.family import Family
from rust_triage.engine.indexed_rule import rule_origin
from rust_triage.engine.registry import load_registry
from rust_triage.engine.rule import QueryRule

FAMILIES = REPO / "src" / "rust_triage" / "families"


def _tool(name: str) -> str:
    return shutil.which(name, path=str(Path(sys.executable).parent)) or name


@pytest.mark.slow
def test_import_contracts_hold() -> None:
    """Layers, family independence, no cycles: the contracts in pyproject.toml [tool.importlinter]."""
    proc = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_every_family_package_registers_through_an_entry_point() -> None:
    registered = {ep.name: ep for ep in entry_points(group="rust_triage.rules") if ep.value.startswith("rust_triage.")}
    packages = {p.name for p in FAMILIES.iterdir() if (p / "__init__.py").is_file()}
    assert set(registered) == packages, "a family package without an entry point (re-run `pip install -e .`?)"
    for name, ep in registered.items():
        family = ep.load()
        assert isinstance(family, Family) and family.name == name


def test_every_builtin_rule_lives_in_its_family_package() -> None:
    for rule in load_registry(plugins=False).rules:
        module = rule_origin(rule)[0]
        if isinstance(rule, QueryRule):  # declarative: its TOML file sits in families/<family>/rules/
            continue
        assert module.startswith("rust_triage.families.") and ".rules." in module, (rule.meta.id, module)


def test_each_family_keeps_its_rule_index_and_the_core_none() -> None:
    """A family's generated rule metadata lives in its rules package (`rules/_index.py`, skipped by rule
    discovery); no module outside the families holds rule metadata."""
    from rust_triage.engine.family import rule_modules

    for family_dir in sorted(p for p in FAMILIES.iterdir() if (p / "rules" / "__init__.py").is_file()):
        assert (family_dir / "rules" / "_index.py").is_file(), f"{family_dir.name} has no rules/_index.py"
        package = f"rust_triage.families.{family_dir.name}.rules"
        assert f"{package}._index" not in rule_modules(package)
    core = REPO / "src" / "rust_triage"
    holders = [str(p.relative_to(REPO)) for p in sorted(core.rglob("*.py"))
               if FAMILIES not in p.parents and "meta=RuleMeta(" in p.read_text(encoding="utf-8")]
    assert holders == []


def test_one_rule_per_module() -> None:
    for path in FAMILIES.glob("*/rules/rt*.py"):
        text = path.read_text()
        assert text.count("meta = RuleMeta(") <= 1, f"{path.name} defines more than one rule"


@pytest.mark.slow
def test_mypy_finds_no_errors_in_src() -> None:
    """mypy over src/ with the [tool.mypy] configuration of pyproject.toml."""
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=REPO, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_nothing_outside_a_family_matches_on_rule_ids() -> None:
    """The plan, reporters and engine read `RuleMeta` (phase, effort, risk kind, fix site...), never an id:
    a rule id as a string literal in code outside `families/` is a decision taken on a name."""
    import ast
    import re

    pattern = re.compile(r"RT\d{3}")  # a literal that is exactly an id (help texts may cite one)
    offenders: list[str] = []
    for path in sorted((REPO / "src" / "rust_triage").rglob("*.py")):
        if FAMILIES in path.parents:  # a family's generated rule index (rules/_index.py) lists its rules too
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                    and pattern.fullmatch(node.value):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value[:60]!r}")
    assert offenders == []
