"""RT3xx against real rustc: on the broken fixtures every judged compiler error is predicted and every
finding is a real error; on the clean fixture cargo is green and rust-triage says nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, check_json, run_cli

from rust_triage.families.types.oracle import CargoCheck, cargo_check, judge, predicted_from_report

TYPES = FIXTURES / "types"


@pytest.fixture(scope="module")
def target_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cargo-target")


def _copy(src: Path, tmp: Path) -> Path:
    dest = tmp / src.name
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("target"))
    return dest


@pytest.fixture(scope="module")
def broken(cargo: str, target_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[CargoCheck, dict]:
    ws = _copy(TYPES / "broken", tmp_path_factory.mktemp("broken"))
    return cargo_check(ws, target_dir, cargo), check_json(str(ws), "--select", "RT3")


@pytest.fixture(scope="module")
def clean(cargo: str, target_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[CargoCheck, Path]:
    ws = _copy(TYPES / "clean", tmp_path_factory.mktemp("clean"))
    return cargo_check(ws, target_dir, cargo), ws


def test_broken_fixture_matches_rustc_exactly(broken: tuple[CargoCheck, dict]) -> None:
    check, report = broken
    predicted = predicted_from_report(report)
    result = judge(predicted, check.errors)
    assert not result.false_positives, result.false_positives
    assert not result.missed, result.missed
    assert len(result.matched) >= 35
    # every deliberate break is a judged error: nothing else went wrong in the fixture
    assert {e.code for e in check.errors} <= {"E0063", "E0560", "E0061", "E0277", "E0599", "E0369", "E0507", "E0382",
                                              "E0204"}


def test_broken_fixture_covers_every_rule_and_path_form(broken: tuple[CargoCheck, dict]) -> None:
    _, report = broken
    by_rule = report["summary"]["by_rule"]
    for rule in ("RT301", "RT302", "RT303", "RT310", "RT311"):
        assert by_rule.get(rule, 0) >= 1, rule
    lines = {(f["rule"], f["file"].rsplit("/", 1)[-1], f["line"]) for f in report["findings"]}
    expected = {
        ("RT301", "build.rs", 12),  # renamed import
        ("RT301", "build.rs", 16),  # `pub use ... as` re-export
        ("RT301", "build.rs", 20),  # glob import
        ("RT301", "build.rs", 24),  # type alias
        ("RT301", "build.rs", 28),  # enum struct variant
        ("RT302", "build.rs", 32),  # full path, other crate
        ("RT303", "build.rs", 36),
        ("RT303", "build.rs", 40),  # tuple variant
        ("RT301", "build.rs", 44),  # inside vec![]
        ("RT301", "build.rs", 49),  # super::
        ("RT302", "build.rs", 53),  # crate::
        ("RT301", "local.rs", 12),  # Self { .. }
        ("RT310", "show.rs", 15),  # {p:?}
        ("RT310", "show.rs", 19),  # {value:#?} with value = p
        ("RT310", "show.rs", 28),  # let p = Point::new()
        ("RT310", "show.rs", 48),  # self.point
        ("RT310", "compare.rs", 20),  # enum ==
        ("RT310", "compare.rs", 39),  # HashMap key
        ("RT310", "compare.rs", 50),  # BTreeSet key through self.seen
        ("RT311", "local.rs", 18),
        ("RT311", "local.rs", 35),  # Eq without PartialEq
    }
    assert expected <= lines, expected - lines


# One deliberate break per class (crates/classes, crates/itest): (rule, file, line) of its finding.
CLASSES = {
    "variant imported by `use`": ("RT301", "literals.rs", 8),
    "variant imported under another name": ("RT301", "literals.rs", 12),
    "tuple variant imported by `use`": ("RT303", "literals.rs", 16),
    "const item": ("RT301", "literals.rs", 19),
    "static item": ("RT301", "literals.rs", 21),
    "const fn": ("RT301", "literals.rs", 24),
    "`Self` literal": ("RT301", "literals.rs", 29),
    "literal in a unit test": ("RT301", "literals.rs", 39),
    "renamed field (no missing-field error then)": ("RT302", "literals.rs", 45),
    "derive through Vec": ("RT311", "containers.rs", 11),
    "derive through Option": ("RT311", "containers.rs", 16),
    "derive through Box": ("RT311", "containers.rs", 21),
    "derive through Rc": ("RT311", "containers.rs", 26),
    "derive through Arc": ("RT311", "containers.rs", 31),
    "derive through a tuple": ("RT311", "containers.rs", 36),
    "derive through an array": ("RT311", "containers.rs", 41),
    "derive through a HashMap value": ("RT311", "containers.rs", 46),
    "derive through a BTreeMap key": ("RT311", "containers.rs", 51),
    "derive through a reference": ("RT311", "containers.rs", 56),
    "derive through a struct variant's field": ("RT311", "containers.rs", 61),
    "derive through a tuple variant's field": ("RT311", "containers.rs", 62),
    "Cell<T>: Clone needs T: Copy": ("RT311", "containers.rs", 67),
    "derive through a RefCell": ("RT311", "containers.rs", 72),
    "Result::unwrap": ("RT310", "uses.rs", 8),
    "Result::expect": ("RT310", "uses.rs", 12),
    "Result::unwrap_err": ("RT310", "uses.rs", 16),
    "assert_eq!": ("RT310", "uses.rs", 20),
    "assert_ne!": ("RT310", "uses.rs", 25),
    "{:?} in panic!": ("RT310", "uses.rs", 29),
    "{:?} in write!": ("RT310", "uses.rs", 34),
    ".clone() on a value": ("RT310", "uses.rs", 38),
    ".clone() through &mut": ("RT310", "uses.rs", 42),
    "move out of *r": ("RT310", "uses.rs", 46),
    "move of a field behind &": ("RT310", "uses.rs", 50),
    "use after move of a parameter": ("RT312", "uses.rs", 59),
    "!=": ("RT310", "uses.rs", 63),
    "<": ("RT310", "uses.rs", 67),
    "HashSet key": ("RT310", "uses.rs", 71),
    "HashMap key": ("RT310", "uses.rs", 75),
    "BTreeMap key": ("RT310", "uses.rs", 79),
    ".sort()": ("RT310", "uses.rs", 83),
    "Default::default() as the fn's value": ("RT310", "uses.rs", 87),
    "..Default::default()": ("RT310", "uses.rs", 91),
    "assert_eq! against a value typed through an alias": ("RT310", "uses.rs", 101),
    "{:?} of a generic fn's concrete return type": ("RT310", "uses.rs", 109),
    "impl std::error::Error needs Debug": ("RT310", "uses.rs", 118),
    "impl of a workspace trait with derivable supertraits": ("RT310", "uses.rs", 122),
    "Cell::get needs Copy": ("RT310", "uses.rs", 125),
    "a method taking self by value on a field behind &": ("RT310", "uses.rs", 135),
    "a tuple moving *r": ("RT310", "uses.rs", 139),
    "use after move of an enum": ("RT312", "uses.rs", 150),
    "assert_eq! against Ok(unit variant)": ("RT310", "uses.rs", 170),
    "{:?} of v[i]": ("RT310", "inference.rs", 16),
    "{:?} of a slice's .last()": ("RT310", "inference.rs", 20),
    "== of .iter().next()": ("RT310", "inference.rs", 24),
    "{:?} of .parse::<T>().unwrap()": ("RT310", "inference.rs", 29),
    "{:?} of .collect::<Vec<T>>()": ("RT310", "inference.rs", 34),
    "{:?} of a tuple field": ("RT310", "inference.rs", 38),
    "{:?} of HashMap::get": ("RT310", "inference.rs", 42),
    "assert_eq! of Vec::pop().unwrap()": ("RT310", "inference.rs", 46),
    "{:?} of a .clone()": ("RT310", "inference.rs", 51),
    "derive on a generic type used with a concrete argument": ("RT310", "inference.rs", 61),
    "the same through .clone() of a generic type": ("RT310", "inference.rs", 65),
    "parse::<T>() with the error type of T's FromStr impl": ("RT310", "inference.rs", 84),
    "== typed from its right side": ("RT310", "inference.rs", 95),
    "a call of a workspace trait's method when the impl lacks a supertrait": ("RT310", "inference.rs", 109),
    "struct literal in a workspace macro's arguments": ("RT301", "macros.rs", 30),
    "capitalised fn's arity in a workspace macro's arguments": ("RT303", "macros.rs", 31),
    "tuple variant in a workspace macro with a stmt fragment": ("RT303", "macros.rs", 35),
    "{:?} in an integration test": ("RT310", "derives.rs", 8),
    "literal in an integration test": ("RT301", "derives.rs", 13),
    "use after move in a for loop": ("RT312", "moves.rs", 35),
    "use after move in a while loop": ("RT312", "moves.rs", 43),
    "use after a by-value method call": ("RT312", "moves.rs", 51),
    "use after a move into a move closure": ("RT312", "moves.rs", 58),
    "use after move of a tuple-struct local": ("RT312", "moves.rs", 64),
    "use after move of a variant local": ("RT312", "moves.rs", 70),
    "use after move of a unit-variant local": ("RT312", "moves.rs", 77),
    "move out of a reference by a for pattern `&x`": ("RT310", "moves.rs", 82),
    "move out of a reference by a closure pattern `|&x|`": ("RT310", "moves.rs", 89),
    "Copy of a type an open item-level macro call mentions": ("RT310", "reach.rs", 53),
    "`for &x` over a const array": ("RT310", "reach.rs", 59),
    "a by-value method on a `for` binding over a reference": ("RT310", "reach.rs", 68),
    "moved and used by two arguments of one call": ("RT312", "reach.rs", 89),
    "use after move of a local typed by its callee's return type": ("RT312", "reach.rs", 99),
    "use after a move inside assert_eq! of a generic type, after a reassignment": ("RT312", "reach.rs", 122),
    "use after move of a `for &x` binding, past a branch that returns": ("RT312", "reach.rs", 137),
    "moved by one field initialiser and used by a later one": ("RT312", "reach.rs", 150),
    "derive through a slice behind a reference": ("RT311", "bounds.rs", 11),
    "derive through std iterators named by `use std::slice`/`use std::iter`": ("RT311", "bounds.rs", 16),
    "impl of a trait whose supertrait Copy needs Clone": ("RT310", "bounds.rs", 33),
    "impl of a workspace trait lacking its first supertrait": ("RT310", "bounds.rs", 41),
    "derived Eq, once per field type": ("RT311", "bounds.rs", 45),
    "derive in a module gated by a host-platform cfg": ("RT311", "bounds.rs", 61),
    "derive through a `::std::` path": ("RT311", "bounds.rs", 71),
    "{:?} of a name a match arm binds from a workspace variant": ("RT310", "bounds.rs", 91),
    "a trait method call on a `ref` name a match arm binds": ("RT310", "bounds.rs", 92),
    "== on a name a struct-variant pattern binds": ("RT310", "bounds.rs", 93),
    "{:?} of a name `if let Some(..)` binds": ("RT310", "bounds.rs", 96),
    "{:?} of a name `if let Err(..)` binds": ("RT310", "bounds.rs", 99),
    "a variant a fn-local glob import brings in, over a struct of its name": ("RT310", "resolution.rs", 20),
    "a type behind two `#[cfg]`'d `pub use`s, one false here": ("RT310", "resolution.rs", 50),
    "impl of a trait with a Copy supertrait for `Option<T>`": ("RT310", "resolution.rs", 62),
    "impl of a trait with a Debug supertrait for `Option<T>`": ("RT310", "resolution.rs", 70),
    "derive over a field behind a cfg that holds here": ("RT311", "resolution.rs", 75),
    "derive in a file module whose inline twin is cfg'd out": ("RT311", "stand.rs", 9),
    "a crate macro's impl item: .clone() in its body": ("RT310", "expansion.rs", 18),
    "a crate macro's expression: .clone() in its body": ("RT310", "expansion.rs", 27),
    "the same, a second use in the body": ("RT310", "expansion.rs", 28),
    "{:?} of an argument a crate macro passes on to format!": ("RT310", "expansion.rs", 44),
    "a crate macro calling a fn whose bound the argument lacks": ("RT310", "expansion.rs", 68),
    "a crate test macro's turbofish bound (an ident fragment, reported in the body)": ("RT310", "expansion.rs", 84),
    "{:?} in a crate test macro's repetition": ("RT310", "expansion.rs", 107),
    "debug_struct(..).field(..) of a type without Debug": ("RT310", "builders.rs", 19),
    "debug_tuple(..).field(..) of a type without Debug": ("RT310", "builders.rs", 28),
    "debug_list().entry(..) of a type without Debug": ("RT310", "builders.rs", 39),
    "debug_map().value(..) of a type without Debug": ("RT310", "builders.rs", 50),
    "a field `Cow<'a, T>` with T not Clone": ("RT310", "builders.rs", 59),
    "derive through a Cow": ("RT311", "builders.rs", 70),
    "HashMap::new() local keyed by a later .insert(k, v)": ("RT310", "builders.rs", 81),
    "BTreeMap::new() local keyed by a later .entry(k)": ("RT310", "builders.rs", 93),
    "a type from the one of two `#[path]`'d `mod x;` lines whose cfg holds": ("RT311", "builders.rs", 107),
    "a type from the file a `#[cfg_attr(pred, path = ..)]` that holds names": ("RT311", "builders.rs", 116),
    "a type named only in a doc comment inside an item-level macro call": ("RT310", "builders.rs", 135),
    "impl of the prelude's Ord for a type without Eq": ("RT310", "builders.rs", 141),
    "Cow::Borrowed(&T) with T not Clone": ("RT310", "builders.rs", 152),
    "Cow::Owned(self) in a method taking self by value, T not Clone": ("RT310", "builders.rs", 158),
    "debug_struct(..) kept in a local, then .field(..) of a type without Debug": ("RT310", "builders.rs", 177),
    "std's assert_eq! in a test module, a same-named crate macro confined to another": ("RT310", "shadows.rs", 45),
    "an associated type bound to a type lacking the trait's bound on it": ("RT310", "assoc.rs", 15),
    "the same through a tuple and a workspace trait's Copy supertrait": ("RT310", "assoc.rs", 28),
    "the same for a trait declared in an item-level macro call": ("RT310", "assoc.rs", 43),
    "impl Copy written by hand over a field that is not Copy": ("RT310", "assoc.rs", 57),
    "a match arm's value moving a field out of a reference": ("RT310", "arms.rs", 20),
    "a closure's value moving a field out of a reference": ("RT310", "arms.rs", 26),
    "a move out of &self in a fn behind cfg(debug_assertions)": ("RT310", "arms.rs", 31),
    "[f(); N] in a field initialiser copies the element": ("RT310", "repeats.rs", 26),
    "[f(); N] in a let copies the element": ("RT310", "repeats.rs", 30),
    "vec![f(); n] clones the element": ("RT310", "repeats.rs", 35),
    "Result::unwrap through an alias whose argument is `impl Trait`": ("RT310", "aliases.rs", 13),
    "an index moved out of a Vec by indexing with it": ("RT310", "arms.rs", 71),
    "derive(Eq) on a type with only a PartialEq<Other> impl": ("RT311", "rhs.rs", 7),
    "impl PartialOrd for a type with only a PartialEq<Other> impl": ("RT310", "rhs.rs", 21),
    "a module declared in the branch of a `cfg_if!` call whose cfg holds": ("RT310", "chosen.rs", 5),
    "a module declared in a crate macro whose `#[cfg(feature)]` holds by default": ("RT310", "extra_on.rs", 5),
    "a module declared in a crate macro that adds no cfg": ("RT311", "always.rs", 6),
    "a module behind `target_feature = \"sse2\"` and `not(miri)` on an x86_64 host": ("RT310", "features.rs", 9),
    "== on a local holding a unit variant a glob import names bare": ("RT310", "globbed.rs", 17),
    "a move out of a name `for (i, e) in a.zip(b)` binds": ("RT310", "pairs.rs", 15),
    "the same through `.iter().enumerate().rev()`": ("RT310", "pairs.rs", 18),
    "the same over a `&Vec<(A, B)>`": ("RT310", "pairs.rs", 24),
    "the same in a closure taking `|(_, e)|`": ("RT310", "pairs.rs", 26),
    "the same over `&v[a..b]`, a slice of a Vec's elements": ("RT310", "pairs.rs", 47),
    "the same over names `let (a, b) = v.split_at(i)` binds, split twice": ("RT310", "pairs.rs", 57),
    "== on names a `let` destructures out of a struct behind a reference": ("RT310", "lets.rs", 13),
    "a move out of a name a nested tuple pattern `((a, b), e)` binds": ("RT310", "pairs.rs", 60),
    "derive(Eq) on a type a crate macro's calls give only PartialEq<Other> impls": ("RT311", "macro_impls.rs", 8),
    "&T == &T on a type that compares with other types only": ("RT310", "macro_impls.rs", 42),
    "Option<T> == Option<T> on a type that compares with other types only": ("RT310", "macro_impls.rs", 47),
    "Result::expect of a crate trait's fn called through a std type's path": ("RT310", "foreign_fns.rs", 22),
    "a move out of a `Some` arm of a part `for (a, b) in array.iter()` binds of a local array literal":
        ("RT310", "arrays.rs", 42),
    "== on such a part, typed from another element (`[(A::X, None), (A::Y, Some(B::Z))]`)": ("RT310", "arrays.rs", 51),
    "assert_eq! on parts of an array literal of associated consts": ("RT310", "arrays.rs", 58),
    "== on the items of a local array literal": ("RT310", "arrays.rs", 65),
    "impl Error named through a crate module that glob-imports std (`self::stdlib::error::Error`)":
        ("RT310", "reexports.rs", 25),
    "the same from a nested module (`super::stdlib::error::Error`)": ("RT310", "reexports.rs", 36),
    "a move out of a part of `self.iter.next()`'s item, `iter` a field of type `Enumerate<slice::Iter<T>>`":
        ("RT310", "fielditers.rs", 30),
    "the same through `next_back()`": ("RT310", "fielditers.rs", 38),
    "a move out of `|&r|` over `cls.iter()`, a workspace iterator whose `Item` is a reference": ("RT310", "own_iters.rs", 30),
    "the same of a name `for r in cls.iter()` binds": ("RT310", "own_iters.rs", 36),
    "a move out of a part of the pairs of a free `enumerate(&v)`": ("RT310", "free_enumerate.rs", 25),
}


def test_every_class_is_checked_and_confirmed_by_rustc(broken: tuple[CargoCheck, dict]) -> None:
    check, report = broken
    found = {(f["rule"], f["file"].rsplit("/", 1)[-1], f["line"]) for f in report["findings"]
             if f["file"].startswith(("crates/classes/", "crates/itest/"))}
    missing = {name: key for name, key in CLASSES.items() if key not in found}
    assert not missing, missing
    errors = {(e.file.rsplit("/", 1)[-1], e.line) for e in check.errors}
    unconfirmed = {name: key for name, key in CLASSES.items() if key[1:] not in errors}
    assert not unconfirmed, unconfirmed  # every break is one rustc rejects, on that very line


def test_findings_name_fields_definition_and_fix(broken: tuple[CargoCheck, dict]) -> None:
    _, report = broken
    by_key = {(f["rule"], f["file"].rsplit("/", 1)[-1], f["line"]): f for f in report["findings"]}
    missing = by_key[("RT301", "build.rs", 28)]
    assert "`label`" in missing["message"] and "Mode::Slow" in missing["message"]
    assert "label: String" in missing["fix_hint"]
    assert missing["related"][0]["file"] == "crates/model/src/config.rs"
    assert missing["detail"]["missing"] == ["label"]
    debug = by_key[("RT310", "show.rs", 11)]
    assert "`Point` does not implement `Debug`" in debug["message"]
    assert "#[derive(Debug)]" in debug["fix_hint"] and "crates/model/src/shapes.rs:2" in debug["fix_hint"]
    assert debug["detail"]["fix"] == [{"file": "crates/model/src/shapes.rs", "line": 2, "type": "Point",
                                      "add": ["Debug"]}]
    key = by_key[("RT310", "compare.rs", 39)]
    assert key["detail"]["trait"] in ("Hash", "Eq")
    assert all(f["confidence"] == "high" for f in report["findings"])


def test_clean_fixture_compiles_and_has_no_findings(clean: tuple[CargoCheck, Path]) -> None:
    check, ws = clean
    assert check.errors == []
    report = check_json(str(ws), "--select", "RT3")
    assert report["findings"] == [], [f["message"] for f in report["findings"]]


def test_clean_fixture_low_confidence_only_for_cfg_gated_sites(clean: tuple[CargoCheck, Path], tmp_path: Path) -> None:
    _, ws = clean
    config = tmp_path / "rust-triage.toml"
    config.write_text('min-confidence = "low"\n')
    report = check_json(str(ws), "--select", "RT3", "--config", str(config))
    # and a module declared inside a macro call, which the macro may leave out (it does here), or inside a
    # crate macro whose cfg (or its own) is false by default
    assert [(f["rule"], f["file"].rsplit("/", 1)[-1], f["line"], f["confidence"]) for f in report["findings"]] == [
        ("RT301", "build.rs", 14, "medium"), ("RT311", "sealed.rs", 6, "medium"), ("RT311", "sealed.rs", 6, "medium"),
        ("RT310", "secure.rs", 5, "medium"), ("RT311", "narrow.rs", 2, "medium")]
    assert "`tls`" in report["findings"][0]["message"]


def test_seed_shaped_fixture_matches_rustc(cargo: str, target_dir: Path, tmp_path: Path) -> None:
    ws = _copy(FIXTURES / "broken" / "derive_fields", tmp_path)
    check = cargo_check(ws, target_dir, cargo)
    report = check_json(str(ws), "--select", "RT3")
    result = judge(predicted_from_report(report), check.errors)
    assert not result.false_positives
    assert not result.missed
    assert len(result.matched) >= 10


def test_default_run_reports_types_in_text(tmp_path: Path) -> None:
    ws = _copy(TYPES / "broken", tmp_path)
    proc = run_cli("check", str(ws), "--no-cache", "--select", "RT301")
    assert proc.returncode == 1
    assert "missing-struct-fields" in proc.stdout and "is missing field `x`" in proc.stdout
    proc = run_cli("check", str(ws), "--no-cache", "--select", "RT301", "--format", "json")
    assert json.loads(proc.stdout)["summary"]["by_rule"] == {"RT301": 17}
