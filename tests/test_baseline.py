"""`--baseline FILE` (JSON or SARIF) and `--new-only`: fingerprint matching robust to moved lines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rust_triage.cli import main
from rust_triage.pipeline import Options, analyse
from rust_triage.reporters.baseline import apply_baseline, load_fingerprints

OLD = """\
pub fn a(x: Option<u8>) -> u8 {
    x.unwrap()
}

pub fn b(v: Result<u8, ()>) -> u8 {
    v.expect("b")
}
"""
# Lines inserted above both findings, one new unwrap in a new function.
NEW = """\
//! Crate docs.

use std::collections::HashMap;

pub fn a(x: Option<u8>) -> u8 {
    x.unwrap()
}

pub fn b(v: Result<u8, ()>) -> u8 {
    v.expect("b")
}

pub fn c(m: HashMap<u8, u8>) -> u8 {
    *m.get(&1).unwrap()
}
"""


def _crate(root: Path, lib: str) -> Path:
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "Cargo.toml").write_text('[package]\nname = "base"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(lib)
    return root


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args, "--no-cache", "-j", "1", "--select", "RT00"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_new_only_reports_only_new_findings_after_lines_moved(tmp_path: Path, fmt: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    crate = _crate(tmp_path / "c", OLD)
    baseline = tmp_path / f"baseline.{fmt}"
    code, _, _ = _check(capsys, str(crate), "--format", fmt, "-o", str(baseline))
    assert code == 1
    (crate / "src" / "lib.rs").write_text(NEW)

    code, out, _ = _check(capsys, str(crate), "--format", "json", "--baseline", str(baseline), "--new-only")
    report = json.loads(out)
    assert code == 1
    assert [(f["rule"], f["line"], f["symbol"]) for f in report["findings"]] == [("RT001", 14, "crate::c")]
    assert report["findings"][0]["detail"]["baseline"] == "new"
    assert report["baseline"]["new"] == 1 and report["baseline"]["unchanged"] == 2
    assert report["baseline"]["fixed"] == 0


def test_without_new_only_every_finding_is_marked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    crate = _crate(tmp_path / "c", OLD)
    baseline = tmp_path / "b.json"
    _check(capsys, str(crate), "--format", "json", "-o", str(baseline))
    (crate / "src" / "lib.rs").write_text(NEW.replace('v.expect("b")', 'v.unwrap_or(0)'))
    _, out, _ = _check(capsys, str(crate), "--format", "json", "--baseline", str(baseline))
    report = json.loads(out)
    marks = {f["symbol"]: f["detail"]["baseline"] for f in report["findings"]}
    assert marks == {"crate::a": "unchanged", "crate::c": "new"}
    assert report["baseline"] == {"new": 1, "unchanged": 1, "fixed": 1, "file": str(baseline)}


def test_new_only_clean_run_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    crate = _crate(tmp_path / "c", OLD)
    baseline = tmp_path / "b.sarif"
    _check(capsys, str(crate), "--format", "sarif", "-o", str(baseline))
    (crate / "src" / "lib.rs").write_text("\n\n" + OLD)
    code, out, _ = _check(capsys, str(crate), "--baseline", str(baseline), "--new-only")
    assert code == 0
    assert "0 findings" in out


def test_duplicates_are_counted_as_a_multiset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = "pub fn f(x: Option<u8>) -> u8 {\n    let a = x.unwrap();\n    a\n}\n"
    two = "pub fn f(x: Option<u8>) -> u8 {\n    let a = x.unwrap();\n    let a = x.unwrap();\n    a\n}\n"
    crate = _crate(tmp_path / "c", one)
    baseline = tmp_path / "b.json"
    _check(capsys, str(crate), "--format", "json", "-o", str(baseline))
    (crate / "src" / "lib.rs").write_text(two)
    _, out, _ = _check(capsys, str(crate), "--format", "json", "--baseline", str(baseline), "--new-only")
    report = json.loads(out)
    assert len(report["findings"]) == 1  # the two findings share a fingerprint; the baseline held one


def test_reports_without_fingerprint_field_are_recomputed(tmp_path: Path) -> None:
    crate = _crate(tmp_path / "c", OLD)
    analysis = analyse(Options(paths=[crate], no_cache=True, jobs=1, select=["RT00"]))
    old = [f.to_dict() for f in analysis.findings]
    for f in old:
        del f["fingerprint"]
    counts = apply_baseline(analysis, io.BytesIO(json.dumps({"findings": old}).encode()), new_only=True)
    assert counts == {"new": 0, "unchanged": 2, "fixed": 0}
    assert analysis.findings == []


def test_load_fingerprints_rejects_other_json() -> None:
    with pytest.raises(ValueError):
        load_fingerprints({"something": []})
    with pytest.raises(ValueError):
        load_fingerprints([1, 2])


@pytest.mark.parametrize("content", [b"not json at all", b'{"version": 1}', b"\xff\xfe\x00"])
def test_bad_baseline_is_a_usage_error(tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    crate = _crate(tmp_path / "c", OLD)
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    code, _, err = _check(capsys, str(crate), "--baseline", str(bad))
    assert code == 2
    assert "--baseline" in err and "Traceback" not in err


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(("content", "message"), [
    (DEEP, "not usable JSON: arrays or objects nested too deeply"),
    ('{"findings": [{"line": ' + "9" * 5000 + "}]}", "not usable JSON: a number is too large"),
    ('{"runs": [{"results": 5}]}', "`runs[0].results` is not a list"),
    ('{"runs": 7}', "`runs` is not a list"),
    ('{"findings": [NaN]}', "`findings[0]` is not an object"),
    ('{"findings": {"a": 1}}', "`findings` is not a list"),
    ('{"findings": [{"fingerprint": 3}]}', "`findings[0].fingerprint` is not a non-empty string"),
], ids=["deep", "bigint", "results-int", "runs-int", "nan", "findings-object", "fingerprint-int"])
def test_malformed_baseline_exits_2_with_one_line(tmp_path: Path, content: str, message: str) -> None:
    from conftest import run_cli

    crate = _crate(tmp_path / "c", OLD)
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    proc = run_cli("check", str(crate), "--no-cache", "-q", "--baseline", str(bad))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [f"rust-triage: error: --baseline {bad}: {message}"]


def test_old_report_with_lone_surrogate_in_snippet_is_read(tmp_path: Path) -> None:
    fps = load_fingerprints(json.loads('{"findings": [{"rule": "RT001", "snippet": "\\ud800"}]}'))
    assert sum(fps.values()) == 1
