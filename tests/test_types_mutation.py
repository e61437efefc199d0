"""benches/mutate_types.py: finds mutation sites everywhere (also in macro arguments) and runs end to end."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "benches"))
import mutate_types  # noqa: E402

from rust_triage.families.types.oracle import cargo_check  # noqa: E402


def test_mutation_sites() -> None:
    source = b"""#[derive(Debug, Clone)]
pub struct A { pub x: u32, pub y: u32 }
pub struct P(pub u32, pub u32);
pub fn f() -> Vec<A> { vec![A { x: 1, y: 2 }, keep!(A { x: 3, y: 4 })] }
pub fn g() -> P { P(1, 2) }
"""
    fields = mutation_texts(source, mutate_types.field_mutations)
    assert "pub fn f() -> Vec<A> { vec![A { y: 2 }, keep!(A { x: 3, y: 4 })] }" in fields
    assert "pub fn f() -> Vec<A> { vec![A { x: 1, y: 2 }, keep!(A { x: 3 })] }" in fields
    assert len(fields) == 4
    args = mutation_texts(source, mutate_types.argument_mutations)
    assert args == ["pub fn g() -> P { P(2) }", "pub fn g() -> P { P(1) }"]
    derives = mutation_texts(source, mutate_types.derive_mutations)
    assert derives == ["#[derive(Clone)]", "#[derive(Debug)]"]


def mutation_texts(source: bytes, find) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for m in find("lib.rs", source):
        mutated = source[: m.start] + m.replacement + source[m.end :]
        changed = [a for a, b in zip(mutated.decode().splitlines(), source.decode().splitlines(), strict=False)
                   if a != b]
        out.append(changed[0])
    return out


def test_small_run_reports_precision_and_recall(cargo: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert mutate_types.main(["--fields", "2", "--derives", "2", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    rows = {m.group(1): m for m in re.finditer(r"^(fields|derives)\s+(\d+)\s+.*?([01]\.\d{3})\s+([01]\.\d{3})", out, re.M)}
    assert set(rows) == {"fields", "derives"}
    assert all(int(m.group(2)) == 2 for m in rows.values())


def test_classes_of_mutation_sites() -> None:
    source = b"""pub struct A { pub x: u32, pub y: u32 }
pub enum E { V { a: u32 } }
pub type B = A;
pub const C: A = A { x: 1, y: 2 };
impl A { pub fn new() -> Self { Self { x: 1, y: 2 } } }
pub fn f() -> E { E::V { a: 1 } }
pub fn g() -> B { B { x: 1, y: 2 } }
#[cfg(test)]
mod tests {
    fn t() -> super::A { super::A { x: 1, y: 2 } }
}
"""
    found = {(m.what.split(" from ")[1].split("`")[1], m.cls, m.in_test)
             for m in mutate_types.field_mutations("src/lib.rs", source, {"A"})}
    assert found == {("A", "const", False), ("Self", "self", False), ("E::V", "variant", False),
                     ("B", "alias", False), ("super::A", "plain", True)}


def test_derive_error_classes() -> None:
    from mutation_classes import derive_class

    assert derive_class("E0277", '    println!("{:?}", x);') == "debug-format"
    assert derive_class("E0277", "    assert_eq!(a, b);") == "assert"
    assert derive_class("E0277", "    r.unwrap()") == "unwrap"
    assert derive_class("E0369", "    a < b") == "compare"
    assert derive_class("E0277", "    pub items: Vec<Item>,") == "propagation"
    assert derive_class("E0507", "    *r") == "move-out"
    body = ["fn f(p: P) {", "    for _ in 0..3 {", "        if x {", "        }", "        take(p);", "    }", "}"]
    assert derive_class("E0382", body[4], body, 5) == "move-in-loop"
    straight = ["fn f(p: P) {", "    for _ in 0..3 {", "    }", "    take(p);", "    p.x", "}"]
    assert derive_class("E0382", straight[4], straight, 5) == "use-after-move"


def test_debian_manifest_loses_its_dev_dependencies() -> None:
    from real_crates import strip_dev_dependencies

    manifest = """[package]
name = "x"
[dependencies.a]
version = "1"
[dev-dependencies.b]
version = "1"
[target."cfg(unix)".dev-dependencies]
c = "1"
[features]
default = []
"""
    assert strip_dev_dependencies(manifest) == """[package]
name = "x"
[dependencies.a]
version = "1"
[features]
default = []
"""


def test_a_check_that_fails_other_than_on_compile_errors_is_no_verdict(cargo: str, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A crate whose build script fails gives cargo no compile error to report: that check says nothing of
    the code, so no check mode is clean (it used to be taken as clean, and every mutation as harmless)."""
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    (ws / "Cargo.toml").write_text('[package]\nname = "failing"\nversion = "0.1.0"\nedition = "2021"\n')
    (ws / "build.rs").write_text('fn main() { panic!("no build here") }\n')
    (ws / "src" / "lib.rs").write_text("#[derive(Debug, Clone)]\npub struct A(pub u32);\n")
    check = cargo_check(ws, tmp_path / "target", cargo)
    assert check.errors == [] and "failed to run custom build command" in check.failure
    assert "process didn't exit successfully" in check.failure  # with its cause
    monkeypatch.setattr(mutate_types, "RETRY_PAUSE", 0.0)
    assert mutate_types.open_workspace("failing", ws, tmp_path, cargo, (("--all-targets",), ("--lib",))) is None
