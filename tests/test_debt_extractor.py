"""The `debt` extractor section: what the parse worker records for the RT2xx rules."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from tree_sitter import Node, Tree

from rust_triage.families.debt.model import DebtFacts
from rust_triage.parse import registry
from rust_triage.parse.cache_format import codec_for
from rust_triage.parse.context import ContextResolver
from rust_triage.parse.extract import extract_file
from rust_triage.parse.facts import FileFacts
from rust_triage.parse.registry import all_extractors

SOURCE = b'''//! crate docs, for now
use std::fmt;

const LIMIT: usize = 3; // trailing comment

/// Documented.
#[derive(Debug)]
pub struct Thing {
    pub a: u32,
    secret: u32,
}

// detached section comment

fn helper() -> u32 {
    // placeholder
    0
}

pub fn load(path: &str) -> Result<(), String> {
    let _ = path;
    Ok(())
}

fn nothing() {}

fn panics() -> u32 { todo!() }

fn returns() -> Vec<u8> { return Vec::new(); }

fn busy(x: u32) -> u32 { let y = x + 1; y * 2 }

impl Thing {
    /// New thing.
    pub fn new() -> Self { Thing { a: LIMIT as u32, secret: helper() } }
}

fn strings(a: &str) {
    let _ = "not implemented";
    if a == "TODO" {}
    match a { "dummy" => {}, _ => {} }
    let _ = ["TODO", "FIXME"];
    println!("TODO: export");
    let _ = a.contains("stub");
    let _ = format!("{}", fmt::Error);
}

#[deprecated(note = "placeholder")]
fn old() {}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(x: u32) { assert_eq!(x, 0); }

    #[test]
    fn t1() { check(helper()); }

    #[test]
    fn t2() { let t = Thing::new(); let _ = t.secret; }

    #[test]
    fn t3() -> Result<(), String> { load("x")?; Ok(()) }

    #[test]
    #[should_panic]
    fn t4() { panics(); }
}
'''


def facts_and_debt() -> tuple:
    facts = extract_file(SOURCE)
    return facts, facts.extra["debt"]


def index(facts: FileFacts, name: str) -> int:
    return next(it.index for it in facts.items if it.name == name and it.kind != "impl")


def test_leading_block_of_each_item() -> None:
    facts, debt = facts_and_debt()
    assert debt.lead[index(facts, "Thing")] == 6  # doc comment + attribute
    assert index(facts, "LIMIT") not in debt.lead  # after the `//!` inner doc and a blank line
    assert index(facts, "helper") not in debt.lead  # the section comment is separated by a blank line
    assert debt.lead[index(facts, "new")] == 34


def test_body_shapes() -> None:
    facts, debt = facts_and_debt()
    assert debt.bodies[index(facts, "helper")] == ("expr", "0")
    assert debt.bodies[index(facts, "load")] == ("expr", "Ok(())")
    assert debt.bodies[index(facts, "nothing")] == ("empty", "")
    assert debt.bodies[index(facts, "panics")] == ("panic", "todo")
    assert debt.bodies[index(facts, "returns")] == ("expr", "Vec::new()")
    assert index(facts, "busy") not in debt.bodies  # a real statement before the result


def test_string_literals_and_their_context() -> None:
    facts, debt = facts_and_debt()
    found = [(s.line, s.text, s.macro) for s in debt.strings]
    assert found == [(39, "not implemented", ""), (43, "TODO: export", "println")]
    assert all(s.item == index(facts, "strings") for s in debt.strings)


def test_test_fn_facts() -> None:
    facts, debt = facts_and_debt()
    t1, t2, t3, t4 = (debt.test_fns[index(facts, n)] for n in ("t1", "t2", "t3", "t4"))
    assert not t1.asserts and "check" in t1.called and "helper" in t1.called
    assert not t2.asserts and not t2.question
    assert t3.question and t3.returns_result
    assert t4.should_panic
    assert "check" in debt.asserting
    assert debt.test_idents == []  # unit tests in a source file: not an integration test file


def test_references_and_fields() -> None:
    facts, debt = facts_and_debt()
    tests = index(facts, "tests")
    assert debt.refs[tests]["helper"] == 1
    assert debt.refs[tests]["Thing"] == 1
    assert {"Thing", "load", "panics", "new"} <= set(debt.refs[tests])
    assert debt.field_refs[tests] == ["secret"]
    impl = next(it.index for it in facts.items if it.kind == "impl")
    assert set(debt.refs[impl]) >= {"LIMIT", "helper"}


def test_integration_files_record_identifiers() -> None:
    facts = extract_file(b"use my_crate::net::connect;\n#[test]\nfn t() { assert!(connect().is_ok()); }\n")
    assert {"my_crate", "net", "connect"} <= set(facts.extra["debt"].test_idents)


def test_long_functions_count_code_lines() -> None:
    body = "\n".join(["    // note", "    let x = 1;", ""] * 10)
    facts = extract_file(f"fn long() {{\n{body}\n}}\n".encode())
    debt = facts.extra["debt"]
    assert debt.fn_code_lines[0] == 12  # 10 statements + the two brace lines


def test_section_round_trips_through_the_cache_codec() -> None:
    _, debt = facts_and_debt()
    codec = codec_for(DebtFacts)
    again = codec.decode(codec.encode(debt))
    assert isinstance(again, DebtFacts)
    assert again.bodies == debt.bodies and again.strings == debt.strings
    assert again == debt

def test_generic_self_types_are_kept_for_impls() -> None:
    facts = extract_file(b"struct File;\nimpl std::io::Read for std::sync::Arc<File> {}\nimpl File {}\n")
    impls = [it.index for it in facts.items if it.kind == "impl"]
    assert facts.extra["debt"].impl_types == {impls[0]: "std::sync::Arc<File>"}


class _RootWatch:
    """A syntax tree root that records which of its children lists are asked for."""

    def __init__(self, root: Node, asked: list[str]) -> None:
        self._root, self._asked = root, asked

    def __getattr__(self, name: str) -> Any:
        if name in ("children", "named_children", "child", "named_child", "walk", "children_by_field_name"):
            self._asked.append(name)
        return getattr(self._root, name)


class _TreeWatch:
    def __init__(self, tree: Tree, asked: list[str]) -> None:
        self.root_node = _RootWatch(tree.root_node, asked)


NESTED = b'''mod outer {
    // about inner
    #[cfg(test)]
    mod inner {
        /// a stub
        fn stub() { todo!() }
    }
}
extern "C" { fn ext(); }
fn host() {
    fn local() {}
}
'''


BROKEN = b"fn handle(c: u32) -> u32 {\n    if c > 1 {\n        c\n}\n\nfn after() -> u32 { 7 }\n"


@pytest.mark.parametrize("source", [SOURCE, NESTED, BROKEN])
def test_debt_items_come_from_the_combined_query_pass(source: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """The debt extractor gets its items from the combined query pass, as the item nodes the core
    patterns found (through the resolver), with no pattern of its own that would find them a second
    time: it lists no container's children itself (the root's included), and its facts stay those of
    the containers it used to walk (file level, impl/trait/mod bodies)."""
    debt = next(e for e in all_extractors() if e.name == "debt")
    assert not debt.query
    asked: list[str] = []
    nodes: list[list[tuple[int, int]]] = []

    def watched(tree: Tree, source: bytes, facts: FileFacts, resolver: ContextResolver) -> Any:
        nodes.append([(n.start_byte, n.end_byte) for n in resolver.item_nodes()])
        return debt.fn(_TreeWatch(tree, asked), source, facts, resolver)  # type: ignore[call-arg]

    monkeypatch.setitem(registry._EXTRACTORS, "debt", dataclasses.replace(debt, fn=watched))
    facts = extract_file(source)
    assert asked == []
    (spans,) = nodes
    assert [(it.line, it.column) for it in facts.items] == [  # one node per item, at its index
        (source[:start].count(b"\n") + 1, start - source.rfind(b"\n", 0, start)) for start, _ in spans
    ]
    found = facts.extra["debt"]
    if source is NESTED:
        assert found.lead == {1: 2, 2: 5}  # `inner` and `stub`
        # `ext` (3, in an extern block) and `local` (5, in a fn body) lie outside the item containers
        assert found.bodies == {2: ("panic", "todo"), 4: ("expr", "fn local() {}")}
        assert set(found.refs) == {0, 1, 4}  # top-level `outer` and `host`, the cfg(test) module
    elif source is BROKEN:  # the root is an ERROR node: its items are the file level
        assert found.bodies == {index(facts, "after"): ("expr", "7")}
    else:
        assert found == facts_and_debt()[1]
