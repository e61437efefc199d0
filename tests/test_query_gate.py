"""Rules whose patterns cannot match any file of a run stay out of its combined query; facts do not change."""

from __future__ import annotations

from pathlib import Path

import pytest
import tree_sitter

from rust_triage.engine.registry import load_registry
from rust_triage.parse.extract import extract_file
from rust_triage.parse.language import new_parser, rust_language
from rust_triage.parse.queries import QuerySpec
from rust_triage.parse.query_gate import rule_literals, specs_for_sources

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_FILES = sorted((ROOT / "fixtures").rglob("*.rs"))


def shipped_specs() -> tuple[QuerySpec, ...]:
    return load_registry().query_specs()


def test_shipped_panic_and_block_on_rules_are_gated_by_their_names() -> None:
    gates = {spec.rule: rule_literals(spec.query) for spec in shipped_specs()}
    assert gates["RT004"] == {b"todo"}
    assert gates["RT005"] == {b"panic", b"panic_any"}
    assert gates["RT101"] == {b"block_on", b"block_in_place"}


@pytest.mark.parametrize("query", [
    '(call_expression function: (identifier) @f (#not-eq? @f "todo"))',  # a negation requires nothing
    '(call_expression function: (identifier) @f (#match? @f "^todo$"))',  # regexes are not read
    '(call_expression function: (identifier) @f)',  # no predicate
    '(call_expression function: (identifier) @f (arguments (identifier)? @a) (#eq? @a "todo"))',
    '(call_expression function: [(identifier) @f (field_expression) @g] (#eq? @f "todo"))',
    '(macro_invocation macro: (identifier) @m (#eq? @m "todo"))\n(call_expression) @c',  # one pattern ungated
    '(identifier) @a (#eq? @a "x")',  # a top-level predicate outside the pattern: not read
    '(call_expression function: (identifier) @f\n  ; (#eq? @f "todo")\n)',  # a predicate in a comment
    '(call_expression function: (identifier) @f (#eq? @f ";") (arguments (identifier)? @a))',  # `;` in a string
])
def test_patterns_that_may_match_without_the_literal_are_not_gated(query: str) -> None:
    assert rule_literals(query) is None


def test_a_capture_missing_from_a_match_passes_its_predicate() -> None:
    """Why optional and alternative captures cannot gate: tree-sitter matches `f()` here."""
    query = tree_sitter.Query(
        rust_language(), '(call_expression function: (identifier) @f (arguments (integer_literal)? @a) (#eq? @a "zzz"))'
    )
    tree = new_parser().parse(b"fn main() { f(); }")
    assert len(tree_sitter.QueryCursor(query).matches(tree.root_node)) == 1


def test_rules_are_left_out_only_when_no_source_names_them() -> None:
    specs = shipped_specs()
    kept = {s.rule for s in specs_for_sources(specs, [b"fn f() { x.unwrap(); }", b"fn g() { todo!() }"])}
    assert {"RT001", "RT004"} <= kept
    assert not kept & {"RT003", "RT005", "RT006", "RT007", "RT008", "RT101"}
    assert specs_for_sources(specs, [b"block_on unimplemented panic unreachable exit abort expect todo unwrap"]) == specs


@pytest.mark.parametrize("path", FIXTURE_FILES[::4], ids=lambda p: str(p.relative_to(ROOT)))
def test_facts_from_the_gated_query_equal_those_from_the_full_one(path: Path) -> None:
    source = path.read_bytes()
    specs = shipped_specs()
    gated = specs_for_sources(specs, [source])
    assert extract_file(source, gated) == extract_file(source, specs)
