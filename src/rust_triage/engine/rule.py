"""Base class of rules written in Python (graph-wide checks a query cannot express)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from rust_triage.engine.model import Finding, RuleMeta

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile


class Rule:
    """Subclass, set `meta`, implement `check`. One rule per module in a family's `rules/` package."""

    meta: ClassVar[RuleMeta]
    # "file": reads only one file's facts and place (findings cached per file); "workspace": anything;
    # "workspace-by-file": a workspace rule whose findings located in a file come from that file alone (its
    # interface with positions, the lines they quote) and the other files' interface shapes: it can be run
    # for some files only (`check_files`), the others' findings being kept;
    # "workspace-shape": a workspace rule deciding from interface shapes alone, whose findings hold no
    # position (line 1, column 1, no snippet, no related location): positions moving never make it run again
    scope: ClassVar[str] = "workspace"

    def file_key(self, ctx: AnalysisContext, src: SourceFile) -> str:
        """For file rules: what else the findings of `src` depend on (e.g. a directory listing)."""
        return ""

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        raise NotImplementedError

    def check_files(self, ctx: AnalysisContext, files: Iterable[SourceFile]) -> Iterable[Finding]:
        """For "workspace-by-file" rules: the findings located in `files` (`ctx.files` holds every file)."""
        raise NotImplementedError


class QueryRule(Rule):
    """A rule whose matches come from a tree-sitter query run in the parse pass (see toml_rules)."""

    scope = "file"

    def __init__(self, meta: RuleMeta, query: str, message: str, fix_hint: str = "",
                 include: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
                 skip_in_macro: bool = False) -> None:
        self.meta = meta  # type: ignore[misc]
        self.query = query
        self.message = message
        self.fix_hint = fix_hint
        self.include = include
        self.exclude = exclude
        self.skip_in_macro = skip_in_macro

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        from rust_triage.engine.paths import path_filter

        allowed = None  # the globs are compiled once a file has a match (pathspec costs ~10 ms to import)
        for src in ctx.files:
            for m in src.facts.matches:
                if m.rule != self.meta.id or (self.skip_in_macro and m.in_macro):
                    continue
                if allowed is None:
                    allowed = path_filter(self.include, self.exclude)
                if not allowed(src.rel):
                    break
                values = {**m.captures, "file": src.rel}
                yield ctx.finding(
                    self.meta,
                    src,
                    m.line,
                    m.column,
                    _render(self.message, values),
                    end_line=m.end_line,
                    end_column=m.end_column,
                    item=m.item,
                    fix_hint=_render(self.fix_hint, values),
                    snippet=m.snippet,
                    in_test=src.in_test_target or m.in_test,
                    detail={"in_macro": True} if m.in_macro else None,
                )


class _SafeDict(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _render(template: str, values: dict[str, str]) -> str:
    try:
        return template.format_map(_SafeDict(values))
    except (ValueError, IndexError):
        return template
