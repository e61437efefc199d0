"""The `types` extractor's patterns: part of each file's combined query pass, and run alone over each
re-parsed macro body.

A field whose child can be any node (`pattern: (_)`) is read by the handler, not matched here: such a
step costs tree-sitter's query compiler several milliseconds each (every run compiles the query). So does
an alternation of tokens in a field (`operator: ["==" ...]`): a predicate on the token's text costs the
compiler about half as much and picks the same nodes.

A place that may be moved (`*r`, `a.b`, `v[i]`) is matched alone and its parent is read by the handler
(`move_site`), not matched as a child of each parent that moves it: a parent-child pattern keeps a
query state alive over the parent's whole subtree (a fn body, a call's arguments), which cost more than
everything else the types patterns match. The match ends on the same node as a parent-child one would,
so the matches keep their order."""

from __future__ import annotations

import re
from functools import lru_cache

import tree_sitter

from rust_triage.parse.extract import running_queries
from rust_triage.parse.language import rust_language
from rust_triage.parse.query_run import run_query
from rust_triage.parse.registry import Matches

SCAN_QUERY = """
(struct_expression) @lit
(call_expression function: [(identifier) (scoped_identifier) (generic_function)] @call.fn
                 (#match? @call.fn "(^|::)([A-Z][A-Za-z0-9_]*|default)$")
                 arguments: (arguments) @call.args) @call
(call_expression function: (field_expression value: (_) @m.recv field: (field_identifier) @m.name
                 (#any-of? @m.name "clone" "insert" "get" "get_mut" "contains_key" "entry" "remove" "contains"
                             "unwrap" "expect" "unwrap_err" "expect_err" "sort" "sort_unstable" "field" "key" "value"))
                 arguments: (arguments) @m.args) @m
(binary_expression operator: _ @eq.op (#any-of? @eq.op "==" "!=" "<" ">" "<=" ">=")) @eq
(let_declaration) @let
(parameter) @param
(closure_parameters) @cparams
(for_expression) @for
(match_arm) @arm
(let_condition) @lc
(macro_invocation macro: (_) @mac.name (token_tree) @mac.tt) @mac
[(struct_item) (enum_item)] @adt
[(unary_expression) (field_expression) (index_expression)] @mv
(type_item) @alias
(macro_definition name: (identifier) @md.name) @md
(function_item name: (identifier) @sv.name parameters: (parameters . (self_parameter) @sv.self))
(call_expression function: (field_expression value: [(field_expression) (unary_expression) (index_expression)] @sm.recv
                                              field: (field_identifier) @sm.name)) @sm
(for_expression pattern: (reference_pattern (identifier)) value: (_) @rp.value)
(closure_parameters . (reference_pattern (identifier)) @crp .) @crp.params
"""


# Run alone (over re-parsed text), the scan query matches every path call: the tuple-struct and `default`
# calls the handlers read are picked in Python (`_CALLED`, the combined query's predicate), and the other
# calls of an expansion are its bound sites (bound_sites.py), found without a query of their own.
_CALL_PREDICATE = """
                 (#match? @call.fn "(^|::)([A-Z][A-Za-z0-9_]*|default)$")"""
_CALLED = re.compile(rb"(^|::)([A-Z][A-Za-z0-9_]*|default)$")
_CALL = 1  # the index of that pattern
# path calls under a re-parsed root: (function, arguments)
Calls = list[tuple[tree_sitter.Node, tree_sitter.Node]]


# Patterns whose handlers record only items of the file's own tree (a type, an alias, a macro definition, a
# method's receiver): run alone, the scan query reads only re-parsed text, where they record nothing.
_FILE_ONLY = ("@adt", "@alias", "@md", "@sv.")


@lru_cache(maxsize=1)
def scan_query() -> tuple[tree_sitter.Query, tuple[int, ...]]:
    """The scan query run alone, without the file-only patterns, and the index in SCAN_QUERY of each of its
    patterns."""
    alone = SCAN_QUERY.replace(_CALL_PREDICATE, "", 1)
    if alone == SCAN_QUERY:
        raise AssertionError("the call pattern's predicate was not found")
    patterns = re.split(r"\n(?=[(\[])", alone.strip())  # each pattern starts a line
    kept = tuple(i for i, pattern in enumerate(patterns) if not any(c in pattern for c in _FILE_ONLY))
    query = tree_sitter.Query(rust_language(), "\n".join(patterns[i] for i in kept))
    if query.pattern_count != len(kept) or len(patterns) - len(kept) != len(_FILE_ONLY):
        raise AssertionError("the scan query's patterns were not split one by one")
    return query, kept


# Bytes of re-parsed macro text (std macro arguments, expansions of the crate's own macros) after which the
# scan query is compiled alone: compiling it (about 7 ms) costs about what running the combined query instead
# of it (about 2.2 times slower) costs over 35 KB of such text, so a run never pays more than twice the best
# of the two. A one-file run rarely gets there; a crate with many test macros soon does. The matches are the
# same either way.
ALONE_AFTER = 32 * 1024
_reparsed = [0]


def own_matches(root: tree_sitter.Node, src: bytes) -> tuple[Matches, Calls | None]:
    """The scan query's matches under `root` (parsed from `src`): from the combined query when one is
    running, until this process has re-parsed `ALONE_AFTER` bytes; then from the scan query alone, which
    also gives every path call under `root` (else None)."""
    compiled = running_queries()
    if compiled is not None and _reparsed[0] <= ALONE_AFTER:
        _reparsed[0] += root.end_byte - root.start_byte
    if compiled is None or _reparsed[0] > ALONE_AFTER:
        found: Matches = []
        calls: Calls = []
        query, kept = scan_query()
        for pattern, caps in run_query(query, root):
            index = kept[pattern]
            if index == _CALL:
                fn = caps["call.fn"][0]
                calls.append((fn, caps["call.args"][0]))
                if not _CALLED.search(src[fn.start_byte:fn.end_byte]):
                    continue
            found.append((index, caps))
        return found, calls
    own = compiled.own_patterns("types")
    return [(index, caps) for pattern, caps in run_query(compiled.query, root)
            if (index := own[pattern]) is not None], None
