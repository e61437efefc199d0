"""The context a file is compiled in: production, build script, example, bench, test or dead code."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile

# Target kinds by how little they matter in production, most production first.
_KIND_CONTEXT = (("lib", "production"), ("proc-macro", "production"), ("bin", "production"),
                 ("custom-build", "build-script"), ("example", "example"), ("bench", "bench"), ("test", "test"))


def file_context(ctx: AnalysisContext, src: SourceFile) -> str:
    """The most production-like context of the targets that compile `src`; dead code when none does."""
    if not src.modules:
        if ctx.workspace.fallback:
            return "production"  # no Cargo.toml: no targets to tell
        return "test" if src.in_test_target else "dead-code"
    found = {"test" if m.is_test and m.target_kind not in ("bench", "test") else dict(_KIND_CONTEXT).get(
        m.target_kind, "production") for m in src.modules}
    for _kind, context in _KIND_CONTEXT:
        if context in found:
            return context
    return "production"
