"""Risk ranking of panic and blocking sites on fixtures/risk: every class, context and reachability
case carries a `// expect: RTnnn risk=LEVEL class=CLASS` marker; clippy judges the panic sites."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, check_json, run_cli

RISK = FIXTURES / "risk"
# `// expect: RT001[, RT002] [risk=LEVEL] [class=CLASS]`: the rule part is the plain marker other
# fixture tests read; the risk part is optional.
MARKER = re.compile(r"// expect: (RT\d+(?:, RT\d+)*)(?: risk=(\w+))?(?: class=([\w-]+))?$")
PANIC_LINTS = {"RT001": "clippy::unwrap_used", "RT002": "clippy::expect_used", "RT003": "clippy::unimplemented",
               "RT004": "clippy::todo", "RT005": "clippy::panic", "RT006": "clippy::unreachable"}


def expected_markers(root: Path) -> Counter[tuple[str, str, int, str | None, str | None]]:
    out: Counter[tuple[str, str, int, str | None, str | None]] = Counter()
    for path in sorted(root.rglob("*.rs")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            m = MARKER.search(line)
            if m:
                for rule in m.group(1).split(", "):
                    out[(rule, path.relative_to(root).as_posix(), number, m.group(2), m.group(3))] += 1
    return out


@pytest.fixture(scope="module")
def report() -> dict:
    return check_json(str(RISK), "--include-tests", "--select", "RT0,RT1")


def ranked(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f.get("risk") is not None]


def test_every_risk_marker_and_nothing_else(report: dict) -> None:
    """The level and class of every ranked finding are the ones its marker names (which findings there
    are is checked with every other fixture in test_fixture_expectations.py)."""
    found = Counter((f["rule"], f["file"], f["line"], f.get("risk"), f.get("risk_class")) for f in ranked(report))
    assert found == +Counter({k: n for k, n in expected_markers(RISK).items() if k[3] is not None})
    classes = {f["risk_class"] for f in ranked(report)}
    assert classes == {"external-input", "lock-poisoning", "nan", "internal-invariant", "infallible", "constant",
                       "guarded", "runtime-panic", "blocking-io", "lock-across-await", "blocking-call"}
    contexts = {f["risk_context"] for f in ranked(report)}
    assert contexts == {"production", "build-script", "example", "bench", "dead-code"}


def test_reason_chain_and_severity(report: dict) -> None:
    by_line = {(f["file"], f["line"], f["rule"]): f for f in ranked(report)}
    lookup = by_line[("src/lib.rs", 77, "RT002")]
    assert lookup["reachable_from"] == ["seeded", "lookup"] and lookup["severity"] == "medium"
    assert "reachable from library api `seeded` -> `lookup`" in lookup["risk_reason"]
    env = by_line[("src/lib.rs", 16, "RT001")]
    assert env["severity"] == "high" and "`std::env::var(..)`" in env["risk_reason"]
    orphan = by_line[("src/lib.rs", 107, "RT001")]
    assert orphan["reachable_from"] == [] and orphan["severity"] == "low"
    assert "no production entry point reaches it" in orphan["risk_reason"]
    build = by_line[("build.rs", 2, "RT001")]
    assert build["risk"] == "low" and build["risk_reason"].startswith("build script")
    assert report["version"] == 2 and report["summary"]["by_risk"]["high"] >= 10


def test_own_expect_method_and_nested_package_are_not_reported(report: dict) -> None:
    files = {f["file"] for f in report["findings"]}
    assert "src/tokens.rs" not in files  # `self.expect(Token::LeftBracket)?` is Parser::expect
    assert not any(f.startswith("vendor/") for f in files)
    assert any("vendor/nested" in n for n in report["notes"])


def test_min_risk_filter_text_summary_and_exit_code() -> None:
    proc = run_cli("check", str(RISK), "--no-cache", "--min-risk", "high", "--format", "json")
    assert proc.returncode == 1
    risks = {f.get("risk") for f in json.loads(proc.stdout)["findings"]}
    assert risks == {"high"}
    text = run_cli("check", str(RISK), "--no-cache", "--select", "RT0")
    assert re.search(r"risk: high \d+, medium \d+, low \d+ \(high: external-input \d+", text.stdout)
    assert "risk: low (guarded): guarded: after `if values.is_empty()`" in text.stdout
    bad = run_cli("check", str(RISK), "--min-risk", "severe")
    assert bad.returncode == 2


def test_sarif_carries_rank_and_properties() -> None:
    proc = run_cli("check", str(RISK), "--no-cache", "--select", "RT001", "--format", "sarif")
    results = json.loads(proc.stdout)["runs"][0]["results"]
    nan = next(r for r in results if r["properties"].get("riskClass") == "nan")
    assert nan["rank"] == 94.0 and nan["properties"]["risk"] == "high" and nan["level"] == "error"
    low = next(r for r in results if r["properties"].get("riskClass") == "infallible")
    assert low["rank"] == 10.0 and low["level"] == "note"
    assert all(0 <= r["rank"] <= 100 for r in results)


def test_plan_puts_only_high_risk_in_p1_and_one_cleanup_epic_per_crate() -> None:
    proc = run_cli("plan", str(RISK), "--no-cache", "--select", "RT0,RT1", "--include-tests", "--format", "json")
    plan = json.loads(proc.stdout)
    phases = {p["id"]: p["tasks"] for p in plan["phases"]}
    report = check_json(str(RISK), "--include-tests", "--select", "RT0,RT1")
    risk_of = {(f["file"], f["line"], f["rule"]): f.get("risk") for f in report["findings"]}
    p1 = {(e["file"], e["line"], e["rule"]) for t in phases["P1"] for e in t["evidence"]}
    assert p1 and all(risk_of[k] == "high" for k in p1)
    epics = [t for t in phases["P3"] if t["title"].startswith("Clean-up epic")]
    assert len(epics) == 1 and "low-risk" in epics[0]["title"]
    # findings in files no target compiles are one dead-code decision, listed under unplanned_findings
    lows = sum(1 for f in report["findings"] if f.get("risk") == "low" and not f.get("dead_code"))
    assert epics[0]["occurrences"] == lows
    dead = {f["fingerprint"] for f in report["findings"] if f.get("risk") == "low" and f.get("dead_code")}
    assert dead <= {f["fingerprint"] for f in plan["unplanned_findings"]}


def test_rule_options_extend_the_lists(tmp_path: Path) -> None:
    crate = tmp_path / "c"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "c"\nversion = "0.1.0"\nedition = "2021"\n')
    (crate / "src" / "lib.rs").write_text(
        "pub fn a() -> u8 { Template::compile(\"{x}\").unwrap() }\n"
        "pub fn b() -> u8 { wire::read_frame().unwrap() }\n"
        "pub fn c() -> u8 { Buf::push_all().unwrap() }\n"
    )
    before = {f["line"]: f["risk_class"] for f in check_json(str(crate), "--select", "RT001")["findings"]}
    assert before == {1: "internal-invariant", 2: "internal-invariant", 3: "internal-invariant"}
    (crate / "rust-triage.toml").write_text(
        '[rules.RT001]\nconstant-constructors = ["Template::compile"]\nexternal-sources = ["wire::read_frame"]\n'
        '[rules.RT002]\ninfallible-calls = ["Buf::push_all"]\n'
    )
    after = {f["line"]: (f["risk_class"], f["risk"]) for f in check_json(str(crate), "--select", "RT001")["findings"]}
    assert after == {1: ("constant", "low"), 2: ("external-input", "high"), 3: ("infallible", "low")}


def _clippy_sites(crate: Path, target_dir: Path) -> Counter[tuple[str, str, int]]:
    lints = [arg for lint in PANIC_LINTS.values() for arg in ("-W", lint)]
    proc = subprocess.run(
        ["cargo", "clippy", "--offline", "--quiet", "--message-format=json", "--lib", "--bins", "--examples",
         "--benches", "--", *lints],
        cwd=crate, capture_output=True, text=True, timeout=600,
        env={**os.environ, "CARGO_TARGET_DIR": str(target_dir)},
    )
    assert proc.returncode == 0, proc.stderr
    lint_rule = {lint: rule for rule, lint in PANIC_LINTS.items()}
    spans: set[tuple[str, str, int, int, int, int]] = set()  # the lib is checked once per profile
    for line in proc.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") != "compiler-message":
            continue
        code = (message["message"].get("code") or {}).get("code", "")
        if code in lint_rule:
            span = next(s for s in message["message"]["spans"] if s["is_primary"])
            spans.add((lint_rule[code], span["file_name"], span["line_start"], span["column_start"],
                       span["line_end"], span["column_end"]))
    return Counter((rule, file, line) for rule, file, line, *_ in spans)


def test_panic_sites_agree_with_clippy(tmp_path: Path) -> None:
    """Site by site with clippy's restriction lints on code clippy compiles (dead files excluded)."""
    cargo = shutil.which("cargo")
    if cargo is None or subprocess.run([cargo, "clippy", "--version"], capture_output=True).returncode != 0:
        pytest.skip("cargo clippy is not installed")
    crate = tmp_path / "risk"
    shutil.copytree(RISK, crate)
    clippy = _clippy_sites(crate, tmp_path / "target")
    report = check_json(str(crate), "--include-tests", "--select", "RT001,RT002,RT003,RT004,RT005,RT006")
    ours = Counter((f["rule"], f["file"], f["line"]) for f in report["findings"] if f["risk_context"] != "dead-code")
    # clippy spans a method call from its receiver: a call split over lines starts where the receiver does.
    ours[("RT001", "src/service.rs", 13)] += ours.pop(("RT001", "src/service.rs", 15), 0)
    assert ours == clippy
    assert clippy[("RT005", "src/lib.rs", 100)] == 1  # std::panic::panic_any
    assert clippy[("RT001", "src/lib.rs", 92)] == 1 and clippy[("RT002", "src/lib.rs", 96)] == 1  # *_err
