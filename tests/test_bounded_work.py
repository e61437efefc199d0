"""Bounded work: inputs that used to hang or take super-linear time finish, each in a fresh CLI process.

The inputs come from benches/pathological.py (which also times them). Each run has a generous
timeout: the point is that it finishes, not how fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "benches"))
import pathological  # noqa: E402

TIMEOUT = 60


def check(root: Path, *extra: str, timeout: float = TIMEOUT) -> dict:
    """The JSON report of `check root`; fails (instead of hanging) when it takes over `timeout` s."""
    out = root / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "rust_triage", "check", str(root), "--no-cache", "--jobs", "1",
         "--format", "json", "-o", str(out), *extra],
        capture_output=True, text=True, timeout=timeout,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(out.read_text())


def test_private_helpers_in_a_cycle_get_a_split_proposal(tmp_path: Path) -> None:
    root = pathological.write_case("helper_cycle", tmp_path / "ws")
    report = check(root, "--select", "RT210")
    (finding,) = [f for f in report["findings"] if f["rule"] == "RT210"]
    modules = finding["detail"]["proposal"]["modules"]
    holding = [m["name"] for m in modules if {"ha", "hb", "hc"} & {it["name"] for it in m["items"]}]
    kept = {it["name"] for it in finding["detail"]["proposal"]["keep"]}
    # the three helpers only use each other: they move together (or all stay)
    assert len(holding) == 1 or {"ha", "hb", "hc"} <= kept


@pytest.mark.parametrize(("case", "size"), [("long_sum", 120_000), ("method_chain", 48_000)])
def test_deep_expressions_finish(case: str, size: int, tmp_path: Path) -> None:
    """Each query pass used to cost nodes x depth: minutes on these (a few seconds now)."""
    root = pathological.write_case(case, tmp_path / "ws", getattr(pathological, case)(size))
    report = check(root)
    assert report["errors"] == []


def test_windowed_queries_find_what_one_pass_finds() -> None:
    """The windowed search gives the same facts as the ordinary pass, in the same order."""
    from rust_triage.engine.registry import load_registry
    from rust_triage.parse import query_run
    from rust_triage.parse.extract import extract_file

    registry = load_registry([])
    specs = registry.query_specs({r.meta.id for r in registry.rules})
    sources = [p.read_bytes() for p in sorted((REPO / "fixtures").rglob("*.rs"))]
    sources.append(pathological.method_chain(300).encode())
    saved = query_run.DEEP
    try:
        for source in sources:
            query_run.DEEP, query_run._last_depth_check = saved, None
            one_pass = extract_file(source, specs)
            query_run.DEEP, query_run._last_depth_check = 0, None  # every tree counts as deep
            windowed = extract_file(source, specs)
            assert repr(windowed) == repr(one_pass)
    finally:
        query_run.DEEP, query_run._last_depth_check = saved, None


def test_split_proposal_of_a_file_with_80k_functions(tmp_path: Path) -> None:
    """Community detection on 80k tangled units took minutes; big files are clustered in runs now."""
    root = pathological.write_case("many_fns", tmp_path / "ws")
    report = check(root, "--select", "RT210", timeout=120)
    (finding,) = report["findings"]
    modules = finding["detail"]["proposal"]["modules"]
    assert 2 <= len(modules) <= 500


def test_nested_inline_modules(tmp_path: Path) -> None:
    """5,000 nested inline modules: the file is analysed (it was 'nesting too deep'), in little memory."""
    root = pathological.write_case("nested_mods", tmp_path / "ws")
    status, _wall, _cpu, peak_kib = pathological.run_check(root, TIMEOUT)
    assert status in (0, 1)
    assert peak_kib < 300 * 1024  # about 900 MB before
    report = check(root)
    assert report["errors"] == []
    assert report["summary"]["files_scanned"] == 1


def test_graph_of_deeply_nested_modules(tmp_path: Path) -> None:
    """Module scopes were built and exported recursively: a RecursionError traceback before."""
    depth = 3_000
    source = "mod m { pub fn g() {} " * depth + "use super::g; pub fn f() { g(); super::g(); } " + "}" * depth
    root = pathological.write_case("nested_mods", tmp_path / "ws", source + "\n")
    for fmt in ("json", "graphml", "dot"):
        proc = subprocess.run([sys.executable, "-m", "rust_triage", "graph", str(root), "--format", fmt],
                              capture_output=True, text=True, timeout=TIMEOUT)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "module" in proc.stdout


def test_deeply_nested_types_and_use_lists(tmp_path: Path) -> None:
    """Type and use-tree nesting deeper than Python's recursion limit is analysed, not a crash."""
    depth = 3_000
    source = (
        "use a::" + "{b::" * depth + "c" + "}" * depth + ";\n"
        "pub struct S { pub v: " + "Vec<" * depth + "u8" + ">" * depth + " }\n"
        "pub fn f() -> S { S { } }\n"
    )
    root = pathological.write_case("nested_mods", tmp_path / "ws", source)
    report = check(root)
    assert report["errors"] == []


def test_crate_macros_expanding_to_many_calls(tmp_path: Path) -> None:
    """Expansions of the crate's own macros, each calling the next many times, are read up to a budget
    per file (there was none: minutes and over 10 GB for this 8 KB file)."""
    root = pathological.write_case("macro_fanout", tmp_path / "ws")
    report = check(root, "--select", "RT3")
    assert report["summary"]["files_scanned"] == 1 and report["errors"] == []


def test_one_long_line_with_many_findings(tmp_path: Path) -> None:
    """A minified file: every match used to decode the whole line, every suppression check scanned
    every item of the file."""
    root = pathological.write_case("long_line", tmp_path / "ws", pathological.long_line(1_000_000))
    report = check(root, "--select", "RT001")
    assert report["summary"]["by_rule"]["RT001"] > 20_000
    assert all(len(f["snippet"]) <= 300 for f in report["findings"][:10])


def test_transitive_blocking_search_on_a_wide_call_graph(tmp_path: Path) -> None:
    """The search for a chain to a blocking call was exponential in the width of the call graph."""
    root = pathological.write_case("wide_calls", tmp_path / "ws", pathological.wide_calls(30))
    assert check(root, "--select", "RT103")["findings"] == []  # 30 ** 5 paths per call: minutes before
    blocking = pathological.wide_calls().replace("pub fn l3_7() {", "pub fn l3_7() { std::thread::sleep(d);")
    root = pathological.write_case("wide_calls", tmp_path / "ws2", blocking)
    findings = check(root, "--select", "RT103")["findings"]
    assert len(findings) == 20  # each call from the async fn reaches the sleep, four calls down
    assert all("l3_7" in f["message"] and "sleep" in f["message"] for f in findings)


def test_module_files_nested_deeper_than_the_recursion_limit(tmp_path: Path) -> None:
    """1,200 nested module directories: resolving each file's path and finding its package used to
    cost depth² system calls (minutes) and a recursive climb raised RecursionError."""
    root = pathological.write_deep_module_files(tmp_path / "ws", depth=1_200)
    try:
        report = check(root, "--select", "RT001,RT010,RT016", timeout=180)
    finally:
        _remove_deep_tree(root / "src")  # pytest's own clean-up (shutil.rmtree) recurses per level
    assert sum(f["rule"] == "RT001" for f in report["findings"]) == 1_200
    assert not [f for f in report["findings"] if f["rule"] in ("RT010", "RT016")]
    assert report["errors"] == []


def _remove_deep_tree(top: Path) -> None:
    directories: list[str] = []
    pending = [str(top)]
    while pending:
        directory = pending.pop()
        directories.append(directory)
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                else:
                    os.unlink(entry.path)
    for directory in reversed(directories):
        os.rmdir(directory)
