"""The crisis fixture (three crates in a dependency chain, broken in every way the plan must triage) gets
exactly the tasks a team would work from: build breakers in build order, one task per root cause, one
dead-code decision, non-production code out of P1, structure work as a per-crate epic."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, run_cli

CRISIS = FIXTURES / "crisis"


def _plan(*args: str) -> dict:
    proc = run_cli("plan", str(CRISIS), "--no-cache", "-j", "1", "--format", "json", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def plan() -> dict:
    return _plan()


def _tasks(plan: dict, phase: str | None = None) -> list[dict]:
    return [t for p in plan["phases"] if phase in (None, p["id"]) for t in p["tasks"]]


def test_p0_in_build_order_module_errors_before_types(plan: dict) -> None:
    p0 = [(t["extra"]["crate"], t["rules"]) for t in _tasks(plan, "P0")]
    assert p0 == [
        ("crisis-core", ["RT013"]),  # config.rs and config/mod.rs: the leaf crate, module error first
        ("crisis-core", ["RT310"]),  # then the missing derives on the type every crate uses
        ("crisis-net", ["RT014"]),
        ("crisis-app", ["RT016"]),
        ("crisis-app", ["RT015"]),
        ("crisis-app", ["RT012"]),
    ]


def test_missing_derive_is_one_task_at_the_definition(plan: dict) -> None:
    (derive,) = [t for t in _tasks(plan) if "RT310" in t["rules"]]
    assert derive["title"] == ("Derive Clone, Debug on `Client` (`crates/core/src/client.rs:2`): "
                               "resolves 5 errors in 3 files")
    assert derive["occurrences"] == 5
    assert derive["estimate_minutes"] < 90
    assert derive["extra"]["crate"] == "crisis-core"


def test_unclosed_brace_is_reported_at_its_opener(plan: dict) -> None:
    (task,) = [t for t in _tasks(plan) if "RT012" in t["rules"]]
    assert task["files"] == [{"file": "crates/app/src/handlers.rs", "lines": [2]}]
    assert "`fn handle`" in task["title"]


def test_orphan_directory_is_one_decision_and_its_findings_are_not_planned(plan: dict) -> None:
    dead = [t for t in _tasks(plan) if t["category"] == "dead-code"]
    assert [t["title"] for t in dead] == [
        "Wire in or delete directory `crates/core/src/legacy/`: 3 files, 31 lines no target compiles"]
    assert not [t for t in _tasks(plan) if t["category"] != "dead-code"
                and any(f["file"].startswith("crates/core/src/legacy/") for f in t["files"])]
    assert {f["file"] for f in plan["unplanned_findings"]} == {
        "crates/core/src/legacy/old_client.rs", "crates/core/src/legacy/old_pool.rs",
        "crates/core/src/legacy/store/disk.rs"}
    assert all(f["dead_code"] for f in plan["unplanned_findings"])
    core = next(r for r in plan["crates"] if r["crate"] == "crisis-core")
    assert core == {"crate": "crisis-core", "build_order": 0, "tasks": 4, "estimate_minutes": 105,
                    "blockers": 2, "dead_lines": 31}


def test_build_script_and_examples_are_never_p1(plan: dict) -> None:
    (p1,) = _tasks(plan, "P1")
    assert p1["title"] == "Remove panic paths in `crisis_net::session`: 2 × unwrap-used (1 file)"  # env input
    (p2,) = _tasks(plan, "P2")
    assert p2["title"] == "Remove panic paths in `crisis_net::pool`: 3 × unwrap-used (1 file)"  # invariants
    (cleanup,) = [t for t in _tasks(plan, "P3") if t["category"] == "cleanup"]
    assert {f["file"] for f in cleanup["files"]} == {"crates/app/build.rs", "crates/app/examples/demo.rs"}


def test_structure_work_is_one_epic_per_crate(plan: dict) -> None:
    (epic,) = [t for t in _tasks(plan, "P3") if t["extra"].get("epic")]
    assert epic["title"] == "Structure epic for `crisis-app`: 2 items"
    items = epic["extra"]["subitems"]
    assert [i["title"] for i in items] == ["Fix test organisation in `crates/app/src/main.rs`",
                                           "Embedded test module: `crates/app/src/routes.rs`"]
    assert epic["estimate_minutes"] == sum(i["estimate_minutes"] for i in items)


def test_exact_task_list(plan: dict) -> None:
    assert plan["summary"]["tasks"] == 13
    assert [(t["extra"]["crate"], t["category"], t["rules"]) for t in _tasks(plan, "P3")] == [
        ("crisis-app", "cleanup", ["RT001"]), ("crisis-app", "structure", ["RT220", "RT233"]),
        ("crisis-core", "tests", ["RT231"]), ("crisis-net", "tests", ["RT231"]),
        ("crisis-core", "dead-code", ["RT010"])]
    # every finding is somewhere: in a task or in the unplanned appendix
    check = json.loads(run_cli("check", str(CRISIS), "--no-cache", "--format", "json").stdout)
    covered = {fp for t in _tasks(plan) for fp in t["fingerprints"]}
    covered |= {f["fingerprint"] for f in plan["unplanned_findings"]}
    assert {f["fingerprint"] for f in check["findings"]} <= covered


def test_include_dead_code_plans_them() -> None:
    plan = _plan("--include-dead-code")
    assert not plan["unplanned_findings"]
    assert any(f["file"].startswith("crates/core/src/legacy/") for t in _tasks(plan) for f in t["files"]
               if t["category"] != "dead-code")


def test_markdown_opens_with_gates_top_tasks_and_crates() -> None:
    proc = run_cli("plan", str(CRISIS), "--no-cache", "-j", "1")
    text = proc.stdout
    gates, top, crates, phases = (text.index(h) for h in
                                  ("## Quality Gates", "## Top 10 tasks", "## Crates (in build order)", "## Phases"))
    assert gates < top < crates < phases
    first_task = text[top:crates].splitlines()[4]
    assert first_task.startswith("| P0-1 |") and "config" in first_task


def test_text_hides_dead_code_json_and_sarif_mark_it() -> None:
    text = run_cli("check", str(CRISIS), "--no-cache").stdout
    assert "crates/core/src/legacy/old_pool.rs\n  1:1" in text  # the orphan finding itself stays
    assert "RT001" not in text.split("crates/core/src/legacy/old_pool.rs")[1].split("crates/")[0]
    assert "in files no target compiles hidden" in text
    report = json.loads(run_cli("check", str(CRISIS), "--no-cache", "--format", "json").stdout)
    dead = [f for f in report["findings"] if f.get("dead_code")]
    assert dead and all(f["file"].startswith("crates/core/src/legacy/") for f in dead)
    sarif = json.loads(run_cli("check", str(CRISIS), "--no-cache", "--format", "sarif").stdout)
    marked = [r for r in sarif["runs"][0]["results"] if r["properties"].get("deadCode")]
    assert len(marked) == len(dead)
