"""Which rule queries can match a file at all, read from their text predicates.

A pattern such as `(macro_invocation macro: (identifier) @m (#eq? @m "todo"))` matches only where the
source holds the bytes `todo`. A rule whose every pattern names such literals is left out of the
combined query of a run in which no file to extract contains any of them: its patterns would find
nothing, and compiling them is a good part of a one-file run.

The reading is conservative. A pattern counts as gated only when it has no alternation and no
quantifier (a capture missing from a match passes every predicate on it), and only `#eq?` and
`#any-of?` against plain string literals gate it. Any other pattern keeps its rule in the query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rust_triage.parse.queries import QuerySpec
from rust_triage.parse.query_text import STRING as _STRING
from rust_triage.parse.query_text import top_level_patterns

_PREDICATE_NAME = re.compile(r"#[\w-]+[?!]")
_STRING_OR_COMMENT = re.compile(r'("(?:[^"\\]|\\.)*")|;[^\n]*')
_LITERAL_PREDICATE = re.compile(r'\(\s*#(?:eq|any-of)\?\s+@[\w.-]+((?:\s+"[^"\\]*")+)\s*\)')


def _pattern_literals(pattern: str) -> frozenset[bytes] | None:
    """Literals one of which the source must contain for `pattern` to match, or None if not gated."""
    uncommented = _STRING_OR_COMMENT.sub(lambda m: m.group(1) or "", pattern)  # strings first: `";"` is no comment
    bare = _PREDICATE_NAME.sub("", _STRING.sub('""', uncommented))
    if any(ch in bare for ch in "[?*+"):
        return None
    found = _LITERAL_PREDICATE.search(uncommented)
    if found is None:
        return None
    literals = frozenset(s[1:-1].encode() for s in _STRING.findall(found.group(1)))
    return literals if literals and all(literals) else None


@lru_cache(maxsize=256)
def rule_literals(query: str) -> frozenset[bytes] | None:
    """Literals one of which a file must contain for `query` to match in it; None: no such gate."""
    patterns = top_level_patterns(query)
    if not patterns:
        return None
    out: set[bytes] = set()
    for pattern in patterns:
        literals = _pattern_literals(pattern)
        if literals is None:
            return None
        out |= literals
    return frozenset(out)


def specs_for_sources(specs: tuple[QuerySpec, ...], sources: Iterable[bytes]) -> tuple[QuerySpec, ...]:
    """`specs` without the rules that cannot match in any of `sources` (order kept)."""
    gates = [rule_literals(spec.query) for spec in specs]
    if all(gate is None for gate in gates):
        return specs
    wanted = [gate is None for gate in gates]
    pending = {i for i, gate in enumerate(gates) if gate is not None}
    for source in sources:
        for i in list(pending):
            gate = gates[i]
            if gate is not None and any(literal in source for literal in gate):
                wanted[i] = True
                pending.discard(i)
        if not pending:
            return specs
    return tuple(spec for spec, keep in zip(specs, wanted, strict=True) if keep)
