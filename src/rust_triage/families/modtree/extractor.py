"""What RT016's module scopes read from a file's text rather than its items: the `extern crate` names and
the modules holding a macro call in item position.

Kept as an extractor section so that it is part of the file's interface: the workspace rules' kept findings
are reused only while every interface holds, and a scan of the text at rule time would escape that (an
`extern crate` line or a macro call in a block comment appended to a file moves no item).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tree_sitter import Tree

from rust_triage.parse.context import ContextResolver
from rust_triage.parse.facts import FileFacts, Item
from rust_triage.parse.registry import extractor

# A macro call in item position (it may define anything), and `extern crate` (defines a name).
_ITEM_MACRO = re.compile(r"^\s*(?!macro_rules!)[A-Za-z_][\w:]*!\s*[({\[]")
_EXTERN_CRATE = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?extern\s+crate\s+(\w+)(?:\s+as\s+(\w+))?")


@dataclass(slots=True)
class ScopeText:
    externs: list[str] = field(default_factory=list)  # the names `extern crate` lines define, in file order
    expanding: list[int] = field(default_factory=list)  # modules (-1: the file's, else an inline `mod` item)


def scope_text(lines: list[str], facts: FileFacts) -> ScopeText:
    """From the file's lines (as `source_lines` numbers them)."""
    return _scan(((n, text) for n, text in enumerate(lines, 1) if "!" in text or "crate" in text), facts)


def _scan(candidates: Iterable[tuple[int, str]], facts: FileFacts) -> ScopeText:
    """`candidates`: the (number, text) of the lines holding `!` or `crate`, which every match holds."""
    out = ScopeText()
    items = facts.items
    starts, ends = _spans(it for it in items if it.kind != "mod")
    mods = sorted(((it.line, it.end_line, it.index) for it in items if it.kind == "mod"), key=lambda m: m[1] - m[0])
    expanding: set[int] = set()
    for number, text in candidates:
        match = _EXTERN_CRATE.match(text) if "crate" in text else None
        if match:
            out.externs.append(match.group(2) or match.group(1))
        if "!" in text and _ITEM_MACRO.match(text):
            at = bisect_right(starts, number) - 1
            if at < 0 or number > ends[at]:  # in no item's span
                expanding.add(next((index for start, end, index in mods if start < number <= end), -1))
    out.expanding = sorted(expanding)
    return out


def _spans(items: Iterable[Item]) -> tuple[list[int], list[int]]:
    """The lines the items span, as disjoint runs: (first lines, last lines), in order."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted((it.line, it.end_line) for it in items):
        if ends and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


_CANDIDATE = re.compile(rb"!|crate")


def _candidate_lines(source: bytes) -> Iterator[tuple[int, str]]:
    """(number, text) of the lines holding `!` or `crate`, numbered and cut as `source_lines` does; only
    those lines are decoded (neither byte is part of a multi-byte character)."""
    number, counted, at = 1, 0, 0
    search = _CANDIDATE.search
    while (found := search(source, at)) is not None:
        start = source.rfind(b"\n", 0, found.start()) + 1
        end = source.find(b"\n", found.end())
        if end < 0:
            end = len(source)
        number += source.count(b"\n", counted, start)
        counted = start
        raw = source[start:end]
        yield number, (raw[:-1] if raw.endswith(b"\r") else raw).decode("utf-8", "replace")
        at = end + 1


@extractor("modtree", version=1, section=ScopeText)
def extract(tree: Tree, source: bytes, facts: FileFacts, resolver: ContextResolver) -> ScopeText:
    return _scan(_candidate_lines(source), facts)
