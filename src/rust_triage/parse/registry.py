"""Extractor plugins: extra per-file facts computed in the parse workers and cached with the rest.

An extractor is `fn(tree, source, facts, resolver) -> section`; its result is stored in
`facts.extra[name]`. An extractor that declares a tree-sitter `query` has its patterns run in the file's
single combined query pass (no walk of its own) and gets their matches as a fifth argument, in the
order that pass found them, with pattern indexes counted from its own query's first pattern. Extractors run once per file during parsing, so rules can use the facts
without ever touching a syntax tree. Each extractor declares the type of its section (dataclasses,
lists, dicts, tuples, sets, str, int, bool): the cache decodes the section back to exactly that type.
Bump `version` when the output changes: it is part of the cache key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tree_sitter import Node, Tree

from rust_triage.parse.context import ContextResolver
from rust_triage.parse.facts import FileFacts

ExtractorFn = Callable[[Tree, bytes, FileFacts, ContextResolver], Any]
Matches = list[tuple[int, dict[str, list[Node]]]]
QueryExtractorFn = Callable[[Tree, bytes, FileFacts, ContextResolver, Matches], Any]
_Fn = TypeVar("_Fn", ExtractorFn, QueryExtractorFn)


@dataclass(frozen=True, slots=True)
class Extractor:
    name: str
    version: int
    fn: ExtractorFn | QueryExtractorFn  # a QueryExtractorFn when `query` is set
    section: Any  # the type of the section `fn` returns, e.g. `TypeFacts` or `list[MoveThenUse]`
    query: str = ""  # patterns for the combined query pass; their matches are `fn`'s fifth argument


EXTRACTOR_ENTRY_POINT_GROUP = "rust_triage.extractors"
_EXTRACTORS: dict[str, Extractor] = {}
_loaded = False


def extractor(name: str, *, section: Any, version: int = 1, query: str = "") -> Callable[[_Fn], _Fn]:
    def register(fn: _Fn) -> _Fn:
        _EXTRACTORS[name] = Extractor(name, version, fn, section, query)
        return fn

    return register


def all_extractors() -> list[Extractor]:
    """Every registered extractor. The families' extractor modules are named by the
    `rust_triage.extractors` entry points and imported once per process (also in spawned workers);
    importing one registers it through `@extractor`."""
    global _loaded
    if not _loaded:
        _loaded = True
        from rust_triage.parse.dists import entry_points

        for ep in sorted(entry_points(EXTRACTOR_ENTRY_POINT_GROUP), key=lambda e: e.name):
            loaded = ep.load()
            if isinstance(loaded, Extractor):
                _EXTRACTORS[loaded.name] = loaded
    return [_EXTRACTORS[k] for k in sorted(_EXTRACTORS)]


def extractors_signature() -> str:
    return ",".join(f"{e.name}@{e.version}" for e in all_extractors())
