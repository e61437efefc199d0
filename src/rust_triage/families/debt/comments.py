"""Finding phrases in a file's comments (doc comments included), with exact line and column."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import msgspec

from rust_triage.families.debt.phrases import Phrase, PhraseHit, find_phrases, mask
from rust_triage.parse.facts import Comment


class CommentHit(msgspec.Struct):
    comment: Comment
    hits: list[PhraseHit]  # every phrase in the comment, in order
    line: int  # where the first one is
    column: int


def anchor_pattern(phrases: tuple[Phrase, ...]) -> re.Pattern[str] | None:
    """A regex matching text that may hold one of the phrases; None when a phrase has no anchor."""
    out: list[str] = []
    for ph in phrases:
        if not ph.anchors:
            return None
        out.extend(ph.anchors)
    return _compiled(tuple(sorted(set(out))))


@lru_cache(maxsize=32)
def _compiled(anchors: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(a) for a in anchors), re.IGNORECASE)


@lru_cache(maxsize=32)
def _lowered(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """`pattern` without IGNORECASE, for lower-cased ASCII text: the same answer, several times faster
    (sre tries every alternative at every position when it folds case). None: an anchor is not ASCII
    (`ſ` matches `s` when folding), so the folding pattern must be used."""
    return re.compile(pattern.pattern.lower()) if pattern.pattern.isascii() else None


def comment_hits(comments: list[Comment], phrases: tuple[Phrase, ...]) -> Iterator[CommentHit]:
    anchors = anchor_pattern(phrases)
    lowered = _lowered(anchors) if anchors is not None else None
    for c in comments:
        if anchors is not None:
            if lowered is not None and c.text.isascii():
                if not lowered.search(c.text.lower()):
                    continue
            elif not anchors.search(c.text):
                continue
        text = mask(c.text)
        hits = find_phrases(text, phrases)
        if not hits:
            continue
        first = hits[0]
        before = text[: first.start]
        newlines = before.count("\n")
        column = (c.column + first.start) if newlines == 0 else (first.start - before.rfind("\n"))
        yield CommentHit(c, hits, c.line + newlines, column)


def excerpt(text: str, limit: int = 100) -> str:
    """The comment text without markers, on one line."""
    body = " ".join(
        line.strip().lstrip("/!*").strip() for line in text.replace("*/", "").splitlines()
    ).strip()
    return body if len(body) <= limit else body[: limit - 3].rstrip() + "..."
