"""Answers about a directory that come from its nearest deciding ancestor (the package that owns it, ...).

Iterative, and memoized for every directory on the way: a tree deeper than Python's recursion limit
costs one check per directory for the whole pass.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def nearest_answer(directory: Path, known: dict[Path, T], decide: Callable[[Path], T | None]) -> T:
    """`decide(d)` for the nearest of `directory` and its ancestors where it is not None (it must decide
    at the filesystem root); recorded in `known` for every directory climbed through."""
    climbed: list[Path] = []
    while directory not in known:
        answer = decide(directory)
        if answer is not None:
            known[directory] = answer
            break
        climbed.append(directory)
        directory = directory.parent
    found = known[directory]
    for below in climbed:
        known[below] = found
    return found
