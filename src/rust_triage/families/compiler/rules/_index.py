"""The compiler family's Python rules' metadata, generated: do not edit.

Regenerate with `python -m rust_triage.engine.rule_index_gen` (or `rust-triage docs`) after adding a
rule to this package or changing a rule's metadata; tests/test_rule_index.py fails while this file is stale.
Not a rule module: rule discovery skips modules whose name starts with `_`.
"""

# ruff: noqa: E501
from rust_triage.engine.indexed_rule import IndexEntry
from rust_triage.engine.model import RuleDocs, RuleMeta

# this package's Python rules, in module order
ENTRIES: tuple[IndexEntry, ...] = (
    IndexEntry(
        module='rust_triage.families.compiler.rules.rt900_compiler_error', qualname='CompilerError', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT900',
            name='compiler-error',
            category='build',
            severity='critical',
            summary='error reported by rustc through `cargo check --message-format=json`',
            docs=RuleDocs(
                what='One finding per compiler error read from `cargo check --message-format=json` (run by `rust-triage cargo`, or given to `rust-triage plan --cargo-json FILE`). Errors are grouped by root cause (the same missing trait, the same unknown field…) into fix patterns.',
                why='A crate with compiler errors does not build; every other finding waits on these.',
                example='`error[E0063]: missing field `b` in initializer of `S``.',
                fix='Fix the pattern with the most errors first; `rust-triage cargo --format markdown` lists the patterns with suggested fixes.',
                suppress='Not suppressible: fix the code.',
                clippy='none (rustc errors)',
            ),
            tags=('build', 'compiler'),
        ),
    ),
    IndexEntry(
        module='rust_triage.families.compiler.rules.rt901_compiler_warning', qualname='CompilerWarning', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT901',
            name='compiler-warning',
            category='build',
            severity='low',
            summary='warning reported by rustc through `cargo check --message-format=json`',
            docs=RuleDocs(
                what='One finding per compiler warning read from `cargo check --message-format=json` (run by `rust-triage cargo`, or given to `rust-triage plan --cargo-json FILE`). Warnings are grouped by root cause (the same missing trait, the same unknown field…) into fix patterns.',
                why='Warnings (unused code, deprecated APIs) hide new problems in noise and often become errors.',
                example='`warning: unused variable: `x``.',
                fix='Fix the pattern with the most errors first; `rust-triage cargo --format markdown` lists the patterns with suggested fixes.',
                suppress='`#[allow(lint_name)]` as rustc documents.',
                clippy='none (rustc warnings)',
            ),
            tags=('build', 'compiler'),
            phase='P3',
        ),
    ),
)
