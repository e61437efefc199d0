"""Blast radius from the crate+module graph: dependent files are the files that truly use a file (a module
import counts against the module's own file, not the file declaring `mod x;`; test code does not count),
and centrality ranks a leaf module many files use above a crate root nobody imports."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli

FILES = {
    "Cargo.toml": '[workspace]\nmembers = ["base", "app"]\nresolver = "2"\n',
    "base/Cargo.toml": '[package]\nname = "base"\nversion = "0.1.0"\nedition = "2021"\n',
    "base/src/lib.rs": "pub mod leaf;\npub mod a;\npub mod b;\npub mod c;\npub mod d;\n\n"
                       "pub fn root_helper(s: &str) -> u8 {\n    s.parse().unwrap()\n}\n",
    "base/src/leaf.rs": "pub struct Thing(pub u8);\n\npub fn parse(s: &str) -> u8 {\n    s.parse().unwrap()\n}\n",
    # a: imports the module itself; b: imports an item; c: uses a (so leaf, transitively)
    "base/src/a.rs": "use crate::leaf;\n\npub fn first(t: leaf::Thing) -> u8 {\n    t.0\n}\n",
    "base/src/b.rs": "use crate::leaf::Thing;\n\npub fn second(t: Thing) -> u8 {\n    t.0\n}\n",
    "base/src/c.rs": "use crate::a;\n\npub fn third() -> u8 {\n    a::first(crate::leaf::Thing(1))\n}\n",
    # d: only its tests use leaf: not a dependent
    "base/src/d.rs": "pub fn fourth() -> u8 {\n    4\n}\n\n#[cfg(test)]\nmod tests {\n    use crate::leaf::parse;\n\n"
                     "    #[test]\n    fn parses() {\n        assert_eq!(parse(\"1\"), 1);\n    }\n}\n",
    "app/Cargo.toml": '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n'
                      '[dependencies]\nbase = { path = "../base" }\n',
    "app/src/main.rs": "use base::leaf;\n\nfn main() {\n    println!(\"{}\", leaf::parse(\"2\"));\n}\n",
}
# Hand count for base/src/leaf.rs: a.rs (module import), b.rs (item import), c.rs (through a.rs),
# app/src/main.rs (call). Not lib.rs (it only declares `mod leaf;`), not d.rs (test code only).
LEAF_DEPENDENTS = 4


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("centrality")
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    proc = run_cli("plan", str(root), "--select", "RT001", "--format", "json", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _p1(plan: dict) -> list[dict]:
    return next(p for p in plan["phases"] if p["id"] == "P1")["tasks"]


def test_leaf_used_everywhere_ranks_above_unused_root(plan: dict) -> None:
    tasks = _p1(plan)
    assert [t["files"][0]["file"] for t in tasks] == ["base/src/leaf.rs", "base/src/lib.rs"]
    leaf, root = (t["blast_radius"] for t in tasks)
    assert leaf["centrality"] > 1.0 > root["centrality"]
    assert leaf["score"] > root["score"]
    assert tasks[0]["priority"] > tasks[1]["priority"]


def test_dependent_files_is_a_true_count(plan: dict) -> None:
    leaf, root = (t["blast_radius"] for t in _p1(plan))
    assert (leaf["dependent_files"], leaf["dependent_crates"]) == (LEAF_DEPENDENTS, 1)
    assert (root["dependent_files"], root["dependent_crates"]) == (0, 0)


def test_plan_is_deterministic(plan: dict) -> None:
    again = run_cli("plan", plan["root"], "--select", "RT001", "--format", "json", "--no-cache")
    assert [t["blast_radius"] for t in _p1(json.loads(again.stdout))] == [t["blast_radius"] for t in _p1(plan)]
