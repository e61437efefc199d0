"""Shared helpers of the debt rules: their facts, which item a line belongs to, names and paths."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from rust_triage.families.debt.model import DebtFacts
from rust_triage.parse.facts import FileFacts, Item

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile

_EMPTY = DebtFacts()

RUST_KEYWORDS = frozenset(
    "as async await break const continue crate dyn else enum extern false fn for gen if impl in let loop match mod "
    "move mut pub ref return self static struct super trait true type unsafe use where while abstract become box do "
    "final macro override priv typeof unsized virtual yield try".split()
)
TYPE_KINDS = ("struct", "enum", "union", "trait", "type")


def debt_of(src: SourceFile) -> DebtFacts:
    """The extractor's section for a file (empty when the extractor did not run)."""
    found = src.facts.extra.get("debt")
    return found if isinstance(found, DebtFacts) else _EMPTY


def item_start(item: Item, debt: DebtFacts) -> int:
    """First line of an item, counting its doc comments and attributes."""
    return min(debt.lead.get(item.index, item.line), item.line)


class LineOwner:
    """Maps a line to the innermost item that covers it (its leading comments and attributes included)."""

    def __init__(self, facts: FileFacts, debt: DebtFacts) -> None:
        self._spans = [(item_start(it, debt), it.end_line, it.index) for it in facts.items]

    def at(self, line: int) -> int:
        found = -1
        for first, last, index in self._spans:  # document order: enclosing items come before their children
            if first > line:
                break
            if line <= last:
                found = index
        return found


_CAMEL_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL_2 = re.compile(r"([a-z0-9])([A-Z])")


def snake_case(name: str) -> str:
    """`HttpServer` -> `http_server`, `HTTPServer` -> `http_server`, `MAX_LEN` -> `max_len`."""
    s = _CAMEL_2.sub(r"\1_\2", _CAMEL_1.sub(r"\1_\2", name))
    s = re.sub(r"[^0-9A-Za-z_]+", "_", s).strip("_").lower()
    s = re.sub(r"_+", "_", s)
    if not s:
        return "part"
    if s[0].isdigit():
        s = "m_" + s
    return s + "_" if s in RUST_KEYWORDS else s


def is_crate_root(src: SourceFile) -> bool:
    """A target's root file (`lib.rs`, `main.rs`, `src/bin/x.rs`...); not in the no-Cargo.toml fallback."""
    return any(m.module_path == "crate" and m.package for m in src.modules)


def child_module_dir(src: SourceFile, inline_parents: tuple[str, ...] = ()) -> str:
    """Directory where `mod x;` declared in this file (inside these inline modules) looks for `x.rs`."""
    directory, name = posixpath.split(src.rel)
    stem = name[:-3] if name.endswith(".rs") else name
    if name not in ("mod.rs", "lib.rs", "main.rs") and not is_crate_root(src):
        directory = posixpath.join(directory, stem) if directory else stem
    for part in inline_parents:
        directory = posixpath.join(directory, part) if directory else part
    return directory


def is_pub(item: Item) -> bool:
    return item.vis.startswith("pub")


def test_attr_fns(facts: FileFacts, debt: DebtFacts) -> list[int]:
    """Indices of `#[test]`-style fns (as the extractor saw them)."""
    return sorted(debt.test_fns)


def module_path_of(src: SourceFile) -> str:
    return src.module_path or "crate"
