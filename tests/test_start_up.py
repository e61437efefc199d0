"""What a one-file pre-commit run loads: only the code of the work it does (start-up is most of its time)."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO, REPO, modules_imported_by

# The cross-file resolver (its results are reused while no interface changed), RT210's split planner
# (for oversized files only).
NOT_LOADED = ("rust_triage.graph.resolve", "rust_triage.graph.scopes", "rust_triage.families.size.decompose",
              "rust_triage.families.size.clustering")


@pytest.fixture(scope="module")
def one_file_run_modules(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The modules a one-file run imports after a workspace run and a body edit of that file."""
    tmp = tmp_path_factory.mktemp("startup")
    demo = tmp / "demo"
    shutil.copytree(DEMO, demo)
    target = demo / "crates" / "server" / "src" / "handlers.rs"
    cache = tmp / "cache"
    cli = [sys.executable, "-m", "rust_triage", "check", "--format", "json", "--cache-dir", str(cache),
           "-o", str(tmp / "out.json")]
    warm = subprocess.run([*cli, str(demo)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert warm.returncode in (0, 1), warm.stderr
    target.write_text(target.read_text().replace("from_millis(5)", "from_millis(7)", 1))  # a body edit
    listing = tmp / "modules.txt"
    return modules_imported_by(listing, "check", str(target), "--format", "json", "--cache-dir", str(cache),
                               "-o", str(tmp / "one.json"))


@pytest.mark.parametrize("module", NOT_LOADED)
def test_a_one_file_run_does_not_import_what_it_does_not_run(one_file_run_modules: list[str], module: str) -> None:
    assert "rust_triage.families.risk" in one_file_run_modules  # the run did rank its findings
    assert module not in one_file_run_modules


def test_start_up_records_are_not_dataclasses() -> None:
    """Records built on every run are msgspec Structs: a dataclass's generated methods cost about 0.6 ms
    each to create at import, a Struct's about 0.03 ms."""
    from rust_triage.engine.config import Config
    from rust_triage.engine.registry import Registry
    from rust_triage.parse.queries import QuerySpec
    from rust_triage.workspace.model import ModuleTree, Package, Target

    for record in (Config, Registry, QuerySpec, ModuleTree, Package, Target):
        assert not dataclasses.is_dataclass(record), record


def test_records_keep_their_repr_and_equality() -> None:
    """The run key hashes `repr(config)`; equal records compare equal, frozen ones hash."""
    from rust_triage.engine.config import Config, PathOverride
    from rust_triage.parse.queries import QuerySpec

    config = Config(select=["RT1"], overrides=[PathOverride(paths=["a/**"], severity={"RT001": "low"})],
                    source=Path("/x"))
    assert repr(config).startswith("Config(select=['RT1'], ignore=[], severity={}, fail_on='low', ")
    assert "overrides=[PathOverride(paths=['a/**'], select=[], ignore=[], severity={'RT001': 'low'})]" in repr(config)
    assert config == Config(select=["RT1"], overrides=[PathOverride(paths=["a/**"], severity={"RT001": "low"})],
                            source=Path("/x"))
    assert Config().select is not Config().select  # defaults are not shared
    assert {QuerySpec("RT1", "(x)"), QuerySpec("RT1", "(x)")} == {QuerySpec("RT1", "(x)")}
