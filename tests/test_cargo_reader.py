"""Robust reading of cargo JSON lines: broken, noisy, duplicated and unusual input."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_cargo_patterns import BROKEN, captured_lines

from rust_triage.families.compiler import Diagnostic, read_diagnostics, read_diagnostics_file

ROOT = BROKEN / "mixed_workspace"


def locations(diagnostics: list[Diagnostic]) -> list[tuple[str, str]]:
    return sorted((d.location, d.message) for d in diagnostics)


@pytest.fixture(scope="module")
def baseline() -> list[tuple[str, str]]:
    result = read_diagnostics(captured_lines("mixed_workspace"), ROOT)
    assert result.errors == [] and len(result.diagnostics) == 22
    return locations(result.diagnostics)


def first_message(name: str = "mixed_workspace", code: str | None = None) -> dict:
    for raw in captured_lines(name):
        record = json.loads(raw)
        if record["reason"] == "compiler-message" and (code is None or (record["message"]["code"] or {}).get("code") == code):
            return record
    raise AssertionError(f"no {code} message in {name}")


def test_duplicates_from_several_targets_are_kept_once(baseline: list) -> None:
    lines = captured_lines("mixed_workspace")
    result = read_diagnostics(lines + lines, ROOT)
    assert locations(result.diagnostics) == baseline
    unused = [d for d in result.diagnostics if d.message == "unused variable: `verbose`"]
    assert len(unused) == 1 and unused[0].targets == ("bin:dump",)
    assert result.stats["duplicates"] >= len(baseline)


def test_counts_errors_warnings_and_non_message_records() -> None:
    result = read_diagnostics(captured_lines("mixed_workspace"), ROOT)
    stats = result.stats
    assert (stats["errors"], stats["warnings"]) == (17, 5) == (result.error_count, result.warning_count)
    assert stats["artifacts"] >= 1 and stats["build_success"] is False
    assert stats["skipped_messages"] >= 2  # "Some errors have detailed explanations", "For more information"
    assert not any(d.message.startswith(("Some errors", "For more information")) for d in result.diagnostics)


def test_truncated_last_line_is_reported_and_the_rest_is_kept(baseline: list) -> None:
    lines = captured_lines("mixed_workspace")
    cut = lines[3][: len(lines[3]) // 2]
    result = read_diagnostics(lines + [cut], ROOT)
    assert [(e.kind, e.line) for e in result.errors] == [("truncated", len(lines) + 1)]
    assert result.errors[0].path == "-"
    assert locations(result.diagnostics) == baseline


def test_garbage_lines_are_skipped_and_bad_json_is_reported_with_its_line(baseline: list) -> None:
    lines = [line.decode() for line in captured_lines("mixed_workspace")]
    noisy = ["   Compiling store v0.1.0", "", "warning: build failed, waiting for other jobs to finish..."]
    noisy += lines[:5] + ['{"reason": "compiler-message", "message": {"level": '] + lines[5:]
    result = read_diagnostics(noisy, ROOT, source="check.json")
    assert [(e.path, e.kind, e.line) for e in result.errors] == [("check.json", "invalid-json", 9)]
    assert result.stats["non_json_lines"] == 2 and result.stats["blank_lines"] == 1
    assert locations(result.diagnostics) == baseline


def test_records_of_the_wrong_shape_are_reported(baseline: list) -> None:
    good = [line.decode() for line in captured_lines("mixed_workspace")]
    broken_spans = copy.deepcopy(first_message())
    broken_spans["message"]["spans"] = "oops"
    bad = ["[1, 2]", json.dumps({"reason": "compiler-message", "message": "text"}), json.dumps(broken_spans),
           json.dumps({"reason": "compiler-message", "message": {"level": 3}}), '{"reason": "future-record"}']
    result = read_diagnostics(bad + good, ROOT)
    assert [(e.kind, e.line) for e in result.errors] == [("invalid-record", n) for n in (2, 3, 4)]
    assert result.stats["non_json_lines"] == 1 and result.stats["other_records"] == 1
    assert all(e.message for e in result.errors)
    assert locations(result.diagnostics) == baseline


def test_crlf_and_bytes_input_read_the_same(baseline: list) -> None:
    text = (BROKEN / "mixed_workspace.cargo.json").read_text()
    crlf = text.replace("\n", "\r\n").encode().splitlines(keepends=True)
    assert locations(read_diagnostics(crlf, ROOT).diagnostics) == baseline


def test_invalid_utf8_is_reported_and_the_line_still_read() -> None:
    record = first_message(code="E0432")
    raw = json.dumps(record, ensure_ascii=False).replace("unresolved", "unr\u00e9solved").encode()
    raw = raw.replace("\u00e9".encode(), b"\xff")
    result = read_diagnostics([raw], ROOT)
    assert [(e.kind, e.line) for e in result.errors] == [("invalid-utf8", 1)]
    assert len(result.diagnostics) == 1 and "\ufffd" in result.diagnostics[0].message


def test_byte_order_marks(baseline: list) -> None:
    lines = captured_lines("mixed_workspace")
    with_bom = [b"\xef\xbb\xbf" + lines[0]] + lines[1:]
    assert locations(read_diagnostics(with_bom, ROOT).diagnostics) == baseline
    utf16 = (BROKEN / "mixed_workspace.cargo.json").read_text().encode("utf-16").splitlines(keepends=True)
    result = read_diagnostics(utf16, ROOT)
    assert result.diagnostics == [] and [(e.kind, e.line) for e in result.errors] == [("unsupported-encoding", 1)]
    assert "UTF-8" in result.errors[0].message


def test_empty_input() -> None:
    for lines in ([], ["", "  ", "\r\n"]):
        result = read_diagnostics(lines, ROOT)
        assert result.diagnostics == [] and result.errors == []
        assert result.stats["build_success"] is None


def test_stdin_is_read_as_a_stream(baseline: list) -> None:
    code = ("import sys, json; from pathlib import Path; from rust_triage.families.compiler import read_diagnostics; "
            "r = read_diagnostics(sys.stdin.buffer, Path(sys.argv[1])); "
            "print(json.dumps(sorted((d.location, d.message) for d in r.diagnostics)))")
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT)],
                          input=(BROKEN / "mixed_workspace.cargo.json").read_bytes(), capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert [tuple(item) for item in json.loads(proc.stdout)] == baseline


def test_missing_file_is_a_reported_problem(tmp_path: Path) -> None:
    result = read_diagnostics_file(tmp_path / "none.json", ROOT)
    assert result.diagnostics == [] and [e.kind for e in result.errors] == ["unreadable"]


def test_messages_without_code_and_without_spans_are_kept() -> None:
    lines = [json.dumps({"reason": "compiler-message", "message": {
        "$message_type": "diagnostic", "level": "warning", "message": "unused manifest key: package.colour",
        "code": None, "spans": [], "children": [], "rendered": "warning: unused manifest key\n"}})]
    (diag,) = read_diagnostics(lines, ROOT).diagnostics
    assert (diag.code, diag.file, diag.line, diag.location) == (None, None, None, "<no location>")


def test_bare_rustc_json_lines_are_accepted(baseline: list) -> None:
    messages = [json.dumps(json.loads(raw)["message"]) for raw in captured_lines("mixed_workspace")
                if json.loads(raw)["reason"] == "compiler-message"]
    assert locations(read_diagnostics(messages, ROOT).diagnostics) == baseline


def test_diagnostic_fields_come_from_the_primary_span() -> None:
    result = read_diagnostics(captured_lines("mixed_workspace"), ROOT)
    (mismatch,) = [d for d in result.diagnostics if d.location == "crates/store/src/stats.rs:13:5"]
    assert (mismatch.level, mismatch.code, mismatch.message) == ("error", "E0308", "mismatched types")
    assert (mismatch.end_line, mismatch.end_column) == (13, 10)
    assert mismatch.label == "expected `u64`, found `usize`"
    assert mismatch.rendered.startswith("error[E0308]: mismatched types\n")
    assert mismatch.package_id and mismatch.package_id.startswith("path+file:///fixture/crates/store")
    (suggestion,) = mismatch.suggestions
    assert (suggestion.file, suggestion.line, suggestion.replacement, suggestion.applicability) == (
        "crates/store/src/stats.rs", 13, ".try_into().unwrap()", "MachineApplicable")
    assert any(note.level == "help" for note in mismatch.children)


def test_user_macro_errors_map_to_each_invocation() -> None:
    result = read_diagnostics(captured_lines("counter_crisis"), BROKEN / "counter_crisis")
    from_macro = [d for d in result.diagnostics if d.macro == "bump!"]
    assert [d.location for d in from_macro] == ["src/orchestrator.rs:8:9", "src/orchestrator.rs:10:5"]
    assert all("bump!(rounds)" in (d.snippet or "") for d in from_macro)


def test_derive_expansion_keeps_the_field_span() -> None:
    result = read_diagnostics(captured_lines("mixed_workspace"), ROOT)
    (bound,) = [d for d in result.diagnostics if "Instant: Default" in d.message]
    assert (bound.location, bound.macro) == ("crates/store/src/state.rs:7:5", "#[derive(Default)]")


def test_spans_in_dependencies_map_to_the_outermost_user_span() -> None:
    record = first_message("mixed_workspace", "E0308")
    span = record["message"]["spans"][0]
    user = copy.deepcopy(span)
    user["expansion"] = None
    inner = dict(span, file_name="/root/.cargo/registry/src/index/dep-1.0.0/src/lib.rs", line_start=900,
                 expansion={"macro_decl_name": "dep::make!", "def_site_span": None, "span": user})
    record["message"]["spans"] = [inner]
    (diag,) = read_diagnostics([json.dumps(record)], ROOT).diagnostics
    assert (diag.file, diag.line, diag.macro) == (span["file_name"], span["line_start"], "dep::make!")


def test_absolute_and_windows_paths_become_workspace_relative(tmp_path: Path) -> None:
    record = first_message("mixed_workspace", "E0308")
    record["message"]["spans"][0]["file_name"] = f"{ROOT.resolve().as_posix()}/crates/store/src/stats.rs"
    windows = copy.deepcopy(record)
    windows["message"]["spans"][0]["file_name"] = ".\\crates\\store\\src\\stats.rs"
    windows["message"]["message"] = "mismatched types (windows)"
    files = {d.file for d in read_diagnostics([json.dumps(record), json.dumps(windows)], ROOT).diagnostics}
    assert files == {"crates/store/src/stats.rs"}
