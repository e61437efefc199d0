"""Query rules compiled into one tree-sitter query, so each tree is searched once for all of them."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import msgspec
import tree_sitter

from rust_triage.interrupts import raise_if_interrupted
from rust_triage.parse.language import rust_language

if TYPE_CHECKING:
    from rust_triage.parse.query_merge import MergedPattern

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


class QuerySpec(msgspec.Struct, frozen=True):
    """A rule's query. `@match` names the reported node (else the first capture is reported)."""

    rule: str
    query: str


@dataclass(slots=True)
class CompiledQueries:
    query: tree_sitter.Query
    pattern_rule: list[str | None] = field(default_factory=list)  # None: core, extractor or merged pattern
    # per pattern: (extractor name, index in the extractor's own query), or None
    pattern_extractor: list[tuple[str, int] | None] = field(default_factory=list)
    merged: dict[int, MergedPattern] = field(default_factory=dict)  # pattern -> the rules it stands for
    _own: dict[str, list[int | None]] = field(default_factory=dict)

    def own_patterns(self, extractor: str) -> list[int | None]:
        """Per pattern of `query`: its index in `extractor`'s own query, else None."""
        found = self._own.get(extractor)
        if found is None:
            found = self._own[extractor] = [
                owner[1] if owner is not None and owner[0] == extractor else None for owner in self.pattern_extractor
            ]
        return found


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
        # A Ctrl-C during the compile surfaces as a predicate's "regular expression error": stop, do not
        # blame the rule.
        raise_if_interrupted()
        return str(exc) or exc.__class__.__name__
    return None


@lru_cache(maxsize=8)
def compile_queries(specs: tuple[QuerySpec, ...]) -> CompiledQueries:
    """The core patterns, the rules' and the extractors' (those that declare a query) in one query.

    Compiled once (compiling is a good part of a small run's time): each pattern's owner is found from
    where the pattern starts in the joined source. Rule patterns that differ only in a literal are one
    pattern (`query_merge`)."""
    from rust_triage.parse.query_merge import MergedPattern, merged_rule_patterns
    from rust_triage.parse.registry import all_extractors

    owners: list[tuple[str | MergedPattern | None, str | None]] = [(None, None)]  # per part: (rule, extractor)
    parts = [CORE_QUERY]
    for source, owner in merged_rule_patterns([(spec.rule, spec.query) for spec in specs]):
        owners.append((owner, None))
        parts.append(source)
    for ext in all_extractors():
        if ext.query:
            owners.append((None, ext.name))
            parts.append(ext.query)
    ends: list[int] = []  # end byte of each part in the joined source
    offset = 0
    for part in parts:
        offset += len(part.encode()) + 1
        ends.append(offset)
    query = tree_sitter.Query(rust_language(), "\n".join(parts))
    pattern_rule: list[str | None] = []
    pattern_extractor: list[tuple[str, int] | None] = []
    merged: dict[int, MergedPattern] = {}
    counts: dict[str, int] = {}
    for index in range(query.pattern_count):
        rule, ext_name = owners[bisect_right(ends, query.start_byte_for_pattern(index))]
        if isinstance(rule, MergedPattern):
            merged[index] = rule
            rule = None
        pattern_rule.append(rule)
        if ext_name is None:
            pattern_extractor.append(None)
        else:
            pattern_extractor.append((ext_name, counts.get(ext_name, 0)))
            counts[ext_name] = counts.get(ext_name, 0) + 1
    return CompiledQueries(query, pattern_rule, pattern_extractor, merged)
