"""Per-family summaries: computed from findings alone, printed by the text report, details kept in JSON."""

from __future__ import annotations

import json

from conftest import FIXTURES, run_cli

from rust_triage.engine.model import Finding
from rust_triage.engine.registry import load_registry
from rust_triage.reporters.family_summary import family_table, family_text, summarize

WORKSPACE = FIXTURES / "debt"
RULES = load_registry(plugins=False).metas()


def make(rule: str, category: str, file: str, severity: str = "low", **detail: object) -> Finding:
    return Finding(rule=rule, name=rule.lower(), severity=severity, category=category, file=file, line=1,
                   column=1, end_line=1, end_column=1, message="m", detail=dict(detail))


def test_summaries_count_rules_and_top_files() -> None:
    findings = [
        make("RT201", "debt", "a.rs", "medium", phrase="for now"),
        make("RT201", "debt", "a.rs", "medium", phrase="for now"),
        make("RT202", "debt", "b.rs", phrase="TODO"),
        make("RT210", "size", "big.rs", code_lines=900, proposal={"modules": [{}, {}, {}]}),
        make("RT220", "tests", "c.rs", lines=40, tests=3, plan={"form": "integration"}),
        make("RT220", "tests", "d.rs", lines=10, tests=1, plan={"form": "in-crate"}),
    ]
    summaries = {s.category: s for s in summarize(findings, RULES)}
    debt = summaries["debt"]
    assert (debt.title, debt.total, debt.worst_severity) == ("Placeholder code", 3, "medium")
    assert debt.by_rule == [("RT201", "rt201", 2), ("RT202", "rt202", 1)]
    assert debt.top_files == [("a.rs", 2), ("b.rs", 1)]
    assert debt.notes == ['most common phrases: "for now" 2, "TODO" 1']
    assert summaries["size"].notes == ["1 oversized file (900 code lines), 3 new modules proposed"]
    assert summaries["tests"].notes == ["2 inline test modules (50 lines, 4 tests); 1 can move to tests/"]
    assert [s.category for s in summarize(findings, RULES)] == ["debt", "tests", "size"]  # biggest first
    assert summarize([], RULES) == [] and family_table([], RULES) is None
    text = family_text(findings, RULES)
    assert "Placeholder code: 3 findings (RT201 2, RT202 1)" in text
    assert summaries["debt"].to_dict()["top_files"][0] == {"file": "a.rs", "count": 2}


def test_text_report_prints_families_and_json_keeps_details() -> None:
    text = run_cli("check", str(WORKSPACE), "--no-cache", "--select", "RT2")
    assert text.returncode == 1, text.stderr
    assert "Findings by family" in text.stdout
    for title in ("Placeholder code", "Oversized code", "Test organization"):
        assert title in text.stdout
    assert "top files: crates/placeholders/src/stubs.rs (9)" in text.stdout
    report = json.loads(run_cli("check", str(WORKSPACE), "--no-cache", "--select", "RT210,RT220",
                                "--format", "json").stdout)
    rt210 = next(f for f in report["findings"] if f["rule"] == "RT210")
    assert rt210["detail"]["proposal"]["modules"]
    assert all("plan" in f["detail"] for f in report["findings"] if f["rule"] == "RT220")
