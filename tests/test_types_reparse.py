"""Arguments of std macros are re-parsed once per distinct text in a file (macro_scan.reparse), and every call
still gets its own uses at its own place."""

from __future__ import annotations

import pytest
from tree_sitter import Parser, Tree

from rust_triage.families.types import macro_scan
from rust_triage.parse.extract import extract_file

SOURCE = b"""#[derive(PartialEq)]
struct A;

macro_rules! check {
    ($x:expr) => {{
        assert_eq!(left, right);
        let _ = $x;
    }};
}

fn f(left: A, right: A) {
    assert_eq!(left, right);
    assert_eq!(left, right);
    check!(1);
    check!(2);
}
"""
WRITTEN = b"fn __rt(){[left, right];}"  # the arguments as written in the file
EXPANDED = b"fn __rt(){[left,right];}"  # as an expansion spells them


class _CountingParser:
    """The real parser, counting the texts it parses."""

    def __init__(self, parser: Parser) -> None:
        self.parser = parser
        self.texts: list[bytes] = []

    def parse(self, text: bytes) -> Tree:
        self.texts.append(text)
        return self.parser.parse(text)


def test_the_same_arguments_are_parsed_once_and_each_call_keeps_its_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _CountingParser(macro_scan._macro_parser())
    monkeypatch.setattr(macro_scan, "_macro_parser", lambda: counting)
    facts = extract_file(SOURCE).extra["types"]
    # two calls in the file, and one in each of the two expansions: one parse of each text
    assert counting.texts.count(WRITTEN) == 1
    assert counting.texts.count(EXPANDED) == 1
    debug = sorted((u.line, u.column, u.expr) for u in facts.uses if u.trait == "Debug" and u.how == "{:?}")
    written = [(12, 16, ("id", "left")), (12, 22, ("id", "right")), (13, 16, ("id", "left")),
               (13, 22, ("id", "right"))]
    assert [d for d in debug if d[0] in (12, 13)] == written
    in_body = [d for d in debug if d[0] == 6]  # at the macro's body, once per expansion
    assert in_body == [(6, 20, ("id", "left"))] * 2 + [(6, 26, ("id", "right"))] * 2
