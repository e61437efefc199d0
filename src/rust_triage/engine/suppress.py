"""Suppressions (interim): nothing is suppressed yet."""

from __future__ import annotations

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding
from rust_triage.engine.registry import Registry


def apply_suppressions(ctx: AnalysisContext, registry: Registry, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    return findings, []
