"""The types family's Python rules' metadata, generated: do not edit.

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
        module='rust_triage.families.types.rules.rt301_missing_struct_fields', qualname='MissingStructFields', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT301',
            name='missing-struct-fields',
            category='types',
            severity='high',
            summary="struct literal without some of the struct's fields (E0063)",
            docs=RuleDocs(
                what='Resolves every struct literal (`Foo { a, b: 1 }`, `path::Foo { .. }`, `Self { .. }`, `E::Variant { .. }`, through `use` imports, renames, globs, re-exports, `crate::`/`super::` paths and type aliases) to its definition anywhere in the workspace, and reports the fields it does not initialise when it has no `..base`. Literals in macro bodies are skipped; arguments of std macros such as `vec!` and `format!` are checked. When the path does not resolve to exactly one definition nothing is reported. Missing fields behind `#[cfg(...)]` give a medium-confidence finding, hidden by default. A literal that also names a field the struct lacks (a renamed field) gets RT302 alone, as rustc reports no missing field then.',
                why="This is rustc's E0063, the error that floods a workspace after a field is added to a widely built struct. rust-triage lists every such literal across the workspace without compiling, with the field types to add.",
                example='`pub struct CodeState { pub code_content: String, pub generation: u32 }` and elsewhere `CodeState { generation: 0 }`: reported, missing `code_content`.',
                fix='Initialise the missing fields (the hint lists them with their types), or end the literal with `..Default::default()` / `..base` where that is what you mean.',
                suppress='`// rust-triage: allow(RT301) -- reason` on the line before the literal.',
                clippy='none (rustc error E0063)',
            ),
            tags=('types', 'compile-error'),
            fix_at_definition='fields',
        ),
    ),
    IndexEntry(
        module='rust_triage.families.types.rules.rt302_unknown_struct_field', qualname='UnknownStructField', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT302',
            name='unknown-struct-field',
            category='types',
            severity='high',
            summary='struct literal with a field the struct does not define (E0560)',
            docs=RuleDocs(
                what='Resolves struct literals like RT301 does and reports initialisers whose field name the struct (or struct variant) does not define.',
                why="rustc's E0560: a field was renamed or removed and the literals were not updated. Seeing all of them at once, with the struct's real field list, makes the fix mechanical.",
                example='`OptimizationOutcome { score: 1.0, reviewer: String::new(), .. }` when the struct has no `reviewer` field.',
                fix='Remove the initialiser or rename it to one of the fields listed in the hint.',
                suppress='`// rust-triage: allow(RT302) -- reason` on the line before the field.',
                clippy='none (rustc error E0560)',
            ),
            tags=('types', 'compile-error'),
            fix_at_definition='fields',
        ),
    ),
    IndexEntry(
        module='rust_triage.families.types.rules.rt303_tuple_struct_arity', qualname='TupleStructArity', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT303',
            name='tuple-struct-arity',
            category='types',
            severity='high',
            summary='tuple struct or tuple variant constructed with too few or too many values (E0061)',
            docs=RuleDocs(
                what='Resolves calls like `Meters(3)`, `path::Pair(a, b)`, `Self(x)` and `Shape::Rect(w, h)` to a tuple struct or tuple variant of the workspace and compares the number of arguments with the number of fields. A capitalised fn called like a constructor (`M("a")`) is checked against its parameters the same way.',
                why='rustc reports these as E0061 at every constructor call after a tuple struct gains or loses a field; rust-triage finds them all without compiling.',
                example='`pub struct Pair(pub u32, pub u32);` and `Pair(1)`: takes 2 arguments but 1 was supplied.',
                fix='Pass one value per field, in order (the hint lists the field types).',
                suppress='`// rust-triage: allow(RT303) -- reason` on the line before the call.',
                clippy='none (rustc error E0061)',
            ),
            tags=('types', 'compile-error'),
            fix_at_definition='fields',
        ),
    ),
    IndexEntry(
        module='rust_triage.families.types.rules.rt310_missing_derive_for_use', qualname='MissingDeriveForUse', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT310',
            name='missing-derive-for-use',
            category='types',
            severity='high',
            summary='type formatted with {:?}, unwrapped, cloned, compared, sorted, used as a map key, defaulted or moved out of a reference without the trait (E0277/E0599/E0369/E0507)',
            docs=RuleDocs(
                what="Finds uses that need a trait and checks that the workspace type behind them derives or implements it (`impl Trait for Type` anywhere in the workspace): `{:?}`/`{:#?}`/`{name:?}` in `format!`, `println!`, `write!`, `panic!`, the `assert!` family, `dbg!` and `log`/`tracing` macros (Debug); `Result::unwrap`/`expect` (Debug of the error type) and `unwrap_err`/`expect_err` (Debug of the value type); `.clone()` (Clone); `==`/`!=` and `assert_eq!`/`assert_ne!` (PartialEq); `<`/`>`/`<=`/`>=` (PartialOrd); `insert`/`get`/`entry`/... on a `HashMap`/`HashSet` (Hash + Eq) or `BTreeMap`/`BTreeSet` (Ord) keyed by the type; `.sort()` of a sequence of it (Ord); `T::default()`, `Default::default()` with a known target type (a `let` type or the fn's return type) and `..Default::default()` (Default); `*r` or `a.b` moved out of a reference, an `Rc` or an `Arc` (`let x = *r;`, a call argument, a field value, the fn's or a block's value, a `match` scrutinee an arm binds whole, the receiver of a workspace method or std `Option`/`Result` method taking `self`, such as `self.cat.unwrap()`) when the type is not Copy (E0507). The type of an expression is only known in clear cases: parameters, `let x: T`, `let x = T { .. }`, `T::new(..)` and other calls with a written return type, `?`/`.unwrap()`, `self`, `self.field` and `x.field` through the struct's field types, `for x in v` and closures of `v.iter().map(|x| ..)`-like chains over std sequences. Generics, trait objects, `impl Trait`, external types and anything unresolved are not reported. `.clone()` on a shared reference is reported with medium confidence: it compiles by cloning the reference, and fails only where the owned value is needed (on `&mut T` it is E0599).",
                why='After a refactor drops derives (or a type is moved behind a new module), rustc reports E0277/E0599/E0369 at every use. rust-triage points at each use and at the definition, with the derive line to add.',
                example='`pub struct CommitteeMetrics { .. }` without derives and `println!("{metrics:?}")` where `metrics: &CommitteeMetrics`: `CommitteeMetrics` does not implement `Debug`.',
                fix='Add the derive the hint names (also to field types that need it), or implement the trait by hand. `rust-triage check --fix --select RT310` adds the derives when every field type is known to support them.',
                suppress='`// rust-triage: allow(RT310) -- reason` on the line before the use.',
                clippy='none (rustc errors E0277, E0599, E0369)',
            ),
            tags=('types', 'compile-error', 'derive'),
            fixable=True,
            fix_at_definition='derive',
        ),
    ),
    IndexEntry(
        module='rust_triage.families.types.rules.rt311_derive_propagation', qualname='DerivePropagation', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT311',
            name='derive-propagation',
            category='types',
            severity='high',
            summary='#[derive(X)] on a type whose field type (from this workspace) does not implement X (E0277)',
            docs=RuleDocs(
                what='For every struct or enum deriving `Debug`, `Clone`, `Copy`, `PartialEq`, `Eq`, `PartialOrd`, `Ord`, `Hash`, `Default`, `Serialize` or `Deserialize`, checks each field type defined in the workspace (also inside `Option`, `Vec`, `Box`, `Rc`, `Arc`, arrays, tuples and references, where the std impl needs it) and reports the fields whose type lacks the trait. Also reports derives whose supertrait is missing (`Eq` without `PartialEq`, `Copy` without `Clone`, `Ord` without `PartialOrd`). Fields with attributes are skipped for serde derives.',
                why="Removing a derive from one type breaks every type that derives the same trait and holds it: the pattern behind many E0277 errors in a broken workspace. The fix belongs on the field's type.",
                example='`#[derive(Debug, Clone)] pub struct Snapshot { pub committee: CommitteeMetrics }` while `CommitteeMetrics` derives nothing.',
                fix="Add the derive to the field's type (the hint gives the line), or drop it from the container. `rust-triage check --fix --select RT311` adds the missing derives when that is known to compile.",
                suppress='`// rust-triage: allow(RT311) -- reason` on the line before the field.',
                clippy='none (rustc errors E0277, E0204)',
            ),
            tags=('types', 'compile-error', 'derive'),
            fixable=True,
            fix_at_definition='derive',
        ),
    ),
    IndexEntry(
        module='rust_triage.families.types.rules.rt312_use_after_move_needs_copy', qualname='UseAfterMoveNeedsCopy', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT312',
            name='use-after-move-needs-copy',
            category='types',
            severity='high',
            summary='value used after a move while its type lacks a Copy it could derive (E0382)',
            docs=RuleDocs(
                what="Finds a local bound to a workspace struct or enum (`let p = Point { .. }`, `Pixel(..)`, `Side::Left`, `let p: Point = ..`, a fn or closure parameter `p: Point` or `a: NodeIndex<Ix>`, `let p = self.pos()` typed through the callee's return type (also `g.add_node(..)` on a `g` built by a type alias's constructor such as `DiMatrix::new()`, a generic fn returning the type, `cmp::max(a, b)`, `mem::replace(&mut d, v)`), `let q = p;`, a name of a tuple pattern bound to a tuple (`let (s, t) = (s.into(), t.into());`), or a `for p`/`for &p` binding typed from what it iterates, a workspace iterator's `type Item` included; a local its value gives no type to is typed by the parameter the move or the use passes it to whole, when that is a workspace fn's by-value parameter of a named type) that is moved by value (`let q = p;`, `f(p)`, `v.push(p)`, an array, tuple or field initialiser, an index `g[p]`, a workspace method taking `self`, also inside `assert!`, `assert_eq!`, `vec!` or a format macro, or in an `if`/`match`/`for` head, a `move` closure using it) and then used again later in the same block (also inside a nested block: a branch of an `if` or `match`, or a loop body whose head does not name it; or after a block that moves it on a path reaching its end, `if c { take(p); } p.x`) (or in the one branch that names it after a move in an `if` or `match` head, or in the right operand of `&&` after a move in the left one), with no branch or non-`move` closure around the move and no reassignment in between (and each later use that moves it again, followed by the next use); or moved by one argument or field initialiser and used by a later one of the same call or literal (`Span::new(p, p)`); or moved in the body (also in a nested loop) or `while` condition of a later loop whose body can reach its end (every `break`, `return` or panic under an `if` without `else`), which moves it again in the next iteration (a use after a `for`/`while` loop is reported instead of a move in its body, as rustc does). It reports only when the struct or enum has neither a `Copy` derive nor impl (then no type arguments make it `Copy`) but could derive it: no `Drop` impl, and every field type is `Copy` (primitives, shared references, workspace types that are or can be `Copy`, or a type parameter, which the derive bounds). It says nothing in a fn that calls a `Copy`-bounded generic fn or repeats a value in an array (rustc then stops at E0277 and checks no moves there). In code behind a `#[cfg(..)]` other than `cfg(test)` (an item, or a module declared behind one) its confidence is medium: the cfg may be off, and then rustc checks nothing there.",
                why='rustc rejects the second use (E0382: use of moved value). For small value types the intended fix is usually `#[derive(Clone, Copy)]`; a crisis backlog often has one such type removed or never finished, breaking every place that copies it.',
                example='```rust\nstruct Point { x: i32, y: i32 }\nlet p = Point { x: 1, y: 2 };\nlet q = p;\nprintln!("{}", p.x); // E0382\n```',
                fix='Add `#[derive(Clone, Copy)]` to the type (the finding links its definition), or `.clone()` the value at the move, or borrow it (`&p`) instead of moving it.',
                suppress='`// rust-triage: allow(RT312) -- reason` on the line of the second use.',
                clippy='none (rustc error E0382)',
            ),
            tags=('types', 'compile-error', 'derive'),
        ),
    ),
)
