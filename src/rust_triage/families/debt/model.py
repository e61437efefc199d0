"""Plain data the debt extractor stores per file (cached, so it must stay plain typed data and small)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class StringLit:
    """A short string literal; `macro` names the macro whose arguments hold it ("" when none)."""

    line: int
    column: int
    end_column: int
    text: str  # content without quotes
    item: int
    macro: str = ""


@dataclass(slots=True)
class TestFnInfo:
    asserts: bool  # assert*!/panic!/unreachable!, `.unwrap()`, `.expect(`, `.assert_*(`
    question: bool  # uses the `?` operator
    returns_result: bool
    should_panic: bool
    called: list[str] = field(default_factory=list)  # fn and macro names it calls (last segment)


@dataclass(slots=True)
class DebtFacts:
    lead: dict[int, int] = field(default_factory=dict)  # item -> first line of its attributes / comments
    strings: list[StringLit] = field(default_factory=list)
    bodies: dict[int, tuple[str, str]] = field(default_factory=dict)  # fn -> (empty|expr|panic, text)
    fn_code_lines: dict[int, int] = field(default_factory=dict)  # fns spanning more than a screenful
    refs: dict[int, dict[str, int]] = field(default_factory=dict)  # top-level item -> {name of this file: uses}
    field_refs: dict[int, list[str]] = field(default_factory=dict)  # test module -> struct fields it reads
    test_fns: dict[int, TestFnInfo] = field(default_factory=dict)
    asserting: list[str] = field(default_factory=list)  # non-test fns / macros that contain assertions
    test_idents: list[str] = field(default_factory=list)  # identifiers of integration-style test files
    impl_types: dict[int, str] = field(default_factory=dict)  # top-level impl -> generic self type as written
