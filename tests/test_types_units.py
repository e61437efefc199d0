"""The pieces of the type checks, without cargo: format strings, type text, extracted facts, and the
precision rules (what must not be reported, what is reported with lower confidence)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rust_triage.families.types.cfg_eval import evaluate
from rust_triage.families.types.format_strings import chain_expr, debug_arguments, split_arguments
from rust_triage.families.types.typeref import generic_param_names, parse_type
from rust_triage.parse.extract import extract_file
from rust_triage.pipeline import Options, analyse


# -- format strings and macro arguments ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("{:?}", [0]),
        ("{} {:?} {:#?}", [1, 2]),
        ("{name:?} {0:x?} {{:?}} {}", ["name", 0]),
        ("{:.*?} {:?}", [1, 2]),  # `.*` takes the precision argument first
        ("{:>8?}", [0]),
        ("plain {} text", []),
        ("\\u{1F600} {:?}", [0]),
    ],
)
def test_debug_arguments(fmt: str, expected: list[int | str]) -> None:
    assert debug_arguments(fmt) == expected


def test_debug_arguments_rejects_broken_strings() -> None:
    assert debug_arguments("{") is None
    assert debug_arguments("a } b") is None
    assert debug_arguments("{self.x:?}") is None


def test_split_arguments_respects_strings_and_brackets() -> None:
    text = 'target: "a,b", "x = {:?}, {}", f(a, b), [1, 2], \'c\', r#"q,"#, c = {d, e}'
    assert [a for _, a in split_arguments(text)] == [
        'target: "a,b"', '"x = {:?}, {}"', "f(a, b)", "[1, 2]", "'c'", 'r#"q,"#', "c = {d, e}",
    ]
    assert split_arguments("f(a, b") is None


def test_chain_expr() -> None:
    assert chain_expr("x") == ("id", "x")
    assert chain_expr("&self . a.b") == ("ref", ("field", ("field", ("self",), "a"), "b"))
    assert chain_expr("x.0") == ("field", ("id", "x"), "0")
    assert chain_expr("f(x)") is None and chain_expr("CONST") is None


def test_parse_type_shapes() -> None:
    shape = parse_type("&'a mut Vec<crate::a::Foo<u8>>")
    assert shape.kind == "ref" and shape.mutable
    vec = shape.args[0]
    assert (vec.kind, vec.path, vec.args[0].path, vec.args[0].args[0].path) == ("path", "Vec", "crate::a::Foo", "u8")
    assert parse_type("(A, [B; 3], [C])").args[1].kind == "array"
    assert parse_type("(A, [B; 3], [C])").args[2].kind == "slice"
    assert parse_type("HashMap<K, V>").args[1].path == "V"
    for opaque in ("dyn Debug", "impl Iterator<Item = u8>", "fn(u8) -> u8", "Box<dyn A + Send>"):
        assert parse_type(opaque).kind == "opaque" or parse_type(opaque).args[0].kind == "opaque"
    assert generic_param_names("<'a, T: Clone + 'a, const N: usize, U = u8>") == {"T", "N", "U"}


# -- extracted facts ------------------------------------------------------------------------------------
def test_facts_read_std_macro_arguments_with_file_positions() -> None:
    source = b"""fn f(p: Point) {
    let v = vec![A { x: 1 },
        A { }];
    println!("{:?} and {q:?}", p, q = v);
    tracing::info!(?p, "done {:?}", p.inner);
    my_macro!(A { });
}
"""
    facts = extract_file(source).extra["types"]
    lits = [(lit.path, lit.line, lit.column, [f.name for f in lit.fields]) for lit in facts.literals
            if not lit.in_macro]
    assert lits == [("A", 2, 18, ["x"]), ("A", 3, 9, [])]
    # the unknown my_macro!'s argument is read, marked as inside that macro (checked only if it passes it on)
    assert [(lit.path, lit.line, lit.column, lit.macro) for lit in facts.literals if lit.in_macro] == \
        [("A", 6, 15, "my_macro")]
    debug = [(u.expr, u.line, u.column, u.macro) for u in facts.uses if u.trait == "Debug"]
    assert (("id", "p"), 4, 32, "println") in debug
    assert (("id", "v"), 4, 39, "println") in debug
    assert (("id", "p"), 5, 20, "info") in debug  # the `?p` field
    assert (("field", ("id", "p"), "inner"), 5, 37, "info") in debug
    names = {b.name: b for b in facts.bindings}
    assert names["p"].type_text == "Point"


def test_facts_bindings_only_for_names_uses_need() -> None:
    source = b"""fn f(a: A, unused: B) {
    let b = a.clone();
    let c = b;
    for x in items { }
    println!("{:?}", c);
}
"""
    facts = extract_file(source).extra["types"]
    assert sorted(b.name for b in facts.bindings) == ["a", "b", "c"]


# -- whole-workspace behaviour ------------------------------------------------------------------------
def _workspace(tmp_path: Path, files: dict[str, str]) -> Path:
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    (ws / "Cargo.toml").write_text('[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n')
    for name, text in files.items():
        path = ws / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (ws / "rust-triage.toml").write_text('min-confidence = "low"\n')
    return ws


def _findings(ws: Path, *, include_tests: bool | None = None) -> list[tuple[str, int, str]]:
    analysis = analyse(Options(paths=[ws], no_cache=True, jobs=1, select=["RT3"], include_tests=include_tests))
    return [(f.rule, f.line, f.confidence) for f in analysis.findings]


PLAIN = "pub struct Plain { pub x: u32 }\n"


def test_generic_parameters_and_trait_objects_are_not_reported(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, {"lib.rs": PLAIN + """
pub fn show<Plain: std::fmt::Debug>(p: Plain) -> String { format!("{:?}", p) }
pub fn dynamic(p: &dyn std::fmt::Debug) -> String { format!("{:?}", p) }
pub fn opaque() -> impl std::fmt::Debug { 1u8 }
pub fn through(p: impl std::fmt::Debug) -> String { format!("{:?}", p) }
pub trait Describe { fn d(&self) -> String { format!("{:?}", self.name()) } fn name(&self) -> u8; }
"""})
    assert _findings(ws) == []


def test_fn_local_struct_does_not_capture_module_literals(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, {"lib.rs": """
mod a { pub struct Job { pub id: u32 } }
use a::Job;
pub fn local() -> u32 { struct Job { only: u32 } Job { only: 1 }.only }
pub fn outer() -> Job { Job { id: 1 } }
pub fn broken() -> Job { Job { } }
"""})
    # `broken` is not reported either: the fn-local Job hides what `Job` names there
    assert _findings(ws) == []


def test_lower_confidence_cases(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, {"lib.rs": PLAIN + """
macro_rules! debug_for { ($t:ident) => { other_crate::impl_debug!($t); }; }
pub struct Generated { pub y: u8 }
debug_for!(Generated);
#[cfg_attr(test, derive(Debug))]
pub struct Sometimes { pub z: u8 }
pub fn a(g: &Generated, s: &Sometimes, p: &Plain) -> String { format!("{:?} {:?}", g, s) + &format!("{:?}", p) }
pub fn b(p: &Plain) -> Plain { p.clone() }
#[cfg(feature = "x")]
pub fn c(p: &Plain) -> String { format!("{:?}", p) }
"""})
    assert sorted(_findings(ws)) == [
        ("RT310", 8, "high"),  # Plain
        ("RT310", 8, "medium"),  # Generated: a macro-generated impl may exist (a foreign macro's)
        ("RT310", 8, "medium"),  # Sometimes: derive behind cfg_attr
        ("RT310", 9, "medium"),  # clone of a reference
        ("RT310", 11, "medium"),  # cfg-gated fn
    ]


def test_inherent_clone_deref_and_user_macros_are_respected(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, {"lib.rs": PLAIN + """
pub struct Token { pub id: u64 }
impl Token { pub fn clone(&self) -> Token { Token { id: self.id } } }
pub struct Handle(pub Plain);
impl std::ops::Deref for Handle { type Target = Plain; fn deref(&self) -> &Plain { &self.0 } }
macro_rules! println { ($($t:tt)*) => {}; }
pub fn f(t: Token, h: Handle, p: Plain) { let _ = t.clone(); let _ = h.clone(); println!("{:?}", p); }
"""})
    assert _findings(ws) == []


def test_a_user_macro_shadows_a_std_one_only_where_it_may_be_in_scope(tmp_path: Path) -> None:
    own = "macro_rules! println { ($($t:tt)*) => {}; }"
    call = "pub fn show(p: super::Plain) { println!(\"{:?}\", p); }"
    confined = {"lib.rs": PLAIN + f"mod own {{ {own} {call} }}\nmod other {{ {call} }}\n"}
    assert [f[:2] for f in _findings(_workspace(tmp_path / "a", confined))] == [("RT310", 3)]
    carried = f"#[macro_use] mod own {{ {own} }}\nmod other {{ {call} }}\n"  # `#[macro_use]`: in scope after
    nested = f"mod own {{ {own} mod inner {{}} }}\nmod other {{ {call} }}\n"  # a nested module: unsure
    for name, text in (("carried", carried), ("nested", nested)):
        assert _findings(_workspace(tmp_path / name, {"lib.rs": PLAIN + text})) == [], name


def test_iterator_items_and_loops_are_typed(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, {"lib.rs": PLAIN + """
pub fn f(items: Vec<Plain>, more: &[Plain]) -> Vec<String> {
    for p in more { println!("{:?}", p); }
    let first: Vec<String> = items.iter().filter(|p| p.x > 1).map(|p| format!("{:?}", p)).collect();
    first
}
"""})
    assert _findings(ws) == [("RT310", 4, "high"), ("RT310", 5, "high")]


def test_serde_propagation_skips_attributed_fields(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, {"lib.rs": PLAIN + """
#[derive(Serialize)]
pub struct Out {
    pub a: Plain,
    #[serde(skip)]
    pub b: Plain,
}
"""})
    assert _findings(ws) == [("RT311", 5, "high")]


def test_test_code_is_checked_by_default(tmp_path: Path) -> None:
    """A literal that breaks `cargo test` breaks the build: RT3xx report test code like any other."""
    ws = _workspace(tmp_path, {"lib.rs": PLAIN + """
#[cfg(test)]
mod tests {
    #[test]
    fn t() { let _ = super::Plain { }; }
}
"""})
    assert _findings(ws) == [("RT301", 6, "high")]
    assert _findings(ws, include_tests=True) == [("RT301", 6, "high")]


def test_findings_point_at_definition_and_derive_line(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, {"lib.rs": "pub mod m;\n", "m.rs": """
/// A metric.
#[derive(Clone)]
pub struct Metric { pub v: u32 }
pub fn f(m: &Metric) -> String { format!("{m:?}") }
"""})
    analysis = analyse(Options(paths=[ws], no_cache=True, jobs=1, select=["RT310"]))
    (finding,) = analysis.findings
    assert (finding.file, finding.line) == ("src/m.rs", 5)
    assert finding.related[0].file == "src/m.rs" and finding.related[0].line == 3
    assert finding.detail["fix"] == [{"file": "src/m.rs", "line": 4, "type": "Metric", "add": ["Debug"]}]
    assert finding.fix_hint == "add `#[derive(Debug)]` to `Metric` (src/m.rs:4)"


def test_cfg_of_default_features_is_not_a_doubt(tmp_path: Path) -> None:
    """Code behind `cfg(feature = "x")` is built by `cargo check` when `default` enables x (directly or
    through another feature), and behind `cfg(unix)` on a unix host; other cfgs, and features off by
    default, keep the finding at medium."""
    ws = _workspace(tmp_path, {"lib.rs": PLAIN + """
#[cfg(feature = "on")]
pub fn on() -> Plain { Plain { } }
#[cfg(all(feature = "on", not(feature = "off")))]
pub fn both() -> Plain { Plain { } }
#[cfg(feature = "off")]
pub fn off() -> Plain { Plain { } }
#[cfg(unix)]
pub fn platform() -> Plain { Plain { } }
#[cfg(feature = "on")]
mod gated;
#[cfg(feature = "off")]
mod gated_off;
""", "gated.rs": "pub fn g() -> crate::Plain { crate::Plain { } }\n",
        "gated_off.rs": "pub fn g() -> crate::Plain { crate::Plain { } }\n"})
    manifest = ws / "Cargo.toml"
    manifest.write_text(manifest.read_text() + '[features]\ndefault = ["all-of-it"]\nall-of-it = ["on"]\non = []\noff = []\n')
    analysis = analyse(Options(paths=[ws], no_cache=True, jobs=1, select=["RT301"]))
    assert sorted((f.file, f.line, f.confidence) for f in analysis.findings) == [
        ("src/gated.rs", 1, "high"), ("src/gated_off.rs", 1, "medium"),
        ("src/lib.rs", 4, "high"), ("src/lib.rs", 6, "high"), ("src/lib.rs", 8, "medium"),
        ("src/lib.rs", 10, "medium" if sys.platform.startswith("win") else "high"),  # cfg(unix): the host's
    ]


def test_pattern_bindings_record_the_field_they_take() -> None:
    """A name a `match` arm or `if let` takes out of one struct or variant records the scrutinee, the
    path and the field (counting `_`); nested and or-patterns, and positions after `..`, stay unknown."""
    source = b"""fn f(t: &Tree, o: Option<u8>) {
    match t {
        Tree::Pair(_, /* c */ ref b) => println!("{:?}", b),
        Tree::Named { left, right: ref r } => println!("{:?}{:?}", left, r),
        Tree::Wrap(Some(n)) => println!("{:?}", n),
        Tree::One(x) | Tree::Two(x) => println!("{:?}", x),
        Tree::Many(.., z) => println!("{:?}", z),
    }
    if let Some(v) = o { println!("{:?}", v) }
}
"""
    facts = extract_file(source).extra["types"]
    inits = {b.name: b.init for b in facts.bindings if b.name not in ("t", "o")}
    assert inits == {
        "b": ("pat", ("id", "t"), "Tree::Pair", "1", "ref"),
        "left": ("pat", ("id", "t"), "Tree::Named", "left", ""),
        "r": ("pat", ("id", "t"), "Tree::Named", "right", "ref"),
        "n": None, "x": None, "z": None,
        "v": ("pat", ("id", "o"), "Some", "0", ""),
    }


def test_match_guard_binds_no_names() -> None:
    """`Err(ref error) if *error == expected`: the arm binds `error`, not the guard's `expected`."""
    source = b"""fn f(r: Result<u8, E>, expected: E) {
    match r {
        Err(ref error) if *error == expected => println!("{:?}{:?}", error, expected),
        _ => {}
    }
}
"""
    facts = extract_file(source).extra["types"]
    expected = [b for b in facts.bindings if b.name == "expected"]
    assert [(b.type_text, b.init) for b in expected] == [("E", None)]  # only the parameter
    assert [b.init for b in facts.bindings if b.name == "error"] == [("pat", ("id", "r"), "Err", "0", "ref")]


@pytest.mark.skipif(shutil.which("rustc") is None, reason="needs rustc")
def test_host_platform_cfgs_agree_with_rustc() -> None:
    """`target_arch`, `target_pointer_width`, `target_endian`, `target_os` and `target_family` evaluate as
    rustc's own `--print cfg` for the host says."""
    printed = subprocess.run(["rustc", "--print", "cfg"], capture_output=True, text=True, check=True).stdout
    pairs = [line.split("=", 1) for line in printed.splitlines() if line.startswith(
        ("target_arch=", "target_pointer_width=", "target_endian=", "target_os=", "target_family="))]
    assert {key for key, _ in pairs} >= {"target_arch", "target_pointer_width", "target_endian", "target_os"}
    for key, value in pairs:
        assert evaluate(f"{key} = {value}", frozenset()) is True, key
        assert evaluate(f'{key} = "no-such-value"', frozenset()) is False, key
    assert evaluate('target_vendor = "unknown"', frozenset()) is None  # anything else stays unknown


def test_target_features_agree_with_rustc_on_x86_64() -> None:
    """On an x86_64 host, `target_feature` holds exactly for the features `rustc --print cfg` lists (sse2,
    not avx2); `miri` is false in a default build."""
    printed = subprocess.run(["rustc", "--print", "cfg"], capture_output=True, text=True, check=True).stdout
    if 'target_arch="x86_64"' not in printed.splitlines():
        pytest.skip("the default target features are known for x86_64 hosts only")
    features = {line.split("=", 1)[1].strip('"') for line in printed.splitlines() if line.startswith("target_feature=")}
    assert "sse2" in features
    for feature in features:
        assert evaluate(f'target_feature = "{feature}"', frozenset()) is True, feature
    for feature in ("avx2", "sse4.2", "avx512f") if "avx2" not in features else ():
        assert evaluate(f'target_feature = "{feature}"', frozenset()) is False, feature
    predicate = 'all(target_feature = "sse2", any(target_arch = "x86", target_arch = "x86_64"), not(miri))'
    assert evaluate(predicate, frozenset()) is True
    assert evaluate('target_has_atomic = "64"', frozenset()) is None  # other keys stay unknown


_ITEM_MACROS = """
macro_rules! describe { ($t:ident) => { impl $t { pub fn d(&self) -> u8 { 0 } } }; }
macro_rules! cloned { ($t:ident) => { impl Clone for $t { fn clone(&self) -> Self { Self { x: self.x } } } }; }
macro_rules! any_trait { ($tr:ident, $t:ident) => { impl $tr for $t {} }; }
"""
_ITEM_MACRO_CALLS = """
describe!(Plain);
cloned!(Plain);
pub struct Other { pub x: u32 }
any_trait!(Marker, Other);
pub trait Marker {}
#[derive(Debug, Clone)]
pub struct Outer { pub p: Plain }
#[derive(Debug)]
pub struct Outer2 { pub o: Other }
pub struct Third { pub x: u32 }
any_trait!(Debug, Third);
#[derive(Debug)]
pub struct Outer3 { pub t: Third }
"""


def test_item_macros_make_a_trait_uncertain_only_when_they_may_implement_it(tmp_path: Path) -> None:
    # defined in another file, the calls are not expanded: the bodies are read
    ws = _workspace(tmp_path, {"lib.rs": PLAIN + "#[macro_use]\nmod defs;" + _ITEM_MACRO_CALLS,
                               "defs.rs": _ITEM_MACROS})
    # `describe!` names no trait: Plain surely lacks Debug; `cloned!` may implement Clone (it does);
    # `any_trait!` takes the trait as a metavariable: its call naming `Marker` cannot implement Debug
    # for Other, its call naming `Debug` may for Third
    assert _findings(ws) == [("RT311", 10, "medium"), ("RT311", 10, "high"), ("RT311", 12, "high"),
                             ("RT311", 16, "medium")]


def test_item_macros_of_the_file_write_the_impls_their_expansion_holds(tmp_path: Path) -> None:
    # defined in the calling file, the calls are expanded: `cloned!(Plain)` implements Clone and
    # `any_trait!(Debug, Third)` Debug, surely; nothing else
    ws = _workspace(tmp_path, {"lib.rs": PLAIN + _ITEM_MACROS + _ITEM_MACRO_CALLS})
    assert _findings(ws) == [("RT311", 13, "high"), ("RT311", 15, "high")]


_SHAPES = """
pub mod shapes {
    pub enum Shape { Rect { w: u32, h: u32 }, Pair(u32, u32), Unit }
    pub struct Point(pub u32, pub u32);
}
pub fn std_values() -> Option<Result<u32, ()>> { Some(Ok(1)) }
"""
_PRELUDE = "pub mod prelude { pub use crate::shapes::Shape::*; } "


@pytest.mark.parametrize(("module", "rule"), [
    (_PRELUDE + "use crate::m::prelude::*; pub fn f() -> crate::shapes::Shape { Pair(1) }", "RT303"),
    ("use crate::shapes::Shape::Rect; pub fn g() -> crate::shapes::Shape { Rect { w: 1 } }", "RT301"),
    ("use crate::shapes::Shape as S; use S::*; pub fn h() -> crate::shapes::Shape { Pair(1, 2, 3) }", "RT303"),
    ("use crate::shapes::Point as P; pub fn i() -> P { P(1) }", "RT303"),
    (_PRELUDE + "use crate::m::prelude::Pair; pub fn j() -> crate::shapes::Shape { Pair(1, 2, 3) }", "RT303"),
    ("impl crate::shapes::Point { pub fn k() -> Self { Self(1) } }", "RT303"),
], ids=["glob chain", "imported variant", "renamed enum", "renamed struct", "variant through a module", "Self"])
def test_constructors_reached_only_through_imports_are_checked(tmp_path: Path, module: str, rule: str) -> None:
    """Literals and calls whose path names no definition are not resolved (`Some(..)`, `Ok(..)`); one
    reached only through imports is. Each module below is an error for rustc (E0061, E0063)."""
    ws = _workspace(tmp_path, {"lib.rs": _SHAPES + "pub mod m { " + module + " }\n"})
    assert [(r, line) for r, line, _ in _findings(ws)] == [(rule, 7)]


def test_literal_in_macro_arguments_ends_where_it_ends_in_the_file(tmp_path: Path) -> None:
    """A struct literal read from a re-parsed macro body reports its end in file columns, on the
    macro's first line and on later ones."""
    ws = _workspace(tmp_path, {"lib.rs": """pub struct P { pub x: u32, pub y: u32 }
pub fn one() -> Vec<P> { vec![P { x: 1 }] }
pub fn two() -> Vec<P> { vec![P { y: 2 },
    P { x: 3 }] }
pub fn three() -> String { format!("{}", P { x: 4 }.x) }
"""})
    analysis = analyse(Options(paths=[ws], no_cache=True, jobs=1, select=["RT301"]))
    ends = [(f.line, f.column, f.end_line, f.end_column) for f in analysis.findings]
    assert ends == [(2, 31, 2, 41), (3, 31, 3, 41), (4, 5, 4, 15), (5, 42, 5, 52)]


def test_debug_assertions_hold_as_in_a_default_cargo_check() -> None:
    """`cargo check` builds the dev profile, which turns debug assertions on (rustc --print cfg agrees)."""
    printed = subprocess.run(["rustc", "-C", "debug-assertions", "--print", "cfg"], capture_output=True, text=True,
                             check=True).stdout
    assert "debug_assertions" in printed.splitlines()
    assert evaluate("debug_assertions", frozenset()) is True
    assert evaluate("not(debug_assertions)", frozenset()) is False
