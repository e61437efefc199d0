"""Rule patterns that differ only in one capture's literals run as one pattern; each match keeps its rule."""

from __future__ import annotations

import pytest

from rust_triage.engine.registry import load_registry
from rust_triage.parse.extract import extract_file
from rust_triage.parse.queries import QuerySpec, compile_queries
from rust_triage.parse.query_merge import MergedPattern, merged_rule_patterns

MACRO = '(macro_invocation macro: (identifier) @match (#eq? @match "{}"))'
SOURCE = b"""
fn f(x: Option<u8>) -> u8 {
    if x.is_none() { todo!() }
    println!("{}", y.unwrap());
    match x { Some(0) => panic!("zero"), Some(1) => unreachable!(), _ => unimplemented!() }
    std::process::exit(1);
    process::abort();
    x.expect("set")
}
"""


def _rules_of(specs: tuple[QuerySpec, ...], source: bytes) -> list[tuple[str, int, int]]:
    return [(m.rule, m.line, m.column) for m in extract_file(source, specs).matches]


def test_the_shipped_panic_rules_share_patterns_and_find_what_each_pattern_alone_finds() -> None:
    specs = load_registry().query_specs()
    compiled = compile_queries(specs)
    merged_rules = {frozenset(g.rules.values()) for g in compiled.merged.values()}
    assert frozenset({"RT003", "RT004", "RT005", "RT006"}) in merged_rules
    assert frozenset({"RT007", "RT008"}) in merged_rules
    found = _rules_of(specs, SOURCE)
    alone = sorted(m for spec in specs for m in _rules_of((spec,), SOURCE))
    assert sorted(found) == alone
    assert {r for r, _, _ in found} >= {"RT001", "RT002", "RT004", "RT005", "RT006", "RT003", "RT007", "RT008"}


def test_rules_with_the_same_shape_are_told_apart_by_the_captured_text() -> None:
    specs = (QuerySpec("A", MACRO.format("todo")), QuerySpec("B", MACRO.format("panic")))
    (source, owner), = merged_rule_patterns([(s.rule, s.query) for s in specs])
    assert isinstance(owner, MergedPattern) and owner.rules == {b"todo": "A", b"panic": "B"}
    assert '"todo" "panic"' in source
    assert _rules_of(specs, b"fn f() { panic!(); todo!(); }") == [("B", 1, 10), ("A", 1, 20)]


@pytest.mark.parametrize("queries", [
    (MACRO.format("todo"), MACRO.format("todo")),  # one literal, two rules: both keep their match
    (MACRO.format("todo"), MACRO.replace("@match", "@m").format("panic")),  # another capture
    (MACRO.format("todo"), '(macro_invocation macro: (identifier)? @match (#eq? @match "panic"))'),  # quantifier
    (MACRO.format("todo"), '(macro_invocation macro: (identifier) @match (#match? @match "panic"))'),  # a regex
])
def test_patterns_not_sure_to_match_alike_are_kept_apart(queries: tuple[str, str]) -> None:
    owners = [owner for _, owner in merged_rule_patterns([("A", queries[0]), ("B", queries[1])])]
    assert owners == ["A", "B"]


def test_one_literal_in_two_rules_gives_both_matches() -> None:
    specs = (QuerySpec("A", MACRO.format("todo")), QuerySpec("B", MACRO.format("todo")),
             QuerySpec("C", MACRO.format("panic")))
    assert [r for r, _, _ in _rules_of(specs, b"fn f() { todo!(); panic!(); }")] == ["A", "B", "C"]
