"""The libcst frontend: extraction, positions, resolution, cache, parallel parse, bad input, import cost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest
from conftest import DEMO, REPO, run_cli
from libcst.metadata import MetadataWrapper, PositionProvider

from rust_triage.families.python import PythonRun
from rust_triage.families.python.extract import _POSITIONED, extract_python
from rust_triage.families.python.parse import PyFactsCache, cache_salt, parse_python_files
from rust_triage.families.python.phrases import match_placeholder
from rust_triage.families.python.positions import node_spans
from rust_triage.families.python.source import is_test_path, module_name
from rust_triage.pipeline import Options, analyse
from rust_triage.workspace import discover

SAMPLE = b'''"""Module doc."""
import subprocess as sp
from .helpers import run as run_helper
from . import jobs


@decorator(1)
async def handle(cmd):  # TODO: validate
    proc = sp.Popen(cmd)
    out = proc.communicate()
    with open("x") as fh:
        fh.read()
    later = lambda: sp.run(cmd)
    await other()

    def inner():
        sp.call(cmd)

    return out


class Svc(Base, metaclass=Meta):
    def stub(self) -> int:
        """Doc."""
        raise NotImplementedError("soon")

    def work(self):
        try:
            self.stub()
        except Exception:
            pass
'''


def test_extract_facts() -> None:
    f = extract_python(SAMPLE)
    assert f.syntax_error is None
    defs = {d.name: d for d in f.defs}
    handle = defs["handle"]
    assert (handle.line, handle.column, handle.end_line, handle.is_async) == (8, 1, 19, True)
    assert handle.decorators == ("decorator",)
    assert defs["inner"].parent == handle.index and not defs["inner"].is_async
    assert defs["Svc"].bases == ("Base", "metaclass=Meta")
    assert (defs["stub"].stub, defs["stub"].stub_line, defs["stub"].returns) == ("not-implemented", 25, "int")
    assert f.qualname(defs["stub"].index) == "Svc.stub"
    calls = {(c.callee, c.line): c for c in f.calls}
    assert calls[("sp.Popen().communicate", 10)].in_async  # local bound to a call result
    assert calls[("open().read", 12)].in_async
    assert calls[("sp.run", 13)].deferred and not calls[("sp.run", 13)].in_async
    assert calls[("other", 14)].awaited
    assert not calls[("sp.call", 17)].in_async and calls[("sp.call", 17)].func == defs["inner"].index
    assert calls[("decorator", 7)].func == -1  # decorators run in the enclosing scope
    imports = {(i.local, i.module, i.name, i.level) for i in f.imports}
    assert imports == {("sp", "subprocess", "", 0), ("run_helper", "helpers", "run", 1), ("jobs", "", "jobs", 1)}
    (handler,) = f.excepts
    assert (handler.line, handler.kind, handler.body, handler.reraises) == (30, "broad", "pass", False)
    assert [(c.line, c.text) for c in f.comments] == [(8, "# TODO: validate")]
    assert f.code_lines == 24 and f.line_count == 31  # 7 blank lines


def test_lean_positions_match_libcst_position_provider() -> None:
    module = cst.parse_module((REPO / "src" / "rust_triage" / "families" / "python" / "resolve.py").read_text())
    reference = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    spans = node_spans(module, _POSITIONED)
    checked = 0
    for node, ref in reference.items():
        if type(node) not in _POSITIONED:
            continue
        line, column, end_line, end_column = spans[node]
        assert (line, column) == (ref.start.line, ref.start.column), type(node).__name__
        if type(node) in (cst.FunctionDef, cst.ClassDef):
            assert (end_line - 1 if end_column == 0 else end_line) == ref.end.line
        elif type(node) is not cst.ExceptHandler:
            assert (end_line, end_column) == (ref.end.line, ref.end.column)
        checked += 1
    assert checked > 100


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (b"def f(:\n    pass\n", "expected one of"),
        (b"x = 1\x00\n", "not a valid character"),
        (b"x = " + b"(" * 3000 + b"1" + b")" * 3000 + b"\n", "too many nested parentheses"),
        (b"if x:\n\tif y:\n        pass\n", "tabs and spaces"),
    ],
)
def test_syntax_errors_are_facts(source: bytes, message: str) -> None:
    f = extract_python(source)
    assert f.syntax_error is not None and message in f.syntax_error[2]
    assert not f.defs and not f.comments


def test_broken_python_files_are_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "b"\nversion = "0.1.0"\nedition = "2021"\n')
    (tmp_path / "src" / "lib.rs").write_text("pub fn f() {}\n")
    py = tmp_path / "py"
    py.mkdir()
    (py / "syntax.py").write_text("def f(:\n    pass\n")
    (py / "latin1.py").write_bytes(b'x = "\xe9t\xe9"\n')
    (py / "deep.py").write_text("x = " + "(" * 5000 + "1" + ")" * 5000 + "\n")
    (py / "chain.py").write_text("x = " + "a and " * 4000 + "b\n")
    (py / "ok.py").write_text("import time\n\n\nasync def f():\n    time.sleep(1)\n")
    proc = run_cli("check", str(tmp_path), "--format", "json", "--no-cache")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    errors = {e["file"]: e for e in report["errors"]}
    assert errors["py/syntax.py"]["kind"] == "python-syntax" and errors["py/syntax.py"]["line"] == 2
    assert errors["py/latin1.py"]["kind"] == "invalid-utf8"
    assert "too many nested parentheses" in errors["py/deep.py"]["message"]
    assert errors["py/chain.py"]["kind"] == "python-parse"  # valid Python, too deep for libcst
    assert [(f["rule"], f["file"]) for f in report["findings"] if f["rule"].startswith("RT5")] == [("RT501", "py/ok.py")]


def test_cache_and_parallel_parse_agree(tmp_path: Path) -> None:
    files = []
    for i in range(40):
        path = tmp_path / f"m{i}.py"
        path.write_text(f"import time\n\n\nasync def f{i}():\n    time.sleep({i})\n# TODO {i}\n")
        files.append(path)
    cache = PyFactsCache(tmp_path / "cache", cache_salt())
    serial = parse_python_files(files, cache=PyFactsCache(None, cache_salt()), jobs=1, display=str)
    parallel = parse_python_files(files, cache=cache, jobs=2, display=str)
    assert parallel.parsed == 40 and not parallel.errors
    assert parallel.facts == serial.facts
    again = parse_python_files(files, cache=cache, jobs=2, display=str)
    assert (again.cache_hits, again.parsed) == (40, 0)
    assert again.facts == serial.facts


def test_python_and_rust_cache_entries_do_not_mix(tmp_path: Path) -> None:
    from rust_triage.parse.cache import FactsCache
    from rust_triage.parse.facts import FileFacts

    rust = FactsCache(tmp_path, "rust-salt")
    python = PyFactsCache(tmp_path, cache_salt())
    data = b"x = 1\n"
    assert rust.key(data) != python.key(data)
    rust.put(python.key(data), FileFacts())  # a Rust entry under a Python key is a miss, not a crash
    assert python.get(python.key(data)) is None


def test_module_names_and_test_paths(tmp_path: Path) -> None:
    (tmp_path / "python" / "svc" / "sub").mkdir(parents=True)
    for rel in ("python/svc/__init__.py", "python/svc/sub/__init__.py", "python/svc/sub/x.py", "python/tool.py"):
        (tmp_path / rel).write_text("")
    assert module_name(tmp_path / "python/svc/sub/x.py", tmp_path) == ("svc.sub.x", False)
    assert module_name(tmp_path / "python/svc/__init__.py", tmp_path) == ("svc", True)
    assert module_name(tmp_path / "python/tool.py", tmp_path) == ("tool", False)
    assert is_test_path("tests/test_api.py") and is_test_path("pkg/conftest.py") and is_test_path("a/b_test.py")
    assert not is_test_path("src/testing_utils_x.py") and not is_test_path("svc/app.py")


def test_placeholder_phrases_are_the_rust_rules_list() -> None:
    assert match_placeholder("# TODO: x").kind == "todo"  # type: ignore[union-attr]
    assert match_placeholder("# limit is hard-coded for now").phrase == "for now"  # type: ignore[union-attr]
    assert match_placeholder("# in a real implementation this would retry").phrase == "in a real implementation"  # type: ignore[union-attr]
    assert match_placeholder("# noqa: E501 TODO") is None
    assert match_placeholder("# pyre-fixme[6]: wrong type") is None
    assert match_placeholder("# the todos table") is None
    assert match_placeholder("# xxx lowercase is prose") is None
    assert match_placeholder("# see `hack_mode` in https://example.com/stub") is None  # code spans, URLs


def test_demo_workspace_has_no_python_and_never_imports_libcst() -> None:
    assert discover(DEMO).python_files == []
    code = (
        "import sys\n"
        "from rust_triage.cli import main\n"
        f"main(['check', {str(DEMO / 'crates/core/src/store.rs')!r}, '-q', '--no-cache'])\n"
        "print('libcst' in sys.modules, 'rust_triage.families.python.extract' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "False False"


def test_python_stats_and_cache_hits(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "c"\nversion = "0.1.0"\nedition = "2021"\n')
    (tmp_path / "src" / "lib.rs").write_text("pub fn f() {}\n")
    (tmp_path / "a.py").write_text("def f():\n    return 1\n")
    cache = tmp_path / "cache"
    first = analyse(Options(paths=[tmp_path], cache_dir=cache, jobs=1))
    second = analyse(Options(paths=[tmp_path], cache_dir=cache, jobs=1))
    assert first.context.get(PythonRun).stats  # type: ignore[union-attr] == {"files": 1, "parsed": 1, "cache_hits": 0}
    assert second.context.get(PythonRun).stats  # type: ignore[union-attr] == {"files": 1, "parsed": 0, "cache_hits": 1}
