"""The `macro_rules!` matcher and transcriber behind the types scanner's expansions (macro_rules.py), and
the scanner's silence where an expansion is not certain."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_json

from rust_triage.families.types.macro_rules import ident_names, match_rule, parse_pattern, transcribe
from rust_triage.families.types.macro_tokens import Group, Tok, Tree, Unsupported, lex, render


def _trees(text: str, line: int = 1) -> tuple[Tree, ...]:
    trees = lex(text, lambda offset: (line, offset + 1, offset))
    assert trees is not None
    return tuple(trees)


def _expand(pattern: str, body: str, call: str) -> str | None:
    pat = parse_pattern(_trees(pattern))
    binds = match_rule(pat, _trees(call, line=9))
    if binds is None:
        return None
    return render(transcribe(_trees(body), binds, ident_names(pat)), {})


def test_lexer_keeps_strings_lifetimes_and_doc_comments_as_tokens() -> None:
    trees = _trees("/// doc\n'a 'b' r#\"x\"y\"# b\"z\" 1.5 x..=y // gone")
    texts = [t.text if isinstance(t, Tok) else t.open for t in trees]
    assert texts == ["#", "[", "'a", "'b'", 'r#"x"y"#', 'b"z"', "1.5", "x", "..=", "y"]
    assert lex("(]", lambda o: (1, o + 1, o)) is None


def test_repetitions_with_separators_and_a_trailing_comma() -> None:
    pattern = "$name:ident, $($field:ident),+ $(,)*"
    body = "$name { $($field: self.$field.clone()),* }"
    assert _expand(pattern, body, "Pair, a, b,") == "Pair{a:self.a.clone() ,b:self.b.clone()}"
    assert _expand(pattern, body, "Pair") is None  # `+` needs one field


def test_expression_fragments_stop_at_their_follow_set_and_stay_one_expression() -> None:
    pattern = "$e:expr, $f:expr"
    assert _expand(pattern, "$e.clone() + $f", "&a, |x, y| x + y") == "(&a) .clone() + (|x,y|x+y)"
    assert _expand(pattern, "$e", "f::<A, B>(x), 2") == "(f::<A,B> (x))"


def test_type_path_pattern_literal_and_other_fragments() -> None:
    assert _expand("$t:ty => $p:pat", "let $p: $t;", "Vec<Option<u8>> => Some(x)") == "let Some(x) :Vec<Option<u8>> ;"
    assert _expand("$l:literal $m:lifetime", "$l $m", "-1 'a") == "-1 'a"
    assert _expand("$v:vis fn", "$v", "pub(crate) fn") == "pub(crate)"
    assert _expand("$v:vis fn", "x", "fn") == "x"
    assert _expand("$b:block", "$b", "{ x }") == "{x}"
    assert _expand("$(#[$m:meta])* struct $i:ident;", "$($m)*", "#[doc = \"x\"] struct A;") == 'doc="x"'
    assert _expand("$i:item $j:item", "$j", "#[cfg(x)] fn f() {} struct A;") == "struct A;"


def test_nested_repetitions() -> None:
    pattern = "$($k:ident => [$($v:expr),*]);*"
    body = "$($(f($k, $v);)*)*"
    assert _expand(pattern, body, "a => [1, 2]; b => [3]") == "f(a,1) ;f(a,2) ;f(b,3) ;"


def test_an_ident_fragment_takes_the_place_of_its_metavariable() -> None:
    pat = parse_pattern(_trees("$t:ident, $e:expr"))
    binds = match_rule(pat, _trees("Plain, p", line=9))
    assert binds is not None
    out = transcribe(_trees("show::<$t>($e)", line=3), binds, ident_names(pat))
    ident = out[3]
    assert isinstance(ident, Tok) and ident.text == "Plain" and ident.origin[0] == 3  # rustc's span: the body
    args = out[-1]
    assert isinstance(args, Group) and args.items[0].origin[0] == 9  # an expr stays at the call


def test_unsupported_and_ambiguous_input_is_refused() -> None:
    with pytest.raises(Unsupported):
        match_rule(parse_pattern(_trees("$($a:tt)* $($b:tt)*")), _trees("x y"))
    with pytest.raises(Unsupported):  # rustc: "local ambiguity", an attribute may start either
        match_rule(parse_pattern(_trees("$(#[$m:meta])* $i:item")), _trees("#[doc = 1] struct A;"))
    with pytest.raises(Unsupported):
        parse_pattern(_trees("$x"))
    with pytest.raises(Unsupported):
        _expand("$x:unknownkind", "$x", "y")
    with pytest.raises(Unsupported):  # a repeating metavariable outside its repetition
        _expand("$($x:ident)*", "$x", "a b")


def test_no_finding_where_the_expansion_is_not_certain(tmp_path: Path) -> None:
    """A macro defined twice behind cfgs, a recursive macro, an expansion that does not parse and a name
    the macro's body binds itself (hygiene: not the caller's `p`) are silent; the same use through a plain
    macro is found (rustc rejects it)."""
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "m"\nversion = "0.1.0"\nedition = "2021"\n')
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lib.rs").write_text(
        "pub struct P;\n"
        "#[cfg(unix)]\nmacro_rules! twice { ($e:expr) => { $e.clone() }; }\n"
        "#[cfg(not(unix))]\nmacro_rules! twice { ($e:expr) => { $e.clone() }; }\n"
        "macro_rules! deep { ($e:expr) => { deep!($e) }; }\n"
        "macro_rules! broken { ($e:expr) => { $e.clone() + }; }\n"
        "macro_rules! plain { ($e:expr) => { $e.clone() }; }\n"
        "macro_rules! hygienic { () => {{ let p = 1u8; p.clone() }}; }\n"
        "pub fn f(p: P) {\n"
        "    let _ = twice!(p);\n"
        "    let _ = deep!(p);\n"
        "    let _ = broken!(p);\n"
        "    let _ = hygienic!();\n"
        "    let _ = plain!(p);\n"
        "}\n"
    )
    report = check_json(str(tmp_path), "--select", "RT3")
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("RT310", 8)]  # in `plain`'s body


def test_bindings_an_expansion_declares_are_not_recorded() -> None:
    """A name bound in an expansion is visible to no use (hygiene): only the caller's own bindings are kept,
    also for names a use in the expansion needs (`q` and `x` there; `q` written at the caller)."""
    from rust_triage.parse.extract import extract_file

    source = (
        b"pub struct P;\n"
        b"macro_rules! hygienic { ($e:expr) => {{ let q = $e; let r = q.clone();"
        b" for x in [r] { x.clone(); } assert!(vec![1].iter().any(|x| x.clone() == 1)); }}; }\n"
        b"pub fn f(p: P) {\n"
        b"    let q = P;\n"
        b"    hygienic!(p);\n"
        b"    q.clone();\n"
        b"}\n"
    )
    facts = extract_file(source).extra["types"]
    assert [u.expr[1] for u in facts.uses] == ["q", "x", "x", "q"]  # the expansion was scanned
    assert [(b.name, b.visible_from) for b in facts.bindings] == [("q", source.index(b"let q = P;") + 10)]
