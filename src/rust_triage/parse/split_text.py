"""Splitting attribute and argument text at its top-level commas."""

from __future__ import annotations


def split_top_level(text: str) -> list[str]:
    """`a, b(c, d), "e,f"` -> [`a`, `b(c, d)`, `"e,f"`]: commas outside brackets and strings."""
    parts: list[str] = []
    depth, start, quoted, i = 0, 0, False, 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
        i += 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]
