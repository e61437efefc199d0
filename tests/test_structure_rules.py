"""RT010 orphan-file, RT011 missing-module-file and RT012 syntax-error on the layout fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, check_json

LAYOUTS = FIXTURES / "layouts"


def _found(path: Path, rules: str) -> set[tuple[str, str, int]]:
    report = check_json(str(path), "--select", rules)
    return {(f["rule"], f["file"], f["line"]) for f in report["findings"]}


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("missing_mod", {("RT011", "src/lib.rs", 2), ("RT011", "src/lib.rs", 5), ("RT011", "src/present.rs", 5)}),
        ("modules_2018", {("RT010", "src/unreached.rs", 1)}),
        ("nested", {("RT010", "inner/src/unused.rs", 1)}),
        ("single_crate", {("RT010", "src/orphan.rs", 1)}),
        ("overrides", {("RT010", "examples/unused.rs", 1), ("RT010", "src/bin/ignored.rs", 1),
                       ("RT010", "tests/skipped.rs", 1)}),
        ("virtual_ws", set()),
        ("legacy_2015", set()),
    ],
)
def test_orphans_and_missing_modules(fixture: str, expected: set[tuple[str, str, int]]) -> None:
    assert _found(LAYOUTS / fixture, "RT010,RT011,RT012") == expected


def test_missing_module_names_the_paths_tried() -> None:
    report = check_json(str(LAYOUTS / "missing_mod"), "--select", "RT011")
    first = report["findings"][0]
    assert first["detail"]["tried"] == ["src/gone.rs", "src/gone/mod.rs"]
    assert first["severity"] == "critical"


def test_syntax_errors_are_reported_but_the_rest_is_analysed(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "s"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n')
    (tmp_path / "src" / "lib.rs").write_text(
        "fn broken( { }\n\npub fn ok(x: Option<u8>) -> u8 { x.unwrap() }\n"
        "pub fn macro_named_str() -> &'static str { str![\"fine\"] }\n"
    )
    found = _found(tmp_path, "RT001,RT012")
    assert ("RT012", "src/lib.rs", 1) in found
    assert ("RT001", "src/lib.rs", 3) in found
    assert not any(r == "RT012" and line == 4 for r, _, line in found)  # `str!` is a macro, not an error


def test_modules_declared_in_macros_and_included_files_are_not_orphans(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "m"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n')
    (tmp_path / "src" / "lib.rs").write_text(
        "macro_rules! cfg_if { ($($t:tt)*) => { $($t)* }; }\n"
        "cfg_if! { #[path = \"platform_unix.rs\"] mod imp; }\n"
        "cfg_if! { mod ghost; }\n"
        "include!(\"generated.rs\");\n"
    )
    for name in ("platform_unix.rs", "generated.rs", "stray.rs"):
        (tmp_path / "src" / name).write_text("pub fn f() {}\n")
    report = check_json(str(tmp_path), "--select", "RT010,RT011")
    assert {(f["rule"], f["file"]) for f in report["findings"]} == {("RT010", "src/stray.rs")}
    # `mod ghost;` inside a macro call has no file: reported only with lower confidence
    low = check_json(str(tmp_path), "--select", "RT011", "--config", str(_min_conf(tmp_path)))
    assert [(f["rule"], f["confidence"]) for f in low["findings"]] == [("RT011", "medium")]


def _min_conf(tmp_path: Path) -> Path:
    cfg = tmp_path / "rt.toml"
    cfg.write_text('min-confidence = "medium"\n')
    return cfg
