"""The mixed Rust/Python fixture end to end: one report, the PyO3 bridge, RT510 ranking, the graph."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import FIXTURES, check_json

from rust_triage.engine.model import severity_rank
from rust_triage.pipeline import Analysis, Options, analyse

MIXED = FIXTURES / "mixed"


@pytest.fixture(scope="module")
def report() -> dict:
    return check_json(str(MIXED))


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse(Options(paths=[MIXED], no_cache=True))


def _keys(report: dict) -> set[tuple[str, str, int]]:
    return {(f["rule"], f["file"], f["line"]) for f in report["findings"]}


def test_one_report_with_rust_and_python_findings(report: dict) -> None:
    keys = _keys(report)
    expected = {
        ("RT502", "python/svc/app.py", 14),
        ("RT501", "python/svc/app.py", 25),
        ("RT501", "python/svc/app.py", 30),
        ("RT501", "python/svc/app.py", 39),
        ("RT503", "python/svc/legacy.py", 23),
        ("RT504", "python/svc/jobs.py", 6),
        ("RT504", "python/svc/legacy.py", 28),
        ("RT507", "python/svc/legacy.py", 35),
        ("RT507", "python/svc/legacy.py", 42),
        ("RT001", "src/records.rs", 7),
        ("RT510", "src/records.rs", 7),
        ("RT002", "src/records.rs", 32),
        ("RT510", "src/records.rs", 32),
        ("RT002", "src/lib.rs", 22),
    }
    assert expected <= keys
    assert report["errors"] == []
    # Suppressed or offloaded on purpose: noqa ASYNC221, asyncio.to_thread, the allow comment.
    assert ("RT501", "python/svc/app.py", 34) not in keys
    assert not any(k[0] in ("RT501", "RT502") and k[2] in (19, 45) for k in keys)
    assert ("RT507", "python/svc/legacy.py", 49) not in keys
    assert any(f["rule"] == "RT507" and f["line"] == 49 for f in report.get("suppressed", []))
    # Abstract and overridden stubs are not reported.
    assert {k for k in keys if k[0] == "RT503"} == {("RT503", "python/svc/legacy.py", 23)}


def test_transitive_blocking_chain_in_message(report: dict) -> None:
    (f,) = [f for f in report["findings"] if f["rule"] == "RT502"]
    assert "handle_run -> run_job -> _invoke -> subprocess.run (python/svc/jobs.py:10)" in f["message"]
    assert f["symbol"] == "svc.app.handle_run"


def test_python_reachable_panic_ranks_above_internal_panic(report: dict) -> None:
    by_key = {(f["rule"], f["file"], f["line"]): f for f in report["findings"]}
    reachable = by_key[("RT510", "src/records.rs", 7)]
    internal_same_site = by_key[("RT001", "src/records.rs", 7)]
    internal_only = by_key[("RT002", "src/lib.rs", 22)]
    assert reachable["severity"] == "critical"
    assert severity_rank(reachable["severity"]) > severity_rank(internal_same_site["severity"])
    assert severity_rank(reachable["severity"]) > severity_rank(internal_only["severity"])
    assert "crashes the Python interpreter" in reachable["message"]
    assert "python/svc/ingest.py:8 -> fastcore.parse_batch (Rust `parse_batch`) -> parse_record" in reachable["message"]
    assert reachable["related"][0] == {"file": "python/svc/ingest.py", "line": 8, "column": 14,
                                       "message": "Python calls `fastcore.parse_batch`"}
    method = by_key[("RT510", "src/records.rs", 32)]
    # Public-API mode (a lib crate): the #[pymethods] method is itself an entry point.
    assert method["detail"]["python_entry"] == "fastcore.Tokenizer.first_field"
    assert method["detail"]["chain"] == ["first_field"]
    assert method["detail"]["entry_mode"] == "public-api"
    # load_defaults is never reached from Python: no RT510 there.
    assert ("RT510", "src/lib.rs", 22) not in by_key


def test_graph_links_python_calls_to_pyo3_items(analysis: Analysis) -> None:
    g = analysis.context.graph
    assert g.nodes["pymodule:svc.app"]["language"] == "python"
    ingest = next(n for n, d in g.nodes(data=True) if d.get("symbol") == "svc.ingest.ingest_upload")
    bridged = {(v, d["line"]) for _, v, d in g.out_edges(ingest, data=True) if d.get("bridge") == "pyo3"}
    names = {g.nodes[v]["name"] for v, _ in bridged}
    assert names == {"parse_batch", "new", "split"}
    checksum = next(n for n, d in g.nodes(data=True) if d.get("symbol") == "svc.ingest.upload_checksum")
    renamed = [v for _, v, d in g.out_edges(checksum, data=True) if d.get("bridge") == "pyo3"]
    assert [g.nodes[v]["name"] for v in renamed] == ["checksum_py"]  # #[pyo3(name = "checksum")]
    assert g.nodes[renamed[0]]["python_name"] == "fastcore.checksum"
    exports = {d["name"] for _, _, d in g.out_edges("extmodule:fastcore", data=True) if d["kind"] == "exports"}
    assert {"parse_batch", "checksum", "Tokenizer", "Tokenizer.split"} <= exports
    handle_run = next(n for n, d in g.nodes(data=True) if d.get("symbol") == "svc.app.handle_run")
    assert g.nodes[handle_run]["is_async"] is True
    callees = {g.nodes[v]["symbol"] for _, v, d in g.out_edges(handle_run, data=True) if d["kind"] == "calls"}
    assert callees == {"svc.jobs.run_job"}
    imports = {v for _, v, d in g.out_edges("file:python/svc/ingest.py", data=True) if d["kind"] == "imports"}
    assert imports == {"extmodule:fastcore"}


def test_extension_in_package_and_unreached_pyfunction(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "py" / "pkg").mkdir(parents=True)
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "native"\nversion = "0.1.0"\nedition = "2021"\n')
    (tmp_path / "src" / "lib.rs").write_text(textwrap.dedent("""
        use pyo3::prelude::*;

        #[pyfunction(name = "load")]
        fn load_py(path: String) -> u32 {
            path.len().try_into().unwrap()
        }

        #[pyfunction]
        fn unused(path: String) -> u32 {
            path.parse().unwrap()
        }

        #[pymodule]
        #[pyo3(name = "_native")]
        fn native_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
            Ok(())
        }
    """).lstrip())
    (tmp_path / "py" / "pkg" / "__init__.py").write_text("from ._native import *\n")
    (tmp_path / "py" / "pkg" / "use.py").write_text("import pkg\n\n\ndef go():\n    return pkg.load('x')\n")
    a = analyse(Options(paths=[tmp_path], no_cache=True, jobs=1))
    rt510 = {(f.line, f.detail["entry_mode"]) for f in a.findings if f.rule == "RT510"}
    # A lib crate: every export is public API, `unused` included (its callers are downstream code).
    assert rt510 == {(5, "python-caller"), (10, "public-api")}
    assert {(f.rule, f.line) for f in a.findings if f.file == "src/lib.rs"} >= {("RT001", 5), ("RT001", 10)}
    (tmp_path / "rust-triage.toml").write_text('[rules.RT510]\nentry-points = "python-callers"\n')
    a = analyse(Options(paths=[tmp_path], no_cache=True, jobs=1))
    rt510_callers = [(f.file, f.line) for f in a.findings if f.rule == "RT510"]
    assert rt510_callers == [("src/lib.rs", 5)]  # `unused` is exposed but no Python code calls it


def test_rt510_needs_panic_matches(tmp_path: Path) -> None:
    a = analyse(Options(paths=[MIXED], no_cache=True, select=["RT510"]))
    assert not [f for f in a.findings if f.rule == "RT510"]  # RT001-RT006 not selected: no matches


def test_rt510_is_suppressed_by_a_rust_allow_comment(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "mixed"
    shutil.copytree(MIXED, root)
    records = root / "src" / "records.rs"
    text = records.read_text().replace(
        "    first.trim().parse().unwrap()",
        "    // rust-triage: allow(RT510) -- input is validated in Python first\n    first.trim().parse().unwrap()",
    )
    records.write_text(text)
    a = analyse(Options(paths=[root], no_cache=True, jobs=1))
    assert [(f.rule, f.line) for f in a.findings if f.file == "src/records.rs" and f.line == 8] == [("RT001", 8)]
    assert [(f.rule, f.line) for f in a.suppressed if f.rule == "RT510"] == [("RT510", 8)]
    assert [f.line for f in a.findings if f.rule == "RT510"] == [33]


def test_merged_workspaces_keep_the_python_side_in_the_graph(tmp_path: Path) -> None:
    """Paths in two workspaces are analysed apart and merged: the merged graph holds the Python
    files, modules and PyO3 bridge edges as a run over the mixed workspace alone does."""
    import shutil

    from rust_triage.merge import analyse_many

    shutil.copytree(MIXED, tmp_path / "mixed")
    other = tmp_path / "other"
    (other / "src").mkdir(parents=True)
    (other / "Cargo.toml").write_text('[package]\nname = "other"\nversion = "0.1.0"\nedition = "2021"\n')
    (other / "src" / "lib.rs").write_text("pub fn f() {}\n")
    merged = analyse_many(Options(paths=[tmp_path / "mixed", other], no_cache=True))
    g = merged.context.graph
    assert g.nodes["file:mixed/python/svc/ingest.py"]["language"] == "python"
    assert g.nodes["pymodule:svc.app"]["file"] == "mixed/python/svc/app.py"
    ingest = next(n for n, d in g.nodes(data=True) if d.get("symbol") == "svc.ingest.ingest_upload")
    bridged = {g.nodes[v]["name"] for _, v, d in g.out_edges(ingest, data=True) if d.get("bridge") == "pyo3"}
    assert bridged == {"parse_batch", "new", "split"}
    assert all(g.nodes[v]["file"].startswith("mixed/src/") for _, v, d in g.out_edges(ingest, data=True)
               if d.get("bridge") == "pyo3")
    assert "file:other/src/lib.rs" in g
