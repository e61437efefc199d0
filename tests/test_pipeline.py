"""End to end on the demo workspace: findings, JSON contract, determinism, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DEMO, check_json, run_cli

from rust_triage.cli import cargo_main, main


def _keys(report: dict) -> set[tuple[str, str, int]]:
    return {(f["rule"], f["file"], f["line"]) for f in report["findings"]}


def test_demo_panic_family_findings() -> None:
    report = check_json(str(DEMO), "--select", "RT0")
    keys = _keys(report)
    expected = {
        ("RT001", "crates/core/src/config.rs", 17),
        ("RT002", "crates/core/src/config.rs", 18),
        ("RT001", "crates/core/src/store.rs", 34),
        ("RT002", "crates/core/src/store.rs", 38),
        ("RT004", "crates/core/src/store.rs", 43),
        ("RT005", "crates/core/src/store.rs", 54),
        ("RT006", "crates/core/src/metrics.rs", 20),
        ("RT001", "crates/server/src/handlers.rs", 13),
    }
    assert expected <= keys
    # unwraps in #[cfg(test)] modules and tests/ are not reported by default...
    assert not any(f["in_test"] for f in report["findings"])
    # ...and the ".unwrap()" inside a string literal never is.
    assert ("RT001", "crates/core/src/config.rs", 24) not in keys


def test_include_tests_reports_test_code() -> None:
    report = check_json(str(DEMO), "--select", "RT001", "--include-tests")
    in_test = {(f["file"], f["line"]) for f in report["findings"] if f["in_test"]}
    assert ("crates/core/src/config.rs", 38) in in_test  # inside #[cfg(test)] mod tests
    assert ("crates/server/tests/api.rs", 7) in in_test  # integration test target


def test_json_contract() -> None:
    report = check_json(str(DEMO), "--select", "RT0")
    assert report["version"] == 2
    assert report["root"] == str(DEMO)
    for f in report["findings"]:
        for key in ("rule", "name", "severity", "category", "file", "line", "column", "end_line",
                    "end_column", "message", "fix_hint", "in_test"):
            assert key in f
        assert not f["file"].startswith("/")
    assert report["summary"]["total"] == len(report["findings"])
    assert report["summary"]["by_rule"]["RT001"] == 3


def test_output_is_identical_whatever_jobs(tmp_path: Path) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.json"
        proc = run_cli("check", str(DEMO), "--format", "json", "--no-cache", "--jobs", jobs, "-o", str(out))
        assert proc.returncode == 1, proc.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_cache_round_trip_gives_same_report(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run_cli("check", str(DEMO), "--format", "json", "--cache-dir", str(cache))
    entries = sorted(p for p in cache.rglob("*") if p.is_file())
    assert entries
    for entry in entries[:3]:
        entry.write_bytes(b"corrupt")  # a corrupt entry is ignored and rebuilt
    second = run_cli("check", str(DEMO), "--format", "json", "--cache-dir", str(cache))
    assert first.stdout == second.stdout


def test_exit_codes(tmp_path: Path) -> None:
    assert run_cli("check", str(DEMO), "--no-cache", "-q").returncode == 1
    assert run_cli("check", str(DEMO), "--no-cache", "-q", "--fail-on", "critical").returncode == 0
    clean = tmp_path / "clean"
    (clean / "src").mkdir(parents=True)
    (clean / "Cargo.toml").write_text('[package]\nname = "clean"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n')
    (clean / "src" / "lib.rs").write_text("pub fn add(a: u32, b: u32) -> u32 { a + b }\n")
    assert run_cli("check", str(clean), "--no-cache", "--select", "RT0").returncode == 0
    bad = run_cli("check", str(tmp_path / "does-not-exist"))
    assert bad.returncode == 2 and "path not found" in bad.stderr and "Traceback" not in bad.stderr
    assert run_cli("check", "--format", "nope").returncode == 2


def test_bad_input_is_reported_per_file(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n')
    (root / "src" / "lib.rs").write_text("mod bad;\nmod broken;\npub fn f(x: Option<u8>) -> u8 { x.unwrap() }\n")
    (root / "src" / "bad.rs").write_bytes(b"fn f() { let s = \"\xff\xfe\"; }\n")
    (root / "src" / "broken.rs").write_text("fn g( { let y = z.unwrap(); }\n")
    proc = run_cli("check", str(root), "--format", "json", "--no-cache")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert {"file": "src/bad.rs", "kind": "invalid-utf8"}.items() <= report["errors"][0].items()
    keys = _keys(report)
    assert ("RT001", "src/lib.rs", 3) in keys
    assert any(r == "RT012" and f == "src/broken.rs" for r, f, _ in keys)


def test_cargo_triage_drops_subcommand_name(capsys) -> None:
    assert cargo_main(["triage", "rules"]) == 0
    assert "RT001" in capsys.readouterr().out
    assert main(["rules", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == "RT001"


def test_graph_json_lists_structs_impls_and_modules() -> None:
    proc = run_cli("graph", str(DEMO), "--format", "json", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    nodes = {n["id"]: n for n in data["nodes"]}
    structs = {n["name"]: n for n in nodes.values() if n["kind"] == "struct"}
    assert [f["name"] for f in structs["Item"]["fields"]] == ["id", "name", "quantity"]
    assert structs["Item"]["derives"] == ["Debug", "Clone", "PartialEq", "Eq", "Hash"]
    assert structs["ThreadWaker"]["tuple"] is True
    impl_edges = [(e["source"], e["target"]) for e in data["links"] if e["kind"] == "implements"]
    assert any(nodes[t]["name"] == "Wake" for _, t in impl_edges)
    impl_for = {nodes[e["target"]].get("name") for e in data["links"] if e["kind"] == "impl_for"}
    assert {"Config", "RelaxedCounter", "Store", "ThreadWaker"} <= impl_for
    module_files = {n["path"]: n["file"] for n in nodes.values() if n["kind"] == "module" and "demo-core/lib" in n["id"]}
    assert module_files["crate::store"] == "crates/core/src/store.rs"
    calls = {(nodes[e["source"]]["name"], nodes[e["target"]]["name"]) for e in data["links"] if e["kind"] == "calls"}
    assert ("audit_entry", "write_audit") in calls and ("write_audit", "block_on") in calls
    assert ("main", "from_env") in calls  # cross-crate, through `pub use config::Config`


def test_graph_other_formats() -> None:
    dot = run_cli("graph", str(DEMO), "--format", "dot", "--no-cache")
    assert dot.returncode == 0 and dot.stdout.startswith("digraph")
    gml = run_cli("graph", str(DEMO), "--format", "graphml", "--no-cache")
    assert gml.returncode == 0 and "<graphml" in gml.stdout


def test_cache_notices_edited_files(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n')
    lib = root / "src" / "lib.rs"
    lib.write_text("pub fn f(x: Option<u8>) -> u8 { x.unwrap() }\n")
    cache = tmp_path / "cache"
    args = ("check", str(root), "--format", "json", "--cache-dir", str(cache), "--select", "RT0")
    assert len(json.loads(run_cli(*args).stdout)["findings"]) == 1
    lib.write_text("pub fn f(x: Option<u8>) -> u8 { x.unwrap_or(0) }\n// grown\n")
    assert json.loads(run_cli(*args).stdout)["findings"] == []


def test_files_from_two_workspaces_are_all_checked(tmp_path: Path) -> None:
    for name in ("a", "b"):
        ws = tmp_path / name
        (ws / "src").mkdir(parents=True)
        (ws / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n')
        (ws / "src" / "lib.rs").write_text("pub fn f(x: Option<u8>) -> u8 { x.unwrap() }\n")
    proc = run_cli("check", str(tmp_path / "a" / "src" / "lib.rs"), str(tmp_path / "b" / "src" / "lib.rs"),
                   "--format", "json", "--no-cache", "--select", "RT0")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["root"] == str(tmp_path)
    assert _keys(report) == {("RT001", "a/src/lib.rs", 1), ("RT001", "b/src/lib.rs", 1)}
