"""Query rules compiled into one tree-sitter query, so each tree is searched once for all of them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

import tree_sitter

from rust_triage.parse.language import rust_language

# Core facts gathered in the same single pass as the rule matches: items, scopes that change the
# async context, calls (also inside macro token trees), paths passed as arguments (functions used as
# values: `.map(parse)`, `get(handler)`), comments and syntax errors.
CORE_QUERY = """
[(function_item) (function_signature_item) (struct_item) (union_item) (enum_item) (trait_item) (impl_item)
 (mod_item) (macro_definition) (type_item) (const_item) (static_item)] @item
(use_declaration) @use
(async_block) @scope.async
(closure_expression) @scope.closure
(call_expression function: (_) @call.fn) @call
(arguments [(identifier) (scoped_identifier)] @value.ref)
(token_tree (identifier) @tt.callee . (token_tree) @tt.args)
(token_tree "mod" . (identifier) @tt.modname . ";")
(macro_invocation macro: (identifier) @include.macro (#eq? @include.macro "include")
  (token_tree . (string_literal (string_content) @include.path)))
[(line_comment) (block_comment)] @comment
(ERROR) @syntax.error
(MISSING) @syntax.error
"""


@dataclass(frozen=True, slots=True)
class QuerySpec:
    """A rule's query. `@match` names the reported node (else the first capture is reported)."""

    rule: str
    query: str


@dataclass(slots=True)
class CompiledQueries:
    query: tree_sitter.Query
    pattern_rule: list[str | None] = field(default_factory=list)  # None: core or extractor pattern
    # per pattern: (extractor name, index in the extractor's own query), or None
    pattern_extractor: list[tuple[str, int] | None] = field(default_factory=list)


def ruleset_signature(specs: tuple[QuerySpec, ...]) -> str:
    digest = hashlib.sha256()
    for spec in specs:
        digest.update(spec.rule.encode())
        digest.update(b"\0")
        digest.update(spec.query.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def check_query(source: str) -> str | None:
    """The error message of an invalid query, or None when it compiles."""
    try:
        tree_sitter.Query(rust_language(), source)
    except Exception as exc:  # tree-sitter raises QueryError or NameError/SyntaxError subclasses
        return str(exc) or exc.__class__.__name__
    return None


@lru_cache(maxsize=8)
def compile_queries(specs: tuple[QuerySpec, ...]) -> CompiledQueries:
    """The core patterns, the rules' and the extractors' (those that declare a query) in one query."""
    from rust_triage.parse.registry import all_extractors

    lang = rust_language()
    pattern_rule: list[str | None] = [None] * tree_sitter.Query(lang, CORE_QUERY).pattern_count
    parts = [CORE_QUERY]
    for spec in specs:
        count = tree_sitter.Query(lang, spec.query).pattern_count
        pattern_rule.extend([spec.rule] * count)
        parts.append(spec.query)
    pattern_extractor: list[tuple[str, int] | None] = [None] * len(pattern_rule)
    for ext in all_extractors():
        if ext.query:
            count = tree_sitter.Query(lang, ext.query).pattern_count
            pattern_rule.extend([None] * count)
            pattern_extractor.extend((ext.name, i) for i in range(count))
            parts.append(ext.query)
    return CompiledQueries(tree_sitter.Query(lang, "\n".join(parts)), pattern_rule, pattern_extractor)
