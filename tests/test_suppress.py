"""Suppressions on fixtures/suppress: comments, clippy attributes, clippy.toml, RT090, --add-suppressions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DEMO, FIXTURES

from rust_triage.cli import main
from rust_triage.engine.suppress import parse_directive
from rust_triage.pipeline import Analysis, Options, analyse

SUPPRESS = FIXTURES / "suppress"


def _run(root: Path, select: str = "RT00,RT09", include_tests: bool | None = None) -> Analysis:
    return analyse(Options(paths=[root], no_cache=True, jobs=1, select=select.split(","), include_tests=include_tests))


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return _run(SUPPRESS)


def _suppressed(analysis: Analysis) -> dict[tuple[str, str, int], str]:
    return {(f.rule, f.file, f.line): f.suppressed_by or "" for f in analysis.suppressed}


def _kept(analysis: Analysis, rule: str | None = None) -> set[tuple[str, str, int]]:
    return {(f.rule, f.file, f.line) for f in analysis.findings if rule is None or f.rule == rule}


def test_comment_on_the_line_or_above(analysis: Analysis) -> None:
    s = _suppressed(analysis)
    assert s[("RT001", "src/comments.rs", 4)] == "comment: the caller checks"
    assert s[("RT001", "src/comments.rs", 9)] == "comment: rule names work too"
    assert s[("RT001", "src/comments.rs", 15)] == "comment: both on the next code line"
    assert s[("RT002", "src/comments.rs", 15)] == "comment: both on the next code line"
    # the wrong rule, or a comment two code lines up, suppresses nothing
    assert {("RT001", "src/comments.rs", 20), ("RT001", "src/comments.rs", 26)} <= _kept(analysis)


def test_file_level_comment(analysis: Analysis) -> None:
    s = _suppressed(analysis)
    reason = "file comment: generated code, regenerated from the schema"
    assert s[("RT001", "src/filewide.rs", 5)] == s[("RT001", "src/filewide.rs", 9)] == reason
    assert ("RT002", "src/filewide.rs", 9) in _kept(analysis)  # allow-file(RT001) names RT001 only


def test_clippy_attributes_on_fn_impl_and_module(analysis: Analysis) -> None:
    s = _suppressed(analysis)
    assert s[("RT001", "src/attrs.rs", 5)] == "#[allow(clippy::unwrap_used)] on fn on_fn"
    assert s[("RT001", "src/attrs.rs", 10)] == "#[expect(clippy::unwrap_used)] on fn expected"
    assert s[("RT001", "src/attrs.rs", 18)] == "#[allow(clippy::unwrap_used)] on impl Store"
    assert s[("RT001", "src/attrs.rs", 25)] == "#[allow(clippy::unwrap_used)] on mod inline"  # with a reason = ".."
    assert s[("RT001", "src/attrs.rs", 31)] == "#[allow(clippy::restriction)] on fn restriction_group"
    # clippy::all is too broad to count; another lint does not match
    assert {("RT001", "src/attrs.rs", 36), ("RT001", "src/attrs.rs", 41)} <= _kept(analysis)


def test_module_declarations_module_files_and_crate_root(analysis: Analysis) -> None:
    s = _suppressed(analysis)
    assert s[("RT002", "src/legacy.rs", 4)] == "#[allow(clippy::expect_used)] on mod legacy"
    assert ("RT001", "src/legacy.rs", 8) in _kept(analysis)
    assert s[("RT001", "src/inner.rs", 7)] == "#![allow(clippy::unwrap_used)] in src/inner.rs"
    assert s[("RT001", "src/inner/nested.rs", 2)] == "#![allow(clippy::unwrap_used)] in src/inner.rs"
    assert s[("RT004", "src/lib.rs", 13)] == "#![allow(clippy::todo)] at crate root src/lib.rs"


def test_exact_kept_findings(analysis: Analysis) -> None:
    assert _kept(analysis) == {
        ("RT001", "src/attrs.rs", 36), ("RT001", "src/attrs.rs", 41),
        ("RT001", "src/comments.rs", 20), ("RT001", "src/comments.rs", 26),
        ("RT002", "src/filewide.rs", 9), ("RT001", "src/legacy.rs", 8),
        ("RT090", "src/comments.rs", 19), ("RT090", "src/comments.rs", 24),
        ("RT090", "src/unused.rs", 3), ("RT090", "src/unused.rs", 8), ("RT090", "src/unused.rs", 11),
    }


def test_unused_suppression_messages(analysis: Analysis) -> None:
    rt090 = {f.line: f.message for f in analysis.findings if f.rule == "RT090" and f.file == "src/unused.rs"}
    assert rt090[3].endswith("suppresses no RT001 finding")
    assert rt090[8].endswith("names unknown rule `RT0001`")
    assert "not in the file's first comment block" in rt090[11]
    # RT202 was not selected, and the RT001 comment in test code waits for --include-tests
    assert 15 not in rt090 and 22 not in rt090


def test_unused_suppression_needs_rt090_selected() -> None:
    assert not _kept(_run(SUPPRESS, "RT001"), "RT090")


def test_clippy_toml_allows_unwrap_in_tests() -> None:
    analysis = _run(SUPPRESS, include_tests=True)
    s = _suppressed(analysis)
    assert s[("RT001", "src/attrs.rs", 48)] == "clippy.toml: allow-unwrap-in-tests"
    assert s[("RT001", "src/unused.rs", 22)] == "comment: matters only when test code is checked"
    assert ("RT002", "src/attrs.rs", 53) in _kept(analysis)  # no allow-expect-in-tests
    assert ("RT090", "src/unused.rs", 21) not in _kept(analysis)  # now that comment is used


def test_show_suppressed_lists_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(SUPPRESS), "--no-cache", "--select", "RT00,RT09", "--show-suppressed", "-j", "1"])
    out = capsys.readouterr().out
    assert code == 1
    assert "src/attrs.rs:5:7 RT001" in out and "#[allow(clippy::unwrap_used)] on fn on_fn" in out
    assert "15 suppressed" in out


def test_parse_directive() -> None:
    assert parse_directive("// rust-triage: allow(RT001, unwrap-used) -- legacy code") == (
        "line", ["RT001", "unwrap-used"], "legacy code")
    assert parse_directive("/* rust-triage: allow-file(RT010) -- generated */") == ("file", ["RT010"], "generated")
    assert parse_directive("# rust-triage:allow(RT501)") == ("line", ["RT501"], "")
    assert parse_directive("// rust-triage is great") is None


def _copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("target"))
    return dest


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_add_suppressions_is_idempotent_and_silences_everything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = _copy(DEMO, tmp_path / "demo")
    broken = ws / "crates" / "core" / "src" / "broken.rs"  # an orphan with a syntax error: never touched
    broken.write_text("fn f( { let y = z.unwrap(); }\n")
    args = ["check", str(ws), "--no-cache", "-q", "--select", "RT0,RT1", "--format", "json"]
    assert main(args) == 1
    capsys.readouterr()
    before = _snapshot(ws)

    assert main([*args, "--add-suppressions"]) == 1  # only the broken file's findings remain
    out = capsys.readouterr()
    assert "wrote" in out.err
    remaining = {(f.rule, f.file) for f in _run(ws, "RT0,RT1").findings}
    assert remaining and all(file == "crates/core/src/broken.rs" for _rule, file in remaining)
    assert broken.read_bytes() == before["crates/core/src/broken.rs"]
    handlers = (ws / "crates" / "server" / "src" / "handlers.rs").read_text().splitlines()
    assert "        // rust-triage: allow(RT102) -- legacy: blocking-call-in-async" in handlers
    assert "    // rust-triage: allow(RT104) -- legacy: block-on-reached-from-async" in handlers

    after = _snapshot(ws)
    assert main([*args, "--add-suppressions"]) == 1
    assert "wrote 0 suppression" in capsys.readouterr().err
    assert _snapshot(ws) == after  # idempotent

    broken.unlink()
    assert main(["check", str(ws), "--no-cache", "-q", "--select", "RT0,RT1"]) == 0
    capsys.readouterr()


def test_add_suppressions_keeps_crlf_and_respects_multiline_strings(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    (ws / "Cargo.toml").write_text('[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n')
    lib = ws / "src" / "lib.rs"
    lib.write_bytes(
        b"pub fn f(x: Option<u8>) -> u8 {\r\n\tx.unwrap()\r\n}\r\n"
        b"pub fn g(x: Option<u8>) -> String {\r\n    format!(\"a\r\n{}\", x.unwrap())\r\n}\r\n"
    )
    assert main(["check", str(ws), "--no-cache", "-q", "--select", "RT001", "--add-suppressions"]) == 0
    data = lib.read_bytes()
    assert b"\r\n\t// rust-triage: allow(RT001) -- legacy: unwrap-used\r\n\tx.unwrap()" in data
    # a line starting inside a multi-line string cannot get a comment above it: it gets one at its end
    assert b'{}", x.unwrap()) // rust-triage: allow(RT001) -- legacy: unwrap-used\r\n' in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_add_suppressions_in_a_rust_file_with_bare_cr_endings(tmp_path: Path) -> None:
    """A bare `\\r` does not end a Rust comment: the allow line must end with `\\n`, or it would comment
    out the code after it."""
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    (ws / "Cargo.toml").write_text('[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n')
    lib = ws / "src" / "lib.rs"
    lib.write_bytes(b'pub fn f() { panic!("x"); }\rpub fn g() {}\r')
    assert main(["check", str(ws), "--no-cache", "-q", "--select", "RT005", "--add-suppressions"]) == 0
    assert lib.read_bytes() == b'// rust-triage: allow(RT005) -- legacy: panic-used\npub fn f() { panic!("x"); }\rpub fn g() {}\r'
