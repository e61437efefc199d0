"""One tokenizer pass over a Python file: comments, code lines, and brackets nested too deeply to parse."""

from __future__ import annotations

import io
import tokenize

from rust_triage.families.python.facts import PyComment, PyFacts

_MAX_BRACKET_DEPTH = 200  # CPython's own limit ("too many nested parentheses")
_NOT_CODE = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                       tokenize.ENCODING, tokenize.ENDMARKER})


def scan_tokens(text: str, facts: PyFacts) -> tuple[set[int], tuple[int, int, str] | None]:
    """Collect comments; return the lines holding code (strings spanning lines count) and, when
    brackets nest deeper than CPython allows, that syntax error."""
    code: set[int] = set()
    depth = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            kind = tok.type
            if kind == tokenize.COMMENT:
                facts.comments.append(PyComment(tok.start[0], tok.start[1] + 1, tok.string))
            elif kind not in _NOT_CODE:
                code.update(range(tok.start[0], tok.end[0] + 1))
                if kind == tokenize.OP and tok.string in "([{":
                    depth += 1
                    if depth > _MAX_BRACKET_DEPTH:
                        return code, (tok.start[0], tok.start[1] + 1, "too many nested parentheses")
                elif kind == tokenize.OP and tok.string in ")]}":
                    depth -= 1
                elif kind == tokenize.STRING and tok.string.count("{") > _MAX_BRACKET_DEPTH and _fstring_depth(tok.string) > _MAX_BRACKET_DEPTH:
                    return code, (tok.start[0], tok.start[1] + 1, "f-string nested too deeply")
    except (tokenize.TokenError, SyntaxError):
        pass  # libcst reports the syntax error
    return code, None


def _fstring_depth(literal: str) -> int:
    deepest = depth = 0
    for ch in literal:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    return deepest
