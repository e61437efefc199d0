"""Python rules RT501-RT507, each on small real workspaces written to tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from rust_triage.engine.config import Config
from rust_triage.engine.model import Finding
from rust_triage.pipeline import Analysis, Options, analyse


def workspace(root: Path, files: dict[str, str]) -> Path:
    """A one-crate Cargo workspace plus the given (Python) files."""
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "Cargo.toml").write_text('[package]\nname = "w"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text("pub fn f() {}\n")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def run(root: Path, rule: str) -> Analysis:
    return analyse(Options(paths=[root], no_cache=True, select=[rule], jobs=1))


def found(analysis: Analysis, rule: str, file: str | None = None) -> list[Finding]:
    return [f for f in analysis.findings if f.rule == rule and (file is None or f.file == file)]


def lines(analysis: Analysis, rule: str, file: str | None = None) -> list[int]:
    return sorted(f.line for f in found(analysis, rule, file))


# -- RT501 ------------------------------------------------------------------------------------
BLOCKING = """
import subprocess as sp
import time
import urllib.request
from time import sleep
from urllib.request import urlopen

import requests


async def direct(cmd, url, path):
    sp.run(cmd)
    sp.check_output(cmd)
    time.sleep(1)
    sleep(2)
    requests.get(url)
    urllib.request.urlopen(url)
    urlopen(url)
    with open(path) as fh:
        fh.read()
    proc = sp.Popen(cmd)
    proc.wait()
    sess = requests.Session()
    sess.post(url)


def sync_is_fine(cmd):
    sp.run(cmd)
    time.sleep(1)


async def offloaded(cmd):
    import asyncio

    await asyncio.sleep(1)
    await asyncio.to_thread(sp.run, cmd)
    later = lambda: sp.run(cmd)

    def inner():
        time.sleep(1)

    return later, inner
"""


def test_rt501_direct_blocking_calls_with_aliases(tmp_path: Path) -> None:
    a = run(workspace(tmp_path, {"svc/handlers.py": BLOCKING}), "RT501")
    got = {(f.line, f.detail["call"]) for f in found(a, "RT501")}
    assert got == {
        (11, "subprocess.run"), (12, "subprocess.check_output"), (13, "time.sleep"), (14, "time.sleep"),
        (15, "requests.get"), (16, "urllib.request.urlopen"), (17, "urllib.request.urlopen"),
        (18, "builtins.open"), (21, "subprocess.Popen().wait"), (23, "requests.Session().post"),
    }
    by_line = {f.line: f for f in found(a, "RT501")}
    assert by_line[18].severity == "medium" and by_line[11].severity == "high"
    assert by_line[13].symbol == "handlers.direct"
    assert "inside `async def direct`" in by_line[11].message


def test_rt501_shadowing_local_definition_is_not_blocking(tmp_path: Path) -> None:
    src = """
    def sleep(seconds):
        return seconds


    async def f():
        sleep(1)
    """
    assert not found(run(workspace(tmp_path, {"m.py": src}), "RT501"), "RT501")


def test_rt501_noqa_codes_and_allow_comment(tmp_path: Path) -> None:
    src = """
    import subprocess
    import time


    async def f(cmd):
        subprocess.run(cmd)  # noqa: ASYNC221
        subprocess.run(cmd)  # noqa: ASYNC251
        time.sleep(1)  # noqa
        # rust-triage: allow(RT501) -- start-up only
        time.sleep(2)
        time.sleep(3)  # rust-triage: allow(python-blocking-call-in-async)
    """
    a = run(workspace(tmp_path, {"m.py": src}), "RT501")
    assert lines(a, "RT501") == [7]  # a noqa code of another ruff rule does not apply
    assert sorted(f.line for f in a.suppressed if f.rule == "RT501") == [10, 11]


# -- RT502 ------------------------------------------------------------------------------------
def test_rt502_transitive_chain_across_modules(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/tools.py": """
            import subprocess


            def _invoke(cmd):
                return subprocess.check_call(cmd)


            def run_job(cmd):
                return _invoke(cmd)
            """,
        "pkg/service.py": """
            import asyncio

            from .tools import run_job
            from . import tools


            class Service:
                def __init__(self):
                    self.cmd = ["true"]

                def _work(self):
                    return tools.run_job(self.cmd)

                async def handle(self):
                    return self._work()

                async def handle_direct(self):
                    return run_job(self.cmd)

                async def offloaded(self):
                    return await asyncio.to_thread(run_job, self.cmd)

                async def nested(self):
                    return await self.handle()
            """,
    }
    a = run(workspace(tmp_path, files), "RT502")
    by_line = {f.line: f for f in found(a, "RT502", "pkg/service.py")}
    assert sorted(by_line) == [15, 18]
    assert by_line[15].detail["chain"] == ["handle", "_work", "run_job", "_invoke", "subprocess.check_call"]
    assert "handle -> _work -> run_job -> _invoke -> subprocess.check_call (pkg/tools.py:5)" in by_line[15].message
    assert by_line[18].detail["chain"] == ["handle_direct", "run_job", "_invoke", "subprocess.check_call"]
    assert [r.file for r in by_line[18].related] == ["pkg/tools.py", "pkg/tools.py"]
    assert by_line[18].related[-1].line == 5


def test_rt502_stops_at_async_functions_and_lambdas(tmp_path: Path) -> None:
    src = """
    import time


    async def waits():
        time.sleep(1)


    def schedules():
        return lambda: time.sleep(1)


    def calls_async():
        return waits()


    async def handler():
        schedules()
        calls_async()
    """
    assert not found(run(workspace(tmp_path, {"m.py": src}), "RT502"), "RT502")


# -- RT503 ------------------------------------------------------------------------------------
def test_rt503_stubs_and_exemptions(tmp_path: Path) -> None:
    files = {
        "app/stubs.py": """
            from abc import ABC, abstractmethod
            from typing import Protocol, overload


            def export(rows) -> bytes:
                raise NotImplementedError("later")


            def compute(x: int) -> int:
                ...


            def checksum(data) -> int:
                '''Sum of the bytes.'''


            def hook() -> None:
                pass


            class Base(ABC):
                @abstractmethod
                def run(self):
                    raise NotImplementedError


            class Reader(Protocol):
                def read(self) -> bytes:
                    ...


            class Plugin:
                def apply(self, rows):
                    raise NotImplementedError

                def on_event(self, event):
                    pass

                def __enter__(self):
                    pass

                def flush(self) -> int:
                    raise NotImplementedError


            @overload
            def parse(x: int) -> int: ...
            @overload
            def parse(x: str) -> str: ...
            def parse(x):
                return x


            def maybe_value() -> int | None:
                pass
            """,
        "app/plugins.py": """
            from .stubs import Plugin


            class Upper(Plugin):
                def apply(self, rows):
                    return [r.upper() for r in rows]
            """,
        "app/__init__.py": "",
    }
    a = run(workspace(tmp_path, files), "RT503")
    by_line = {f.line: f for f in found(a, "RT503")}
    assert sorted(by_line) == [5, 9, 13, 42]
    assert "only raises NotImplementedError" in by_line[5].message and by_line[5].severity == "medium"
    assert by_line[9].severity == "low" and by_line[9].detail["stub"] == "ellipsis"
    assert by_line[13].detail["stub"] == "pass"  # docstring-only body
    assert "`Plugin.flush`" in by_line[42].message


# -- RT504 ------------------------------------------------------------------------------------
def test_rt504_placeholder_comments(tmp_path: Path) -> None:
    src = """
    LIMIT = 30  # hard-coded for now
    # TODO: read from config
    x = "TODO in a string is not a comment"
    # FIXME(ops): retry
    # XXX this is odd
    # a quick hack around the race
    y = 1  # type: ignore[assignment]
    # an ordinary comment about todos in general
    # TODO: allowed here  # noqa: FIX002
    """
    a = run(workspace(tmp_path, {"conf.py": src}), "RT504")
    got = {f.line: f.detail["phrase"] for f in found(a, "RT504")}
    assert got == {1: "for now", 2: "TODO", 4: "FIXME", 5: "XXX", 6: "hack"}


# -- RT505 / RT506 ----------------------------------------------------------------------------
def test_rt505_oversized_module(tmp_path: Path) -> None:
    big = "\n".join(f"value_{i} = {i}" for i in range(1005)) + "\n"
    small = "# comment\n\n" * 600 + "\n".join(f"v{i} = {i}" for i in range(900)) + "\n"
    a = run(workspace(tmp_path, {"big.py": big, "small.py": small}), "RT505")
    hits = found(a, "RT505")
    assert [(f.file, f.line, f.detail["code_lines"]) for f in hits] == [("big.py", 1, 1005)]


def test_rt506_oversized_function(tmp_path: Path) -> None:
    def fn(name: str, n: int, prefix: str = "") -> str:
        body = "\n".join(f"    x{i} = {i}" for i in range(n))
        return f"{prefix}def {name}():\n{body}\n    return 0\n\n\n"

    src = fn("long", 85, "async ") + fn("short", 70) + fn("with_comments", 70).replace("    x1 =", "    # c\n    x1 =")
    a = run(workspace(tmp_path, {"m.py": src}), "RT506")
    hits = found(a, "RT506")
    assert [(f.line, f.detail["code_lines"]) for f in hits] == [(1, 87)]
    assert hits[0].message.startswith("`async def long` has 87 code lines")


def test_size_thresholds_come_from_config() -> None:
    from rust_triage.families.python.rules.rt505_python_oversized_module import PythonOversizedModule
    from rust_triage.families.python.rules.rt506_python_oversized_function import PythonOversizedFunction

    config = Config(thresholds={"python-function-lines": 40}, rule_options={"RT505": {"max-lines": 300}})
    assert config.option(PythonOversizedFunction.meta, "max-lines") == 40
    assert config.option(PythonOversizedModule.meta, "max-lines") == 300
    assert Config().option(PythonOversizedModule.meta, "max-lines") == 1000


# -- RT507 ------------------------------------------------------------------------------------
def test_rt507_swallowed_exceptions(tmp_path: Path) -> None:
    src = """
    import logging


    def f(g):
        try:
            g()
        except:
            pass
        try:
            g()
        except Exception:
            ...
        try:
            g()
        except (ValueError, BaseException):
            pass
        try:
            g()
        except ValueError:
            pass
        try:
            g()
        except Exception as exc:
            logging.warning("failed: %s", exc)
        try:
            g()
        except:
            raise
        for _ in range(3):
            try:
                g()
            except Exception:
                continue
        try:
            g()
        except:  # noqa: E722
            pass
        try:
            g()
        except Exception:  # noqa: S110
            pass
        try:
            g()
        except:
            cleanup = 1
    """
    a = run(workspace(tmp_path, {"m.py": src}), "RT507")
    by_line = {f.line: f for f in found(a, "RT507")}
    assert sorted(by_line) == [7, 11, 15, 32, 44]
    assert by_line[7].severity == "high" and "bare `except:`" in by_line[7].message
    assert by_line[44].severity == "medium"  # bare except that does something
    assert by_line[32].detail["ruff"] == ["BLE001", "S112"]


# -- shared ------------------------------------------------------------------------------------
@pytest.mark.parametrize("rule", ["RT501", "RT502", "RT503", "RT507"])
def test_test_code_is_skipped_by_default(tmp_path: Path, rule: str) -> None:
    src = """
    import time


    async def test_x():
        time.sleep(1)
        return helper()


    def helper():
        time.sleep(1)
        try:
            return stub()
        except Exception:
            pass


    def stub() -> int:
        raise NotImplementedError
    """
    a = run(workspace(tmp_path, {"tests/test_m.py": src, "svc/m.py": src}), rule)
    assert found(a, rule, "svc/m.py")
    assert not found(a, rule, "tests/test_m.py")


def test_config_file_sets_python_limits_and_phrases(tmp_path: Path) -> None:
    src = "def f():\n    a = 1\n    b = 2\n    return a + b\n\n\n# works for now\n# TODO: later\n"
    root = workspace(tmp_path, {"m.py": src})
    (root / "rust-triage.toml").write_text(
        '[thresholds]\npython-function-lines = 3\n\n[rules.RT504]\nignore_phrases = ["for now"]\n'
    )
    a = analyse(Options(paths=[root], no_cache=True, select=["RT504", "RT506"], jobs=1))
    assert [(f.rule, f.line) for f in a.findings] == [("RT506", 1), ("RT504", 8)]
    assert found(a, "RT506")[0].detail == {"code_lines": 4, "limit": 3, "docstring_lines": 0}
