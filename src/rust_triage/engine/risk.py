"""The risk model of panic and blocking findings: levels, classes, contexts, and how they combine.

A site's risk is decided by three pieces of evidence: the *context* its file is compiled in (only
production code can take production down), *what* can fail there (the class) and whether a
*reachable* production path leads to it. The classifiers that find the evidence live with their
rule families; this module only holds the vocabulary and the combination rule, so reporters, the plan
and the fleet summary can read the result without knowing how it was found.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from rust_triage.engine.model import Finding, RuleMeta, RuleOption, severity_rank

# The options that teach the classifiers (risk/options.py), declared by every ranked rule: one whose
# metadata names a `risk_kind`.
RISK_OPTIONS = (
    RuleOption("constant-constructors", "string-list", [], "risk ranking: constructors whose result is constant "
               "when all their arguments are literals (`Template::compile`); merged across the ranked rules"),
    RuleOption("infallible-calls", "string-list", [], "risk ranking: calls (paths, or method names) whose "
               "result cannot be an error; merged across the ranked rules"),
    RuleOption("external-sources", "string-list", [], "risk ranking: calls (paths, or method names) whose "
               "result comes from outside the program; merged across the ranked rules"),
)


def ranked_rules(metas: Iterable[RuleMeta]) -> tuple[str, ...]:
    """The ids of the rules whose findings are risk-ranked, in id order."""
    return tuple(sorted(meta.id for meta in metas if meta.risk_kind is not None))


def declare_risk_options(metas: list[RuleMeta]) -> None:
    """Give every ranked rule the risk options, so the configuration accepts and checks them."""
    names = {o.name for o in RISK_OPTIONS}
    for meta in metas:
        if meta.risk_kind is not None and not names & {o.name for o in meta.options}:
            meta.options = (*meta.options, *RISK_OPTIONS)


RISK_LEVELS = ("low", "medium", "high")

# Where the code is compiled: only "production" can fail in production.
CONTEXTS = ("production", "build-script", "example", "bench", "test", "dead-code")

# What can fail at a panic site, or why a blocking call hurts, with the level it has on a reachable
# production path.
CLASS_LEVEL: dict[str, str] = {
    "external-input": "high",  # I/O, environment, arguments, network, files, deserialisation, clock
    "lock-poisoning": "high",  # Mutex::lock / RwLock::read/write unwrapped: one panic poisons them all
    "nan": "high",  # partial_cmp(..).unwrap() panics on NaN
    "internal-invariant": "medium",  # nothing above: a bug if it fails, not an input problem
    "infallible": "low",  # write!/writeln! into a String and other calls that cannot fail
    "constant": "low",  # the input is a literal or a const: fails on every run or never
    "guarded": "low",  # a dominating check in the same function rules the failure out
    # Blocking calls in async code (RT10x).
    "runtime-panic": "high",  # block_on inside a runtime panics ("Cannot start a runtime from within")
    "blocking-io": "high",  # network, process, stdin: unbounded waits stall the executor
    "lock-across-await": "high",  # a guard held across .await: deadlocks under load
    "blocking-call": "medium",  # file system, sleep, other bounded blocking
}
RISK_CLASSES = tuple(CLASS_LEVEL)

# SARIF `rank` (0-100, higher first) of each level, refined by class so GitHub sorts within a level.
_LEVEL_RANK = {"high": 90.0, "medium": 50.0, "low": 10.0}
_CLASS_BONUS = {"external-input": 8.0, "runtime-panic": 8.0, "lock-poisoning": 5.0, "nan": 4.0,
                "blocking-io": 6.0, "lock-across-await": 5.0, "internal-invariant": 4.0}
# Severity a finding takes from its risk level (a rule whose default is higher keeps it for "high").
_LEVEL_SEVERITY = {"high": "high", "medium": "medium", "low": "low"}


class Reach(msgspec.Struct):
    """How a production entry point reaches the function holding a site (empty chain: unreachable)."""

    entry_kind: str = ""  # library-api, binary-main, async-handler, spawned-task, python-entry, ...
    chain: list[str] = msgspec.field(default_factory=list)  # entry first, then each function called

    @property
    def reachable(self) -> bool:
        return bool(self.chain)


class Assessment(msgspec.Struct):
    level: str
    klass: str
    context: str
    reason: str
    reach: Reach | None = None


def assess(context: str, klass: str, evidence: str, reach: Reach | None) -> Assessment:
    """Combine the evidence: non-production and unreachable sites are low whatever can fail there."""
    if context != "production":
        return Assessment("low", klass, context, f"{_context_text(context)}; {evidence}", reach)
    if reach is not None and not reach.reachable:
        return Assessment("low", klass, context, f"no production entry point reaches it; {evidence}", reach)
    level = CLASS_LEVEL.get(klass, "medium")
    where = f"reachable from {_entry_text(reach)}" if reach is not None else "production code"
    return Assessment(level, klass, context, f"{evidence}; {where}", reach)


def apply(finding: Finding, assessment: Assessment, *, keep_severity: bool = False) -> None:
    """Write an assessment onto a finding; its severity follows the level unless configured."""
    finding.risk = assessment.level
    finding.risk_class = assessment.klass
    finding.risk_context = assessment.context
    finding.risk_reason = assessment.reason
    finding.reachable_from = list(assessment.reach.chain) if assessment.reach is not None else []
    if not keep_severity:
        finding.severity = severity_for(finding.severity, assessment.level)


def severity_for(default: str, level: str) -> str:
    """High keeps a higher default (RT510 is critical); medium and low set the severity."""
    wanted = _LEVEL_SEVERITY[level]
    if level == "high" and severity_rank(default) > severity_rank(wanted):
        return default
    return wanted


def sarif_rank(finding: Finding) -> float | None:
    """SARIF `rank` (0-100) of a ranked finding, None when it has no risk."""
    if finding.risk is None:
        return None
    return min(100.0, _LEVEL_RANK.get(finding.risk, 0.0) + _CLASS_BONUS.get(finding.risk_class, 0.0))


def at_least(finding: Finding, minimum: str) -> bool:
    """Whether a finding passes `--min-risk`: unranked findings are kept only at `low`."""
    if minimum == "low":
        return True
    if finding.risk is None:
        return False
    return RISK_LEVELS.index(finding.risk) >= RISK_LEVELS.index(minimum)


def _context_text(context: str) -> str:
    return {
        "build-script": "build script (runs at compile time)",
        "example": "example code",
        "bench": "benchmark code",
        "test": "test code",
        "dead-code": "dead code: no target compiles this file",
    }.get(context, context)


def _entry_text(reach: Reach | None) -> str:
    if reach is None or not reach.chain:
        return "production code"
    kind = reach.entry_kind.replace("-", " ")
    path = " -> ".join(f"`{step}`" for step in reach.chain)
    return f"{kind} {path}"
