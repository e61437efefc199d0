"""Incremental runs: reused results give byte for byte the report of a cold run, after every kind of edit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO, run_cli

from rust_triage.pipeline import Options, analyse

FORMATS = ("json", "sarif")


def _report(root: Path, out: Path, fmt: str, *cache_args: str) -> bytes:
    proc = run_cli("check", str(root), "--format", fmt, "--jobs", "1", "-o", str(out), *cache_args)
    assert proc.returncode in (0, 1), proc.stderr
    assert not proc.stderr.strip(), proc.stderr
    return out.read_bytes()


def _formats_unlike_cold(root: Path, cache: Path, tmp: Path, step: str) -> list[str]:
    """The report formats in which a cached run differs from a cold run."""
    unlike = []
    for fmt in FORMATS:
        incremental = _report(root, tmp / f"{step}.inc.{fmt}", fmt, "--cache-dir", str(cache))
        cold = _report(root, tmp / f"{step}.cold.{fmt}", fmt, "--no-cache")
        if incremental != cold:
            unlike.append(fmt)
    return unlike


def _assert_same_as_cold(root: Path, cache: Path, tmp: Path, step: str) -> None:
    assert _formats_unlike_cold(root, cache, tmp, step) == [], f"{step}: reports differ from a cold run"


def _stats(root: Path, cache: Path) -> dict[str, float | int]:
    return analyse(Options(paths=[root], cache_dir=cache, jobs=1)).stats


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    return root


def test_reports_after_edits_equal_cold_runs(demo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    core, server = demo / "crates" / "core" / "src", demo / "crates" / "server" / "src"
    _assert_same_as_cold(demo, cache, tmp_path, "cold")
    saved = sorted(p.name.split("-")[0] for p in (cache / "results").iterdir() if "-" in p.name)
    assert saved == ["replay", "replay", "report", "report"]  # per format: the report and its replay stamp
    _assert_same_as_cold(demo, cache, tmp_path, "warm")  # replayed

    # a body edit that keeps every interface: file rules run again on that file only, workspace rules reused
    _edit(server / "handlers.rs", "from_millis(5)", "from_millis(7)")
    _edit(server / "handlers.rs", "Item { id: 2,", "Item { id: 3,")
    stats = _stats(demo, cache)
    assert (stats["parsed"], stats["file_rules_rerun"], stats["workspace_rules_reused"]) == (1, 1, 1)
    _assert_same_as_cold(demo, cache, tmp_path, "body")

    # an interface edit: a new field makes the struct literal in another file incomplete
    _edit(core / "store.rs", "pub struct Item {", "pub struct Item {\n    pub weight: u32,")
    stats = _stats(demo, cache)
    assert (stats["file_rules_rerun"], stats["workspace_rules_reused"]) == (1, 0)
    _assert_same_as_cold(demo, cache, tmp_path, "interface")
    cold = (tmp_path / "interface.cold.json").read_text()
    assert "RT301" in cold and "weight" in cold  # the edit did change a cross-file finding

    (core / "extra.rs").write_text('pub fn parse_port() -> u16 {\n    "80".parse().unwrap()\n}\n')
    _edit(core / "lib.rs", "pub mod config;", "pub mod config;\npub mod extra;")
    _assert_same_as_cold(demo, cache, tmp_path, "added")

    (core / "metrics.rs").unlink()
    _assert_same_as_cold(demo, cache, tmp_path, "deleted")
    assert "RT011" in (tmp_path / "deleted.cold.json").read_text()

    with (demo / "Cargo.toml").open("a") as fh:
        fh.write('\n[workspace.metadata.rust-triage]\nignore = ["RT201"]\n')
    _assert_same_as_cold(demo, cache, tmp_path, "config")


def test_damaged_results_are_misses(demo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _assert_same_as_cold(demo, cache, tmp_path, "cold")
    for entry in (cache / "results").iterdir():
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2])  # truncated: a miss, never an error
    _edit(demo / "crates" / "server" / "src" / "handlers.rs", "from_millis(5)", "from_millis(7)")
    assert _formats_unlike_cold(demo, cache, tmp_path, "damaged") == []


def _one_file(root: Path, file: Path, out: Path, *cache_args: str) -> bytes:
    proc = run_cli("check", str(file), "--format", "json", "--jobs", "1", "-o", str(out), *cache_args)
    assert proc.returncode in (0, 1), proc.stderr
    assert not proc.stderr.strip(), proc.stderr
    return out.read_bytes()


def test_one_file_runs_after_a_workspace_run_equal_cold_one_file_runs(demo: Path, tmp_path: Path) -> None:
    """The pre-commit case: a workspace run fills the cache, then single files are checked (facts of the
    other files are decoded only when read)."""
    cache = tmp_path / "cache"
    server, core = demo / "crates" / "server" / "src", demo / "crates" / "core" / "src"
    _report(demo, tmp_path / "ws.json", "json", "--cache-dir", str(cache))
    steps = [
        ("unchanged", server / "handlers.rs", None),
        ("body", server / "handlers.rs", ("from_millis(5)", "from_millis(7)")),
        ("interface", core / "store.rs", ("pub struct Item {", "pub struct Item {\n    pub weight: u32,")),
        ("other", server / "handlers.rs", None),  # its cross-file finding follows the edit of store.rs
        ("moved", server / "handlers.rs", ("    // TODO: write", "    // Audit.\n\n    // TODO: write")),
        ("definition moved", core / "store.rs", ("use std::collections::BTreeMap;\n",
                                                 "use std::collections::BTreeMap;\n\n")),
        ("cited moved", server / "handlers.rs", None),  # RT301 there names the line of `Item` in store.rs
    ]
    for step, file, edit in steps:
        if edit is not None:
            _edit(file, *edit)
        warm = _one_file(demo, file, tmp_path / f"{step}.warm.json", "--cache-dir", str(cache))
        cold = _one_file(demo, file, tmp_path / f"{step}.cold.json", "--no-cache")
        assert warm == cold, f"{step}: the one-file report differs from a cold one-file run"
    assert "RT301" in (tmp_path / "other.cold.json").read_text()
    assert _cited(tmp_path / "cited moved.cold.json") == {("RT301", "crates/server/src/handlers.rs",
                                                           "crates/core/src/store.rs", 7)}


def test_one_file_run_decodes_only_the_facts_it_reads(demo: Path, tmp_path: Path) -> None:
    """After a workspace run, a one-file run builds the module tree from the mods index and reuses the
    interface-derived memos (reachability): other files' facts stay undecoded."""
    from rust_triage.parse.facts import FileFacts

    cache = tmp_path / "cache"
    _report(demo, tmp_path / "ws.json", "json", "--cache-dir", str(cache))
    handlers = demo / "crates" / "server" / "src" / "handlers.rs"
    _edit(handlers, "from_millis(5)", "from_millis(7)")  # the staged edit: a body, so interfaces hold
    analysis = analyse(Options(paths=[handlers], cache_dir=cache, jobs=1))
    decoded = sorted(src.rel for src in analysis.context.files if isinstance(src.stored_facts, FileFacts))
    assert len(analysis.context.files) >= 8
    assert "crates/server/src/handlers.rs" in decoded and len(decoded) <= 3, decoded
    assert any(f.risk for f in analysis.findings)  # ranked with the stored reachability


@pytest.mark.parametrize("extra", ["twin files", "python file"])
def test_one_file_run_reuses_the_workspace_results(demo: Path, tmp_path: Path, extra: str) -> None:
    """Cross-file results are kept by the workspace's interfaces, whatever the run's selection of files:
    also when two files hold the same bytes (each sits elsewhere in the tree) and when the workspace has
    Python files (their contents are part of the fingerprint)."""
    from rust_triage.parse.facts import FileFacts

    core = demo / "crates" / "core" / "src"
    if extra == "twin files":
        for name in ("twin_a", "twin_b"):
            (core / f"{name}.rs").write_text("pub fn twin(x: Option<u32>) -> u32 {\n    x.unwrap()\n}\n")
        _edit(core / "lib.rs", "pub mod config;", "pub mod config;\npub mod twin_a;\npub mod twin_b;")
    else:
        (demo / "scripts").mkdir()
        (demo / "scripts" / "release.py").write_text("def main():\n    return 1\n")
    cache = tmp_path / "cache"
    _report(demo, tmp_path / "ws.json", "json", "--cache-dir", str(cache))
    handlers = demo / "crates" / "server" / "src" / "handlers.rs"
    analysis = analyse(Options(paths=[handlers], cache_dir=cache, jobs=1))
    assert analysis.stats["workspace_rules_reused"] == 1
    decoded = [src.rel for src in analysis.context.files if isinstance(src.stored_facts, FileFacts)]
    assert len(decoded) <= 3, decoded
    warm = _one_file(demo, handlers, tmp_path / "warm.json", "--cache-dir", str(cache))
    assert warm == _one_file(demo, handlers, tmp_path / "cold.json", "--no-cache")


def test_memos_a_one_file_run_does_not_read_are_kept(demo: Path, tmp_path: Path) -> None:
    """A one-file run with nothing to rank (no unwrap) keeps the stored reachability and method owners
    for the next one-file run, which then decodes no other file's facts either."""
    from rust_triage.parse.facts import FileFacts

    cache = tmp_path / "cache"
    _report(demo, tmp_path / "ws.json", "json", "--cache-dir", str(cache))
    server = demo / "crates" / "server" / "src"
    assert "unwrap" not in (server / "exec.rs").read_text()
    analyse(Options(paths=[server / "exec.rs"], cache_dir=cache, jobs=1))
    analysis = analyse(Options(paths=[server / "handlers.rs"], cache_dir=cache, jobs=1))
    assert any(f.risk for f in analysis.findings)
    decoded = [src.rel for src in analysis.context.files if isinstance(src.stored_facts, FileFacts)]
    assert len(decoded) <= 3, decoded


def _cross_file_findings(demo: Path) -> None:
    """Findings that cite another file: RT301 in handlers.rs names `Item`'s definition in store.rs, RT103
    in handlers.rs lists a call-chain step in exec.rs."""
    core, server = demo / "crates" / "core" / "src", demo / "crates" / "server" / "src"
    _edit(core / "store.rs", "pub struct Item {", "pub struct Item {\n    pub weight: u32,")
    with (server / "exec.rs").open("a") as fh:
        fh.write('pub fn flush_audit(id: u64) -> String {\n    block_on(async move { format!("flush:{id}") })\n}\n')
    _edit(server / "handlers.rs", "    write_audit(id)\n", "    crate::exec::flush_audit(id)\n")


def _cited(report: Path) -> set[tuple[str, str, str, int]]:
    """(rule, file, other file, line) of each related location a finding has in another file."""
    findings = json.loads(report.read_text())["findings"]
    return {(f["rule"], f["file"], r["file"], r["line"]) for f in findings for r in f.get("related", ())
            if r["file"] != f["file"]}


def test_reports_after_moved_lines_equal_cold_runs(demo: Path, tmp_path: Path) -> None:
    """Edits that only move positions (a line added in a body, a longer comment) keep every interface's
    shape: workspace rules whose findings are in, or cite, the edited file run again, the others are reused,
    and the report is a cold run's."""
    cache = tmp_path / "cache"
    core, server = demo / "crates" / "core" / "src", demo / "crates" / "server" / "src"
    _cross_file_findings(demo)
    _assert_same_as_cold(demo, cache, tmp_path, "cold")
    assert _cited(tmp_path / "cold.cold.json") == {
        ("RT301", "crates/server/src/handlers.rs", "crates/core/src/store.rs", 6),  # `Item` is defined there
        ("RT301", "crates/server/tests/api.rs", "crates/core/src/store.rs", 6),
        ("RT103", "crates/server/src/handlers.rs", "crates/server/src/exec.rs", 27),  # a call-chain step
        ("RT104", "crates/server/src/exec.rs", "crates/server/src/handlers.rs", 14),
        ("RT104", "crates/server/src/exec.rs", "crates/server/src/handlers.rs", 19),
    }

    steps = [
        # the definition RT301 (located in handlers.rs) names moves down
        ("definition moved", core / "store.rs", "use std::collections::BTreeMap;\n",
         "use std::collections::BTreeMap;\n// Items and the store that keeps them.\n"),
        # RT103's step in exec.rs moves: a line added in the body above it
        ("cited body", server / "exec.rs", "pub fn flush_audit(id: u64) -> String {\n",
         "pub fn flush_audit(id: u64) -> String {\n    let _ = id;\n"),
        # a comment grows to two lines in a file with findings of its own
        ("comment", server / "handlers.rs", "    // TODO: write to the audit log instead of formatting.",
         "    // TODO: write to the audit log\n    // instead of formatting."),
    ]
    for step, path, old, new in steps:
        _edit(path, old, new)
        stats = _stats(demo, cache)
        assert stats["parsed"] == 1, step
        assert 0 < stats["workspace_rules_rerun"] < 10, (step, stats)  # some, not all, of the workspace rules
        _edit(path, new, old)  # back and forth: the CLI run below is the one that reuses part of the results
        _stats(demo, cache)
        _edit(path, old, new)
        _assert_same_as_cold(demo, cache, tmp_path, step)

    # a line added in a body of a file that no finding is in or cites: every workspace rule is reused
    _edit(server / "main.rs", "fn main() {\n", "fn main() {\n    // start-up\n")
    stats = _stats(demo, cache)
    assert (stats["parsed"], stats["workspace_rules_reused"], stats["workspace_rules_rerun"]) == (1, 1, 0)
    _assert_same_as_cold(demo, cache, tmp_path, "uncited body")
    assert _cited(tmp_path / "uncited body.cold.json") == {
        ("RT301", "crates/server/src/handlers.rs", "crates/core/src/store.rs", 7),
        ("RT301", "crates/server/tests/api.rs", "crates/core/src/store.rs", 7),
        ("RT103", "crates/server/src/handlers.rs", "crates/server/src/exec.rs", 28),
        ("RT104", "crates/server/src/exec.rs", "crates/server/src/handlers.rs", 14),
        ("RT104", "crates/server/src/exec.rs", "crates/server/src/handlers.rs", 19),
    }


def test_text_read_by_module_scopes_is_part_of_the_interface(tmp_path: Path) -> None:
    """RT016 reads a macro call in item position from the text: appended in a block comment it moves no item,
    yet makes the module's names uncertain, so the kept finding in another file must not be reused."""
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "scopes"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text("mod m;\nuse crate::m::Missing;\n\npub fn run() -> u32 {\n    m::one()\n}\n")
    module = root / "src" / "m.rs"
    module.write_text("pub fn one() -> u32 {\n    1\n}\n")
    cache = tmp_path / "cache"
    _assert_same_as_cold(root, cache, tmp_path, "cold")
    assert "RT016" in (tmp_path / "cold.cold.json").read_text()
    module.write_text(module.read_text() + "/*\nmake_items! {\n*/\n")
    _assert_same_as_cold(root, cache, tmp_path, "comment")
    assert "RT016" not in (tmp_path / "comment.cold.json").read_text()


def _line_added_then_one_file_run(demo: Path, tmp: Path, file: Path, before: str) -> tuple[Any, list[str], bytes, bytes]:
    """A cached workspace run, then a comment line added before `before` in `file`: the in-process one-file
    run's analysis and the files whose facts it decoded, then the one-file and the workspace JSON reports
    from the cache before the edit (each asserted equal to a `--no-cache` run)."""
    from rust_triage.parse.facts import FileFacts

    cache = tmp / "cache"
    _report(demo, tmp / "ws.json", "json", "--cache-dir", str(cache))
    _edit(file, before, "        // a note\n" + before)
    for name in ("one-file", "workspace"):
        shutil.copytree(cache, tmp / name)  # each run below starts from the cache before the edit
    analysis = analyse(Options(paths=[file], cache_dir=cache, jobs=1))
    decoded = sorted(src.rel for src in analysis.context.files if isinstance(src.stored_facts, FileFacts))
    one = _one_file(demo, file, tmp / "one.warm.json", "--cache-dir", str(tmp / "one-file"))
    assert one == _one_file(demo, file, tmp / "one.cold.json", "--no-cache")
    ws = _report(demo, tmp / "ws.warm.json", "json", "--cache-dir", str(tmp / "workspace"))
    assert ws == _report(demo, tmp / "ws.cold.json", "json", "--no-cache")
    return analysis, decoded, one, ws


def test_one_file_run_after_a_line_added_runs_by_file_rules_for_that_file_only(demo: Path, tmp_path: Path) -> None:
    """A line added in a body of store.rs moves its RT220 finding (a "workspace-by-file" rule): the rule runs
    for store.rs alone, decoding no other file's facts, and keeps its finding in config.rs; the one-file
    and the workspace reports after the edit are cold runs'."""
    store = demo / "crates" / "core" / "src" / "store.rs"
    analysis, decoded, one, ws = _line_added_then_one_file_run(demo, tmp_path, store, "        self.writes.inc();\n")
    assert analysis.stats["workspace_rules_rerun_by_file"] >= 1, str(analysis.stats)
    assert "crates/core/src/store.rs" in decoded and len(decoded) <= 3, decoded
    assert b"RT220" in one
    in_files = {(f["rule"], f["file"]) for f in json.loads(ws)["findings"]}
    assert {("RT220", "crates/core/src/store.rs"), ("RT220", "crates/core/src/config.rs")} <= in_files


def test_positions_moved_under_a_placeless_finding_keep_the_shape_rule(demo: Path, tmp_path: Path) -> None:
    """metrics.rs holds RT230's finding (a "workspace-shape" rule: at no position, decided from shapes): a line
    added in one of its bodies moves positions only, so no workspace rule runs again and the one-file run
    decodes only the facts a file rule reads (its parent module's); the reports after the edit are cold runs'."""
    metrics = demo / "crates" / "core" / "src" / "metrics.rs"
    analysis, decoded, one, _ = _line_added_then_one_file_run(
        demo, tmp_path, metrics, "        self.value.load(Ordering::Relaxed)\n")
    assert analysis.stats["workspace_rules_rerun"] == 0, str(analysis.stats)
    assert "crates/core/src/metrics.rs" in decoded and len(decoded) <= 2, decoded  # the file and its parent
    assert b"RT230" in one


def test_doctests_are_part_of_the_interface(tmp_path: Path) -> None:
    """RT230/RT231 count a package's doctests from its doc comments: a doc comment turned into a code block
    (the same lines, no item moved) makes the package tested, so the kept RT231 finding must not be reused."""
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "dt"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text("pub mod a;\n\npub fn top() -> u32 {\n    a::one()\n}\n")
    module = root / "src" / "a.rs"
    module.write_text("/// One.\n/// Two.\n/// Three.\npub fn one() -> u32 {\n    1\n}\n")
    cache = tmp_path / "cache"
    _assert_same_as_cold(root, cache, tmp_path, "cold")
    assert "RT231" in (tmp_path / "cold.cold.json").read_text()
    module.write_text("/// ```\n/// dt::a::one();\n/// ```\npub fn one() -> u32 {\n    1\n}\n")
    _assert_same_as_cold(root, cache, tmp_path, "doctest")
    assert "RT231" not in (tmp_path / "doctest.cold.json").read_text()
