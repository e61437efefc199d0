"""`rust-triage history record|report`: a JSON history of runs and a self-contained burn-down page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from rust_triage.cli import main

THREE = "pub fn a(x: Option<u8>) -> u8 { x.unwrap() }\npub fn b(x: Option<u8>) -> u8 { x.expect(\"b\") }\n" \
        "pub fn c() { todo!() }\n"
ONE = "pub fn a(x: Option<u8>) -> u8 { x.unwrap_or(0) }\npub fn c() { todo!() }\n"


def _crate(root: Path, lib: str) -> Path:
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "Cargo.toml").write_text('[package]\nname = "hist"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(lib)
    return root


def _record(crate: Path, history: Path, *extra: str) -> int:
    return main(["history", "record", str(crate), "--file", str(history), "--no-cache", "-j", "1",
                 "--select", "RT00", *extra])


def test_record_appends_counts_and_report_draws_the_burn_down(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    crate = _crate(tmp_path / "c", THREE)
    history = tmp_path / "h.json"
    assert _record(crate, history, "--label", "before") == 0
    (crate / "src" / "lib.rs").write_text(ONE)
    assert _record(crate, history, "--label", "after") == 0
    err = capsys.readouterr().err
    assert "recorded run 'after': 1 finding(s) (-2 since the previous run)" in err

    data = json.loads(history.read_text())
    assert data["version"] == 1
    first, second = data["runs"]
    assert (first["label"], first["total"], second["label"], second["total"]) == ("before", 3, "after", 1)
    assert first["by_rule"] == {"RT001": 1, "RT002": 1, "RT004": 1}
    # the todo!() left is a medium-risk site (severity follows risk)
    assert second["by_severity"] == {"medium": 1} and second["by_category"] == {"panic": 1}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["timestamp"])

    page = tmp_path / "burndown.html"
    assert main(["history", "report", "--file", str(history), "-o", str(page)]) == 0
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and "3 → <b>1</b> (-2)" in html
    assert "<script" not in html and "<link" not in html and not re.search(r"(src|href)=\"https?:", html)
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None
    root = ET.fromstring(svg.group(0))  # well-formed SVG
    ns = "{http://www.w3.org/2000/svg}"
    total = next(p for p in root.iter(f"{ns}polyline") if p.get("data-series") == "total")
    ys = [float(pt.split(",")[1]) for pt in total.get("points", "").split()]
    assert len(ys) == 2 and ys[1] > ys[0]  # fewer findings: the line goes down (SVG y grows downwards)
    labels = [t.text for t in root.iter(f"{ns}text")]
    assert "before" in labels and "after" in labels


def test_record_label_defaults_to_git_commit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    crate = _crate(tmp_path / "c", THREE)
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([git, "init", "-q"], cwd=crate, check=True)
    subprocess.run([git, *ident, "add", "-A"], cwd=crate, check=True)
    subprocess.run([git, *ident, "commit", "-q", "-m", "x"], cwd=crate, check=True)
    head = subprocess.run([git, "rev-parse", "--short", "HEAD"], cwd=crate, capture_output=True, text=True,
                          check=True).stdout.strip()
    history = tmp_path / "h.json"
    page = tmp_path / "b.html"
    assert _record(crate, history, "-o", str(page)) == 0
    run = json.loads(history.read_text())["runs"][0]
    assert run["commit"] == head and run["label"] == head
    assert "<svg" in page.read_text()


def test_report_json_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.json"
    assert main(["history", "report", "--file", str(missing)]) == 2
    assert "history file not found" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["history", "report", "--file", str(broken)]) == 2
    assert "not JSON" in capsys.readouterr().err
    broken.write_text('{"runs": 3}')
    assert _record(_crate(tmp_path / "c", THREE), broken) == 2
    assert "no `runs` list" in capsys.readouterr().err
    good = tmp_path / "good.json"
    good.write_text('{"version": 1, "runs": [{"label": "x", "timestamp": "t", "total": 4}]}')
    assert main(["history", "report", "--file", str(good), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["runs"][0]["total"] == 4
    assert main(["history"]) == 2


@pytest.mark.parametrize(("content", "message"), [
    ("[" * 100_000 + "]" * 100_000, ": not usable JSON: arrays or objects nested too deeply"),
    ('{"runs": [{"total": ' + "9" * 5000 + "}]}", ": not usable JSON: a number is too large"),
    ('{"version": "2", "runs": []}', " has version '2': expected a positive integer"),
    ('{"version": null, "runs": []}', " has version None: expected a positive integer"),
    ('{"runs": [{"total": 1, "by_severity": [1]}]}', ": `runs[0].by_severity` is not an object of counts"),
    ('{"runs": [{"total": 1, "by_rule": {"RT001": "x"}}]}',
     ": `runs[0].by_rule['RT001']` is 'x': expected a count (integer >= 0)"),
    ('{"runs": [{"total": true}]}', ": `runs[0].total` is True: expected a count (integer >= 0)"),
    ('{"runs": [{"total": 1, "label": "\\ud800"}]}', ": `runs[0].label` is not a UTF-8 string"),
    ('{"runs": [3]}', ": `runs[0]` is not an object"),
], ids=["deep", "bigint", "version-str", "version-null", "severity-list", "rule-count-str", "total-bool",
        "surrogate", "run-int"])
def test_malformed_history_exits_2_with_one_line(tmp_path: Path, content: str, message: str) -> None:
    from conftest import run_cli

    bad = tmp_path / "history.json"
    bad.write_text(content)
    for args in (["report", "-f", "json"], ["report"], ["record", str(_crate(tmp_path / "c", ONE)), "--no-cache"]):
        proc = run_cli("history", *args, "--file", str(bad))
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.splitlines() == [f"rust-triage: error: history file {bad}{message}"]
    assert bad.read_text() == content  # record did not rewrite it
