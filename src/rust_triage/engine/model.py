"""Findings and rule metadata: the contract between rules, the engine and the reporters."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rust_triage.engine.taxonomy import RiskKind, check_category, check_fix_at_definition, check_phase
from rust_triage.escape import display

SEVERITIES = ("info", "low", "medium", "high", "critical")
_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
CONFIDENCES = ("low", "medium", "high")


def severity_rank(severity: str) -> int:
    return _SEVERITY_RANK.get(severity, 0)


@dataclass(slots=True)
class RuleDocs:
    what: str = ""
    why: str = ""
    example: str = ""
    fix: str = ""
    suppress: str = ""
    clippy: str = ""  # the equivalent clippy lint(s), or "none"


OPTION_TYPES = ("positive-int", "bool", "string", "string-list")


@dataclass(frozen=True, slots=True)
class RuleOption:
    """A setting of a rule, checked when the configuration is loaded (see engine/rule_options.py).

    Written `[rules.<id>] <name> = value`; when `threshold` is set, also `[thresholds] <threshold> = value`
    (the rule's own table wins). `default` is used when neither is given (None: the rule's built-in list).
    """

    name: str  # kebab-case key under [rules.<id>]
    type: str  # one of OPTION_TYPES
    default: Any
    doc: str  # one line
    threshold: str = ""  # the same setting's key in the shared [thresholds] table, if any
    choices: tuple[str, ...] = ()  # "string" options: the accepted values (empty: any)


@dataclass(frozen=True, slots=True)
class SizedEffort:
    """Minutes for one finding: `base_minutes + detail[detail_key] / lines_per_minute`."""

    detail_key: str  # an int detail of the finding, e.g. the lines a fix moves
    base_minutes: float
    lines_per_minute: float


@dataclass(slots=True)
class RuleMeta:
    id: str  # "RT" + digits, stable forever
    name: str  # kebab-case
    category: str  # panic, async, debt, structure, tests, types, build, suppression, python...
    severity: str  # default severity, one of SEVERITIES
    summary: str  # one line
    docs: RuleDocs = field(default_factory=RuleDocs)
    source: str = "builtin"  # builtin | toml | plugin
    tests_in_scope: bool = True  # False: findings in test code are dropped unless include-tests
    precision: str = "high"  # SARIF precision: very-high | high | medium | low
    tags: tuple[str, ...] = ()
    security_severity: float | None = None  # only for rules really about security
    clippy_lints: tuple[str, ...] = ()  # clippy lints whose #[allow]/#[expect] suppress this rule
    language: str = "rust"
    fixable: bool = False
    options: tuple[RuleOption, ...] = ()  # the settings this rule reads from the configuration
    # What the plan and the reports need (engine/taxonomy.py has the category defaults):
    phase: str = ""  # plan phase P0-P3 of a finding in production code; "" = the category's
    effort_minutes: int = 0  # minutes to fix one finding; 0 = the category's (detail["estimate_minutes"] wins)
    # one line on this rule's findings; out of repr so that rule signatures stay the same across runs
    summary_note: Callable[[list[Finding]], str] | None = field(default=None, repr=False, compare=False)
    tally: str = ""  # a detail key whose values the family summary counts ("most common <key>s")
    # Risk ranking (engine/risk.py): what this rule's findings are, None when they are not ranked, and
    # how a message names the panicking call (`.unwrap()`, `todo!()`).
    risk_kind: RiskKind | None = None
    risk_subject: str = ""
    # Its findings are the decision about a file no target compiles (orphan files): they stay visible
    # in such files, where every other finding is marked dead code (engine/deadcode.py).
    dead_code_decision: bool = False
    # One change at a definition fixes every finding that names it: "fields" (a struct's fields) or
    # "derive" (its derives); the plan makes one task per definition (detail "definition" / "fix").
    fix_at_definition: str = ""
    # Breaks the module tree or the syntax: first in a crate's P0 work, before type errors.
    breaks_module_tree: bool = False
    # The fix moves code: its estimate grows with a detail value instead of a flat rate.
    sized_effort: SizedEffort | None = None

    def __post_init__(self) -> None:
        check_category(self.category)
        check_phase(self.phase)
        check_fix_at_definition(self.fix_at_definition)


@dataclass(slots=True)
class Location:
    file: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"file": self.file, "line": self.line, "column": self.column}
        if self.end_line is not None:
            d["end_line"] = self.end_line
            d["end_column"] = self.end_column
        if self.message:
            d["message"] = self.message
        return d


_WS = re.compile(r"\s+")


@dataclass(slots=True)
class Finding:
    rule: str
    name: str
    severity: str
    category: str
    file: str  # relative to the workspace root, posix
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    fix_hint: str = ""
    snippet: str = ""
    symbol: str = ""  # enclosing item path, e.g. "crate::net::Client::connect"
    in_test: bool = False
    confidence: str = "high"
    related: list[Location] = field(default_factory=list)  # definition sites, call-chain steps
    detail: dict[str, Any] = field(default_factory=dict)  # rule-specific data
    suppressed_by: str | None = None
    dead_code: bool = False  # in a file no target compiles (see engine/deadcode.py)
    # Risk ranking (panic and blocking families, see engine/risk.py): level, class, context, reason, and
    # the call chain from the entry point that reaches the site (empty when unreachable or not ranked).
    risk: str | None = None
    risk_class: str = ""
    risk_context: str = ""
    risk_reason: str = ""
    reachable_from: list[str] = field(default_factory=list)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    @property
    def fingerprint(self) -> str:
        """Stable across line moves: rule + file + whitespace-normalised snippet + symbol."""
        norm = _WS.sub(" ", self.snippet).strip() or self.message
        raw = "\0".join((self.rule, self.file, self.symbol, norm))
        return hashlib.sha256(display(raw).encode()).hexdigest()[:32]  # as the reports spell the file

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "category": self.category,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
            "fix_hint": self.fix_hint,
            "in_test": self.in_test,
            "confidence": self.confidence,
            "symbol": self.symbol,
            "snippet": self.snippet,
            "fingerprint": self.fingerprint,
        }
        if self.related:
            d["related"] = [r.to_dict() for r in self.related]
        if self.detail:
            d["detail"] = self.detail
        if self.suppressed_by:
            d["suppressed_by"] = self.suppressed_by
        if self.dead_code:
            d["dead_code"] = True
        if self.risk is not None:
            d.update(risk=self.risk, risk_class=self.risk_class, risk_context=self.risk_context,
                     risk_reason=self.risk_reason, reachable_from=list(self.reachable_from))
        return d
