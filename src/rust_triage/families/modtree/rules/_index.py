"""The modtree family's Python rules' metadata, generated: do not edit.

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
        module='rust_triage.families.modtree.rules.rt010_orphan_file', qualname='OrphanFile', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT010',
            name='orphan-file',
            category='structure',
            severity='low',
            summary='`.rs` file that no crate target includes',
            docs=RuleDocs(
                what='Reports `.rs` files inside a package that no target (lib, bins, tests, benches, examples, build script) reaches through its `mod` tree.',
                why='The compiler never sees an orphan file: its code is dead, unchecked and misleading. In a broken workspace, orphans are often modules someone forgot to declare, so the errors they would raise are hidden.',
                example='`src/legacy/parser.rs` exists, but neither `src/lib.rs` nor `src/legacy.rs` says `mod parser;`.',
                fix='Declare the module (`mod parser;` in the parent module) or delete the file.',
                suppress='Add `// rust-triage: allow(RT010) -- reason` at the top of the file, or list the path under `ignore` in a per-path override.',
                clippy='none',
            ),
            tags=('structure', 'dead-code'),
            effort_minutes=10,
            dead_code_decision=True,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.modtree.rules.rt011_missing_module_file', qualname='MissingModuleFile', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT011',
            name='missing-module-file',
            category='build',
            severity='critical',
            summary='`mod` declaration whose file is missing (E0583)',
            docs=RuleDocs(
                what='Reports `mod foo;` declarations for which neither `foo.rs` nor `foo/mod.rs` (or the `#[path]` target) exists. A declaration with `#[cfg_attr(pred, path = "x.rs")]` attributes is not reported when one of the files they name exists (each is taken as the module).',
                why='This is rustc error E0583: the crate does not compile, and every error behind it stays hidden until it is fixed.',
                example='`src/lib.rs` says `pub mod metrics;` but `src/metrics.rs` was never committed.',
                fix='Create the file at one of the paths listed in the finding, fix the `#[path]`, or remove the declaration.',
                suppress='`// rust-triage: allow(RT011) -- reason` on the line above the declaration.',
                clippy='none (rustc E0583)',
            ),
            precision='very-high',
            tags=('build', 'compile-error'),
            effort_minutes=10,
            breaks_module_tree=True,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.modtree.rules.rt012_syntax_error', qualname='SyntaxError_', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT012',
            name='syntax-error',
            category='build',
            severity='high',
            summary='source region that does not parse as Rust',
            docs=RuleDocs(
                what='Reports the ranges that the Rust grammar could not parse. The rest of the file is still analysed: the parser recovers around the error. In crates that enable nightly `#![feature]`s, and in files no target of the workspace reaches, the finding has medium confidence (shown with `min-confidence = "medium"`): the grammar may simply not know that syntax yet.',
                why='A syntax error stops the whole crate from compiling; everything else in the file is reported with lower certainty until it is fixed.',
                example='`fn f( { }` — an unclosed parameter list.',
                fix="Fix the syntax at the reported range (`cargo check` shows rustc's own message).",
                suppress='`// rust-triage: allow(RT012) -- reason` on the line above (for code the grammar does not know yet, e.g. very new syntax).',
                clippy='none (rustc parse errors)',
            ),
            precision='medium',
            tags=('build',),
            breaks_module_tree=True,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.modtree.rules.rt013_ambiguous_module_file', qualname='AmbiguousModuleFile', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT013',
            name='ambiguous-module-file',
            category='build',
            severity='critical',
            summary='`mod x;` where both `x.rs` and `x/mod.rs` exist (E0761)',
            docs=RuleDocs(
                what='Reports `mod x;` declarations for which both candidate files exist: `x.rs` and `x/mod.rs`.',
                why='rustc refuses to choose (error E0761): the crate does not compile. Usually one of the two is a stale copy left by a move between the two layouts.',
                example='`src/net.rs` and `src/net/mod.rs` both exist and `src/lib.rs` says `mod net;`.',
                fix='Merge the two files into one of them and delete the other (keep `x/mod.rs` only if `x/` has submodules and you prefer that layout).',
                suppress='`// rust-triage: allow(RT013) -- reason` on the line above the declaration.',
                clippy='none (rustc E0761)',
            ),
            precision='very-high',
            tags=('build', 'compile-error'),
            effort_minutes=15,
            breaks_module_tree=True,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.modtree.rules.rt014_duplicate_definition', qualname='DuplicateDefinition', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT014',
            name='duplicate-definition',
            category='build',
            severity='critical',
            summary='a name defined twice in one module namespace (E0428)',
            docs=RuleDocs(
                what='Reports a second item with the name of an earlier item of the same module and namespace (types: struct, enum, union, trait, type alias, module; values: fn, const, static, tuple and unit structs). Items behind `#[cfg]` are compared only with items behind the same `#[cfg]`, with medium confidence. Two `mod` declarations of one name are RT015.',
                why='rustc error E0428: the crate does not compile. Typical after a bad merge or a copy-paste that was meant to replace the old definition.',
                example='`pub struct Config { .. }` at line 10 and again at line 80 of the same file.',
                fix='Delete or rename one of the two definitions (merge their contents first if both are used).',
                suppress='`// rust-triage: allow(RT014) -- reason` on the line above the second definition.',
                clippy='none (rustc E0428)',
            ),
            tags=('build', 'compile-error'),
            effort_minutes=15,
            breaks_module_tree=True,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.modtree.rules.rt015_module_declared_twice', qualname='ModuleDeclaredTwice', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT015',
            name='module-declared-twice',
            category='build',
            severity='critical',
            summary='a module declared twice in one parent, e.g. `mod x;` plus an inline `mod x { }` (E0428)',
            docs=RuleDocs(
                what='Reports a `mod` declaration whose name an earlier `mod` of the same parent module already declared: out-of-line (`mod x;`) plus inline (`mod x { .. }`), or twice the same form.',
                why='rustc error E0428: the crate does not compile. The usual story: an inline test or helper module was moved to its own file and the old inline copy stayed.',
                example='`mod tests;` at the top of `lib.rs` and `#[cfg(test)] mod tests { .. }` at the bottom.',
                fix='Keep one: move the inline body into the file (or delete the file) and remove the other declaration.',
                suppress='`// rust-triage: allow(RT015) -- reason` on the line above the second declaration.',
                clippy='none (rustc E0428)',
            ),
            precision='very-high',
            tags=('build', 'compile-error'),
            effort_minutes=15,
            breaks_module_tree=True,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.modtree.rules.rt016_unresolved_crate_import', qualname='UnresolvedCrateImport', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT016',
            name='unresolved-crate-import',
            category='build',
            severity='critical',
            summary='`use crate::a::b` / `self::b` / `super::b` where the module has no `b` (E0432)',
            docs=RuleDocs(
                what="Reports `use` paths into the crate's own modules whose every module exists in the workspace's module tree but whose next name is defined nowhere in that module: no item, no `mod`, no `use`, no `extern crate`. Paths judged: `crate::a::b` (through nested file and inline modules), `self::b`, `super::b` (any number of `super`), and, from edition 2018, `a::b` where `a` is a module declared in the current module and is not also the name of a crate the package depends on (or of an `extern crate`). Only module-level `use` declarations are judged with a relative path (a `use` inside a function may name the function's local items). Only when the answer is certain: a module with a glob import, a macro call in item position, an attribute that may be a procedural macro, an `include!` or a syntax error is never judged, nor a module declared under `#[cfg]` or `#[path]`, nor a module path that several files claim (cfg variants chosen inside a macro), nor a name imported with `use` (re-exports are not followed).",
                why='rustc error E0432: the crate does not compile. Typical after an item was renamed or moved and its importers were not updated.',
                example='`use crate::net::Clinet;` (or `use super::Clinet;` in `src/net/pool.rs`, or `use net::Clinet;` in `src/lib.rs`) where `src/net.rs` defines `Client`.',
                fix='Import the name from where it is defined now (or restore it).',
                suppress='`// rust-triage: allow(RT016) -- reason` on the line above the `use`.',
                clippy='none (rustc E0432)',
            ),
            tags=('build', 'compile-error'),
            effort_minutes=15,
            breaks_module_tree=True,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.modtree.rules.rt090_unused_suppression', qualname='UnusedSuppression', scope='workspace', checks_suppressions=True,
        meta=RuleMeta(
            id='RT090',
            name='unused-suppression',
            category='suppression',
            severity='low',
            summary='`rust-triage: allow(...)` comment that suppresses nothing',
            docs=RuleDocs(
                what="Reports a `// rust-triage: allow(...)` or `allow-file(...)` comment when a rule it names was selected and ran but reported nothing there, when it names no known rule, or when an `allow-file` comment sits outside the file's first comment block. Rules that were not selected (`--select`, `ignore`, per-path overrides) or that skip test code are not held against the comment.",
                why='A suppression that no longer matches hides nothing today but will silently hide the next real problem on that line. Stale suppressions also make a legacy backlog look bigger than it is, and a misspelt rule id means the comment never worked.',
                example='```rust\n// rust-triage: allow(RT001) -- config is validated at start-up\nlet port = config.port.unwrap_or(8080); // the unwrap was removed, the comment stayed\n```',
                fix='Delete the comment, or remove the ids it no longer needs. Fix the spelling of unknown ids (`rust-triage rules` lists them) and move `allow-file` comments to the top of the file.',
                suppress='`// rust-triage: allow-file(RT090) -- reason` at the top of the file, or ignore RT090 in the configuration for the paths that keep suppressions on purpose.',
                clippy="none (rustc's `unfulfilled_lint_expectations` is the analogue for `#[expect]`)",
            ),
            tags=('suppression', 'maintainability'),
        ),
    ),
)
