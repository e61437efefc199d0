"""Reading a tree-sitter query's text: its string literals and its top-level patterns."""

from __future__ import annotations

import re

STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def top_level_patterns(query: str) -> list[str] | None:
    """The query's top-level patterns, or None when its text does not split cleanly."""
    patterns: list[str] = []
    depth = 0
    start = -1
    i = 0
    while i < len(query):
        ch = query[i]
        if ch == '"':
            found = STRING.match(query, i)
            if found is None:
                return None
            i = found.end()
            continue
        if ch == ";":
            end = query.find("\n", i)
            i = len(query) if end < 0 else end
            continue
        if ch in "([":
            if depth == 0:
                start = i
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                patterns.append(query[start : i + 1])
        elif depth == 0 and not ch.isspace():
            return None  # a top-level capture or quantifier: not read here
        i += 1
    return patterns if depth == 0 else None
