"""Async rules RT101-RT105 on fixtures/async (a std-only workspace that compiles) and on the demo."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO, FIXTURES

from rust_triage.pipeline import Analysis, Options, analyse

ASYNC = FIXTURES / "async"
_EXPECT = re.compile(r"// expect: (RT\d+(?:, RT\d+)*)$")


def _run(root: Path, select: str) -> Analysis:
    return analyse(Options(paths=[root], no_cache=True, jobs=1, select=[select]))


def _expected(root: Path) -> set[tuple[str, str, int]]:
    """(rule, file, line) of every `// expect: RTxxx` marker in the fixture's sources."""
    out = set()
    for path in sorted(root.rglob("*.rs")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            m = _EXPECT.search(line)
            if m:
                out.update((rule, path.relative_to(root).as_posix(), number) for rule in m.group(1).split(", "))
    return out


@pytest.fixture(scope="module")
def async_analysis() -> Analysis:
    return _run(ASYNC, "RT1")


def test_fixture_compiles(cargo: str, tmp_path: Path) -> None:
    copy = shutil.copytree(ASYNC, tmp_path / "async", ignore=shutil.ignore_patterns("target"))  # keep the tree clean
    proc = subprocess.run(
        [cargo, "check", "--offline", "--quiet", "--workspace"], cwd=copy, capture_output=True, text=True,
        env={**os.environ, "CARGO_TARGET_DIR": str(tmp_path / "target")}, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr


def test_findings_match_the_markers_exactly(async_analysis: Analysis) -> None:
    expected = {e for e in _expected(ASYNC) if e[0].startswith("RT1")}  # the run selects RT1xx only
    assert {r for r, _f, _l in expected} == {"RT101", "RT102", "RT103", "RT104", "RT105"}
    found = {(f.rule, f.file, f.line) for f in async_analysis.findings}
    assert found == expected
    assert not async_analysis.errors


def test_blocking_calls_are_named_after_resolving_use_aliases(async_analysis: Analysis) -> None:
    by_line = {f.line: f.detail["call"] for f in async_analysis.findings
               if f.rule == "RT102" and f.file == "app/src/blocking.rs"}
    assert by_line[11] == by_line[12] == by_line[13] == "std::thread::sleep"  # full path, `thread::`, `nap`
    assert by_line[17] == "std::fs::read_to_string"
    assert by_line[18] == "std::fs::File::open"
    assert by_line[24] == "std::net::TcpStream::connect"
    assert by_line[28] == "Command::new(..).output()"
    assert by_line[30] == "Command::new(..).status()"  # through `let mut cmd = Command::new(..)`
    assert by_line[40] == "io::stdin(..).read_line()"
    assert by_line[45] == "reqwest::blocking::get"
    assert by_line[50] == "thread::spawn(..).join()"  # through `let handle = thread::spawn(..)`


def test_transitive_chain_is_in_the_message_and_related_locations(async_analysis: Analysis) -> None:
    rt103 = {f.line: f for f in async_analysis.findings if f.rule == "RT103"}
    entry = rt103[13]
    assert entry.message.startswith("async `entry` → `middle` → `leaf`: `block_on`")
    assert entry.detail["chain"] == ["middle", "leaf"]
    assert [(r.line, r.message) for r in entry.related] == [
        (13, "async `entry` calls `middle`"),
        (17, "`middle` calls `leaf`"),
        (21, "`leaf` calls `block_on`"),
    ]
    assert "async `Cache::refresh` → `Cache::reload`: `std::thread::sleep`" in rt103[36].message
    assert rt103[45].message.startswith("async block in `refresh_later` → `middle`")
    rt104 = next(f for f in async_analysis.findings if f.rule == "RT104")
    assert "async `entry` → `middle` → `leaf`" in rt104.message


def test_guard_finding_points_at_the_await(async_analysis: Analysis) -> None:
    held = next(f for f in async_analysis.findings if f.rule == "RT105" and f.line == 8)
    assert "guard `guard` from `m.lock()`" in held.message
    assert [r.line for r in held.related] == [10]


def test_clippy_await_holding_lock_suppresses_rt105(async_analysis: Analysis) -> None:
    suppressed = [f for f in async_analysis.suppressed if f.rule == "RT105"]
    assert [(f.file, f.line) for f in suppressed] == [("app/src/guards.rs", 27)]
    assert suppressed[0].suppressed_by == "#[allow(clippy::await_holding_lock)] on fn allowed"


def test_demo_direct_sleep_and_two_hop_block_on() -> None:
    analysis = _run(DEMO, "RT1")
    found = {(f.rule, f.file, f.line): f for f in analysis.findings}
    handlers = "crates/server/src/handlers.rs"
    assert set(found) == {("RT102", handlers, 10), ("RT103", handlers, 14), ("RT104", handlers, 24)}
    assert "`std::thread::sleep`" in found[("RT102", handlers, 10)].message
    chain = found[("RT103", handlers, 14)]
    assert chain.message == "async `handle` → `audit_entry` → `write_audit`: `block_on` blocks the executor thread"
    assert [r.line for r in chain.related] == [14, 19, 24]
    assert chain.symbol.endswith("handlers::handle")


def test_rt101_is_declarative_and_async_only() -> None:
    from rust_triage.engine.registry import load_registry

    rule = load_registry(plugins=False).by_id()["RT101"]
    assert rule.meta.source == "toml"
    assert rule.context == "async"  # type: ignore[attr-defined]


# Extracts the files named as arguments, counting the tree-sitter queries compiled meanwhile.
_COUNT_QUERIES = """
import sys
import tree_sitter
compiled = []
query = tree_sitter.Query
tree_sitter.Query = lambda *args: (compiled.append(args[1][:40]), query(*args))[1]
from rust_triage.parse.extract import extract_file
facts = [extract_file(open(path, "rb").read()).extra["async"] for path in sys.argv[1:]]
print(len(compiled), sum(len(f.chain_calls) for f in facts), sum(len(f.held_guards) for f in facts),
      sum(len(f.offloaded) for f in facts))
"""


def test_async_facts_come_from_the_combined_query_pass() -> None:
    """The async extractor's patterns run in the one combined query: extracting files compiles one query
    per process (the extractor compiled and ran its own before), and still finds every kind of fact."""
    files = [str(ASYNC / "app" / "src" / name) for name in ("blocking.rs", "direct.rs", "guards.rs")]
    proc = subprocess.run([sys.executable, "-c", _COUNT_QUERIES, *files], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    compiled, chains, guards, offloaded = map(int, proc.stdout.split())
    assert compiled == 1
    assert chains and guards and offloaded
