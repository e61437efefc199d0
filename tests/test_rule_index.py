"""The generated rule index: current, and a run imports a rule's module only when the rule runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DEMO, REPO

from rust_triage.engine.family import Family
from rust_triage.errors import UsageError

# Runs the CLI, then writes the rule modules the process imported (one per line) to the file named first.
_WRAPPER = """
import sys
out, sys.argv = sys.argv[1], ["rust-triage", *sys.argv[2:]]
from rust_triage.cli import main
code = main()
with open(out, "w") as f:
    f.write("\\n".join(sorted(m for m in sys.modules if ".rules.rt" in m)))
sys.exit(code)
"""


def _cli_imports(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    listing = tmp_path / "imported.txt"
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, str(listing), *args], cwd=REPO, capture_output=True,
                          text=True, timeout=600, env={**os.environ})
    return proc, set(listing.read_text().split()) if listing.is_file() else set()


def _entries():  # type: ignore[no-untyped-def]
    from rust_triage.engine.indexed_rule import family_index
    from rust_triage.engine.rule_index_gen import builtin_indexes

    return [entry for index in builtin_indexes() for entry in family_index(index.rules_package) or ()]


def test_rule_indexes_are_generated_and_current() -> None:
    from rust_triage.engine.rule_index_gen import stale_indexes

    assert stale_indexes() == [], "stale rule indexes: run `python -m rust_triage.engine.rule_index_gen` " \
        "(or `rust-triage docs`)"


def test_index_check_fails_when_one_family_index_is_stale(tmp_path: Path) -> None:
    """`--check` names a stale family index and exits 1; regenerating rewrites only that one (on a copy of
    the indexes: the checkout's own files, stamped in every cache key, stay untouched)."""
    families = REPO / "src" / "rust_triage" / "families"
    root = tmp_path / "src"
    for index in families.glob("*/rules/_index.py"):
        copy = root / index.relative_to(REPO / "src")
        copy.parent.mkdir(parents=True)
        shutil.copyfile(index, copy)
    index = root / "rust_triage" / "families" / "debt" / "rules" / "_index.py"
    generated = index.read_bytes()
    gen = [sys.executable, "-m", "rust_triage.engine.rule_index_gen", "--source-root", str(root)]
    assert subprocess.run([*gen, "--check"], capture_output=True, timeout=300).returncode == 0
    index.write_bytes(generated.replace(b"TODO / FIXME comment", b"TODO comment"))
    check = subprocess.run([*gen, "--check"], capture_output=True, text=True, timeout=300)
    assert check.returncode == 1 and check.stdout.splitlines() == [f"{index}: stale"], check.stdout + check.stderr
    write = subprocess.run(gen, capture_output=True, text=True, timeout=300)
    assert write.returncode == 0 and write.stdout.splitlines() == [f"wrote {index}"], write.stdout + write.stderr
    assert index.read_bytes() == generated


def test_docs_command_regenerates_the_family_indexes(tmp_path: Path) -> None:
    """`rust-triage docs` writes each family's index under the given source root."""
    shutil.copytree(REPO / "src" / "rust_triage" / "families", tmp_path / "src" / "rust_triage" / "families",
                    ignore=shutil.ignore_patterns("_index.py", "__pycache__"))
    proc = subprocess.run([sys.executable, "-m", "rust_triage", "docs", "--out", str(tmp_path / "pages"),
                           "--rules-mirror", str(tmp_path / "none"), "--source-root", str(tmp_path / "src")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for index in (REPO / "src" / "rust_triage" / "families").glob("*/rules/_index.py"):
        copy = tmp_path / "src" / index.relative_to(REPO / "src")
        assert copy.read_bytes() == index.read_bytes(), copy


def test_every_builtin_python_rule_is_indexed() -> None:
    from rust_triage.engine.indexed_rule import IndexedRule
    from rust_triage.engine.registry import load_registry

    indexed = {r.meta.id for r in load_registry(plugins=False).rules if isinstance(r, IndexedRule)}
    assert indexed == {e.meta.id for e in _entries()} and len(indexed) >= 30
    imported = {r.meta.id: r.meta for r in load_registry(plugins=False, indexed=False).rules}
    for rule in load_registry(plugins=False).rules:
        assert rule.meta == imported[rule.meta.id], rule.meta.id


def test_listing_and_explaining_rules_import_no_rule_module(tmp_path: Path) -> None:
    proc, imported = _cli_imports(tmp_path, "rules")
    assert proc.returncode == 0 and "RT230" in proc.stdout and "RT510" in proc.stdout, proc.stderr
    assert imported == set()
    proc, imported = _cli_imports(tmp_path, "explain", "RT230")
    assert proc.returncode == 0 and "untested-module" in proc.stdout, proc.stderr
    assert imported == set()


def test_one_file_run_imports_only_the_rules_it_runs(tmp_path: Path) -> None:
    """A pre-commit run after a body edit reuses every workspace rule's findings: it imports the modules
    of the file-local rules (and the suppression checker), none of the workspace rules', and reports
    byte for byte what a run without cache reports."""
    demo = tmp_path / "demo"
    shutil.copytree(DEMO, demo)
    cache = tmp_path / "cache"
    full = subprocess.run([sys.executable, "-m", "rust_triage", "check", str(demo), "--format", "json", "--jobs", "1",
                           "--cache-dir", str(cache), "-o", str(tmp_path / "full.json")], capture_output=True, text=True)
    assert full.returncode in (0, 1), full.stderr
    handlers = demo / "crates" / "server" / "src" / "handlers.rs"
    handlers.write_text(handlers.read_text().replace("from_millis(5)", "from_millis(7)", 1))  # a body edit
    proc, imported = _cli_imports(tmp_path, "check", str(handlers), "--format", "json", "--cache-dir", str(cache),
                                  "-o", str(tmp_path / "warm.json"))
    assert proc.returncode in (0, 1), proc.stderr
    cold = subprocess.run([sys.executable, "-m", "rust_triage", "check", str(handlers), "--format", "json",
                           "--no-cache", "-o", str(tmp_path / "cold.json")], capture_output=True, text=True)
    assert cold.returncode == proc.returncode, cold.stderr
    assert (tmp_path / "warm.json").read_bytes() == (tmp_path / "cold.json").read_bytes()
    assert json.loads((tmp_path / "warm.json").read_text())["findings"]
    workspace_rules = {e.module for e in _entries() if e.scope == "workspace" and not e.checks_suppressions}
    file_rules = {e.module for e in _entries() if e.scope == "file" and e.meta.language == "rust"}
    assert workspace_rules and not imported & workspace_rules, sorted(imported & workspace_rules)
    assert file_rules <= imported


def test_stale_metadata_stops_the_rule_with_a_usage_error() -> None:
    from rust_triage.engine.indexed_rule import IndexedRule

    entry = next(e for e in _entries() if e.meta.id == "RT230")
    stale = IndexedRule(replace(entry, meta=replace(entry.meta, summary="what it said before")))
    with pytest.raises(UsageError, match="rule index is stale.*rule_index_gen"):
        stale.loaded()
    assert IndexedRule(entry).loaded().meta == entry.meta


def test_a_rule_module_missing_from_the_index_is_imported() -> None:
    """A rule added since the index was generated still runs: its family's rules are imported instead."""
    from rust_triage.engine.indexed_rule import IndexedRule, family_index
    from rust_triage.engine.registry import python_rules

    package = "rust_triage.families.debt.rules"
    family = Family(name="debt", rules_package=package)
    entries = family_index(package)
    assert entries
    complete = python_rules(family, entries)
    assert complete and all(isinstance(r, IndexedRule) for r in complete)
    partial = python_rules(family, entries[:-1])
    assert [r.meta.id for r in partial] == [r.meta.id for r in complete]
    assert not any(isinstance(r, IndexedRule) for r in partial)


def test_a_plugin_family_without_an_index_loads_its_rules() -> None:
    """A rules package without `_index` (a third-party family) has its rule modules imported."""
    from rust_triage.engine.indexed_rule import family_index
    from rust_triage.engine.registry import python_rules

    package = "rust_triage.families.debt"  # a package with no `_index` module, as a plugin's would be
    assert family_index(package) is None
    family = Family(name="debt", rules_package="rust_triage.families.debt.rules")
    rules = python_rules(family, family_index(package))
    assert {r.meta.id for r in rules} == {e.meta.id for e in family_index(family.rules_package) or ()}
    assert all(type(r).__module__.startswith(family.rules_package + ".rt") for r in rules)


def test_a_rule_module_no_run_imports_still_keys_the_cache(tmp_path: Path) -> None:
    """Cached results depend on the rule's code though no run imports it: its file's stamp is in the key."""
    from rust_triage.engine.fingerprint import code_fingerprint
    from rust_triage.engine.registry import load_registry

    registry = load_registry(plugins=False)
    entry = next(e for e in _entries() if e.meta.id == "RT231")
    proc, imported = _cli_imports(tmp_path, "rules")
    assert proc.returncode == 0 and entry.module not in imported
    source = REPO / "src" / Path(*entry.module.split(".")).with_suffix(".py")
    before = code_fingerprint(registry)
    st = source.stat()
    try:
        os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert code_fingerprint(registry) != before
    finally:
        os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert code_fingerprint(registry) == before
