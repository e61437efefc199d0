"""The size family's Python rules' metadata, generated: do not edit.

Regenerate with `python -m rust_triage.engine.rule_index_gen` (or `rust-triage docs`) after adding a
rule to this package or changing a rule's metadata; tests/test_rule_index.py fails while this file is stale.
Not a rule module: rule discovery skips modules whose name starts with `_`.
"""

# ruff: noqa: E501
from rust_triage.engine.indexed_rule import IndexEntry, SummaryNote
from rust_triage.engine.model import RuleDocs, RuleMeta, RuleOption, SizedEffort

# this package's Python rules, in module order
ENTRIES: tuple[IndexEntry, ...] = (
    IndexEntry(
        module='rust_triage.families.size.rules.rt210_oversized_file', qualname='OversizedFile', scope='file', checks_suppressions=False,
        meta=RuleMeta(
            id='RT210',
            name='oversized-file',
            category='size',
            severity='low',
            summary='file with more lines of code than the threshold (default 300), with a split proposal',
            docs=RuleDocs(
                what="Reports source files with more lines of code than `oversized-file-lines` (default 300), counting neither blank lines, comments nor test code (`#[cfg(test)]` modules and `#[test]` fns are counted separately in the finding). Files of test targets (`tests/`, `benches/`) are not checked.\n\nThe finding carries a **decomposition proposal** in `detail.proposal`: the file's top-level items are grouped into units that must move together (a type with all its impl blocks, a trait with its impls for foreign types, each fn/const/static), units are linked by the names they mention, and communities of that graph (greedy modularity; tiny ones join their closest neighbour) become new modules. Each module has a name (its dominant type or fn in snake_case), a path (`src/foo/<name>.rs` for `src/foo.rs`; next to `mod.rs`/`lib.rs`), its items with line ranges, the `mod <name>;` and `pub use <name>::{...};` lines that keep the public API unchanged, and the private items that must become `pub(super)` because another new module uses them. Macros, `mod x;` declarations and test modules stay in the file.\n\nNo proposal is computed for a file no target compiles (dead code: wire it in or delete it first; `--include-dead-code` proposes anyway), a generated file or a file that does not parse; the reason is in `detail.proposal.notes` and the fix hint.",
                why='Files of thousands of lines mix unrelated concerns, make every change a merge conflict and hide dead code. A proposal that keeps the API intact makes the split a mechanical change.',
                example='`src/engine.rs` with 900 lines of code: proposal `src/engine/parser.rs` (Parser, its impls, parse_expr), `src/engine/eval.rs` (Evaluator, Value, eval), plus `mod parser; pub use parser::{Parser, parse_expr};` in `src/engine.rs`.',
                fix='Create the proposed files, move the listed line ranges, add the `mod`/`pub use` lines and `use super::*;` at the top of each new file, then let the compiler point at the visibility changes left (fields used across the new modules need `pub(super)`).',
                suppress='`// rust-triage: allow-file(RT210) -- reason` at the top of the file, or raise `oversized-file-lines` under `[thresholds]`.',
                clippy='none',
            ),
            tests_in_scope=False,
            tags=('debt', 'size', 'refactoring'),
            options=(RuleOption(name='max-lines', type='positive-int', default=300, doc='the most lines of non-test code a file may have', threshold='oversized-file-lines'),),
            effort_minutes=90,
            summary_note=SummaryNote('rust_triage.families.size.rules.rt210_oversized_file', 'RT210'),
        ),
    ),
    IndexEntry(
        module='rust_triage.families.size.rules.rt211_oversized_function', qualname='OversizedFunction', scope='file', checks_suppressions=False,
        meta=RuleMeta(
            id='RT211',
            name='oversized-function',
            category='size',
            severity='low',
            summary='function with more lines of code than the threshold (default 80)',
            docs=RuleDocs(
                what='Reports functions and methods whose body has more lines of code than `oversized-function-lines` (default 80), not counting blank and comment-only lines. Test functions are skipped unless `--include-tests`.',
                why='Long functions do several things at once; they are hard to test, review and change.',
                example='A 150-line `fn handle(req: Request) -> Response` that parses, validates, queries and renders.',
                fix="Extract the steps into named functions (each block under its own comment is a candidate), or move a large `match` arm's body into a method of the matched type.",
                suppress='`// rust-triage: allow(RT211) -- reason` above the function, `#[allow(clippy::too_many_lines)]` on it, or raise `oversized-function-lines` under `[thresholds]`.',
                clippy='clippy::too_many_lines',
            ),
            tests_in_scope=False,
            tags=('debt', 'size', 'refactoring'),
            clippy_lints=('clippy::too_many_lines',),
            options=(RuleOption(name='max-lines', type='positive-int', default=80, doc='the most lines of code a function body may have', threshold='oversized-function-lines'),),
            effort_minutes=45,
            summary_note=SummaryNote('rust_triage.families.size.rules.rt211_oversized_function', 'RT211'),
            sized_effort=SizedEffort(detail_key='code_lines', base_minutes=15, lines_per_minute=10),
        ),
    ),
    IndexEntry(
        module='rust_triage.families.size.rules.rt220_embedded_test_module', qualname='EmbeddedTestModule', scope='workspace-by-file', checks_suppressions=False,
        meta=RuleMeta(
            id='RT220',
            name='embedded-test-module',
            category='tests',
            severity='low',
            summary='inline `#[cfg(test)] mod` in a source file, with a plan to extract it',
            docs=RuleDocs(
                what="Reports every inline `#[cfg(test)] mod name { ... }` in a source file, with its size and number of tests. The finding carries an **extraction plan** in `detail.plan`: the in-crate form (`src/foo/tests.rs`, replacing the inline module with `#[cfg(test)] mod tests;`), or the integration form (`tests/foo.rs` importing `use crate_name::foo::*;`) when the module only uses the public API. `private_items_used` lists the file's items that are not `pub` (fns, types, consts, methods of inherent impls, struct fields) the tests mention: any of them, a module path that is not `pub` all the way down, or a package without a library target forces the in-crate form, and `reasons_in_crate` says which. Name matching is textual, so a name that only appears in a comment or string also counts: the plan errs towards the form that always compiles.",
                why='Large inline test modules double the size of source files, slow down navigation and review, and mix test helpers with production code. Moving them out is mechanical once you know which form compiles.',
                example='```rust\n#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n    fn parses() { assert_eq!(parse("1"), Ok(1)); }\n}\n```',
                fix='Follow the plan: move the body to the target file and replace the inline module with `#[cfg(test)] mod tests;` (in-crate), or delete it and create the integration test file with the import shown.',
                suppress='`// rust-triage: allow(RT220) -- reason` above the module.',
                clippy='none',
            ),
            tags=('debt', 'tests', 'refactoring'),
            effort_minutes=30,
            summary_note=SummaryNote('rust_triage.families.size.rules.rt220_embedded_test_module', 'RT220'),
            sized_effort=SizedEffort(detail_key='lines', base_minutes=10, lines_per_minute=30),
        ),
    ),
)
