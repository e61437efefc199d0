"""Clippy-style fixture expectations: every finding in the fixture workspaces is marked on its line.

A line carries `// expect: RT001` (`# expect: RT001` in Python and TOML files; several ids separated
by commas); `expect^: RT230` points at the line above (`^^` two lines above), as compiletest's `//~^`,
for lines that cannot take a comment of their own (a suppression comment's reason). One test per fixture file asserts that the set of (line, rule) findings equals the set of
markers exactly: a new false positive fails as surely as a lost finding. Known, accepted limitations
are marked explicitly instead (see CONTRIBUTING.md):

- `known-false-positive: RT310 -- why`: reported, although it should not be;
- `known-false-negative: RT310 -- why`: not reported, although it should be.

Both are checked too, so fixing the limitation makes the test say to turn the marker into `expect`
(or remove it).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

WORKSPACES = (
    "async", "broken", "config", "crisis", "debt", "demo", "examples", "mixed", "proposals", "pyo3", "risk",
    "suppress", "types", *(f"layouts/{p.name}" for p in sorted((FIXTURES / "layouts").iterdir()) if p.is_dir()),
)
SUFFIXES = (".rs", ".py", ".toml")
_MARKER = r"{comment}\s*(expect|known-false-positive|known-false-negative)(\^*):\s*(RT\d+(?:\s*,\s*RT\d+)*)"
_MARKERS = {".rs": re.compile(_MARKER.format(comment="//")), ".py": re.compile(_MARKER.format(comment="#")),
            ".toml": re.compile(_MARKER.format(comment="#"))}
_SKIP_PARTS = {"target", ".git", "__pycache__"}


def markers(path: Path) -> dict[str, set[tuple[int, str]]]:
    """{kind: {(line, rule)}} for the markers in one file."""
    found: dict[str, set[tuple[int, str]]] = {"expect": set(), "known-false-positive": set(),
                                               "known-false-negative": set()}
    pattern = _MARKERS[path.suffix]
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        for kind, up, ids in pattern.findall(line):
            found[kind].update((number - len(up), rule.strip()) for rule in ids.split(","))
    return found


@cache
def findings(workspace: str) -> dict[str, set[tuple[int, str]]]:
    """{rel path: {(line, rule)}} from one real CLI run over the fixture workspace."""
    proc = run_cli("check", str(FIXTURES / workspace), "--format", "json", "--no-cache", "--include-tests")
    assert proc.returncode in (0, 1), proc.stderr
    by_file: dict[str, set[tuple[int, str]]] = {}
    for f in json.loads(proc.stdout)["findings"]:
        by_file.setdefault(f["file"], set()).add((f["line"], f["rule"]))
    return by_file


def _cases() -> list[tuple[str, str]]:
    cases = []
    for workspace in WORKSPACES:
        root = FIXTURES / workspace
        for path in sorted(root.rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and not _SKIP_PARTS & set(path.parts):
                cases.append((workspace, path.relative_to(root).as_posix()))
    return cases


@pytest.mark.parametrize(("workspace", "rel"), _cases())
def test_findings_match_the_markers_exactly(workspace: str, rel: str) -> None:
    marked = markers(FIXTURES / workspace / rel)
    actual = findings(workspace).get(rel, set())
    expected = marked["expect"] | marked["known-false-positive"]
    missing, unexpected = sorted(expected - actual), sorted(actual - expected)
    assert not missing and not unexpected, f"{workspace}/{rel}: missing {missing}, unexpected {unexpected}"
    fixed = sorted(marked["known-false-negative"] & actual)
    assert not fixed, f"{workspace}/{rel}: now reported, turn known-false-negative into expect: {fixed}"


def test_every_workspace_finding_is_in_a_checked_file() -> None:
    checked = {(w, rel) for w, rel in _cases()}
    stray = [(w, rel) for w in WORKSPACES for rel in findings(w) if (w, rel) not in checked]
    assert stray == []


def test_every_fixture_workspace_is_checked() -> None:
    """Every directory of fixtures/ is a workspace checked here (layouts/ holds one per subdirectory)."""
    tops = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert sorted(tops - {w.split("/")[0] for w in WORKSPACES}) == []


def test_every_check_rule_has_a_marked_fixture() -> None:
    """Every rule that `check` can report appears in some fixture (the compiler family's RT900/RT901
    come from `rust-triage cargo`, whose fixtures are cargo JSON files)."""
    from rust_triage.engine.registry import load_registry

    marked = {rule for w, rel in _cases() for _line, rule in markers(FIXTURES / w / rel)["expect"]}
    rules = {r.meta.id for r in load_registry(plugins=False).rules} - {"RT900", "RT901"}
    assert sorted(rules - marked) == []
