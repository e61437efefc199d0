"""RT201-RT204 on fixtures/debt/crates/placeholders: exact findings, near misses, options."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import FIXTURES, check_json

from rust_triage.engine.registry import load_registry
from rust_triage.errors import UsageError
from rust_triage.families.debt.comments import anchor_pattern, comment_hits
from rust_triage.families.debt.phrases import (
    DEFAULT_COMMENT_PHRASES,
    TODO_PHRASES,
    configured_phrases,
    find_phrases,
    mask,
    string_placeholder,
)
from rust_triage.families.debt.stubs import default_value
from rust_triage.parse.facts import Comment
from rust_triage.pipeline import Options, analyse

CRATE = FIXTURES / "debt" / "crates" / "placeholders"
P = "crates/placeholders/"
STORE = P + "src/store.rs"
STRINGS = P + "src/strings.rs"
STUBS = P + "src/stubs.rs"


@pytest.fixture(scope="module")
def report() -> dict:
    return check_json(str(CRATE), "--select", "RT201,RT202,RT203,RT204")


def keys(report: dict, rule: str) -> set[tuple[str, int]]:
    return {(f["file"], f["line"]) for f in report["findings"] if f["rule"] == rule}


def by(report: dict, rule: str, file: str, line: int) -> dict:
    return next(f for f in report["findings"] if (f["rule"], f["file"], f["line"]) == (rule, file, line))


def test_placeholder_comments_exact(report: dict) -> None:
    assert keys(report, "RT201") == {
        (STORE, 5),  # doc comment: "In production this would be backed by a database."
        (STORE, 27),  # "This is a hack"
        (STORE, 44),  # doc: "simplified"
        (STORE, 46),  # trailing "XXX"
        (STORE, 50),  # block comment "Temporary workaround"
        (STUBS, 3),  # "for now"
        (STUBS, 19),  # doc "Not implemented yet."
        (STUBS, 26),  # "stub: nothing to initialise yet"
        (STUBS, 32),  # "... for now it is fixed."
    }


def test_placeholder_comment_details(report: dict) -> None:
    f = by(report, "RT201", STORE, 5)
    assert f["detail"]["phrase"] == "in production"
    assert f["detail"]["doc"] is True
    assert f["symbol"] == "crate::store::Store"  # the item the doc comment documents
    assert f["column"] == 5
    f = by(report, "RT201", STORE, 46)
    assert (f["detail"]["phrase"], f["column"], f["symbol"]) == ("XXX", 29, "crate::store::Store::size")
    assert by(report, "RT201", STORE, 50)["detail"]["phrase"] == "temporary"
    assert by(report, "RT201", STUBS, 3)["symbol"] == "crate::stubs::save"


def test_near_misses_are_not_reported(report: dict) -> None:
    lines = keys(report, "RT201") | keys(report, "RT202")
    # stubborn (8), hackathon (16), "not implemented for" (21), temporary file (31),
    # "// for now" inside a string (32), todo list / `todo!()` (40), "stubborn retries" (stubs 37)
    for line in (8, 16, 21, 31, 32, 40):
        assert (STORE, line) not in lines
    assert (STUBS, 37) not in lines
    assert (STUBS, 42) not in lines  # "Placeholder hook": a design word, not a placeholder
    # the crate docs mention a URL with stub/hack/for-now in it
    assert not any(f["file"] == P + "src/lib.rs" for f in report["findings"])


def test_todo_comments_exact(report: dict) -> None:
    assert keys(report, "RT202") == {(STORE, 38), (STORE, 39), (STUBS, 8)}
    assert by(report, "RT202", STORE, 39)["detail"]["phrase"] == "FIXME"
    assert {f["severity"] for f in report["findings"] if f["rule"] == "RT202"} == {"low"}
    assert {f["severity"] for f in report["findings"] if f["rule"] == "RT201"} == {"medium"}


def test_placeholder_strings_exact(report: dict) -> None:
    assert keys(report, "RT203") == {(STRINGS, 5), (STRINGS, 6), (STRINGS, 8), (STRINGS, 9), (STRINGS, 10)}
    assert by(report, "RT203", STRINGS, 5)["detail"]["phrase"] == "dummy"
    assert by(report, "RT203", STRINGS, 9)["detail"]["phrase"] == "lorem ipsum"
    assert by(report, "RT203", STRINGS, 10)["detail"]["macro"] == "format"
    assert by(report, "RT203", STRINGS, 6)["symbol"] == "crate::strings::describe"


def test_stub_functions_exact(report: dict) -> None:
    found = {(f["file"], f["line"]): f for f in report["findings"] if f["rule"] == "RT204"}
    assert set(found) == {(STUBS, 2), (STUBS, 9), (STUBS, 20), (STUBS, 25)}
    assert found[(STUBS, 2)]["detail"]["body"] == "Ok(())"
    assert found[(STUBS, 2)]["detail"]["phrase"] == "for now"
    assert found[(STUBS, 9)]["detail"]["phrase"] == "TODO"  # comment right above the fn
    assert found[(STUBS, 20)]["detail"]["shape"] == "panic"
    assert found[(STUBS, 20)]["severity"] == "medium"
    assert found[(STUBS, 2)]["severity"] == "high"
    assert found[(STUBS, 25)]["detail"]["shape"] == "empty"
    assert found[(STUBS, 25)]["symbol"] == "crate::stubs::init"
    # count() returns 0 without a placeholder comment; version() returns 1; warm_up is a trait hook


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("// for now return the default", ["for now"]),
        ("// a stubborn bug", []),
        ("// notes from the hackathon", []),
        ("/// see https://example.com/stub/hack", []),
        ("// calls `stub_fn()` first", []),
        ("// writes a temporary file", []),
        ("// This is temporary.", ["temporary"]),
        ("// temporary fix until the API lands", ["temporary"]),
        ("// Used in production by every client", []),
        ("// In production this would come from config", ["in production"]),
        ("// Clone is not implemented for Handle", []),
        ("// not yet implemented", ["not implemented"]),
        ("// XXX: wrong", ["XXX"]),
        ("// 0xXXX is a mask", []),
        ("// the xxx-large size", []),
        ("// a real implementation would cache", ["in a real implementation"]),
        ("// Simplified Chinese names", []),
        ("// {placeholder} is replaced by the name", []),
        ("// placeholder-based layout", []),
        ("// placeholder until the service exists", ["placeholder"]),
        ("// Placeholder: compaction is a no-op", ["placeholder"]),
        ("// this is just a placeholder", ["placeholder"]),
        ("/// Creates a placeholder argument.", []),
        ("// an expansion placeholder, replaced later", []),
        ("// This is simplified: no retries", ["simplified"]),
        ("// simplified implementation for the demo", ["simplified"]),
        ("/// Simplified version of the rustdoc function.", []),
        ("// the expression can be simplified from `a + 0`", []),
        ("// This is a temporary hack until v2", ["temporary", "hack"]),
        ("// temporarily disabled, see #12", ["temporary"]),
        ("// this creates a new unnamed temporary", []),
        ("// can often be very temporary. E.g. a file", []),
        ("// This is actual implementation of loading", []),
        ("// the traits are not implemented automatically", []),
        ("// `ExprKind::Err` placeholder.", []),
        ("/// The directory for temporary data of tests", []),
        ("// HACK: work around the driver bug", ["hack"]),
    ],
)
def test_comment_phrases(text: str, phrases: list[str]) -> None:
    assert [h.phrase for h in find_phrases(mask(text), DEFAULT_COMMENT_PHRASES)] == phrases


@pytest.mark.parametrize("text", ["// A HACK for now", "// a hac\u212a", "// \u017ftub", "// Temporär STUB", "// nothing"])
def test_comment_prefilter_folds_case_as_the_phrase_search_does(text: str) -> None:
    """ASCII comments are lower-cased before the anchor search; others keep the case-folding regex
    (`\u017f`, the long s, folds to `s`; the Kelvin sign to `k`)."""
    comment = Comment(line=1, column=1, end_line=1, text=text, doc=False, item=-1)
    found = [h.comment.text for h in comment_hits([comment], DEFAULT_COMMENT_PHRASES)]
    assert found == ([text] if find_phrases(mask(text), DEFAULT_COMMENT_PHRASES) else [])
    assert bool(anchor_pattern(DEFAULT_COMMENT_PHRASES).search(text)) or not found  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "found"),
    [("// TODO: x", True), ("// todo: x", True), ("// Fixme(bob) x", True), ("// a todo list", False),
     ("// use todo!() here", False), ("// TODOS are tracked elsewhere", False),
     ('// See "FIXME" comments in this file.', False)],
)
def test_todo_phrases(text: str, found: bool) -> None:
    assert bool(find_phrases(mask(text), TODO_PHRASES)) is found


@pytest.mark.parametrize(
    ("text", "phrase"),
    [("not implemented", "not implemented"), ("TODO", "TODO"), ("dummy value", "dummy"),
     ("TODO: real text goes here later", "TODO"), ("Lorem ipsum dolor sit amet", "lorem ipsum"),
     ("level 3 is not implemented by this backend yet", None), ("{placeholder}", None),
     ("placeholder:{name}", None), ("not yet implemented!", "not implemented"),
     ("stubborn", None), ("todo list", None), ("the dummy host was rejected by the server", None)],
)
def test_string_placeholders(text: str, phrase: str | None) -> None:
    assert string_placeholder(text) == phrase


@pytest.mark.parametrize(
    ("expr", "default"),
    [("Ok(())", True), ("Vec::new()", True), ("0", True), ("None", True), ("Default::default()", True),
     ("String::new()", True), ("false", True), ('""', True), ('"".to_string()', True), ("Ok(Vec::new())", True),
     ('Err("not implemented".into())', True), ("Self::default()", True), ("vec![]", True), ("0u64", True),
     ("1", False), ("self.items.len()", False), ("Ok(value)", False), ("compute(x)", False)],
)
def test_default_values(expr: str, default: bool) -> None:
    assert default_value(expr) is default


def run_rule(rule_id: str, options: dict) -> list:
    analysis = analyse(Options(paths=[CRATE], no_cache=True, select=[rule_id]))
    analysis.context.config.rule_options[rule_id] = options
    rule = load_registry().by_id()[rule_id]
    return list(rule.check(analysis.context))


def test_configured_phrases() -> None:
    only_hack = run_rule("RT201", {"phrases": ["hack"]})
    assert {(f.file, f.line) for f in only_hack} == {(STORE, 27)}
    extra = run_rule("RT201", {"phrases": ["hack"], "extra_phrases": ["linear scan", "each entry"]})
    assert {(f.file, f.line) for f in extra} == {(STORE, 27), (STORE, 44)}
    assert {f.detail["phrase"] for f in extra} == {"hack", "each entry"}
    ignored = run_rule("RT201", {"ignore_phrases": ["for now", "stub"]})
    assert (STUBS, 3) not in {(f.file, f.line) for f in ignored}
    assert (STORE, 27) in {(f.file, f.line) for f in ignored}


def test_bad_phrase_option_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        configured_phrases({"phrases": [""]}, DEFAULT_COMMENT_PHRASES)
    with pytest.raises(UsageError):
        configured_phrases({"extra_phrases": 3}, DEFAULT_COMMENT_PHRASES)


def test_test_code_is_skipped_unless_included() -> None:
    default = check_json(str(CRATE), "--select", "RT203")
    assert not any(f["in_test"] for f in default["findings"])
    included = check_json(str(CRATE), "--select", "RT203", "--include-tests")
    lines = {(f["file"], f["line"]) for f in included["findings"]}
    assert (STRINGS, 33) in lines  # "dummy" in a test
    assert (STRINGS, 34) not in lines  # "TODO" inside assert!: a comparison


def test_phrase_regexes_compile_on_first_use() -> None:
    """A run tests few phrases (their anchors reject most comments): importing the list compiles none."""
    code = (
        "from rust_triage.families.debt import phrases as p\n"
        "before = p._compile.cache_info().currsize\n"
        "hits = p.find_phrases('a hack for now', p.DEFAULT_COMMENT_PHRASES)\n"
        "print(before, p._compile.cache_info().currsize, [h.phrase for h in hits])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split(maxsplit=2)
    assert out[0] == "0"
    assert 0 < int(out[1]) < len(DEFAULT_COMMENT_PHRASES)  # the anchored ones: "for now", "hack" and its `cargo` guard
    assert out[2].strip() == "['hack', 'for now']"
