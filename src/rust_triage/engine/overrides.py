"""Per-path configuration overrides: select/ignore/severity for files matching globs."""

from __future__ import annotations

from rust_triage.engine.config import Config, rule_matches
from rust_triage.engine.model import Finding
from rust_triage.engine.paths import path_filter


def apply_path_overrides(config: Config, findings: list[Finding]) -> list[Finding]:
    if not config.overrides:
        return findings
    out: list[Finding] = []
    for f in findings:
        keep = True
        for ov in config.overrides:
            if not path_filter(tuple(ov.paths), ())(f.file):
                continue
            if ov.select and not rule_matches(f.rule, ov.select):
                keep = False
            if ov.ignore and rule_matches(f.rule, ov.ignore):
                keep = False
            if f.rule in ov.severity:
                f.severity = ov.severity[f.rule]
        if keep:
            out.append(f)
    return out
