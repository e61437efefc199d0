"""Interface digests: the shape holds when only positions move, the positions do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from rust_triage.engine.interface import interface_digests
from rust_triage.parse.extract import extract_file
from rust_triage.parse.source import SourceFile

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

SAMPLE = b"""use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Item { pub id: u32, name: String }

pub enum Shape { Pair(u32, String), Unit }

pub fn build(id: u32) -> Item {
    let name = format!("item {}", id);
    let item = Item { id, name };
    let again = item;
    println!("{:?}", item);
    again
}

pub async fn run(lock: &std::sync::Mutex<u32>) {
    let guard = lock.lock().unwrap();
    tokio::task::yield_now().await;
    drop(guard);
}

#[cfg(test)]
mod tests {
    #[test]
    fn builds() { assert_eq!(super::build(1).id, 1); }
}
"""


def _digests(source: bytes) -> tuple[str, str]:
    return interface_digests(SourceFile(path=Path("x.rs"), rel="x.rs", stored_facts=extract_file(source)))


def _fixture_sources() -> list[Path]:
    return [p for p in sorted(FIXTURES.rglob("*.rs")) if not p.read_bytes().startswith((b"\xef\xbb\xbf", b"#!"))]


@pytest.mark.parametrize("edit", [
    (b"    let item = Item { id, name };\n", b"    // a comment that moves the lines below\n\n"
                                             b"    let item = Item { id, name };\n"),
    (b"    let item = Item { id, name };\n", b"    let item = Item {  id,   name  };\n"),  # columns only
    (b"pub fn build(id: u32) -> Item {\n", b"\n\npub fn build(id: u32) -> Item {\n"),  # items below move
    (b"    fn builds() { assert_eq!", b"    fn builds() {\n        assert_eq!"),  # a span grows
])
def test_moved_positions_keep_the_shape(edit: tuple[bytes, bytes]) -> None:
    old, new = edit
    assert old in SAMPLE
    before, after = _digests(SAMPLE), _digests(SAMPLE.replace(old, new, 1))
    assert before[0] == after[0]
    assert before[1] != after[1]


@pytest.mark.parametrize("edit", [
    (b"    let again = item;\n", b"    let again = item.clone();\n"),  # a call
    (b"name: String }", b"name: String, size: u32 }"),  # a field
    (b"Pair(u32, String)", b"Pair(u32, String, u8)"),  # a tuple variant's arity
    (b"#[derive(Debug, Clone)]", b"#[derive(Debug)]"),
    (b"    fn builds() { assert_eq!(super::build(1).id, 1); }", b"    fn builds() {}"),  # a body emptied
])
def test_interface_edits_change_the_shape(edit: tuple[bytes, bytes]) -> None:
    old, new = edit
    assert old in SAMPLE
    assert _digests(SAMPLE)[0] != _digests(SAMPLE.replace(old, new, 1))[0]


def test_every_position_field_is_erased_on_the_fixtures() -> None:
    """Moving all lines down by one keeps every fixture file's shape: a position field the erasure does
    not know (a new extractor section's line or byte offset) fails here."""
    sources = _fixture_sources()
    assert len(sources) > 100
    moved = []
    for path in sources:
        source = path.read_bytes()
        try:
            before, after = _digests(source), _digests(b"\n" + source)
        except (RecursionError, UnicodeDecodeError):
            continue
        if before[0] != after[0]:
            moved.append(str(path.relative_to(FIXTURES)))
    assert moved == []
