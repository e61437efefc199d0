"""SARIF 2.1.0 output: schema-valid for every fixture, GitHub conventions, stable fingerprints, limits."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import DEMO, FIXTURES, REPO

from rust_triage.cli import main
from rust_triage.engine.model import Finding, Location, RuleDocs, RuleMeta
from rust_triage.errors import FileError
from rust_triage.pipeline import Options, analyse
from rust_triage.reporters import sarif_report
from rust_triage.reporters.sarif_report import FINGERPRINT_KEY, MAX_RESULTS, sarif_log

SCHEMA_NAME = "sarif-schema-2.1.0.json"


def _schema_path() -> Path:
    """The SARIF 2.1.0 schema vendored in tests/data: the tests need nothing outside the repository."""
    return REPO / "tests" / "data" / SCHEMA_NAME


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(_schema_path().read_text())
    return jsonschema.Draft4Validator(schema)


def _validate(validator: jsonschema.Draft4Validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def _fixture_workspaces() -> list[Path]:
    out = []
    for group in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        if (group / "Cargo.toml").exists():
            out.append(group)
        else:
            out.extend(sorted(p for p in group.iterdir() if p.is_dir()))
    return out


def _sarif_of(path: Path, *extra: str) -> dict:
    analysis = analyse(Options(paths=[path], no_cache=True, jobs=1, select=list(extra)))
    return json.loads(sarif_report.render(analysis))


def _crate(root: Path, lib: str, name: str = "sample") -> Path:
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(lib, encoding="utf-8")
    return root


@pytest.mark.parametrize("workspace", _fixture_workspaces(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_every_fixture_sarif_is_schema_valid(workspace: Path, validator: jsonschema.Draft4Validator) -> None:
    log = _sarif_of(workspace)
    _validate(validator, log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({r["ruleId"] for r in run["results"]})
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert FINGERPRINT_KEY in result["partialFingerprints"]
        assert "primaryLocationLineHash" not in result["partialFingerprints"]


def test_demo_sarif_structure(validator: jsonschema.Draft4Validator) -> None:
    log = _sarif_of(DEMO, "RT0")
    _validate(validator, log)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "rust-triage" and driver["version"] and driver["informationUri"].startswith("https://")
    unwrap = next(r for r in driver["rules"] if r["id"] == "RT001")
    assert unwrap["name"] == "unwrap-used"
    assert unwrap["shortDescription"]["text"] and unwrap["fullDescription"]["text"]
    assert unwrap["help"]["markdown"].startswith("# RT001 unwrap-used")
    assert "## How to fix" in unwrap["help"]["markdown"] and unwrap["help"]["text"]
    assert unwrap["defaultConfiguration"]["level"] == "warning"
    assert unwrap["properties"]["precision"] == "very-high"
    assert unwrap["properties"]["problem.severity"] == "warning"
    assert "panic" in unwrap["properties"]["tags"]
    assert "security-severity" not in unwrap["properties"]  # panics are not security alerts
    # %SRCROOT% is the repository root; URIs are relative to it.
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == REPO.as_uri() + "/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "fixtures/demo/crates/core/src/store.rs" in uris
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
               for r in run["results"])
    todo = next(r for r in run["results"] if r["ruleId"] == "RT004")
    assert todo["level"] == "warning"  # severity follows risk: a reachable todo!() is medium
    assert todo["properties"]["risk"] == "medium" and todo["rank"] == 54.0
    region = todo["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"]) == (43, 9, 43)
    assert todo["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].endswith("export_csv")
    # most severe first
    ranks = [{"error": 0, "warning": 1, "note": 2}[r["level"]] for r in run["results"]]
    assert ranks == sorted(ranks)
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True and invocation["exitCode"] == 1


def test_columns_are_utf16_code_units_on_non_ascii_lines(tmp_path: Path) -> None:
    line = '    let s = "héllo 🦀 wörld"; let n: u32 = s.len().try_into().unwrap();'
    crate = _crate(tmp_path / "c", f"pub fn f() -> u32 {{\n{line}\n    n\n}}\n")
    log = _sarif_of(crate, "RT001")
    (result,) = log["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    start = line.index("unwrap")
    utf16_start = len(line[:start].encode("utf-16-le")) // 2 + 1
    byte_start = len(line[:start].encode("utf-8")) + 1
    assert byte_start != utf16_start  # the line really needs converting
    assert region["startColumn"] == utf16_start
    assert region["endColumn"] == utf16_start + len("unwrap")


def test_fingerprints_survive_inserted_lines(tmp_path: Path) -> None:
    body = "pub fn f(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\npub fn g(x: Option<u8>) -> u8 {\n    x.expect(\"g\")\n}\n"
    crate = _crate(tmp_path / "c", body)
    before = _sarif_of(crate, "RT00")["runs"][0]["results"]
    (crate / "src" / "lib.rs").write_text("// a new header\n//! more\n\nuse std::fmt;\n" + body)
    after = _sarif_of(crate, "RT00")["runs"][0]["results"]

    def prints(results: list[dict]) -> dict[str, int]:
        return {r["partialFingerprints"][FINGERPRINT_KEY]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
                for r in results}

    old, new = prints(before), prints(after)
    assert len(old) == 2 and set(old) == set(new)
    assert all(new[fp] == old[fp] + 4 for fp in old)


def _meta(rule_id: str, severity: str = "medium", **kw: object) -> RuleMeta:
    return RuleMeta(id=rule_id, name=f"rule-{rule_id.lower()}", category="panic", severity=severity,
                    summary=f"summary {rule_id}", docs=RuleDocs(what="what", fix="fix"), **kw)  # type: ignore[arg-type]


def _finding(rule: str, severity: str, file: str = "src/lib.rs", line: int = 1, **kw: object) -> Finding:
    return Finding(rule=rule, name=f"rule-{rule.lower()}", severity=severity, category="panic", file=file,
                   line=line, column=1, end_line=line, end_column=5, message=f"msg {rule}", snippet=f"x{line}",
                   **kw)  # type: ignore[arg-type]


def test_related_locations_code_flows_security_and_notifications(tmp_path: Path,
                                                                 validator: jsonschema.Draft4Validator) -> None:
    chain = [{"file": "src/a.rs", "line": 3, "column": 5, "message": "async fn serve"},
             {"file": "src/b.rs", "line": 9, "column": 1, "message": "fn load"},
             "block_on (external)"]
    findings = [
        _finding("RT100", "high", related=[Location("src/b.rs", 9, 1, message="blocking fn defined here")],
                 detail={"call_chain": chain}),
        _finding("RT777", "critical", line=2),
    ]
    metas = {"RT100": _meta("RT100", "high"), "RT777": _meta("RT777", "critical", security_severity=8.1)}
    errors = [FileError("src/bad.rs", "invalid-utf8", "not UTF-8", line=3), FileError("<rules>", "rule", "boom")]
    log = sarif_log(findings, metas, errors, tmp_path, 2)
    _validate(validator, log)
    run = log["runs"][0]
    by_id = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert by_id["RT777"]["properties"]["security-severity"] == "8.1"
    assert "security-severity" not in by_id["RT100"]["properties"]
    first, second = run["results"]
    assert first["ruleId"] == "RT777"  # critical before high
    related = second["relatedLocations"][0]
    assert related["message"]["text"] == "blocking fn defined here"
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "src/b.rs"
    steps = second["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["message"]["text"] for s in steps] == ["async fn serve", "fn load", "block_on (external)"]
    assert steps[0]["location"]["physicalLocation"]["region"]["startLine"] == 3
    invocation = run["invocations"][0]
    assert invocation["exitCode"] == 2 and invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/bad.rs"
    assert notes[0]["descriptor"]["id"] == "invalid-utf8" and "locations" not in notes[1]


def test_unknown_rules_and_compiler_levels_get_a_descriptor(tmp_path: Path,
                                                             validator: jsonschema.Draft4Validator) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.rs").write_text("fn main() { let é = 1; let x: u8 = \"a\"; }\n", encoding="utf-8")
    diag = Finding(rule="RT900", name="compiler-error", severity="error", category="build", file="src/main.rs",
                   line=1, column=33, end_line=1, end_column=36, message="[E0308] mismatched types",
                   detail={"column_unit": "codepoints"})
    log = sarif_log([diag], {}, [], tmp_path, 1)
    _validate(validator, log)
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["id"] == "RT900" and rule["defaultConfiguration"]["level"] == "error"
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startColumn"] == 33  # code points == UTF-16 units on this line (no astral chars)


def test_results_are_truncated_at_github_limit_keeping_the_most_severe(tmp_path: Path) -> None:
    findings = [_finding("RT001", "low", file=f"src/f{i // 1000}.rs", line=i % 1000 + 1) for i in range(MAX_RESULTS)]
    findings += [_finding("RT004", "critical", file="src/zzz.rs", line=i + 1) for i in range(7)]
    log = sarif_log(findings, {"RT001": _meta("RT001", "low"), "RT004": _meta("RT004", "critical")}, [],
                    tmp_path, 1)
    run = log["runs"][0]
    assert len(run["results"]) == MAX_RESULTS
    assert sum(1 for r in run["results"] if r["ruleId"] == "RT004") == 7
    (note,) = [n for n in run["invocations"][0]["toolExecutionNotifications"]
               if n["descriptor"]["id"] == "results-truncated"]
    assert "7 of 25007" in note["message"]["text"]
    again = sarif_log(list(reversed(findings)), {"RT001": _meta("RT001", "low"), "RT004": _meta("RT004", "critical")},
                      [], tmp_path, 1)
    assert again["runs"][0]["results"] == run["results"]  # deterministic whatever the input order


def test_check_format_sarif_cli(tmp_path: Path, validator: jsonschema.Draft4Validator) -> None:
    out = tmp_path / "results.sarif"
    code = main(["check", str(DEMO), "--select", "RT0", "--no-cache", "-j", "1", "--format", "sarif", "-o", str(out)])
    assert code == 1
    log = json.loads(out.read_text())
    _validate(validator, log)
    assert len(log["runs"][0]["results"]) == 8


def test_documented_workflow_uploads_sarif_with_a_category() -> None:
    yaml = pytest.importorskip("yaml")
    example = (REPO / "docs" / "examples" / "rust-triage.yml").read_text()
    assert example.strip() in (REPO / "docs" / "github-code-scanning.md").read_text()
    steps = yaml.safe_load(example)["jobs"]["rust-triage"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "pip install rust-triage" in runs
    assert "rust-triage check --format sarif -o results.sarif" in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "results.sarif" and upload["with"]["category"]


def test_compiler_diagnostics_reuse_sarif_log(validator: jsonschema.Draft4Validator) -> None:
    from rust_triage.families.compiler import ingest, patterns_to_findings
    from rust_triage.reporters.sarif_report import finding_from_dict

    root = FIXTURES / "broken" / "counter_crisis"
    with (FIXTURES / "broken" / "counter_crisis.cargo.json").open("rb") as handle:
        result, patterns = ingest(handle, root)
    findings = [finding_from_dict(d, column_unit="codepoints") for d in patterns_to_findings(patterns)]
    log = sarif_log(findings, {}, result.errors, root, 1)
    _validate(validator, log)
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["RT900", "RT901"]
    levels = [r["level"] for r in run["results"]]
    assert levels.count("error") == 13 and levels.count("warning") == 2
    first = run["results"][0]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "counter_crisis/src/committee_types.rs")
    assert any("relatedLocations" in r for r in run["results"])  # definition sites of the pattern
