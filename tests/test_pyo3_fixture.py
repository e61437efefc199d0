"""fixtures/pyo3: a small PyO3 project with the shapes the Python-side rules must get right.

Every finding line carries `// expect: RTnnn` (`# expect: RTnnn` in Python and TOML), checked exactly by
test_fixture_expectations.py; the tests here check what the markers cannot say: risk, names, hints,
entry modes and options.
"""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

from conftest import FIXTURES, run_cli

from rust_triage.families.python import python_files
from rust_triage.pipeline import Options, analyse

PYO3 = FIXTURES / "pyo3"
@cache
def _report(*extra: str) -> dict:
    proc = run_cli("check", str(PYO3), "--format", "json", "--no-cache", *extra)
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)


def _rt510(report: dict) -> dict[tuple[str, int], dict]:
    return {(f["file"], f["line"]): f for f in report["findings"] if f["rule"] == "RT510"}


def test_rt510_ranks_what_python_controls_first_and_hints_fit_the_signature() -> None:
    found = _rt510(_report("--include-tests"))
    risk = {k: (f["severity"], f["detail"]["python_risk_class"]) for k, f in found.items()}
    assert risk == {
        ("src/lib.rs", 28): ("critical", "python-input"),  # text.parse().unwrap() on Python's argument
        ("src/lib.rs", 35): ("critical", "python-callback"),  # callback.call1(..).expect(..)
        ("src/lib.rs", 54): ("critical", "python-subclass"),  # unimplemented!() in a #[pyclass(subclass)]
        ("src/lib.rs", 13): ("medium", "lock-poisoning"),  # lock unwraps are demoted; in a macro_rules! body
        ("src/lib.rs", 68): ("critical", "python-input"),
        ("src/store.rs", 19): ("medium", "lock-poisoning"),
        ("src/store.rs", 29): ("medium", "internal-invariant"),
        ("src/codec.rs", 18): ("critical", "python-input"),
    }
    # The risk ranking: Python-controlled sites are external input (high), lock unwraps demoted to medium.
    levels = {k: (f["risk"], f["risk_class"]) for k, f in found.items()}
    assert levels[("src/lib.rs", 35)] == ("high", "external-input")
    assert levels[("src/store.rs", 19)] == ("medium", "lock-poisoning")
    assert levels[("src/lib.rs", 13)] == ("medium", "lock-poisoning")
    assert "demoted" in found[("src/store.rs", 19)]["risk_reason"]
    assert found[("src/lib.rs", 13)]["risk_reason"].count("another thread panicked") == 1
    # The entry already returns PyResult: the hint is `?` / map_err, not "return PyResult".
    assert "already returns PyResult" in found[("src/store.rs", 29)]["fix_hint"]
    assert "`?`" in found[("src/lib.rs", 35)]["fix_hint"]
    assert "return `PyResult<..>` from `parse_int`" in found[("src/lib.rs", 28)]["fix_hint"]
    assert "PyNotImplementedError" in found[("src/lib.rs", 54)]["fix_hint"]


def test_rt510_names_nested_modules_and_pyclass_module() -> None:
    found = _rt510(_report("--include-tests"))
    names = {k: f["detail"]["python_entry"] for k, f in found.items()}
    assert names[("src/lib.rs", 68)] == "_native.codecs.decode"  # #[pymodule] mod codecs inside _native
    assert names[("src/lib.rs", 54)] == "_native.Handler.handle"
    assert found[("src/lib.rs", 13)]["detail"]["chain"] == ["count", "locked_count!"]  # where the macro is used
    # self.codec.encode(..) on an #[enum_dispatch] enum reaches every impl of the trait method.
    assert found[("src/codec.rs", 18)]["detail"]["python_entry"] == "_native.Encoder.encode"
    assert names[("src/store.rs", 19)] == "pyo3demo.store.Store.push"  # #[pyclass(module = "pyo3demo.store")]


def test_rt510_public_api_mode_and_callers() -> None:
    without_tests = _rt510(_report())
    with_tests = _rt510(_report("--include-tests"))
    assert set(without_tests) == set(with_tests)  # public API: every export is an entry point
    # self._inner = Store() in __init__, then self._inner.push(..): the Python caller is found.
    push = with_tests[("src/store.rs", 19)]["detail"]
    assert (push["entry_mode"], push["python_call"]) == ("python-caller", "python/pyo3demo/engine.py:11")
    # Test callers count with --include-tests only; examples rank below package code and tests.
    assert without_tests[("src/lib.rs", 28)]["detail"]["entry_mode"] == "public-api"
    assert with_tests[("src/lib.rs", 28)]["detail"]["python_call"] == "tests/test_api.py:5"


def test_rt510_python_callers_mode(tmp_path: Path) -> None:
    root = tmp_path / "pyo3"
    shutil.copytree(PYO3, root)
    with (root / "rust-triage.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[rules.RT510]\nentry-points = "python-callers"\n')
    lines = {(f.file, f.line) for f in analyse(Options(paths=[root], no_cache=True, jobs=1)).findings
             if f.rule == "RT510"}
    assert lines == {("src/store.rs", 19), ("src/store.rs", 29)}  # only what workspace Python calls
    with_tests = {(f.file, f.line) for f in analyse(Options(paths=[root], no_cache=True, jobs=1, include_tests=True)).findings
                  if f.rule == "RT510"}
    assert with_tests == lines | {("src/lib.rs", 28)}
    (root / "rust-triage.toml").write_text('[rules.RT510]\nentry-points = "everything"\n')
    proc = run_cli("check", str(root), "--no-cache")
    assert proc.returncode == 2 and "entry-points" in proc.stderr and "public-api" in proc.stderr


def test_count_docstrings_option(tmp_path: Path) -> None:
    root = tmp_path / "pyo3"
    shutil.copytree(PYO3, root)
    with (root / "rust-triage.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[rules.RT505]\ncount-docstrings = true\n\n[rules.RT506]\ncount-docstrings = true\n")
    found = {(f.rule, f.line) for f in analyse(Options(paths=[root], no_cache=True, jobs=1)).findings
             if f.file == "python/pyo3demo/sizes.py"}
    assert found == {("RT505", 1), ("RT506", 4), ("RT506", 51)}


def test_graph_has_no_nameless_extension_module_and_skips_excluded_python() -> None:
    a = analyse(Options(paths=[PYO3], no_cache=True, jobs=1))
    g = a.context.graph
    ext = sorted(n for n, d in g.nodes(data=True) if d.get("kind") == "extension-module")
    assert ext == ["extmodule:_native", "extmodule:_native.codecs"]
    assert not any(src.rel.startswith("legacy/") for src in python_files(a.context))
    engine_add = next(n for n, d in g.nodes(data=True) if d.get("symbol") == "pyo3demo.engine.Engine.add")
    bridged = [g.nodes[v]["python_name"] for _, v, d in g.out_edges(engine_add, data=True) if d.get("bridge") == "pyo3"]
    assert bridged == ["pyo3demo.store.Store.push"]


def test_piped_text_output_keeps_long_lines_whole() -> None:
    proc = run_cli("check", str(PYO3), "--no-cache")
    assert proc.returncode == 1
    line = next(x for x in proc.stdout.splitlines() if "RT510" in x and "_native.each" in x)
    assert line.rstrip().endswith("(PanicException escapes `except Exception`)")
    assert len(line) > 120
