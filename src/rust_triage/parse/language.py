"""The tree-sitter Rust language and parser, created once per process."""

from __future__ import annotations

from functools import lru_cache

import tree_sitter
import tree_sitter_rust


@lru_cache(maxsize=1)
def rust_language() -> tree_sitter.Language:
    return tree_sitter.Language(tree_sitter_rust.language())


def new_parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(rust_language())


@lru_cache(maxsize=1)
def grammar_version() -> str:
    """Versions of the binding and grammar packages: part of every cache key."""
    from rust_triage.parse.dists import version

    return ";".join(f"{dist}={version(dist) or 'unknown'}" for dist in ("tree-sitter", "tree-sitter-rust"))


def parse_rust(source: bytes) -> tree_sitter.Tree:
    return new_parser().parse(source)
