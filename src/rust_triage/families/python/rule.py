"""Base class of Python rules (RT5xx): iterate Python files, build findings, honour suppressions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rust_triage.engine.model import Finding, Location
from rust_triage.engine.rule import Rule

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.families.python.source import PySourceFile
    from rust_triage.families.python.suppress import NoqaComments


class PythonRule(Rule):
    """Subclass, set `meta` (language="python") and `ruff_codes`, implement `check_file` or `check_python`.

    Findings in Python files whose line carries a matching `# noqa` comment are dropped; the ruff
    codes a finding is equivalent to come from `detail["ruff"]` or else `ruff_codes`. (`# rust-triage:
    allow(...)` comments are applied later by the engine, like for Rust findings.)
    """

    ruff_codes: ClassVar[tuple[str, ...]] = ()

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        from rust_triage.families.python import python_files

        files: list[PySourceFile] = python_files(ctx)
        if not files:
            return
        from rust_triage.families.python.suppress import NoqaComments

        by_rel = {s.rel: s for s in files}
        noqa: dict[str, NoqaComments] = {}
        for finding in self.check_python(ctx, files):
            src = by_rel.get(finding.file)
            if src is not None:
                comments = noqa.get(src.rel)
                if comments is None:
                    comments = noqa[src.rel] = NoqaComments(src)
                codes = tuple(finding.detail.get("ruff", ())) or self.ruff_codes
                if comments.match(finding.line, codes) is not None:
                    continue
            yield finding

    def check_python(self, ctx: AnalysisContext, files: list[PySourceFile]) -> Iterable[Finding]:
        for src in files:
            yield from self.check_file(ctx, src)

    def check_file(self, ctx: AnalysisContext, src: PySourceFile) -> Iterable[Finding]:
        return ()

    def finding(
        self,
        ctx: AnalysisContext,
        src: PySourceFile,
        line: int,
        column: int,
        message: str,
        *,
        def_index: int = -1,
        end_line: int | None = None,
        end_column: int | None = None,
        fix_hint: str = "",
        severity: str | None = None,
        related: list[Location] | None = None,
        detail: dict[str, Any] | None = None,
        snippet: str | None = None,
    ) -> Finding:
        f = ctx.finding(
            self.meta, src.rel, line, column, message, end_line=end_line, end_column=end_column,
            fix_hint=fix_hint, snippet=src.line_text(line) if snippet is None else snippet,
            severity=severity, related=related, detail=detail, in_test=src.in_test,
        )
        f.symbol = src.symbol(def_index)
        return f
