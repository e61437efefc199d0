"""Path include/exclude filters with gitignore-style globs."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=256)
def path_filter(include: tuple[str, ...], exclude: tuple[str, ...]) -> Callable[[str], bool]:
    if not include and not exclude:
        return lambda _rel: True
    import pathspec

    inc = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    exc = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None

    def allowed(rel: str) -> bool:
        if inc is not None and not inc.match_file(rel):
            return False
        return not (exc is not None and exc.match_file(rel))

    return allowed
