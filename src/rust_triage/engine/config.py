"""Effective configuration of one run (loaded by rust_triage.engine.config_load)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from rust_triage.engine.model import RuleMeta
from rust_triage.workspace.safepath import DEFAULT_MAX_FILE_SIZE

NON_PRODUCTION = ("build.rs", "examples/", "benches/")


class PathOverride(msgspec.Struct):
    """Settings applied to files matching `paths` (gitignore-style globs)."""

    paths: list[str]
    select: list[str] = msgspec.field(default_factory=list)
    ignore: list[str] = msgspec.field(default_factory=list)
    severity: dict[str, str] = msgspec.field(default_factory=dict)


class Config(msgspec.Struct):
    select: list[str] = msgspec.field(default_factory=list)  # ids or prefixes; empty = all
    ignore: list[str] = msgspec.field(default_factory=list)
    severity: dict[str, str] = msgspec.field(default_factory=dict)  # rule id -> severity
    fail_on: str = "low"  # exit 1 when a finding is at or above this severity
    include_tests: bool = False
    include_dead_code: bool = False  # show findings in files no target compiles in text and the plan
    # Non-production code (build scripts, examples, benches): never P1 in the plan. Gitignore-style globs.
    non_production: list[str] = msgspec.field(default_factory=lambda: list(NON_PRODUCTION))
    min_confidence: str = "high"
    rule_time_budget: float = 60.0  # seconds a rule may spend on one file; 0: no limit
    thresholds: dict[str, Any] = msgspec.field(default_factory=dict)
    rule_dirs: list[Path] = msgspec.field(default_factory=list)
    overrides: list[PathOverride] = msgspec.field(default_factory=list)
    rule_options: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)  # per-rule settings
    clippy: dict[str, bool] = msgspec.field(default_factory=dict)  # clippy.toml allow-*-in-tests settings
    source: Path | None = None  # the file the config came from
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # bytes; bigger source files are skipped and reported

    def threshold(self, name: str, default: Any) -> Any:
        return self.thresholds.get(name, default)

    def option(self, meta: RuleMeta, name: str) -> Any:
        """A rule's declared option (validated at load): `[rules.<id>]`, `[thresholds]`, or its default."""
        from rust_triage.engine.rule_options import option_value

        return option_value(meta, name, self.rule_options, self.thresholds)

    def severity_for(self, meta: RuleMeta) -> str:
        return self.severity.get(meta.id, meta.severity)

    def is_selected(self, rule_id: str) -> bool:
        return rule_matches(rule_id, self.select, default=True) and not rule_matches(rule_id, self.ignore)


def rule_matches(rule_id: str, patterns: list[str], default: bool = False) -> bool:
    """True when a pattern is the id or a prefix of it (`RT0` matches `RT001`; `ALL` matches all)."""
    if not patterns:
        return default
    return any(p == "ALL" or rule_id.startswith(p) for p in patterns)
