"""Cache entries: exact round trips of every facts type, and a miss -- never an error -- for anything else."""

from __future__ import annotations

import os
import pickle
import typing
from pathlib import Path

import msgspec
import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from rust_triage.families.python.extract import extract_python
from rust_triage.families.python.facts import PyFacts
from rust_triage.families.python.parse import PyFactsCache, cache_salt
from rust_triage.parse.cache import FactsCache
from rust_triage.parse.cache_format import HEADER_SIZE, StatIndex, codec_for, entry_tag, frame
from rust_triage.parse.extract import extract_file
from rust_triage.parse.facts import FileFacts
from rust_triage.parse.registry import all_extractors

SAMPLE = b"""use std::collections::HashMap;
#[derive(Debug, Clone)]
pub struct S { a: Vec<u8>, m: HashMap<String, u8> }
pub enum E { A(u8, String), B { x: u8 } }
impl S {
    pub async fn run(&self, v: S) -> Result<(), E> {
        let g = self.m.lock().unwrap();
        let s = S { a: vec![1], ..Default::default() };
        let t = s;
        println!("{:?}", s);
        v.a.b.c.d.e.f.g.iter().map(|&x| x.clone());
        std::thread::sleep(d).await;
        todo!()
    }
}
#[cfg(test)]
mod tests { #[test] fn t() { assert!(super::f().is_ok()); } }
"""


def _types(facts: FileFacts) -> dict[str, type]:
    return {name: type(section) for name, section in facts.extra.items()}


def _rust_facts() -> list[FileFacts]:
    facts = [extract_file(SAMPLE)]
    for path in sorted(FIXTURES.rglob("*.rs")):
        try:
            facts.append(extract_file(path.read_bytes()))
        except (RecursionError, UnicodeDecodeError):
            continue
    return facts


def test_every_file_facts_round_trips_with_typed_sections() -> None:
    codec = codec_for(FileFacts)
    names = [e.name for e in all_extractors()]
    checked = 0
    for facts in _rust_facts():
        assert list(facts.extra) == names
        again = codec.decode(codec.encode(facts))
        assert again == facts  # == is exact: a tuple decoded as a list would differ
        assert _types(again) == _types(facts)
        checked += 1
    assert checked > 50


def test_every_extractor_declares_the_type_of_its_section() -> None:
    facts = extract_file(SAMPLE)
    for ext in all_extractors():
        origin = typing.get_origin(ext.section) or ext.section
        assert isinstance(facts.extra[ext.name], origin), ext.name
        assert msgspec.convert(msgspec.to_builtins(facts.extra[ext.name]), ext.section) == facts.extra[ext.name]


def test_deepest_expressions_stay_tuples() -> None:
    types = codec_for(FileFacts).decode(codec_for(FileFacts).encode(extract_file(SAMPLE))).extra["types"]
    init = next(b.init for b in types.bindings if b.name == "x")
    depth = 0
    while isinstance(init, tuple) and len(init) > 1:
        depth, init = depth + 1, init[1]
    assert depth >= 10 and isinstance(init, str)


def test_python_facts_round_trip() -> None:
    sources = [p.read_bytes() for p in sorted((FIXTURES / "mixed").rglob("*.py"))]
    sources.append(b"def broken(:\n")  # a syntax error is recorded, not raised
    codec = codec_for(PyFacts)
    for data in sources:
        facts = extract_python(data)
        assert codec.decode(codec.encode(facts)) == facts
    assert extract_python(sources[-1]).syntax_error is not None


def test_stat_index_round_trips() -> None:
    index = {"/w/src/lib.rs": (120, 1_700_000_000_123_456_789, "ab" * 20)}
    assert codec_for(StatIndex).decode(codec_for(StatIndex).encode(index)) == index


def _cache(tmp_path: Path) -> tuple[FactsCache, str, FileFacts, Path]:
    cache = FactsCache(tmp_path, "salt")
    facts = extract_file(SAMPLE)
    key = cache.key(SAMPLE)
    cache.put(key, facts)
    assert cache.get(key) == facts
    entries = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(entries) == 1
    return cache, key, facts, entries[0]


def _forged(entry: Path, payload: bytes) -> bytes:
    """`payload` under the entry's own header fields, with a correct checksum: what a writer could forge."""
    return frame(payload, entry.read_bytes()[10:26])


@pytest.mark.parametrize("damage", [
    "truncated-header", "truncated-payload", "trailing-bytes", "bad-checksum", "other-format-version",
    "other-tag", "forged-wrong-shape", "forged-deep-nesting", "pickle", "directory", "fifo", "symlink",
])
def test_anything_but_a_valid_entry_is_a_miss(tmp_path: Path, damage: str) -> None:
    cache, key, _, entry = _cache(tmp_path / "cache")
    data = entry.read_bytes()
    if damage == "truncated-header":
        entry.write_bytes(data[: HEADER_SIZE - 1])
    elif damage == "truncated-payload":
        entry.write_bytes(data[:-1])
    elif damage == "trailing-bytes":
        entry.write_bytes(data + b"\0")
    elif damage == "bad-checksum":
        entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif damage == "other-format-version":
        entry.write_bytes(data[:8] + b"\xff\xff" + data[10:])
    elif damage == "other-tag":  # same key, written by another version or for another value type
        entry.write_bytes(frame(data[HEADER_SIZE:], entry_tag(b"other", "FileFacts")))
    elif damage == "forged-wrong-shape":
        entry.write_bytes(_forged(entry, msgspec.msgpack.encode({"line_count": "many", "extra": {"x": 1}})))
    elif damage == "forged-deep-nesting":
        entry.write_bytes(_forged(entry, b"\x91" * 100_000 + b"\xc0"))
    elif damage == "pickle":
        entry.write_bytes(pickle.dumps(FileFacts()))
    elif damage == "directory":
        entry.unlink()
        entry.mkdir()
    elif damage == "fifo":
        entry.unlink()
        os.mkfifo(entry)
    else:
        real = tmp_path / "real-entry"
        real.write_bytes(data)
        entry.unlink()
        entry.symlink_to(real)
    assert cache.get(key) is None


def test_entries_of_another_kind_are_misses(tmp_path: Path) -> None:
    rust, python = FactsCache(tmp_path, cache_salt(), value_type=FileFacts), PyFactsCache(tmp_path, cache_salt())
    key = python.key(b"x = 1\n")
    rust.put(key, extract_file(SAMPLE))  # same salt and key: only the type in the header tells them apart
    assert python.get(key) is None and rust.get(key) is not None
    scope = str(tmp_path)
    rust.save_stat_index(scope, {"/a.rs": (1, 2, key)})
    index_file = next((tmp_path / "index").iterdir())
    index_file.write_bytes((tmp_path / key[:2] / f"{key[2:]}.msgpack").read_bytes())
    assert rust.load_stat_index(scope) == {}


def test_keys_from_a_stat_index_are_checked(tmp_path: Path) -> None:
    cache, key, _, entry = _cache(tmp_path / "cache")
    (tmp_path / "outside.msgpack").write_bytes(entry.read_bytes())  # a valid entry, outside the cache dir
    for planted in ("xx" + str(tmp_path / "outside"), "../../outside", key.upper(), key[:-1]):
        assert cache.get(planted) is None


def test_unencodable_paths_stay_out_of_the_stat_index(tmp_path: Path) -> None:
    cache = FactsCache(tmp_path, "salt")
    odd = os.fsdecode(b"/w/caf\xe9.rs")  # not UTF-8: a surrogate in the str
    cache.save_stat_index("scope", {odd: (1, 2, "ab" * 20), "/w/ok.rs": (3, 4, "cd" * 20)})
    assert cache.load_stat_index("scope") == {"/w/ok.rs": (3, 4, "cd" * 20)}


_PAYLOAD = codec_for(FileFacts).encode(extract_file(SAMPLE))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_mutated_payloads_decode_or_fail_cleanly(data: st.DataObject) -> None:
    """What a writer who also fixes the checksum can do: the decoder gives a FileFacts or a DecodeError."""
    payload = bytearray(_PAYLOAD)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, max(0, len(payload) - 1)))
        op = data.draw(st.sampled_from(["flip", "cut", "dup"]))
        if op == "flip" and payload:
            payload[at] ^= data.draw(st.integers(1, 255))
        elif op == "cut":
            del payload[at: at + data.draw(st.integers(1, 64))]
        else:
            payload[at:at] = payload[at: at + data.draw(st.integers(1, 64))]
    try:
        found = codec_for(FileFacts).decode(bytes(payload))
    except msgspec.DecodeError:
        return
    assert isinstance(found, FileFacts)
