"""Outputs of the cargo ingest: the Markdown crisis report, the JSON document and finding dicts."""

from __future__ import annotations

import json
import re

from test_cargo_patterns import BROKEN, captured_lines, grep_definitions

from rust_triage.errors import FileError
from rust_triage.families.compiler import (
    RULE_COMPILER_ERROR,
    RULE_COMPILER_WARNING,
    Diagnostic,
    group_patterns,
    ingest,
    patterns_to_findings,
    render_markdown,
    summarize,
    to_json,
)


def report_for(name: str, reverse: bool = False, **options: object) -> str:
    root = BROKEN / name
    lines = captured_lines(name)
    result, patterns = ingest(list(reversed(lines)) if reverse else lines, root, grep_definitions(root))
    return render_markdown(patterns, summarize(result, patterns), problems=result.errors, **options)


def test_report_has_the_crisis_shape() -> None:
    text = report_for("counter_crisis")
    assert text.startswith("# WORKSPACE COMPILATION CRISIS: 15 ISSUES\n")
    assert "**13 ERRORS + 2 WARNINGS = 15 TOTAL COMPILATION ISSUES**" in text
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == ["PATTERN 1: RelaxedCounter lacks methods: get, inc, sub (12 ERRORS)",
                        "PATTERN 2: Ledger lacks method: total (1 ERROR)",
                        "WARNING PATTERNS (2 WARNINGS)", "EXECUTION STRATEGY"]
    section = text.split("## PATTERN 1:")[1].split("## PATTERN 2:")[0]
    assert "**Files**: src/committee_types.rs, src/evaluator.rs, src/orchestrator.rs" in section
    assert "**Definition**: src/relaxed_counter.rs:4" in section
    errors = re.findall(r"^### ERROR (\d+): (\S+) - (.+)$", section, re.M)
    assert [int(n) for n, _, _ in errors] == list(range(1, 13))
    assert errors[0][1:] == ("src/committee_types.rs:13:21",
                             "no method named `inc` found for struct `Arc<RelaxedCounter>` in the current scope")
    fixes = re.findall(r"^\*\*Fix\*\*: (.+)$", section, re.M)
    assert fixes[0].startswith("Implement get(), inc(), sub() on RelaxedCounter")  # the pattern's fix
    assert fixes[1] == "Implement inc() on RelaxedCounter (defined at src/relaxed_counter.rs:4)"  # ERROR 1
    assert fixes[2].startswith("Implement sub()")  # ERROR 2
    assert fixes[3] == "Same as ERROR 1"  # ERROR 3, evaluator.rs:10, calls inc() too
    warnings = text.split("## WARNING PATTERNS")[1]
    assert "1. **unused_imports** (2 warnings): Remove the unused imports" in warnings
    assert "   - src/ledger.rs:1:5 - unused import: `std::collections::HashMap`" in warnings
    assert "3. **WARNINGS**: address all 2 warnings" in text


def test_report_is_deterministic_and_ascii() -> None:
    for name in ("counter_crisis", "derive_fields", "mixed_workspace"):
        text = report_for(name)
        assert text == report_for(name) == report_for(name, reverse=True)
        assert text.isascii() and text.endswith("\n") and not text.endswith("\n\n")


def test_errors_per_pattern_can_be_capped() -> None:
    text = report_for("counter_crisis", max_errors_per_pattern=3)
    assert "### ERROR 3:" in text and "### ERROR 4:" not in text
    assert "... and 9 more errors of this pattern (ERROR 4 to 12)." in text
    assert "### ERROR 13: src/committee_types.rs:21:21" in text  # numbering continues after the cap


def test_generic_types_outside_code_spans_are_escaped() -> None:
    diag = Diagnostic("error", "E0308", "mismatched types", file="src/a.rs", line=3, column=9,
                      label="expected struct `Vec<u64>`, found struct `Vec<u32>`")
    text = render_markdown(group_patterns([diag]))
    assert "## PATTERN 1: type mismatch: expected Vec\\<u64\\>, found Vec\\<u32\\> (1 ERROR)" in text
    assert "**1 ERROR + 0 WARNINGS = 1 TOTAL COMPILATION ISSUES**" in text


def test_clean_build_and_input_problems() -> None:
    text = render_markdown([], {"errors": 0, "warnings": 0},
                           problems=[FileError("check.json", "truncated", "last line is cut off", 40)])
    assert "# WORKSPACE COMPILATION CRISIS: 0 ISSUES" in text
    assert "## INPUT PROBLEMS" in text and "- check.json:40: truncated - last line is cut off" in text
    assert "the workspace compiles cleanly" in text and "EXECUTION STRATEGY" not in text


def test_json_document_is_versioned_and_serialisable() -> None:
    root = BROKEN / "derive_fields"
    result, patterns = ingest(captured_lines("derive_fields") + [b'{"reason": "compiler-mes'], root,
                              grep_definitions(root))
    document = json.loads(json.dumps(to_json(patterns, result)))
    assert document["version"] == 1
    assert document["summary"] | {"duplicates_removed": 0} == {
        "errors": 15, "warnings": 1, "total": 16, "other_diagnostics": 0, "patterns": 7, "error_patterns": 6,
        "warning_patterns": 1, "files": 3, "duplicates_removed": 0, "input_problems": 1, "build_success": False}
    assert [e["kind"] for e in document["errors"]] == ["truncated"]
    first = document["patterns"][0]
    assert (first["kind"], first["subject"], first["members"], first["error_count"]) == (
        "missing-derive", "CommitteeMetrics", ["Debug", "Clone"], 4)
    assert first["definitions"] == [{"file": "src/metrics.rs", "line": 2}]
    assert first["title"] == "add #[derive(Debug, Clone)] to CommitteeMetrics"
    assert len(first["diagnostics"]) == 4 and first["diagnostics"][0]["file"] == "src/engine.rs"
    assert document["stats"]["duplicates"] > 0


def test_findings_one_per_diagnostic() -> None:
    root = BROKEN / "mixed_workspace"
    result, patterns = ingest(captured_lines("mixed_workspace"), root, grep_definitions(root))
    findings = patterns_to_findings(patterns)
    assert len(findings) == len(result.diagnostics) == 22
    assert sum(f["rule"] == RULE_COMPILER_ERROR for f in findings) == 17
    assert {f["rule"] for f in findings if f["severity"] == "warning"} == {RULE_COMPILER_WARNING}
    private = [f for f in findings if f["pattern_title"].startswith("private function next_id")]
    assert [(f["file"], f["line"], f["column"]) for f in private] == [
        ("crates/store/src/manager.rs", 9, 30), ("crates/store/src/manager.rs", 14, 21)]
    finding = private[0]
    assert finding["category"] == "build" and finding["name"] == "compiler-error"
    assert finding["message"] == "[E0603] function `next_id` is private"
    assert finding["fix_hint"].startswith("Make next_id (defined at crates/store/src/pending.rs:11)")
    assert finding["related"] == [{"file": "crates/store/src/pending.rs", "line": 11, "column": 1,
                                   "message": "definition of next_id"}]
    assert finding["pattern_id"] == finding["detail"]["pattern_id"] == patterns[3].id
    assert all(f["end_line"] >= f["line"] and f["fix_hint"] for f in findings)
