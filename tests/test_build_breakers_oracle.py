"""RT012-RT016 against real rustc (RT016: `crate::`, `self::`, `super::` and 2018 relative paths): every build breaker found without compiling is an error rustc reports
at the same line (with the same code), and the look-alikes rustc accepts give no finding."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import check_json

CASES: dict[str, dict[str, str]] = {
    # E0761: both module files exist
    "ambiguous": {
        "src/lib.rs": "pub mod net;\npub mod ok;\n",
        "src/net.rs": "pub fn a() {}\n",
        "src/net/mod.rs": "pub fn b() {}\n",
        "src/ok.rs": "pub fn c() {}\n",
    },
    # E0428: same namespace clashes; look-alikes in other namespaces or exclusive cfgs are fine
    "duplicate": {
        "src/lib.rs": (
            "pub fn connect() {}\n"
            "pub struct Unit;\n"
            "pub fn connect() {}\n"           # line 3: value clash
            "pub fn Unit() {}\n"               # line 4: unit struct is also a value
            "pub struct Named { pub x: u8 }\n"
            "#[allow(non_snake_case)]\n"
            "pub fn Named() {}\n"              # fine: a braced struct is only a type
            "#[cfg(unix)]\n"
            "pub fn os() {}\n"
            "#[cfg(not(unix))]\n"
            "pub fn os() {}\n"                 # fine: exclusive cfgs
            "pub mod inner {\n"
            "    pub enum Kind { A }\n"
            "    pub trait Kind {}\n"          # line 14: type clash inside an inline module
            "}\n"
            "pub fn user() { fn helper() {} }\n"
            "pub fn other() { fn helper() {} }\n"  # fine: different fn bodies
        ),
    },
    # E0428 for modules: a file module and an inline one; a cfg(test) one clashes in test builds
    "modtwice": {
        "src/lib.rs": "mod t;\nmod t {\n    pub fn f() {}\n}\n#[cfg(test)]\nmod u {}\nmod u;\nmod v;\n",
        "src/t.rs": "pub fn g() {}\n",
        "src/u.rs": "\n",
        "src/v.rs": "#[cfg(unix)]\nmod w {}\n#[cfg(not(unix))]\nmod w {}\n",
    },
    # E0432: certain failures only
    "imports": {
        "src/lib.rs": (
            "pub mod a;\n"
            "pub mod b;\n"
            "pub mod gen;\n"
            "use crate::a::Present;\n"
            "use crate::a::Missing;\n"        # line 5: E0432
            "use crate::a::Kind::One;\n"      # fine: an enum variant
            "use crate::a::inner::Deep;\n"
            "use crate::a::inner::Nope;\n"     # line 8: E0432 in an inline module
            "use crate::b::Anything;\n"       # fine: `b` has a glob import
            "use crate::gen::Made;\n"          # fine: `gen` is written by a macro
            "use crate::a::{Present as P2, Absent};\n"  # line 11: E0432 inside a list
            "use crate::a::Reexported;\n"     # fine: a `pub use` of `a`
            "pub use crate::made_by_macro;\n"  # fine: an exported macro lives at the crate root
        ),
        "src/a.rs": (
            "pub struct Present;\npub enum Kind { One }\npub mod inner {\n    pub struct Deep;\n}\n"
            "pub use crate::b::Thing as Reexported;\n"
            "#[macro_export]\nmacro_rules! made_by_macro { () => {} }\n"
        ),
        "src/b.rs": "pub struct Thing;\npub use std::collections::*;\npub struct Anything;\n",
        "src/gen.rs": "macro_rules! make { ($n:ident) => { pub struct $n; } }\nmake!(Made);\n",
    },
    # E0432 beyond `crate::`: `self::`, `super::` (nested, through file and inline modules) and 2018 paths
    # starting at a module declared in the current module; silent on globs, macros, cfg variants, re-exports,
    # crate names and `use` inside fn bodies
    "relative": {
        "src/lib.rs": (
            "pub mod a;\n"
            "pub mod outer;\n"
            "use self::a::Present;\n"
            "use self::a::Missing;\n"           # line 4: E0432
            "use a::Present as P3;\n"            # fine: `a` is a module declared here (2018 paths)
            "use a::Gone;\n"                     # line 6: E0432
            "use self::a::deep::Deeper;\n"
            "use crate::a::deep::Nowhere;\n"     # line 8: E0432 through nested file modules
            "use a::deep::Lost;\n"               # line 9: E0432
            "use std::collections::HashMap;\n"   # fine: a crate
            "extern crate alloc;\n"
            "use alloc::vec::Vec as V;\n"        # fine: an extern crate
            "use self::nomod::X;\n"              # line 13: E0432, no such module
            "#[cfg(unix)]\npub mod plat {\n    pub struct P;\n}\n"
            "#[cfg(not(unix))]\npub mod plat {\n    pub struct Q;\n}\n"
            "use plat::P;\n"                      # fine: cfg variants of one module are not judged
            "use crate::plat::P as P4;\n"
            "use self::outer::Reexp;\n"           # fine: a re-export
            "pub mod wide;\n"
            "use wide::Present as P5;\n"           # fine: through a glob import
            "use outer::gen::Made;\n"              # fine: defined by a macro
            "pub fn user() {\n    use self::Present as P6;\n    let _ = P6;\n}\n"
            "pub mod variants;\n"
        ),
        # one module path, two files chosen by cfg inside a macro: `super::` from their child is not judged
        "src/variants.rs": (
            "macro_rules! pick { ($($i:item)*) => { $($i)* } }\n"
            "pick! {\n"
            "    #[cfg(unix)]\n    #[path = \"variants/imp/unix.rs\"]\n    mod imp;\n"
            "    #[cfg(windows)]\n    #[path = \"variants/imp/windows.rs\"]\n    mod imp;\n"
            "}\n"
        ),
        "src/variants/imp/unix.rs": "pub struct OnUnix;\nmod tests;\n",
        "src/variants/imp/windows.rs": "pub struct OnWindows;\nmod tests;\n",
        "src/variants/imp/tests.rs": "use super::OnUnix;\n",
        "src/a.rs": (
            "pub mod deep;\n"
            "pub struct Present;\n"
            "pub fn helper() {}\n"
            "pub mod inner {\n"
            "    use super::Present;\n"
            "    use super::Absent;\n"                   # line 6: E0432
            "    use super::super::outer::Top;\n"
            "    use super::super::outer::Bottom;\n"     # line 8: E0432
            "    use self::local::Here;\n"
            "    use self::local::Nothere;\n"            # line 10: E0432
            "    mod local {\n        pub struct Here;\n    }\n"
            "}\n"
        ),
        "src/a/deep.rs": (
            "pub struct Deeper;\n"
            "use super::Present;\n"
            "use super::Vanished;\n"                      # line 3: E0432
            "use super::super::a::helper;\n"
            "use super::inner;\n"
        ),
        "src/outer.rs": (
            "pub struct Top;\n"
            "pub use crate::a::helper as Reexp;\n"
            "pub mod gen {\n    macro_rules! make { ($n:ident) => { pub struct $n; } }\n    make!(Made);\n}\n"
        ),
        "src/wide.rs": "pub use crate::a::*;\n",
    },
    # unclosed delimiter: reported at the opener, which rustc labels
    "unclosed": {
        "src/lib.rs": (
            "pub struct A {\n    pub x: u32,\n}\n\n"
            "pub fn first(a: &A) -> u32 {\n"
            "    if a.x > 1 {\n"
            "        let s = \"}{ not a brace\";\n"
            "        let c = '{';\n"
            "        let _ = (s, c, r#\"}\"#);\n"
            "        a.x + 1\n"
            "    // the closer of the `if` is missing\n"
            "}\n\n"
            "pub fn second() -> u32 {\n    3\n}\n"
        ),
    },
}
# rule -> rustc code it predicts (None: rustc gives no code, matched by line among the error's spans)
RULE_CODES = {"RT013": "E0761", "RT014": "E0428", "RT015": "E0428", "RT016": "E0432", "RT012": None}


def _rustc() -> str:
    found = shutil.which("rustc") or str(Path.home() / ".cargo" / "bin" / "rustc")
    if not Path(found).exists():
        pytest.skip("rustc is not installed")
    return found


def _write(root: Path, name: str, files: dict[str, str]) -> Path:
    crate = root / name
    for rel, text in files.items():
        (crate / rel).parent.mkdir(parents=True, exist_ok=True)
        (crate / rel).write_text(text)
    (crate / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    return crate


def _rustc_errors(rustc: str, crate: Path, test: bool) -> list[dict]:
    """Errors of rustc on the crate's lib.rs: code, primary line and every span line (all in lib-relative files)."""
    cmd = [rustc, "--edition", "2021", "--crate-type", "lib", "--error-format=json", "-o",
           str(crate / "out.rlib"), "src/lib.rs"] + (["--test"] if test else [])
    proc = subprocess.run(cmd, cwd=crate, capture_output=True, text=True, timeout=120)
    out = []
    for raw in proc.stderr.splitlines():
        record = json.loads(raw)
        if record.get("level") != "error" or not record.get("spans"):
            continue
        primary = next(s for s in record["spans"] if s["is_primary"])
        out.append({"code": (record.get("code") or {}).get("code"), "file": primary["file_name"],
                    "line": primary["line_start"],
                    "lines": {(s["file_name"], s["line_start"]) for s in record["spans"]}})
    return out


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[dict], list[dict], list[dict]]]:
    rustc = _rustc()
    root = tmp_path_factory.mktemp("breakers")
    (root / "Cargo.toml").write_text('[workspace]\nmembers = ["*"]\nresolver = "2"\n')
    crates = {name: _write(root, name, files) for name, files in CASES.items()}
    report = check_json(str(root), "--select", ",".join(RULE_CODES))
    out = {}
    for name, crate in crates.items():
        findings = [f for f in report["findings"] if f["file"].startswith(name + "/")]
        out[name] = (findings, _rustc_errors(rustc, crate, False), _rustc_errors(rustc, crate, True))
    return out


def _matches(finding: dict, errors: list[dict], crate: str) -> bool:
    rel = finding["file"][len(crate) + 1:]
    code = RULE_CODES[finding["rule"]]
    if code is None:
        return any((rel, finding["line"]) in e["lines"] for e in errors)
    return any(e["code"] == code and e["file"] == rel and e["line"] == finding["line"] for e in errors)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_finding_is_a_rustc_error(judged: dict, case: str) -> None:
    findings, errors, test_errors = judged[case]
    assert findings, f"{case}: no finding"
    for f in findings:
        assert _matches(f, test_errors if "test builds" in f["message"] else errors, case), (f, errors)


@pytest.mark.parametrize("case", sorted(set(CASES) - {"unclosed"}))
def test_every_judged_rustc_error_is_found(judged: dict, case: str) -> None:
    findings, errors, test_errors = judged[case]
    codes = {c for c in RULE_CODES.values() if c}
    for errs in (errors, test_errors):
        for e in errs:
            if e["code"] in codes:
                assert any(f["line"] == e["line"] and f["file"].endswith(e["file"]) for f in findings), e


def test_exact_lines(judged: dict) -> None:
    got = {(name, f["rule"], f["file"].split("/", 1)[1], f["line"]) for name, (fs, _, _) in judged.items() for f in fs}
    assert got == {
        ("ambiguous", "RT013", "src/lib.rs", 1),
        ("duplicate", "RT014", "src/lib.rs", 3),
        ("duplicate", "RT014", "src/lib.rs", 4),
        ("duplicate", "RT014", "src/lib.rs", 14),
        ("modtwice", "RT015", "src/lib.rs", 2),
        ("modtwice", "RT015", "src/lib.rs", 7),
        ("imports", "RT016", "src/lib.rs", 5),
        ("imports", "RT016", "src/lib.rs", 8),
        ("imports", "RT016", "src/lib.rs", 11),
        ("relative", "RT016", "src/lib.rs", 4),
        ("relative", "RT016", "src/lib.rs", 6),
        ("relative", "RT016", "src/lib.rs", 8),
        ("relative", "RT016", "src/lib.rs", 9),
        ("relative", "RT016", "src/lib.rs", 13),
        ("relative", "RT016", "src/a.rs", 6),
        ("relative", "RT016", "src/a.rs", 8),
        ("relative", "RT016", "src/a.rs", 10),
        ("relative", "RT016", "src/a/deep.rs", 3),
        ("unclosed", "RT012", "src/lib.rs", 6),
    }


def test_unclosed_delimiter_names_its_item(judged: dict) -> None:
    (finding,) = judged["unclosed"][0]
    assert "`fn first`" in finding["message"]
    assert finding["detail"]["outer_line"] == 5
