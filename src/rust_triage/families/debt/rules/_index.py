"""The debt family's Python rules' metadata, generated: do not edit.

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
        module='rust_triage.families.debt.rules.rt201_placeholder_comment', qualname='PlaceholderComment', scope='file', checks_suppressions=False,
        meta=RuleMeta(
            id='RT201',
            name='placeholder-comment',
            category='debt',
            severity='medium',
            summary='comment with placeholder language ("for now", "in production", "stub", "hack"...)',
            docs=RuleDocs(
                what='Reports comments and doc comments containing placeholder language: "for now", "in a real implementation", "in production", "placeholder", "stub", "simplified", "hack", "temporary", "not implemented", `XXX`. Phrases match on word boundaries and ignore case (`XXX` excepted): "stubborn" is not "stub", "hackathon" is not "hack". Text inside URLs and `code spans` never counts, and neither do string literals. "temporary" only counts when it describes the code ("temporary fix", "this is temporary."), not a temporary file or value; "in production" not after "used"/"runs"/"deployed"; "not implemented" not before "for" (a trait that is not implemented for a type).\n\nOptions (`[rules.RT201]`): `phrases` replaces the list (default names keep their tuned patterns, other words match literally), `extra_phrases` adds words, `ignore_phrases` drops some.',
                why='Placeholder comments mark code that returns fake data, skips error handling or takes shortcuts someone meant to remove. In a crisis backlog they are the list of what is not done.',
                example='```rust\n// for now, return the default config\nfn load() -> Config { Config::default() }\n```',
                fix='Implement what the comment describes, or turn it into a tracked issue and say what is missing (`// TODO(#123): read the file`), which RT202 lists separately.',
                suppress='`// rust-triage: allow(RT201) -- reason` on the line, or `ignore_phrases` for a phrase your team uses in another sense.',
                clippy='none',
            ),
            tests_in_scope=False,
            tags=('debt', 'placeholder'),
            options=(RuleOption(name='phrases', type='string-list', default=None, doc='replaces the phrase list (default names keep their tuned patterns, other words match literally); default: the built-in list'), RuleOption(name='extra-phrases', type='string-list', default=[], doc='words or phrases added to the list'), RuleOption(name='ignore-phrases', type='string-list', default=[], doc='phrases dropped from the list')),
            effort_minutes=20,
            tally='phrase',
        ),
    ),
    IndexEntry(
        module='rust_triage.families.debt.rules.rt202_todo_comment', qualname='TodoComment', scope='file', checks_suppressions=False,
        meta=RuleMeta(
            id='RT202',
            name='todo-comment',
            category='debt',
            severity='low',
            summary='TODO / FIXME comment',
            docs=RuleDocs(
                what='Reports `TODO` and `FIXME` markers in comments and doc comments: upper case anywhere, any case when written as a marker (`todo:`, `Fixme(bob)`). `todo!()` mentioned in a comment, "a todo list" and words inside URLs or `code spans` do not count.',
                why='Each marker is known, unfinished work. Counting and locating them turns scattered notes into a backlog; a marker without an issue reference tends to stay forever.',
                example='```rust\n// TODO: handle the error case properly\nlet cfg = read().unwrap_or_default();\n```',
                fix='Do the work, or link the marker to an issue (`// TODO(#123): ...`) so it is tracked.',
                suppress='`// rust-triage: allow(RT202) -- reason` on the line.',
                clippy='clippy::todo is about the `todo!()` macro (RT004), not comments',
            ),
            tests_in_scope=False,
            tags=('debt', 'todo'),
            effort_minutes=15,
            tally='phrase',
        ),
    ),
    IndexEntry(
        module='rust_triage.families.debt.rules.rt203_placeholder_string', qualname='PlaceholderString', scope='file', checks_suppressions=False,
        meta=RuleMeta(
            id='RT203',
            name='placeholder-string',
            category='debt',
            severity='medium',
            summary='string literal that is a placeholder ("not implemented", "TODO", "dummy", lorem ipsum)',
            docs=RuleDocs(
                what='Reports string literals whose whole or dominant content is a placeholder: "not implemented", "TODO: ...", "FIXME", "dummy", "placeholder", "stub", "changeme", `XXX`, lorem ipsum. A literal counts when the placeholder words make up at least half of its letters or it starts with a TODO / not-implemented marker, so `"compression level 3 is not implemented by this backend"` (a real error message) is not reported. Literals that are compared (`== "TODO"`), matched, searched for (`.contains("TODO")`), listed in arrays, used in attributes, inside `todo!`/`unimplemented!` (RT003/RT004) or in `{placeholder}` templates are skipped, and so is test code.',
                why='A placeholder string reaches users: an error that says "not implemented", a record named "dummy", a UI showing lorem ipsum. It is unfinished work that compiles and ships.',
                example='```rust\nfn export(&self) -> Result<(), String> {\n    Err("not implemented".into())\n}\n```',
                fix='Replace it with the real value, or with an error type that says precisely what is unsupported and why.',
                suppress='`// rust-triage: allow(RT203) -- reason` on the line.',
                clippy='none',
            ),
            tests_in_scope=False,
            tags=('debt', 'placeholder'),
            tally='phrase',
        ),
    ),
    IndexEntry(
        module='rust_triage.families.debt.rules.rt204_stub_function', qualname='StubFunction', scope='file', checks_suppressions=False,
        meta=RuleMeta(
            id='RT204',
            name='stub-function',
            category='debt',
            severity='high',
            summary='function whose body is only a default value or a todo!-like panic, marked as a placeholder',
            docs=RuleDocs(
                what='Reports functions whose body is only a default value (`Ok(())`, `Vec::new()`, `0`, `None`, `Default::default()`, `String::new()`, `false`, `""`, `Err("...")`, optionally after `let _ = args;`) or a `todo!`/`unimplemented!`/`panic!`, while the signature promises work (a non-unit return type, or parameters), AND that carry a placeholder comment or doc (RT201 phrases and its `rules.RT201` options, TODO/FIXME) inside or right above. An empty body `{}` with a placeholder comment is reported too, except default methods of a trait (an empty default is an opt-in hook). Without the comment, a short body is just a short body. Bodies that only panic are reported at medium severity: they fail loudly already.',
                why='A stub that returns a plausible value is worse than a crash: callers get `Ok(())` or an empty list and carry on, and the missing feature shows up as wrong data far away.',
                example='```rust\n/// Saves the session.\npub fn save(&self, path: &Path) -> io::Result<()> {\n    // for now we just pretend it worked\n    Ok(())\n}\n```',
                fix='Implement it. Until then, fail loudly (`Err(Unsupported)` / `todo!()`) so nothing relies on the fake result, or remove the function from the public API.',
                suppress='`// rust-triage: allow(RT204) -- reason` above the function.',
                clippy='none',
            ),
            tests_in_scope=False,
            tags=('debt', 'placeholder', 'stub'),
            effort_minutes=30,
            tally='phrase',
        ),
    ),
)
