"""What RT016's module scopes read from a file's text rather than its items: the `extern crate` names and
the modules holding a macro call in item position.

Kept as an extractor section so that it is part of the file's interface: the workspace rules' kept findings
are reused only while every interface holds, and a scan of the text at rule time would escape that (an
`extern crate` line or a macro call in a block comment appended to a file moves no item).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tree_sitter import Tree

from rust_triage.parse.context import ContextResolver
from rust_triage.parse.facts import FileFacts
from rust_triage.parse.registry import extractor
from rust_triage.workspace.safepath import source_lines

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
    bodies = [(it.line, it.end_line) for it in items if it.kind != "mod"]
    mods = sorted(((it.line, it.end_line, it.index) for it in items if it.kind == "mod"), key=lambda m: m[1] - m[0])
    expanding: set[int] = set()
    for number, text in candidates:
        match = _EXTERN_CRATE.match(text) if "crate" in text else None
        if match:
            out.externs.append(match.group(2) or match.group(1))
        if "!" in text and _ITEM_MACRO.match(text) and not any(start <= number <= end for start, end in bodies):
            expanding.add(next((index for start, end, index in mods if start < number <= end), -1))
    out.expanding = sorted(expanding)
    return out


@extractor("modtree", version=1, section=ScopeText)
def extract(tree: Tree, source: bytes, facts: FileFacts, resolver: ContextResolver) -> ScopeText:
    # only lines holding `!` or `crate` are decoded (neither byte is part of a multi-byte character)
    return _scan(((n, raw.decode("utf-8", "replace")) for n, raw in enumerate(source_lines(source), 1)
                  if b"!" in raw or b"crate" in raw), facts)
