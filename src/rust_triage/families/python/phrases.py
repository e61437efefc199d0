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
    """The first placeholder phrase in a comment (its text including `#`), or None."""
    if _DIRECTIVE.match(comment):
        return None
    hits = find_phrases(mask(comment), phrases if phrases is not None else comment_phrases())
    if not hits:
        return None
    hit = hits[0]
    return PhraseMatch(hit.phrase, comment[hit.start : hit.end], _KIND.get(hit.phrase, "placeholder"), hit.start)
