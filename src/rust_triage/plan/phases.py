"""Which phase a finding belongs to, how long its fix takes, and how its task is titled."""

from __future__ import annotations

from rust_triage.engine.model import Finding
from rust_triage.engine.model import severity_rank as _rank

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

_CATEGORY_PHASE = {
    "build": "P0", "types": "P0",
    "panic": "P1", "async": "P1", "safety": "P1", "security": "P1", "concurrency": "P1",
    "debt": "P2", "placeholder": "P2", "stub": "P2", "todo": "P2",
    "structure": "P3", "size": "P3", "tests": "P3", "test": "P3", "suppression": "P3", "style": "P3",
}
# Panic-family rules that mean "not written yet" rather than "may fail": missing behaviour.
_MISSING_BEHAVIOUR_NAMES = ("todo-used", "unimplemented-used")
_PLACEHOLDER_WORDS = ("placeholder", "stub", "todo", "fixme")
# Rule names about the shape of the code, whatever category their author chose.
_STRUCTURE_WORDS = ("oversized", "large-", "long-", "too-long", "embedded-test", "test")

_CATEGORY_MINUTES = {"build": 15, "types": 15, "panic": 10, "async": 30, "debt": 20, "structure": 30,
                     "size": 45, "tests": 15, "suppression": 5, "python": 10}
# (substring of the rule name, minutes) — first match wins.
_NAME_MINUTES: tuple[tuple[str, int], ...] = (
    ("transitive", 45), ("reached-from-async", 30), ("lock-guard", 30), ("todo-used", 45),
    ("unimplemented", 45), ("oversized-file", 90), ("oversized-module", 90), ("large-file", 90),
    ("file-too-long", 90), ("oversized-fn", 45), ("oversized-function", 45), ("long-function", 45),
    ("embedded-test", 30), ("crate-without-tests", 60), ("untested", 45), ("missing-test-category", 30),
    ("test-file-without-tests", 20), ("test-without-assertion", 10), ("block-on", 20), ("blocking", 15),
    ("sleep", 10), ("stub", 30), ("placeholder", 20), ("todo", 15), ("fixme", 15), ("unwrap", 10),
    ("expect", 10), ("panic", 15), ("unreachable", 15), ("orphan", 10), ("missing-module", 10),
    ("syntax", 15), ("missing-field", 15), ("missing-struct-field", 15), ("unused", 5),
)


def is_missing_behaviour(finding: Finding) -> bool:
    return finding.name in _MISSING_BEHAVIOUR_NAMES


def phase_of(finding: Finding) -> str:
    """P0 build-breaking, P1 production panics/blocking, P2 placeholders, P3 structure and test code.

    Ranked findings (panics, blocking calls) go by risk: only high-risk sites are P1, medium ones P2,
    low ones (infallible, constant, guarded, non-production, unreachable) P3.
    """
    category = finding.category
    if finding.risk is not None:
        return {"high": "P1", "medium": "P2"}.get(finding.risk, "P3")
    if category in ("build", "types"):
        return "P0" if finding.severity not in ("warning", "note", "help") else "P3"
    if any(w in finding.name for w in _STRUCTURE_WORDS):
        return "P3"
    if finding.name in _MISSING_BEHAVIOUR_NAMES or any(w in finding.name for w in _PLACEHOLDER_WORDS):
        return "P3" if finding.in_test else "P2"
    if finding.in_test:
        return "P3"
    phase = _CATEGORY_PHASE.get(category)
    if phase is not None:
        return phase
    return "P1" if _rank(finding.severity) >= _rank("high") else "P2"


def estimate_minutes(finding: Finding) -> int:
    """Minutes to fix one finding: the rule's own estimate (detail), its name, or its category."""
    own = finding.detail.get("estimate_minutes") if finding.detail else None
    if isinstance(own, int) and own > 0:
        return own
    for needle, minutes in _NAME_MINUTES:
        if needle in finding.name:
            return minutes
    return _CATEGORY_MINUTES.get(finding.category, 15)


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


def task_title(category: str, names: list[str], where: str, phase: str) -> str:
    if phase == "P2" and category == "panic" and all(n in _MISSING_BEHAVIOUR_NAMES for n in names):
        return f"Implement missing behaviour in {where}"
    if len(names) == 1 and category in ("structure", "size", "tests", "suppression"):
        return f"{names[0].replace('-', ' ').capitalize()}: {where}"
    template = _CATEGORY_TITLE.get(category)
    if template:
        return template.format(where=where)
    return f"Fix {', '.join(names)} in {where}"
