"""The symbol graph only has edges Cargo allows: no call/use edge from crate A into crate B unless A
depends on B, and an ambiguous call gets no guessed edge. Blast radius counts only true dependents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

LIB = """pub struct Config;

impl Config {
    pub fn load(&self) -> u32 {
        1
    }

    pub fn run(&self) -> u32 {
        self.load()
    }
}

pub fn helper() -> u32 {
    2
}
"""


def _crate(root: Path, name: str, deps: list[str], files: dict[str, str]) -> None:
    lines = [f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]']
    lines += [f'{d} = {{ path = "../{d}" }}' for d in deps]
    (root / name / "src").mkdir(parents=True)
    (root / name / "Cargo.toml").write_text("\n".join(lines) + "\n")
    for rel, text in files.items():
        (root / name / rel).write_text(text)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("edges")
    (root / "Cargo.toml").write_text('[workspace]\nmembers = ["alpha", "beta", "gamma"]\nresolver = "2"\n')
    _crate(root, "alpha", [], {"src/lib.rs": LIB})
    _crate(root, "beta", [], {"src/lib.rs": LIB})  # the same names, but nobody depends on beta
    _crate(root, "gamma", ["alpha"], {"src/main.rs": (
        "use alpha::Config;\n\nfn main() {\n    let c = Config;\n    println!(\"{}\", c.run() + alpha::helper());\n}\n")})
    return root


def _file_edges(workspace: Path) -> set[tuple[str, str, str]]:
    proc = run_cli("graph", str(workspace), "--format", "json", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    nodes = {n["id"]: n for n in data["nodes"]}

    def file_of(node_id: str) -> str:
        n = nodes.get(node_id, {})
        return str(n.get("file") or n.get("path") or "")

    out = set()
    for e in data.get("links", data.get("edges", [])):
        if e.get("kind") in ("calls", "uses"):
            out.add((file_of(e["source"]).split("/")[0], file_of(e["target"]).split("/")[0], e["kind"]))
    return out


def test_no_edges_between_crates_that_do_not_depend_on_each_other(workspace: Path) -> None:
    crates = {(a, b) for a, b, _ in _file_edges(workspace) if a != b}
    assert crates == {("gamma", "alpha")}


def test_same_named_methods_resolve_inside_their_own_crate(workspace: Path) -> None:
    edges = _file_edges(workspace)
    assert ("alpha", "alpha", "calls") in edges and ("beta", "beta", "calls") in edges


def test_blast_radius_counts_only_true_dependents(workspace: Path) -> None:
    from rust_triage.pipeline import Options, analyse
    from rust_triage.plan.priority import BlastRadiusIndex

    analysis = analyse(Options(paths=[workspace], no_cache=True, jobs=1))
    blast = BlastRadiusIndex(analysis.context)
    alpha = blast.radius("alpha/src/lib.rs", "crate::Config::load")
    assert (alpha.dependent_files, alpha.dependent_crates) == (1, 1)  # gamma's main.rs, not beta
    assert blast.radius("beta/src/lib.rs").dependent_files == 0
