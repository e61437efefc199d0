"""The testorg family's Python rules' metadata, generated: do not edit.

Regenerate with `python -m rust_triage.engine.rule_index_gen` (or `rust-triage docs`) after adding a
rule to this package or changing a rule's metadata; tests/test_rule_index.py fails while this file is stale.
Not a rule module: rule discovery skips modules whose name starts with `_`.
"""

# ruff: noqa: E501
from rust_triage.engine.indexed_rule import IndexEntry
from rust_triage.engine.model import RuleDocs, RuleMeta, RuleOption

# this package's Python rules, in module order
ENTRIES: tuple[IndexEntry, ...] = (
    IndexEntry(
        module='rust_triage.families.testorg.rules.rt230_untested_module', qualname='UntestedModule', scope='workspace-shape', checks_suppressions=False,
        meta=RuleMeta(
            id='RT230',
            name='untested-module',
            category='tests',
            severity='low',
            summary='library module with public items and no unit, integration or doc test',
            docs=RuleDocs(
                what="Reports files of a library target that define `pub` items with behaviour (a `pub fn`, or methods) and have no test at all: no `#[test]` fn in the module or any module below it, no doctest in it, and no file under the package's `tests/` mentioning one of its public items or its module name. Packages without any test are reported once by RT231 instead, so this rule stays quiet there. Matching integration tests by name is textual: a test that mentions the name counts, even if it does not call it.",
                why='A module nothing exercises can break silently; in a crisis backlog it is where a fix needs a test first.',
                example='`src/billing.rs` defines `pub fn invoice_total` but neither `src/billing.rs`, `src/billing/*`, its docs nor `tests/*.rs` test it.',
                fix='Add a unit test module (`#[cfg(test)] mod tests;` + `src/billing/tests.rs`) or an integration test (`tests/billing.rs`) that calls its public items.',
                suppress='`// rust-triage: allow-file(RT230) -- reason` at the top of the file.',
                clippy='none',
            ),
            precision='medium',
            tags=('tests', 'coverage'),
            effort_minutes=45,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.testorg.rules.rt231_crate_without_tests', qualname='CrateWithoutTests', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT231',
            name='crate-without-tests',
            category='tests',
            severity='medium',
            summary='package with no #[test] fn, no doctest and no test target',
            docs=RuleDocs(
                what='Reports packages (at their `Cargo.toml`) where `cargo test` would run nothing: no `#[test]` fn in any file (unit or integration), no doctest in the library and no `harness = false` test target.',
                why='Without a single test, every change to the crate is unverified, and a crisis fix cannot be checked against regressions.',
                example='`crates/billing` has `src/lib.rs` and `src/invoice.rs` and no `#[cfg(test)]`, `tests/` or doc examples.',
                fix='Start with an integration test per public entry point (`tests/smoke.rs`), then unit tests for the modules RT230 lists.',
                suppress="`# rust-triage: allow-file(RT231) -- reason` at the top of the package's `Cargo.toml`, or a per-path override ignoring RT231 for the package's directory.",
                clippy='none',
            ),
            tags=('tests', 'coverage'),
            effort_minutes=60,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.testorg.rules.rt232_test_file_without_tests', qualname='TestFileWithoutTests', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT232',
            name='test-file-without-tests',
            category='tests',
            severity='medium',
            summary='`tests/*.rs` target with no #[test] fn',
            docs=RuleDocs(
                what='Reports integration test targets (`tests/foo.rs`, `tests/foo/main.rs`, `[[test]]` entries) where neither the root file nor its modules contain a `#[test]` fn (`#[tokio::test]` and other `*::test` attributes count). Targets with their own `fn main` (`harness = false`) are skipped. Helper files such as `tests/common/mod.rs` are not targets and are not reported.',
                why='Cargo builds and runs the target and reports `running 0 tests`: the file looks like coverage and checks nothing (often tests were commented out or lost `#[test]`).',
                example='`tests/api.rs` holds `fn check_login() { ... }` without `#[test]`.',
                fix='Add `#[test]` to the test functions, or move helpers to `tests/common/mod.rs`.',
                suppress='`// rust-triage: allow-file(RT232) -- reason` at the top of the file.',
                clippy='none',
            ),
            tags=('tests',),
            effort_minutes=20,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.testorg.rules.rt233_test_without_assertion', qualname='TestWithoutAssertion', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT233',
            name='test-without-assertion',
            category='tests',
            severity='medium',
            summary='#[test] fn with no assertion, no `?`, no unwrap and no #[should_panic]',
            docs=RuleDocs(
                what='Reports `#[test]` fns that can only fail by crashing on their own: no `assert*!` / `debug_assert*!` / `prop_assert*!` / `panic!` / `unreachable!` macro, no `.unwrap()` / `.expect(..)` / `.assert*(..)` call, no `?` in a test returning `Result`, no `#[should_panic]`, and no call to a helper fn or macro of the same package that asserts (`fn check(..) { assert_eq!(..) }`).',
                why='A test without a check passes whatever the code does; it inflates the test count and hides untested behaviour.',
                example='```rust\n#[test]\nfn parses_config() {\n    let _ = parse("a = 1");\n}\n```',
                fix='Assert on the result (`assert_eq!(parse("a = 1"), Ok(..))`), or mark it `#[should_panic]` if panicking is the expected outcome.',
                suppress='`// rust-triage: allow(RT233) -- reason` above the test.',
                clippy='none',
            ),
            tags=('tests',),
            effort_minutes=10,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.testorg.rules.rt234_missing_test_category', qualname='MissingTestCategory', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT234',
            name='missing-test-category',
            category='tests',
            severity='low',
            summary='library module without tests of a configured category (e.g. sanity, uat)',
            docs=RuleDocs(
                what='Off unless `categories` under `[rules.RT234]` lists categories (e.g. `["sanity", "uat"]`). A test file under the package\'s `tests/` belongs to category `c` when it sits in `tests/c/` or its name is `c.rs` or starts with `c_`. It covers module `m` when the rest of its path names `m` (`tests/sanity/math.rs`, `tests/sanity_math.rs`, `tests/uat/math/...`) or it mentions `m` (`use my_crate::math`). Each library module at depth `depth` (default 1: the modules declared in `lib.rs`) missing one or more categories is reported once, listing them.',
                why='Teams that organize tests by category (fast sanity checks, user acceptance tests...) need to see which modules lack which kind; a missing category is a gap in the test plan.',
                example='categories = ["sanity", "uat"]; `tests/sanity_math.rs` exists but no uat test mentions `math`: `crate::math` is missing `uat`.',
                fix='Add the missing file, e.g. `tests/uat_math.rs` (or `tests/uat/math.rs` declared from `tests/uat.rs`).',
                suppress='`// rust-triage: allow-file(RT234) -- reason` at the top of the module file.',
                clippy='none',
            ),
            tags=('tests', 'organization'),
            options=(RuleOption(name='categories', type='string-list', default=[], doc='the test categories every library module needs (empty: the rule is off)'), RuleOption(name='depth', type='positive-int', default=1, doc='module depth checked (1: the modules declared in lib.rs)')),
            effort_minutes=30,
        ),
    ),
)
