"""`--format html`: one self-contained page with summary, category chart, filterable table and the plan."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import DEMO

from rust_triage.cli import main


def _html(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["check", *args, "--no-cache", "-j", "1", "--format", "html"])
    assert code in (0, 1)
    return capsys.readouterr().out


def test_demo_report_is_self_contained_and_complete(capsys: pytest.CaptureFixture[str]) -> None:
    html = _html(capsys, str(DEMO), "--select", "RT0")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    # self-contained: no external scripts, styles, images or fonts
    assert not re.search(r"<(script|img|link)[^>]+(src|href)=", html)
    assert not re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", html)
    # summary cards and the chart by category
    assert re.search(r"<b class=\"\">8</b>findings", html)
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None
    root = ET.fromstring(svg.group(0))
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert [b.find("{http://www.w3.org/2000/svg}title").text for b in bars] == ["panic: 8"]
    # the findings table with its filter box and inline script
    rows = re.findall(r'<tr data-rule="(RT\d+)" data-severity="(\w+)">', html)
    assert len(rows) == 8 and ("RT004", "medium") in rows and ("RT001", "high") in rows  # severity follows risk
    assert 'id="filter"' in html and "<script>" in html and "classList.toggle('hidden'" in html
    # the plan: gates and every task of `rust-triage plan`
    main(["plan", str(DEMO), "--select", "RT0", "--no-cache", "-j", "1", "--format", "json"])
    plan = json.loads(capsys.readouterr().out)
    assert "No panics on production paths" in html and "❌ FAIL" in html
    for phase in plan["phases"]:
        for task in phase["tasks"]:
            assert f'id="{task["id"]}"' in html
    assert html.count('<input type="checkbox" data-task=') == sum(len(p["tasks"]) for p in plan["phases"])


def test_source_text_is_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "x"\nversion = "0.1.0"\nedition = "2021"\n')
    (tmp_path / "src" / "lib.rs").write_text(
        'pub fn f(x: Option<&str>) -> String {\n'
        '    let s = "<script>alert(1)</script>"; format!("{}{}", s, x.unwrap())\n}\n')
    html = _html(capsys, str(tmp_path), "--select", "RT001")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the snippet, escaped, in the plan evidence


def test_html_written_to_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    code = main(["check", str(DEMO), "--select", "RT0", "--no-cache", "-j", "1", "--format", "html", "-o", str(out)])
    assert code == 1 and capsys.readouterr().out == ""
    assert "<table id=\"findings\">" in out.read_text()
