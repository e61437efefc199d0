"""Answers about a directory that come from its nearest deciding ancestor (the package that owns it, ...).

Iterative, and memoized for every directory on the way: a tree deeper than Python's recursion limit
costs one check per directory for the whole pass.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
D = TypeVar("D", Path, str)


def path_parent(directory: Path) -> Path:
    return directory.parent


def nearest_answer(directory: D, known: dict[D, T], decide: Callable[[D], T | None],
                   parent: Callable[[D], D]) -> T:
    """`decide(d)` for the nearest of `directory` and its ancestors where it is not None (it must decide
    at the filesystem root); recorded in `known` for every directory climbed through. Directories are
    Paths (`parent=path_parent`), or strings (`parent=os.path.dirname`: cheaper over tens of thousands
    of files)."""
    climbed: list[D] = []
    while directory not in known:
        answer = decide(directory)
        if answer is not None:
            known[directory] = answer
            break
        climbed.append(directory)
        directory = parent(directory)
    found = known[directory]
    for below in climbed:
        known[below] = found
    return found
