"""Which phase a finding belongs to, how long its fix takes, and how its task is titled."""

from __future__ import annotations

from collections.abc import Mapping

from rust_triage.engine.model import Finding, RuleMeta
from rust_triage.engine.model import severity_rank as _rank
from rust_triage.engine.taxonomy import category_minutes, category_phase

PHASES: tuple[tuple[str, str, str], ...] = (
    ("P0", "Build-breaking",
     "Code that does not compile or cannot compile: compiler errors, missing module files, syntax errors, "
     "struct literals missing fields. Must be completed before every other phase."),
    ("P1", "Panics and blocking calls on production paths",
     "`unwrap()`/`expect()`/`panic!` that can take down a production thread, and blocking calls inside "
     "async code that stall the executor."),
    ("P2", "Placeholders and missing behaviour",
     "`todo!()`/`unimplemented!()`, stub bodies, and comments admitting the code is temporary "
     "(\"for now\", \"in a real implementation\", \"placeholder\")."),
    ("P3", "Structure",
     "Oversized files and functions, embedded test modules, test organisation, compiler warnings, "
     "and findings in test code."),
)
PHASE_IDS = tuple(p[0] for p in PHASES)

RuleIndex = Mapping[str, RuleMeta]  # rule id -> metadata (Registry.metas())


def is_missing_behaviour(finding: Finding, rules: RuleIndex) -> bool:
    """`todo!()` / `unimplemented!()`: a panic-category rule whose production phase is P2 (placeholders)."""
    meta = rules.get(finding.rule)
    return meta is not None and meta.category == "panic" and meta.phase == "P2"


def phase_of(finding: Finding, rules: RuleIndex) -> str:
    """P0 build-breaking, P1 production panics/blocking, P2 placeholders, P3 structure and test code.

    Ranked findings (panics, blocking calls) go by risk: only high-risk sites are P1, medium ones P2,
    low ones (infallible, constant, guarded, non-production, unreachable) P3. The others take their
    rule's phase (`RuleMeta.phase`, else its category's); findings in test code move to P3 unless they
    break the build.
    """
    if finding.risk is not None:
        return {"high": "P1", "medium": "P2"}.get(finding.risk, "P3")
    meta = rules.get(finding.rule)
    phase = (meta.phase if meta is not None else "") or category_phase(finding.category)
    if phase == "P0":
        return phase
    if finding.in_test:
        return "P3"
    if phase:
        return phase
    return "P1" if _rank(finding.severity) >= _rank("high") else "P2"  # a rule no longer registered


def estimate_minutes(finding: Finding, rules: RuleIndex) -> int:
    """Minutes to fix one finding: the finding's own estimate (detail), its rule's, or its category's."""
    own = finding.detail.get("estimate_minutes") if finding.detail else None
    if isinstance(own, int) and own > 0:
        return own
    meta = rules.get(finding.rule)
    if meta is not None and meta.effort_minutes > 0:
        return meta.effort_minutes
    return category_minutes(finding.category)


_CATEGORY_TITLE = {
    "build": "Fix build errors in {where}",
    "types": "Fix type and struct-literal errors in {where}",
    "panic": "Remove panic paths in {where}",
    "async": "Remove blocking calls from async code in {where}",
    "debt": "Replace placeholder code in {where}",
    "structure": "Restructure {where}",
    "size": "Split {where}",
    "tests": "Fix test organisation in {where}",
    "suppression": "Clean up suppressions in {where}",
}


def task_title(category: str, names: list[str], where: str, phase: str, missing_behaviour: bool = False) -> str:
    if missing_behaviour:
        return f"Implement missing behaviour in {where}"
    if len(names) == 1 and category in ("structure", "size", "tests", "suppression"):
        return f"{names[0].replace('-', ' ').capitalize()}: {where}"
    template = _CATEGORY_TITLE.get(category)
    if template:
        return template.format(where=where)
    return f"Fix {', '.join(names)} in {where}"
