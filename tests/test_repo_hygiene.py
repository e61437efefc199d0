"""The repository keeps its own promises: ruff clean, rule docs generated from metadata."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from rust_triage.docs_gen import write_rule_docs
from rust_triage.engine.registry import load_registry


def test_ruff_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff not installed")
    proc = subprocess.run([ruff, "check", "src", "tests", "benches"], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_rule_docs_are_generated_and_current(tmp_path: Path) -> None:
    metas = [r.meta for r in load_registry(plugins=False).rules]
    write_rule_docs(metas, tmp_path)
    shipped = REPO / "docs" / "rules"
    generated = {p.name: p.read_text() for p in tmp_path.glob("*.md")}
    on_disk = {p.name: p.read_text() for p in shipped.glob("*.md")}
    assert generated == on_disk, "docs/rules is stale: run `rust-triage docs`"


def test_every_rule_has_complete_metadata() -> None:
    ids = set()
    for rule in load_registry(plugins=False).rules:
        m = rule.meta
        assert m.id.startswith("RT") and m.id[2:].isdigit(), m.id
        assert m.id not in ids
        ids.add(m.id)
        assert m.name and m.category and m.summary
        for part in ("what", "why", "example", "fix", "suppress"):
            assert getattr(m.docs, part).strip(), f"{m.id} lacks docs.{part}"


def test_one_file_check_does_not_import_heavy_modules(tmp_path: Path) -> None:
    """The pre-commit path stays fast: no networkx, libcst or rich for a one-file JSON check."""
    code = (
        "import sys, runpy\n"
        "sys.argv = ['rust-triage', 'check', sys.argv[1], '--format', 'json', '-o', sys.argv[2], '--no-cache']\n"
        "try:\n    runpy.run_module('rust_triage', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(','.join(m for m in ('networkx', 'libcst', 'rich') if m in sys.modules))\n"
    )
    target = REPO / "fixtures" / "demo" / "crates" / "core" / "src" / "metrics.rs"
    proc = subprocess.run([sys.executable, "-c", code, str(target), str(tmp_path / "r.json")],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.stdout.strip() == "", proc.stdout + proc.stderr


def test_top_level_rules_dir_mirrors_the_family_toml_rules() -> None:
    """`rules/` is the project's declarative-rules directory; the shipped files live in the families."""
    shipped = {p.name: p.read_bytes() for p in (REPO / "src" / "rust_triage" / "families").glob("*/rules/*.toml")}
    mirror = {p.name: p.read_bytes() for p in (REPO / "rules").glob("*.toml")}
    assert shipped, "no declarative rules found in the families"
    assert mirror == shipped, "rules/ is stale: cp src/rust_triage/families/*/rules/*.toml rules/"


def test_no_symlinks_in_the_package() -> None:
    links = [p for p in (REPO / "src").rglob("*") if p.is_symlink()]
    assert links == [], f"symlinks break Windows checkouts: {links}"
