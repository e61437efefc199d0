"""Rule patterns that differ only in the literals one capture must equal, run as one pattern.

RT003-RT006 each ask for `(macro_invocation macro: (identifier) @match (#eq? @match "todo"))` with their
own macro name; RT007 and RT008 differ only in `"exit"` / `"abort"`. Each such pattern is a query
state started at every candidate node, and each of them reads the node's text for its predicate: the
query pass costs about as much per pattern as the core patterns together. One pattern with
`(#any-of? @match "todo" "panic" ...)` finds the same nodes, and the rule of a match is the one whose
literal the capture's text is.

Only plain shapes are merged (as `query_gate` reads them): no alternation, no quantifier (a capture
holding several nodes or none would make `#eq?` and `#any-of?` differ), one `#eq?`/`#any-of?` against
string literals, and literal sets that do not overlap across the merged patterns (a node matching two
rules' patterns stays two matches).
"""

from __future__ import annotations

import re

import msgspec

from rust_triage.parse.query_text import STRING as _STRING
from rust_triage.parse.query_text import top_level_patterns

_PREDICATE_NAME = re.compile(r"#[\w-]+[?!]")
_LITERAL_PREDICATE = re.compile(r'\(\s*#(?:eq|any-of)\?\s+@([\w.-]+)((?:\s+"[^"\\]*")+)\s*\)')
_PLACEHOLDER = "\0literals\0"


class MergedPattern(msgspec.Struct, frozen=True):
    """A pattern standing for several rules' patterns: the rule of a match is `rules[text of capture]`."""

    capture: str
    rules: dict[bytes, str]


def _shape(pattern: str) -> tuple[str, str, list[str]] | None:
    """(pattern with its literal predicate replaced by a placeholder, capture, literals), or None."""
    if ";" in _STRING.sub('""', pattern):
        return None  # a comment: not read here
    bare = _PREDICATE_NAME.sub("", _STRING.sub('""', pattern))
    if any(ch in bare for ch in "[?*+"):
        return None
    found = list(_LITERAL_PREDICATE.finditer(pattern))
    if len(found) != 1:
        return None
    m = found[0]
    literals = [s[1:-1] for s in _STRING.findall(m.group(2))]
    if not literals or not all(literals) or any("\\" in s for s in literals):
        return None
    return pattern[: m.start()] + _PLACEHOLDER + pattern[m.end():], m.group(1), literals


def merged_rule_patterns(rules: list[tuple[str, str]]) -> list[tuple[str, str | MergedPattern]]:
    """The rules' (rule, query) as (pattern source, owner), in the rules' order: each group of patterns
    with one shape becomes one pattern at its first member's place, owned by a `MergedPattern`; every
    other pattern is kept as written, owned by its rule (a query that does not split into plain
    top-level patterns is kept whole)."""
    units: list[tuple[str, str, tuple[str, str, list[str]] | None]] = []  # (source, rule, shape)
    for rule, query in rules:
        patterns = top_level_patterns(query)
        if not patterns:
            units.append((query, rule, None))
            continue
        units.extend((p, rule, _shape(p)) for p in patterns)
    groups: dict[str, list[int]] = {}
    for i, (_src, _rule, shape) in enumerate(units):
        if shape is not None:
            groups.setdefault(f"{shape[0]}\0{shape[1]}", []).append(i)  # the same text, the same capture
    merged_at: dict[int, tuple[str, MergedPattern]] = {}
    dropped: set[int] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        by_literal: dict[bytes, str] = {}
        literals: list[str] = []
        capture = ""
        disjoint = True
        for i in members:
            _src, rule, shape = units[i]
            assert shape is not None
            capture = shape[1]
            for lit in shape[2]:
                key = lit.encode()
                if by_literal.get(key, rule) != rule:
                    disjoint = False
                if key not in by_literal:
                    by_literal[key] = rule
                    literals.append(lit)
        first = units[members[0]][2]
        if not disjoint or first is None:
            continue
        template = first[0]
        predicate = f"(#any-of? @{capture} " + " ".join(f'"{lit}"' for lit in literals) + ")"
        merged_at[members[0]] = (template.replace(_PLACEHOLDER, predicate), MergedPattern(capture, by_literal))
        dropped.update(members[1:])
    out: list[tuple[str, str | MergedPattern]] = []
    for i, unit in enumerate(units):
        if i in merged_at:
            out.append(merged_at[i])
        elif i not in dropped:
            out.append((unit[0], unit[1]))
    return out
