"""What the type checks read from the text of signatures and `const`s rather than from the items: how a
method takes `self`, the names an item's generics or `where` clause bound by `Copy`, a generic fn's `where`
clause, and a `const`'s or `static`'s written type.

Kept as an extractor section (`signatures`) so that it is part of the file's interface: the workspace rules'
findings are reused only while every interface holds, and a read of the text at rule time would escape that
(`&self` -> `&mut self`, or `N: Copy` -> `N: Send` in a `where` clause, moves no item and changes no other
fact). The decisions are the ones the rules made from the text before: the same lines, the same patterns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tree_sitter import Tree

from rust_triage.parse.context import ContextResolver
from rust_triage.parse.facts import FileFacts, Item
from rust_triage.parse.registry import extractor
from rust_triage.parse.source import SourceFile
from rust_triage.workspace.safepath import source_lines

LineText = Callable[[int], str]  # a 1-based line's stripped text, as `SourceFile.line_text` gives it

# `fn name<..>(self`, `(&self`, `(&'a mut self`: the receiver, when no type is written for it
_RECEIVER = re.compile(r"\bfn\s+\w+\s*(?:<[^(]*>)?\s*\(\s*(&\s*(?:'\w+\s+)?(mut\s+)?)?(?:mut\s+)?self\b(?!\s*:)")
_SIGNATURE_LINES = 4  # a receiver is looked for in a fn's first lines
_HEADER_LINES = 8  # `Copy` bounds in an item's first lines, up to its body
_WHERE_LINES = 12  # a fn's `where` clause in its first lines, up to its body
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# `N: Copy + Eq`, `G::NodeId: Copy`: the bounded name, then its bounds up to the next clause
_BOUND = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*(?:\s*::\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*:(?!:)([^,;{]*)")
# `pub(crate) const NAME: Type = ..` on one line (a `static` may be `mut`)
_CONST_TYPE = re.compile(r"(?:pub(?:\([^)]*\))?\s+)?(?:const|static)\s+(?:mut\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:"
                         r"\s*([^=]+?)\s*=")


@dataclass(slots=True)
class SignatureText:
    receivers: dict[int, str] = field(default_factory=dict)  # fn -> "self", "&" or "&mut" (an untyped `self`)
    copy_bounded: dict[int, list[str]] = field(default_factory=dict)  # generic fn/impl -> names bound by `Copy`
    where_clauses: dict[int, str] = field(default_factory=dict)  # generic fn -> its `where` predicates as written
    const_types: dict[int, str] = field(default_factory=dict)  # const/static -> its written type


def receiver_kind(line_text: LineText, item: Item) -> str | None:
    """`self`, `&` or `&mut` as fn `item` takes its receiver; None when unknown (a typed `self: ..`, or a
    signature longer than a few lines)."""
    last = min(item.line + _SIGNATURE_LINES - 1, item.end_line)
    found = _RECEIVER.search(" ".join(line_text(line) for line in range(item.line, last + 1)))
    if found is None:
        return None
    return ("&mut" if found.group(2) else "&") if found.group(1) else "self"


def _header(line_text: LineText, item: Item, most: int) -> list[str]:
    """An item's first lines up to the one that opens its body (at most `most`)."""
    out = []
    for at in range(item.line, min(item.line + most, item.end_line + 1)):
        text = line_text(at)
        out.append(text)
        if "{" in text or text.endswith(";"):
            break
    return out


def copy_bounded_names(line_text: LineText, item: Item) -> list[str]:
    """`N` for each `N: .. Copy ..` (`G::NodeId` for `G::NodeId: Copy`) bound in an item's generics or
    `where` clause."""
    header = " ".join(_header(line_text, item, _HEADER_LINES))
    return sorted({re.sub(r"\s+", "", found.group(1)) for found in _BOUND.finditer(header)
                   if "Copy" in _WORD.findall(found.group(2))})


def where_clause(line_text: LineText, item: Item) -> str:
    """The predicates of fn `item`'s `where` clause as written ("" when it has none)."""
    signature = " ".join(_header(line_text, item, _WHERE_LINES + 1)).split("{", 1)[0]
    m = re.search(r"\bwhere\b(.*)$", signature, re.S)
    return m.group(1).rstrip("; ") if m else ""


def const_type(line_text: LineText, item: Item) -> str | None:
    """The written type of a `const` or `static` item, when its declaration fits one line."""
    found = _CONST_TYPE.match(line_text(item.line))
    return found.group(2).strip() if found is not None and found.group(1) == item.name else None


def signature_text(line_text: LineText, items: list[Item]) -> SignatureText:
    out = SignatureText()
    for item in items:
        if item.kind == "fn" and item.has_self:
            kind = receiver_kind(line_text, item)
            if kind is not None:
                out.receivers[item.index] = kind
        if item.kind in ("fn", "impl") and item.generics:
            bounded = copy_bounded_names(line_text, item)
            if bounded:
                out.copy_bounded[item.index] = bounded
            clause = where_clause(line_text, item) if item.kind == "fn" else ""
            if clause:
                out.where_clauses[item.index] = clause
        elif item.kind in ("const", "static"):
            written = const_type(line_text, item)
            if written is not None:
                out.const_types[item.index] = written
    return out


@extractor("signatures", version=1, section=SignatureText)
def extract(tree: Tree, source: bytes, facts: FileFacts, resolver: ContextResolver) -> SignatureText:
    raw = source_lines(source)

    def line_text(line: int) -> str:  # as `SourceFile.line_text`
        return raw[line - 1].decode("utf-8", "replace").strip()[:300] if 0 < line <= len(raw) else ""

    return signature_text(line_text, facts.items)


def signatures_of(src: SourceFile) -> SignatureText:
    """The file's `signatures` section (part of its interface); read from its text when it has none."""
    found = src.facts.extra.get("signatures")
    if isinstance(found, SignatureText):
        return found
    return signature_text(src.line_text, src.facts.items)
