"""Placeholder phrases in Python comments, from the phrase list the Rust debt rules use.

One list for both languages: RT201's placeholder language (`for now`, `in a real implementation`,
`placeholder`, `stub`, `hack`, `temporary`, `not implemented`, `XXX`...) and RT202's TODO/FIXME
markers, from rust_triage.families.debt.phrases, with the same `phrases` / `extra_phrases` /
`ignore_phrases` rule options. Tool directives (`# noqa`, `# type: ignore`, `# pyre-fixme`...)
are not prose and never match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rust_triage.families.debt.phrases import (
    DEFAULT_COMMENT_PHRASES,
    TODO_PHRASES,
    Phrase,
    configured_phrases,
    find_phrases,
    mask,
)


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    phrase: str  # the phrase's name in the shared list ("for now", "TODO")
    text: str  # what matched, as written
    kind: str  # "todo" | "fixme" | "hack" | "placeholder"
    column: int  # 0-based offset in the comment text


_KIND = {"TODO": "todo", "FIXME": "fixme", "XXX": "fixme", "hack": "hack"}
_DIRECTIVE = re.compile(r"^#\s*(?:noqa\b|type\s*:|pragma\b|pylint\s*:|mypy\s*:|ruff\s*:|fmt\s*:|isort\s*:|"
                        r"pyright\s*:|pyre-(?:fixme|ignore)\b|rust-triage\s*:|-\*-|!)", re.IGNORECASE)


def comment_phrases(options: dict[str, Any] | None = None) -> tuple[Phrase, ...]:
    """The shared placeholder phrases (adjusted by rule options) plus the TODO/FIXME markers."""
    return configured_phrases(options or {}, DEFAULT_COMMENT_PHRASES) + TODO_PHRASES


def match_placeholder(comment: str, phrases: tuple[Phrase, ...] | None = None) -> PhraseMatch | None:
    """The first placeholder phrase in a comment (its text including `#`), or None.

    A tool directive is skipped, but prose after it is not: `# noqa: F821  # TODO ...`.
    """
    offset = 0
    while _DIRECTIVE.match(comment, offset):
        nxt = comment.find("#", offset + 1)
        if nxt < 0:
            return None
        offset = nxt
    text = comment[offset:]
    masked = mask(text)
    if _LOWER_TODO.match(masked):
        start = masked.lower().index("todo")
        return PhraseMatch("TODO", text[start : start + 4], "todo", offset + start)
    for hit in find_phrases(masked, phrases if phrases is not None else comment_phrases()):
        if hit.phrase == "stub" and _stub_is_a_noun(masked, hit.start, hit.end):
            continue
        if hit.phrase == "not implemented" and _describes(masked, hit.start, hit.end):
            continue
        return PhraseMatch(hit.phrase, text[hit.start : hit.end], _KIND.get(hit.phrase, "placeholder"), offset + hit.start)
    return None


def _stub_is_a_noun(text: str, start: int, end: int) -> bool:
    """"type stub", "stub file", "stub-only package": a kind of file, not a placeholder."""
    return bool(_STUB_BEFORE.search(text[:start]) or _STUB_AFTER.match(text[end:]) or ".pyi" in text)


def _describes(text: str, start: int, end: int) -> bool:
    """A sentence about something else that is not implemented ("raises when the backend has not
    implemented it"), rather than a note that this code is unfinished ("not implemented yet")."""
    if _STILL_TODO.match(text[end:]):
        return False
    return not _LEAD_IN.fullmatch(text[:start])


_LOWER_TODO = re.compile(r"#\s*todo\b(?!\s+(?:lists?|items?|apps?)\b)", re.IGNORECASE)
_STUB_BEFORE = re.compile(r"\b(?:type|typing|typeshed|pyi|interface|library|third-party)\s+$", re.IGNORECASE)
_STUB_AFTER = re.compile(r"\s*(?:-\s*)?(?:files?|packages?|modules?|only|generation|generator|gen)\b", re.IGNORECASE)
_STILL_TODO = re.compile(r"\s*(?:yet|for now|at the moment|currently)\b", re.IGNORECASE)
# What may precede "not implemented" in a note about this code: "# (this is|it's) (still|currently)".
_LEAD_IN = re.compile(r"#[\s:\-*]*(?:(?:this|it|that)(?:\s+is|'s)?\s+|is\s+|are\s+|still\s+|currently\s+|"
                      r"also\s+|yet\s+|[-*]\s+|todo:?\s+|fixme:?\s+|note:?\s+)*", re.IGNORECASE)
