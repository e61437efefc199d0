"""RT312 use-after-move-needs-copy against rustc's E0382 on the moves fixtures."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, check_json

MOVES = FIXTURES / "types" / "moves"


def _rustc_e0382(cargo: str, crate: Path, target: Path) -> set[tuple[str, int]]:
    proc = subprocess.run(
        [cargo, "check", "--offline", "--message-format=json", "--quiet"],
        cwd=crate, capture_output=True, text=True, env={**os.environ, "CARGO_TARGET_DIR": str(target)},
    )
    sites = set()
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        message = record.get("message") or {}
        if (message.get("code") or {}).get("code") == "E0382":
            span = next(s for s in message["spans"] if s["is_primary"])
            sites.add((span["file_name"], span["line_start"]))
    return sites


def _found(crate: Path) -> set[tuple[str, int]]:
    report = check_json(str(crate), "--select", "RT312")
    return {(f["file"], f["line"]) for f in report["findings"]}


def test_broken_matches_rustc_where_copy_is_derivable(cargo: str, tmp_path: Path) -> None:
    rustc = _rustc_e0382(cargo, MOVES / "broken", tmp_path / "target")
    found = _found(MOVES / "broken")
    assert rustc == {("src/lib.rs", 9), ("src/lib.rs", 15), ("src/lib.rs", 21)}
    assert found <= rustc  # precision: every finding is a real E0382
    assert found == {("src/lib.rs", 9), ("src/lib.rs", 15)}  # `Named` holds a String: no derive fixes it


def test_clean_variant_compiles_and_has_no_findings(cargo: str, tmp_path: Path) -> None:
    assert _rustc_e0382(cargo, MOVES / "clean", tmp_path / "target") == set()
    assert _found(MOVES / "clean") == set()


@pytest.mark.parametrize("line", [9, 15])
def test_finding_points_at_move_and_definition(line: int) -> None:
    report = check_json(str(MOVES / "broken"), "--select", "RT312")
    finding = next(f for f in report["findings"] if f["line"] == line)
    messages = [r["message"] for r in finding["related"]]
    assert any("moved here" in m for m in messages) and any("defined here" in m for m in messages)
    assert finding["related"][1]["file"] == "src/geo.rs"
    assert "derive(Clone, Copy)" in finding["fix_hint"]


def _rustc_moves(cargo: str, crate: Path, target: Path) -> set[tuple[str, int, int]]:
    """Where rustc reports a use after move (E0382) or a move out of a reference (E0507)."""
    proc = subprocess.run(
        [cargo, "check", "--offline", "--message-format=json", "--quiet"],
        cwd=crate, capture_output=True, text=True, env={**os.environ, "CARGO_TARGET_DIR": str(target)},
    )
    sites = set()
    for line in proc.stdout.splitlines():
        message = json.loads(line).get("message") or {}
        if (message.get("code") or {}).get("code") in ("E0382", "E0507"):
            span = next(s for s in message["spans"] if s["is_primary"])
            sites.add((span["file_name"], span["line_start"], span["column_start"]))
    return sites


def test_generic_index_type_moves_match_rustc(cargo: str, tmp_path: Path) -> None:
    """`Id<T>` lost its `Copy`: parameters of the generic type, moves into an array in a literal, in an
    `if let` condition, by the inherent `index(self)` beside a trait's `index(&self)`, locals bound by an
    inherent method a trait repeats, chains of moves, moves inside `assert!`, a generic alias; silent in fns rustc stops
    type-checking (a `Copy`-bounded generic call, an array repeat; not a `vec![x; n]`); a use in a `for` loop that
    moves again and a later one: the later one, which rustc reports. Loops: moves in `while` / `while let` conditions (silent when the body always
    panics), in a loop nested in a loop body, past a `break` under an `if` or a `?`; a body move followed by a use
    after the loop (rustc reports that use). Chains of moves by a by-value method, and through a move in a `while` condition. Moves out of an index (of a `Vec`, of an array field behind a
    reference, also as the receiver of a by-value method; silent on an owned array and on a slice or array a
    reference points at, E0508). A closure's typed parameter; `let b = a;`; a `for` binding typed by a workspace
    iterator's `type Item`; a move in an `if` condition and a use in its branch (not in one of two arms); a use in a
    `while` condition that moves again."""
    crate = MOVES / "generic"
    rustc = _rustc_moves(cargo, crate, tmp_path / "target")
    report = check_json(str(crate), "--select", "RT310,RT312")
    repeats = {f["line"] for f in report["findings"] if f["detail"].get("use") == "[x; N]"}
    assert repeats == {70}  # the array repeat itself (E0277), besides the moves rustc no longer checks there
    found = {(f["file"], f["line"], f["column"]) for f in report["findings"] if f["detail"].get("use") != "[x; N]"}
    assert found <= rustc  # precision: every finding is an error rustc reports there
    lines = {line for _, line, _ in found}
    assert lines == {12, 18, 26, 38, 39, 40, 41, 55, 101, 109,  # straight-line moves
                     114, 122, 134, 154, 168, 177, 182, 201, 207,  # loops
                     143, 144,  # moves out of an index
                     217, 226, 233,  # a closure parameter, `let b = a;`, past a `vec![x; n]`
                     238, 239,  # a by-value method on an index place
                     252,  # a `for` over a workspace iterator, moved in an `if` condition and used in its branch
                     271,  # moved, then moved again in a `while` condition
                     82,  # moved, then moved again in a `for` body and used after the loop
                     279, 280, 281,  # a chain of moves by a by-value method
                     290, 293,  # moved again in a `while` condition, then used after the loop
                     91}  # moved in a loop body, used later in the body
    assert rustc - found == {("src/lib.rs", 90, 20), ("src/lib.rs", 260, 28)}


def test_moves_through_std_fns_aliases_and_shared_owners_match_rustc(cargo: str, tmp_path: Path) -> None:
    """`Ix<T>` lost its `Copy`: a local bound by a method on a local that only the move's typing names, a type
    alias's constructor (`DiNet::new()`), a generic fn returning `Ix<T>`, `cmp::max` / `mem::replace`, names of a
    tuple pattern typed by the parameter a later use passes them to, a move in the left operand of `&&` used in the right one, and moves out of a `vec![x; n]` element, an `Rc` and an
    `Arc` field (E0507; not out of a `Box`, nor out of names a `match` on a by-value `self` binds), moves in a fn
    that repeats a value of another type that is Copy (`[Mark::end(); 2]`), a parameter `a: Self::Id` of an
    associated type another impl for the type declares: each error rustc reports, and nothing
    else (a module behind a feature the build leaves off is medium confidence, not reported by default)."""
    crate = MOVES / "owners"
    rustc = _rustc_moves(cargo, crate, tmp_path / "target")
    report = check_json(str(crate), "--select", "RT310,RT312")
    found = {(f["file"], f["line"], f["column"]) for f in report["findings"]}
    assert found == rustc
    assert {line for _, line, _ in found} == {62, 73, 80, 90, 97, 102, 108, 118, 123, 160, 179}


def test_moves_out_of_places_and_in_nested_blocks_match_rustc(cargo: str, tmp_path: Path) -> None:
    """Types that lost `Copy`: std `Option` methods taking `self` on fields behind `&mut self`
    (`self.before.unwrap()`), a workspace method taking `self` named like a std borrowing method (`get`) on
    a local, a `Vec` element's field and a `for` binding's field, a nested block's tail (`else { self.cache.2
    }`), a `match` whose arm binds the scrutinee whole (`other => other`), and moves in the blocks of an `if`
    or a loop body: a move and a use in the same block, a move in a branch (or in both) and a use after it.
    Silent on a slice element's field (E0508), on a move in a branch that returns, and on a name a match arm
    binds."""
    crate = MOVES / "places"
    rustc = _rustc_moves(cargo, crate, tmp_path / "target")
    report = check_json(str(crate), "--select", "RT310,RT312")
    found = {(f["file"], f["line"], f["column"]) for f in report["findings"]}
    assert found <= rustc
    assert rustc - found == {("src/lib.rs", 54, 47)}  # the second move on the line: one finding per line
    assert {line for _, line, _ in found} == {50, 54, 61, 66, 74, 86, 97, 106, 114, 123, 130}
