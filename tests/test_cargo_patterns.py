"""Root-cause grouping of compiler diagnostics, from the captured cargo JSON of the broken fixtures."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES

from rust_triage.families.compiler import Diagnostic, Note, Pattern, group_patterns, ingest
from rust_triage.families.compiler.classify import bare_name, classify, peel_type, template_of
from rust_triage.families.compiler.patterns import pattern_id

BROKEN = FIXTURES / "broken"
FIXTURE_NAMES = ("counter_crisis", "derive_fields", "mixed_workspace")

# (kind, subject, members, errors, warnings, definition sites, locations), in ranking order.
EXPECTED: dict[str, list[tuple]] = {
    "counter_crisis": [
        ("missing-method", "RelaxedCounter", ["get", "inc", "sub"], 12, 0, [("src/relaxed_counter.rs", 4)],
         ["src/committee_types.rs:13:21", "src/committee_types.rs:17:21", "src/evaluator.rs:10:26",
          "src/evaluator.rs:11:26", "src/evaluator.rs:15:23", "src/evaluator.rs:16:23", "src/evaluator.rs:20:38",
          "src/evaluator.rs:20:60", "src/evaluator.rs:24:26", "src/orchestrator.rs:8:9",
          "src/orchestrator.rs:10:5", "src/orchestrator.rs:11:12"]),
        ("missing-method", "Ledger", ["total"], 1, 0, [("src/ledger.rs", 3)], ["src/committee_types.rs:21:21"]),
        ("warning", "unused_imports", [], 0, 2, [], ["src/ledger.rs:1:5", "src/orchestrator.rs:1:5"]),
    ],
    "derive_fields": [
        ("missing-derive", "CommitteeMetrics", ["Debug", "Clone"], 4, 0, [("src/metrics.rs", 2)],
         ["src/engine.rs:13:6", "src/engine.rs:17:15", "src/metrics.rs:18:5", "src/metrics.rs:18:5"]),
        ("missing-derive", "CacheMetrics", ["Debug", "Clone"], 3, 0, [("src/metrics.rs", 7)],
         ["src/engine.rs:13:23", "src/metrics.rs:19:5", "src/metrics.rs:19:5"]),
        ("missing-fields", "OptimizationOutcome", ["applied", "notes"], 3, 0, [("src/evolution.rs", 6)],
         ["src/evolution.rs:21:5", "src/evolution.rs:25:5", "src/evolution.rs:29:5"]),
        ("missing-derive", "ConsensusEngine", ["Debug"], 2, 0, [("src/metrics.rs", 12)],
         ["src/engine.rs:5:5", "src/engine.rs:9:21"]),
        ("missing-fields", "CodeState", ["code_content"], 2, 0, [("src/evolution.rs", 1)],
         ["src/evolution.rs:13:5", "src/evolution.rs:17:5"]),
        ("unknown-field", "OptimizationOutcome", ["reviewer"], 1, 0, [("src/evolution.rs", 6)],
         ["src/evolution.rs:33:76"]),
        ("warning", "unused_variables", [], 0, 1, [], ["src/evolution.rs:37:9"]),
    ],
    "mixed_workspace": [
        ("type-mismatch", "expected u64, found usize", ["divide"], 4, 0, [],
         ["crates/store/src/stats.rs:4:22", "crates/store/src/stats.rs:9:11", "crates/store/src/stats.rs:9:13",
          "crates/store/src/stats.rs:13:5"]),
        ("missing-derive", "Weight", ["PartialEq", "PartialOrd"], 2, 0, [("crates/store/src/pending.rs", 16)],
         ["crates/store/src/stats.rs:26:7", "crates/store/src/stats.rs:30:7"]),
        ("private-item", "PendingMemory::new", ["associated function"], 2, 0, [("crates/store/src/pending.rs", 6)],
         ["crates/store/src/manager.rs:5:20", "crates/store/src/manager.rs:10:20"]),
        ("private-item", "next_id", ["function"], 2, 0, [("crates/store/src/pending.rs", 11)],
         ["crates/store/src/manager.rs:9:30", "crates/store/src/manager.rs:14:21"]),
        ("type-mismatch", "expected f32, found f64", [], 2, 0, [],
         ["crates/store/src/stats.rs:17:5", "crates/store/src/stats.rs:21:22"]),
        ("unresolved-import", "crate::cache", [], 2, 0, [],
         ["crates/store/src/manager.rs:1:12", "crates/store/src/state.rs:3:12"]),
        ("type-mismatch", "expected Duration, found {float}", [], 1, 0, [], ["crates/store/src/stats.rs:35:16"]),
        ("unresolved-import", "clock", [], 1, 0, [], ["crates/store/src/state.rs:12:5"]),
        ("unsatisfied-bound", "Instant: Default", ["Default"], 1, 0, [], ["crates/store/src/state.rs:7:5"]),
        ("warning", "unused_variables", [], 0, 2, [],
         ["crates/tools/src/bin/dump.rs:2:9", "crates/tools/src/lib.rs:7:9"]),
        ("warning", "dead_code", [], 0, 1, [], ["crates/tools/src/lib.rs:14:4"]),
        ("warning", "unused_imports", [], 0, 1, [], ["crates/tools/src/lib.rs:3:5"]),
        ("warning", "unused_mut", [], 0, 1, [], ["crates/tools/src/lib.rs:7:9"]),
    ],
}


def grep_definitions(root: Path) -> Callable[[str], list[tuple[str, int]]]:
    """Stand-in for the symbol graph: lines declaring `struct|enum|fn NAME` under `root`."""

    def lookup(name: str) -> list[tuple[str, int]]:
        declaration = re.compile(rf"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:struct|enum|fn)\s+{re.escape(name)}\b")
        return [(path.relative_to(root).as_posix(), number) for path in sorted(root.rglob("*.rs"))
                for number, line in enumerate(path.read_text().splitlines(), 1) if declaration.search(line)]

    return lookup


def shape(patterns: list[Pattern]) -> list[tuple]:
    return [(p.kind, p.subject, p.members, p.error_count, p.warning_count, p.definitions,
             [d.location for d in p.diagnostics]) for p in patterns]


def captured_lines(name: str) -> list[bytes]:
    return (BROKEN / f"{name}.cargo.json").read_bytes().splitlines(keepends=True)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_captured_json_groups_into_the_expected_patterns(name: str) -> None:
    root = BROKEN / name
    result, patterns = ingest(captured_lines(name), root, grep_definitions(root))
    assert result.errors == []
    assert shape(patterns) == EXPECTED[name]


def test_titles_and_fixes_name_the_root_cause() -> None:
    root = BROKEN / "counter_crisis"
    _, patterns = ingest(captured_lines("counter_crisis"), root, grep_definitions(root))
    counter = patterns[0]
    assert counter.title == "RelaxedCounter lacks methods: get, inc, sub"
    assert counter.code == "E0599" and counter.codes == ["E0599"]
    assert counter.files == ["src/committee_types.rs", "src/evaluator.rs", "src/orchestrator.rs"]
    assert counter.fix.startswith("Implement get(), inc(), sub() on RelaxedCounter "
                                  "(defined at src/relaxed_counter.rs:4) - fixes 12 errors")
    assert counter.id == pattern_id("missing-method|RelaxedCounter") and len(counter.id) == 10
    warnings = patterns[-1]
    assert warnings.severity == "warning" and warnings.title == "unused_imports"
    assert len(warnings.fix_suggestions) == 2 and all(s.machine_applicable for s in warnings.fix_suggestions)


def test_derive_pattern_fix_points_at_the_definition() -> None:
    root = BROKEN / "derive_fields"
    _, patterns = ingest(captured_lines("derive_fields"), root)  # rustc's own derive hints place it
    metrics = patterns[0]
    assert metrics.title == "add #[derive(Debug, Clone)] to CommitteeMetrics"
    assert metrics.codes == ["E0277", "E0308"]
    assert metrics.fix.startswith("Add #[derive(Debug, Clone)] to CommitteeMetrics (defined at src/metrics.rs:2)"
                                  " - fixes 4 errors")
    assert metrics.fix_suggestions == []  # derive hints are MaybeIncorrect, not machine-applicable


def test_without_definitions_only_rustc_sites_are_known() -> None:
    _, patterns = ingest(captured_lines("derive_fields"), BROKEN / "derive_fields")
    by_subject = {(p.kind, p.subject): p for p in patterns}
    assert by_subject[("missing-fields", "OptimizationOutcome")].definitions == []
    assert by_subject[("missing-derive", "ConsensusEngine")].definitions == [("src/metrics.rs", 12)]


def test_grouping_ignores_input_order() -> None:
    lines = captured_lines("mixed_workspace")
    root = BROKEN / "mixed_workspace"
    _, forward = ingest(lines, root)
    _, backward = ingest(list(reversed(lines)), root)
    assert shape(forward) == shape(backward)
    assert [p.id for p in forward] == [p.id for p in backward]


def test_numeric_mismatch_pattern_carries_machine_applicable_suggestions() -> None:
    _, patterns = ingest(captured_lines("mixed_workspace"), BROKEN / "mixed_workspace")
    u64_usize = patterns[0]
    assert u64_usize.title == "type mismatch: expected u64, found usize"
    assert {(s.line, s.replacement) for s in u64_usize.fix_suggestions} == {
        (4, ".try_into().unwrap()"), (13, ".try_into().unwrap()")}
    assert "u64::try_from" in u64_usize.fix


def _diag(message: str, code: str | None = "E0277", label: str | None = None, level: str = "error",
          children: list[Note] | None = None, line: int = 1) -> Diagnostic:
    return Diagnostic(level, code, message, file="src/lib.rs", line=line, column=1, label=label,
                      children=tuple(children or ()))


@pytest.mark.parametrize(("message", "code", "label", "expected"), [
    ("no method named `get` found for struct `Arc<RelaxedCounter>` in the current scope", "E0599", None,
     ("missing-method", "RelaxedCounter", ("get",))),
    ("no function or associated item named `create` found for struct `M` in the current scope", "E0599", None,
     ("missing-method", "M", ("create",))),
    ("no method named `tick` found for type parameter `C` in the current scope", "E0599", None,
     ("unsatisfied-bound", "C", ("tick",))),
    ("the method `iter` exists for struct `Wrapper<T>`, but its trait bounds were not satisfied", "E0599", None,
     ("unsatisfied-bound", "Wrapper", ("iter",))),
    ("`N` doesn't implement `std::fmt::Display`", "E0277", None, ("unsatisfied-bound", "N: Display", ("Display",))),
    ("the trait bound `Vec<Job>: Clone` is not satisfied", "E0277", None,
     ("unsatisfied-bound", "Vec<Job>: Clone", ("Clone",))),
    ("cannot add `f32` to `f64`", "E0277", None, ("type-mismatch", "expected f64, found f32", ("add",))),
    ("cannot multiply `u32` by `usize`", "E0277", None, ("type-mismatch", "expected u32, found usize", ("multiply",))),
    ("can't compare `Duration` with `f64`", "E0277", None,
     ("type-mismatch", "expected Duration, found f64", ("compare",))),
    ("a value of type `f64` cannot be made by summing an iterator over elements of type `&f32`", "E0277", None,
     ("type-mismatch", "expected f64, found f32", ("collect",))),
    ("`Rc<Cell>` cannot be sent between threads safely", "E0277", None,
     ("unsatisfied-bound", "Cell: Send", ("Send",))),
    ("mismatched types", "E0308", "expected struct `Vec<u64>`, found struct `Vec<u32>`",
     ("type-mismatch", "expected Vec<u64>, found Vec<u32>", ())),
    ("mismatched types", "E0308", "expected integer, found `&str`",
     ("type-mismatch", "expected {integer}, found &str", ())),
    ("missing fields `a`, `b`, `c` and 3 other fields in initializer of `crate::spec::Spec`", "E0063", None,
     ("missing-fields", "Spec", ("a", "b", "c"))),
    ("no field `missing` on type `&N`", "E0609", None, ("missing-field", "N", ("missing",))),
    ("field `secret` of struct `Vault` is private", "E0616", None, ("private-item", "Vault.secret", ("field",))),
    ("unresolved imports `crate::a`, `crate::b`", "E0432", None,
     ("unresolved-import", "crate::a, crate::b", ())),
    ("failed to resolve: use of undeclared crate or module `clock`", "E0433", None,
     ("unresolved-import", "clock", ())),
    ("cannot find type `Config` in this scope", "E0412", None, ("unresolved-name", "Config", ("type",))),
    ("binary operation `==` cannot be applied to type `Foreign`", "E0369", None,
     ("binary-op", "== on Foreign", ("==",))),
    ("use of moved value: `job`", "E0382", None, ("other", "use of moved value: `_`", ())),
    ("unused variable: `x`", "unused_variables", None, ("warning", "unused_variables", ())),
])
def test_classify_message_variants(message: str, code: str, label: str | None, expected: tuple) -> None:
    level = "warning" if code == "unused_variables" else "error"
    result = classify(_diag(message, code, label, level))
    assert (result.kind, result.subject, result.members) == expected


def test_missing_fields_beyond_the_named_ones_are_counted() -> None:
    diag = _diag("missing fields `a`, `b`, `c` and 3 other fields in initializer of `Spec`", "E0063")
    (pattern,) = group_patterns([diag])
    assert pattern.unnamed_members == 3
    assert pattern.title == "Spec initializers miss fields: a, b, c and 3 more"


def test_derivable_bound_on_a_workspace_type_becomes_a_derive_pattern() -> None:
    diags = [_diag("the trait bound `Job: Clone` is not satisfied", line=3),
             _diag("`Job` doesn't implement `Debug`", line=9)]
    (without,) = [p for p in group_patterns(diags) if p.subject == "Job: Clone"]
    assert without.kind == "unsatisfied-bound"
    patterns = group_patterns(diags, lambda name: [("src/job.rs", 4)] if name == "Job" else [])
    assert [(p.kind, p.subject, p.members, p.error_count) for p in patterns] == [
        ("missing-derive", "Job", ["Debug", "Clone"], 2)]
    assert "(defined at src/job.rs:4)" in patterns[0].fix


def test_subjects_defined_at_one_site_merge() -> None:
    diags = [_diag("no method named `get` found for struct `RelaxedCounter` in the current scope", "E0599"),
             _diag("no method named `inc` found for struct `Counter` in the current scope", "E0599", line=2),
             _diag("no method named `inc` found for struct `Counter` in the current scope", "E0599", line=5)]
    site = {"RelaxedCounter": [("src/counter.rs", 3)], "Counter": [("src/counter.rs", 3)]}
    (pattern,) = group_patterns(diags, lambda name: site.get(name, []))
    assert (pattern.subject, pattern.members, pattern.aliases, pattern.error_count) == (
        "Counter", ["get", "inc"], ["RelaxedCounter"], 3)


def test_a_failing_definitions_callable_does_not_break_grouping() -> None:
    def broken(name: str) -> list[tuple[str, int]]:
        raise RuntimeError("graph not built")

    diags = [_diag("no method named `get` found for struct `Foo` in the current scope", "E0599")]
    (pattern,) = group_patterns(diags, broken)
    assert pattern.kind == "missing-method" and pattern.definitions == []


def test_ranking_errors_first_then_count_then_key() -> None:
    diags = [_diag("unused import: `a`", "unused_imports", level="warning", line=n) for n in range(5)]
    diags += [_diag("no method named `b` found for struct `B` in the current scope", "E0599", line=1)]
    diags += [_diag("no method named `a` found for struct `A` in the current scope", "E0599", line=n)
              for n in range(2)]
    diags += [_diag("no method named `z` found for struct `Z` in the current scope", "E0599", line=4)]
    assert [p.subject for p in group_patterns(diags)] == ["A", "B", "Z", "unused_imports"]


def test_warnings_without_a_code_group_by_message_template() -> None:
    diags = [_diag("unused doc comment on `a`", None, level="warning"),
             _diag("unused doc comment on `b`", None, level="warning", line=2)]
    (pattern,) = group_patterns(diags)
    assert pattern.subject == "unused doc comment on `_`" and pattern.warning_count == 2


def test_helpers_normalise_names() -> None:
    assert peel_type("&mut Arc<Mutex<Counter>>") == "Counter"
    assert bare_name("crate::a::Counter<T>") == "Counter"
    assert template_of("expected `u64`, found `usize` at 12") == "expected `_`, found `_` at N"
