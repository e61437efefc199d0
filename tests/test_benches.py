"""The benchmark scripts: the corpus generator writes a valid, deterministic workspace; bench.py runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import tree_sitter
import tree_sitter_rust
from conftest import cargo_bin

BENCHES = Path(__file__).resolve().parent.parent / "benches"
MAKE_CORPUS = BENCHES / "make_corpus.py"
BENCH = BENCHES / "bench.py"
CARGO = cargo_bin()


def run(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=120)


def make(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = run(MAKE_CORPUS, *args, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return proc


def tree_of(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "ws"
    proc = make(out, "12", "--files-per-crate", "4", "--seed", "0")
    assert re.search(r"wrote 12 files, \d+ lines", proc.stdout), proc.stdout
    return out


def reached_files(crate_dir: Path) -> set[Path]:
    """Files reachable from src/lib.rs through `pub mod x;`; fails if a declared module has no file."""
    seen: set[Path] = set()
    todo = [crate_dir / "src" / "lib.rs"]
    while todo:
        file = todo.pop()
        seen.add(file)
        own_dir = file.parent if file.name in ("lib.rs", "mod.rs") else file.with_suffix("")
        for name in re.findall(r"^pub mod (\w+);$", file.read_text(), re.M):
            candidates = [own_dir / f"{name}.rs", own_dir / name / "mod.rs"]
            found = [c for c in candidates if c.is_file()]
            assert len(found) == 1, f"{file}: mod {name} -> {found}"
            todo.append(found[0])
    return seen


def test_workspace_has_member_crates_and_a_resolving_module_tree(corpus: Path) -> None:
    manifest = (corpus / "Cargo.toml").read_text()
    members = re.findall(r'"(crates/\w+)"', manifest)
    assert len(members) == 3
    files = set(corpus.rglob("*.rs"))
    assert len(files) == 12
    reached: set[Path] = set()
    for member in members:
        reached |= reached_files(corpus / member)
    assert reached == files  # no orphan file, no missing module file


@pytest.mark.cargo
def test_cargo_metadata_accepts_the_workspace(corpus: Path) -> None:
    proc = subprocess.run([str(CARGO), "metadata", "--no-deps", "--offline", "--format-version", "1"],
                          cwd=corpus, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    deps = {p["name"]: [d["name"] for d in p["dependencies"]] for p in json.loads(proc.stdout)["packages"]}
    # each crate after the first depends on the one before it
    assert deps == {"core_0": [], "net_1": ["core_0"], "storage_2": ["net_1"]}


def test_every_file_parses_without_errors(corpus: Path) -> None:
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_rust.language()))
    for path in sorted(corpus.rglob("*.rs")):
        tree = parser.parse(path.read_bytes())
        assert not tree.root_node.has_error, path


def test_corpus_contains_the_constructs_rules_look_at(corpus: Path) -> None:
    text = "\n".join(p.read_text() for p in corpus.rglob("*.rs"))
    for needle in [".unwrap()", '.expect("', "#[cfg(test)]", "#[test]", "async fn", "impl ", " for ",
                   "use crate::", "super::", "println!(", "format!(", "vec![", "#[derive(", "pub enum",
                   "pub trait", "match ", "TODO", "unwrap() only in tests", "::new(", "/// "]:
        assert needle in text, needle
    lines = [len(p.read_text().splitlines()) for p in corpus.rglob("*.rs")]
    assert min(lines) >= 50 and max(lines) > 200


def test_generation_is_deterministic_for_a_seed(corpus: Path, tmp_path: Path) -> None:
    make(tmp_path / "again", "12", "--files-per-crate", "4", "--seed", "0")
    make(tmp_path / "other", "12", "--files-per-crate", "4", "--seed", "1")
    assert tree_of(tmp_path / "again") == tree_of(corpus)
    assert tree_of(tmp_path / "other") != tree_of(corpus)


def test_lines_target_writes_at_least_that_many_lines(tmp_path: Path) -> None:
    proc = make(tmp_path / "ws", "--lines", "3000", "--files-per-crate", "5")
    total = sum(len(p.read_text().splitlines()) for p in (tmp_path / "ws").rglob("*.rs"))
    assert total >= 3000
    assert f"{total} lines" in proc.stdout
    for crate in (tmp_path / "ws" / "crates").iterdir():
        reached_files(crate)


def test_make_corpus_refuses_a_foreign_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    proc = run(MAKE_CORPUS, "3", "--out", str(tmp_path))
    assert proc.returncode != 0
    assert "not empty" in proc.stderr and "Traceback" not in proc.stderr
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_bench_floor_only(corpus: Path) -> None:
    proc = run(BENCH, str(corpus), "--only", "floor")
    assert proc.returncode == 0, proc.stderr
    floor = [line for line in proc.stdout.splitlines() if line.startswith("floor")]
    assert len(floor) == 1 and "12 files" in floor[0], proc.stdout
    assert float(floor[0].split()[1]) > 0


def test_query_floor_runs_every_rules_query(corpus: Path) -> None:
    """The query floor parses and runs the combined query: more matches than files, every pattern counted."""
    sys.path.insert(0, str(BENCHES))
    try:
        from bench import measure_query_floor, rust_files
    finally:
        sys.path.remove(str(BENCHES))
    result = measure_query_floor(rust_files(corpus), 1)
    matches, patterns = map(int, re.findall(r"\d+", result.note))
    assert result.label == "query floor" and result.seconds > 0
    assert matches > len(rust_files(corpus)) and patterns >= 40, result.note


def test_bench_rejects_bad_arguments(tmp_path: Path) -> None:
    missing = run(BENCH, str(tmp_path / "nope"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    unknown = run(BENCH, str(tmp_path), "--only", "floor,speed")
    assert unknown.returncode == 2 and "speed" in unknown.stderr
    assert "Traceback" not in missing.stderr + unknown.stderr


def test_bench_runs_the_cli(corpus: Path) -> None:
    proc = run(BENCH, str(corpus), "--only", "cold,warm,onefile")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for label in ("cold", "warm", "onefile"):
        row = re.search(rf"^{label}\s+(\d+\.\d+)\s+\S+\s+(\d+)\s+([01])\s+(\d+) findings", proc.stdout, re.M)
        assert row, proc.stdout
        assert float(row.group(1)) > 0 and int(row.group(2)) > 10  # seconds, peak RSS in MiB
    assert re.search(r"^warm / cold\s+\d+\.\d+\s+target <= 0\.1x\s+(PASS|MISS)$", proc.stdout, re.M), proc.stdout
