"""`rust-triage plan`: gates, phases, ≤ 90-minute tasks with stable ids, priorities, cargo patterns."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import DEMO, FIXTURES

from rust_triage.cli import main
from rust_triage.engine.model import Finding
from rust_triage.engine.registry import load_registry
from rust_triage.plan.phases import estimate_minutes, phase_of
from rust_triage.plan.tasks import MAX_TASK_MINUTES

COUNTER = FIXTURES / "broken" / "counter_crisis"
COUNTER_JSON = FIXTURES / "broken" / "counter_crisis.cargo.json"


def _plan(capsys: pytest.CaptureFixture[str], *args: str, fmt: str = "json") -> tuple[int, str]:
    code = main(["plan", *args, "--no-cache", "-j", "1", "--format", fmt])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out


def _plan_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code, out = _plan(capsys, *args)
    assert code == 0
    return json.loads(out)


def _write(root: Path, files: dict[str, str], name: str = "sample") -> Path:
    (root / "Cargo.toml").parent.mkdir(parents=True, exist_ok=True)
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _tasks(plan: dict) -> list[dict]:
    return [t for phase in plan["phases"] for t in phase["tasks"]]


def test_demo_markdown_has_gates_phases_tasks_and_json_appendix(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _plan(capsys, str(DEMO), "--select", "RT0", fmt="markdown")
    assert code == 0
    assert text.startswith("# 🚨 FIX PLAN: demo — 8 ISSUES")
    gates = text.index("## Quality Gates")
    assert gates < text.index("## PHASE P0") < text.index("## PHASE P1") < text.index("## PHASE P3")
    assert "| Gate | Status | Evidence |" in text
    assert re.search(r"\| \*\*No build-breaking errors\*\* \| ✅ PASS \|", text)
    assert re.search(r"\| \*\*No panics on production paths\*\* \| ❌ FAIL \| 8 finding\(s\) in 4 file\(s\)", text)
    assert re.search(r"\| \*\*Files under 300 lines\*\* \| ✅ PASS \|", text)
    # Only the high-risk site (an env var unwrapped on a library path) is P1; internal invariants are P2.
    # Panics are grouped per module, with the count of each pattern; todo!() apart from them.
    assert "#### Task P1-1: Remove panic paths in `demo_core::config`: 1 × unwrap-used (1 file)" in text
    assert ("Remove panic paths in `demo_core::store`: 1 × expect-used, 1 × panic-used, 1 × unwrap-used"
            in text.split("## PHASE P2")[1])
    assert "Implement missing behaviour in `demo_core::store`: 1 × todo-used (1 file)" in text
    assert "**Evidence:**" in text and "todo!(\"CSV export\")" in text
    appendix = text.rsplit("```json\n", 1)[1].split("\n```", 1)[0]
    data = json.loads(appendix)
    assert text.count("- [ ] **T-") == len(_tasks(data)) == 6
    assert data == _plan_json(capsys, str(DEMO), "--select", "RT0")


def test_demo_phases_priorities_and_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    plan = _plan_json(capsys, str(DEMO), "--select", "RT0")
    assert plan["version"] == 1 and plan["kind"] == "rust-triage-plan"
    phases = {p["id"]: p for p in plan["phases"]}
    (p1,) = phases["P1"]["tasks"]  # only high-risk sites are P1
    assert p1["files"] == [{"file": "crates/core/src/config.rs", "lines": [17]}]
    p2 = phases["P2"]["tasks"]
    assert [t["priority"] for t in p2] == sorted((t["priority"] for t in p2), reverse=True)
    todo = next(t for t in p2 if t["rules"] == ["RT004"])
    assert todo["files"] == [{"file": "crates/core/src/store.rs", "lines": [43]}]
    store = p2[0]
    assert store["blast_radius"]["dependent_files"] >= 2 and store["blast_radius"]["dependent_crates"] == 1
    for task in _tasks(plan):
        assert task["id"].startswith("T-") and task["summary"] and task["fix_hint"] and task["evidence"]
        assert task["done"] is False and task["estimate_minutes"] <= MAX_TASK_MINUTES
    code = main(["check", str(DEMO), "--select", "RT0", "--no-cache", "-j", "1", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    covered = sorted(fp for t in _tasks(plan) for fp in t["fingerprints"])
    assert covered == sorted(f["fingerprint"] for f in report["findings"])


def test_task_ids_are_stable_when_lines_move(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo = tmp_path / "demo"
    shutil.copytree(DEMO, demo, ignore=shutil.ignore_patterns("target"))
    before = _plan_json(capsys, str(demo), "--select", "RT0")
    for rel in ("crates/core/src/store.rs", "crates/core/src/config.rs"):
        path = demo / rel
        path.write_text("// moved\n// down\n\n" + path.read_text())
    after = _plan_json(capsys, str(demo), "--select", "RT0")
    assert [t["id"] for t in _tasks(before)] == [t["id"] for t in _tasks(after)]
    lines_before = {t["id"]: t["files"][0]["lines"] for t in _tasks(before)}
    moved = next(t for t in _tasks(after) if t["files"][0]["file"] == "crates/core/src/config.rs")
    assert moved["files"][0]["lines"] == [n + 3 for n in lines_before[moved["id"]]]


def test_tasks_are_split_to_stay_within_ninety_minutes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fns = "".join(f"pub fn f{i}(x: Option<u8>) -> u8 {{\n    x.unwrap()\n}}\n" for i in range(25))
    crate = _write(tmp_path / "c", {"src/lib.rs": fns})
    plan = _plan_json(capsys, str(crate), "--select", "RT001")
    tasks = _tasks(plan)
    assert len(tasks) > 1
    assert all(t["estimate_minutes"] <= MAX_TASK_MINUTES for t in tasks)
    assert sum(t["occurrences"] for t in tasks) == 25
    assert all(re.search(r"\(part \d+/\d+\)$", t["title"]) for t in tasks)
    assert len({t["id"] for t in tasks}) == len(tasks)


def test_blast_radius_ranks_widely_used_code_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {
        "src/lib.rs": "pub mod util;\npub mod leaf;\npub mod a;\npub mod b;\npub mod c;\n",
        "src/util.rs": "pub fn parse(s: &str) -> u8 {\n    s.parse().unwrap()\n}\n",
        "src/leaf.rs": "pub fn leaf(s: &str) -> u8 {\n    s.parse().unwrap()\n}\n",
    }
    for name in "abc":
        files[f"src/{name}.rs"] = f"use crate::util::parse;\npub fn {name}() -> u8 {{\n    parse(\"1\")\n}}\n"
    crate = _write(tmp_path / "c", files)
    plan = _plan_json(capsys, str(crate), "--select", "RT001")
    p1 = next(p for p in plan["phases"] if p["id"] == "P1")["tasks"]
    assert [t["files"][0]["file"] for t in p1] == ["src/util.rs", "src/leaf.rs"]
    util, leaf = p1
    assert util["blast_radius"]["dependent_files"] == 3 and util["blast_radius"]["callers"] >= 3
    assert leaf["blast_radius"]["dependent_files"] == 0
    assert util["priority"] > leaf["priority"]


def test_cargo_json_patterns_become_p0_tasks(capsys: pytest.CaptureFixture[str]) -> None:
    plan = _plan_json(capsys, str(COUNTER), "--cargo-json", str(COUNTER_JSON))
    phases = {p["id"]: p for p in plan["phases"]}
    p0 = phases["P0"]["tasks"]
    assert [t["occurrences"] for t in p0] == [12, 1]
    assert "RelaxedCounter" in p0[0]["title"] and p0[0]["source"] == "cargo"
    assert p0[0]["extra"]["definitions"] == [{"file": "src/relaxed_counter.rs", "line": 4}]
    assert {f["file"] for f in p0[0]["files"]} == {"src/committee_types.rs", "src/evaluator.rs", "src/orchestrator.rs"}
    assert "RelaxedCounter" in p0[0]["fix_hint"]
    assert [t["occurrences"] for t in phases["P3"]["tasks"] if t["source"] == "cargo"] == [2]
    gate = plan["gates"][0]
    assert gate["name"] == "No build-breaking errors" and gate["status"] == "FAIL"
    assert "13 compiler error(s)" in gate["evidence"]
    assert plan["compiler"]["errors"] == 13 and plan["compiler"]["warnings"] == 2


def test_cargo_json_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(COUNTER_JSON.read_bytes())))
    plan = _plan_json(capsys, str(COUNTER), "--cargo-json", "-")
    assert plan["compiler"]["errors"] == 13


def test_missing_cargo_json_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["plan", str(DEMO), "--cargo-json", str(tmp_path / "nope.json")])
    err = capsys.readouterr().err
    assert code == 2 and "--cargo-json" in err and "Traceback" not in err


def test_oversized_files_fail_the_size_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = "".join(f"pub fn f{i}() -> u32 {{ {i} }}\n" for i in range(320))
    crate = _write(tmp_path / "c", {"src/lib.rs": body})
    plan = _plan_json(capsys, str(crate), "--select", "RT001")
    gate = next(g for g in plan["gates"] if g["name"].startswith("Files under"))
    assert gate["status"] == "FAIL" and gate["count"] == 1 and "src/lib.rs" in gate["evidence"]


def test_markdown_written_to_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "PLAN.md"
    code = main(["plan", str(DEMO), "--select", "RT0", "--no-cache", "-j", "1", "-o", str(out)])
    assert code == 0 and capsys.readouterr().out == ""
    assert out.read_text().startswith("# 🚨 FIX PLAN")


RULES = load_registry(plugins=False).metas()


def _f(rule: str, in_test: bool = False, name: str | None = None) -> Finding:
    meta = RULES[rule]
    return Finding(rule=rule, name=name or meta.name, severity=meta.severity, category=meta.category,
                   file="src/lib.rs", line=1, column=1, end_line=1, end_column=2, message="m", in_test=in_test)


@pytest.mark.parametrize(("finding", "phase"), [
    (_f("RT011"), "P0"),  # missing module file
    (_f("RT301"), "P0"),  # struct literal missing fields
    (_f("RT901"), "P3"),  # compiler warning
    (_f("RT001"), "P1"),
    (_f("RT101"), "P1"),
    (_f("RT004"), "P2"),  # todo!(): missing behaviour
    (_f("RT003"), "P2"),
    (_f("RT201"), "P2"),
    (_f("RT210"), "P3"),
    (_f("RT220"), "P3"),
    (_f("RT010"), "P3"),
    (_f("RT233"), "P3"),
    (_f("RT001", in_test=True), "P3"),
    (_f("RT301", in_test=True), "P0"),  # a build breaker is one wherever it is
    (_f("RT501"), "P1"),
    (_f("RT507"), "P2"),
])
def test_phase_assignment(finding: Finding, phase: str) -> None:
    assert phase_of(finding, RULES) == phase


def test_phase_and_estimate_come_from_rule_metadata_not_names() -> None:
    """Renaming a rule changes neither its phase nor its estimate (they used to follow name substrings)."""
    for rule in ("RT004", "RT210", "RT001", "RT233"):
        renamed = _f(rule, name="something-else")
        assert phase_of(renamed, RULES) == phase_of(_f(rule), RULES)
        assert estimate_minutes(renamed, RULES) == estimate_minutes(_f(rule), RULES)
    assert estimate_minutes(_f("RT210"), RULES) == 90 and estimate_minutes(_f("RT001"), RULES) == 10


def test_predicted_build_errors_confirmed_by_the_compiler_are_listed_once(capsys: pytest.CaptureFixture[str]) -> None:
    fixture = FIXTURES / "broken" / "derive_fields"
    alone = _plan_json(capsys, str(fixture), "--select", "RT3")
    predicted = [t for t in next(p for p in alone["phases"] if p["id"] == "P0")["tasks"]]
    assert predicted and all(t["source"] == "findings" for t in predicted)
    merged = _plan_json(capsys, str(fixture), "--select", "RT3", "--cargo-json",
                        str(FIXTURES / "broken" / "derive_fields.cargo.json"))
    p0 = next(p for p in merged["phases"] if p["id"] == "P0")["tasks"]
    assert p0 and all(t["source"] == "cargo" for t in p0)
    assert any("also compiler errors" in note for note in merged["notes"])
    assert merged["summary"]["findings"] == merged["compiler"]["errors"] + merged["compiler"]["warnings"]
