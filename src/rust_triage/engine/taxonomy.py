"""The closed set of rule categories, and what each means for the plan and the reports by default.

A rule's `RuleMeta.category` must be one of CATEGORIES. Its plan phase and its fix estimate default
to its category's (below); a rule overrides them with `RuleMeta.phase` / `RuleMeta.effort_minutes`.
Nothing outside a family looks at rule ids or names to decide these.
"""

from __future__ import annotations

from enum import Enum

PHASES = ("P0", "P1", "P2", "P3")

# category -> (default phase, default minutes per finding, family title in the reports)
_CATEGORIES: dict[str, tuple[str, int, str]] = {
    "build": ("P0", 15, "Build"),
    "types": ("P0", 15, "Types"),
    "panic": ("P1", 10, "Panics"),
    "async": ("P1", 30, "Async"),
    "concurrency": ("P1", 30, "Concurrency"),
    "security": ("P1", 30, "Security"),
    "reliability": ("P2", 15, "Reliability"),
    "debt": ("P2", 20, "Placeholder code"),
    "size": ("P3", 45, "Oversized code"),
    "structure": ("P3", 30, "Structure"),
    "tests": ("P3", 15, "Test organization"),
    "suppression": ("P3", 5, "Suppressions"),
    "style": ("P3", 10, "Style"),
}
CATEGORIES = tuple(_CATEGORIES)


class RiskKind(str, Enum):
    """What a ranked rule's findings are, for the risk ranking (`RuleMeta.risk_kind`; None: not ranked).

    The risk family and engine/risk.py read this instead of rule ids: panic kinds get a class from the
    unwrapped value or the macro, blocking kinds from the call.
    """

    UNWRAP = "unwrap"  # `.unwrap()` / `.expect()`: the receiver decides what can fail
    UNFINISHED = "unfinished"  # `todo!()` / `unimplemented!()`
    EXPLICIT_PANIC = "explicit-panic"  # `panic!()`
    UNREACHABLE = "unreachable"  # `unreachable!()`
    PYTHON_PANIC = "python-panic"  # a panic site reached from Python (detail["panic_rule"] names its rule)
    BLOCK_ON = "block-on"  # `block_on` / `block_in_place` in async code
    BLOCKING_CALL = "blocking-call"  # a blocking call reached from async code
    LOCK_ACROSS_AWAIT = "lock-across-await"  # a lock guard held across `.await`

    @property
    def is_panic(self) -> bool:
        """A panic site of Rust code (not the Python entry that reaches one)."""
        return self in (RiskKind.UNWRAP, RiskKind.UNFINISHED, RiskKind.EXPLICIT_PANIC, RiskKind.UNREACHABLE)

    @property
    def is_blocking(self) -> bool:
        return self in (RiskKind.BLOCK_ON, RiskKind.BLOCKING_CALL, RiskKind.LOCK_ACROSS_AWAIT)


RISK_KINDS = tuple(k.value for k in RiskKind)


def check_category(category: str) -> None:
    if category not in _CATEGORIES:
        raise ValueError(f"category must be one of {', '.join(CATEGORIES)}, got {category!r}")


FIX_AT_DEFINITION = ("fields", "derive")


def check_fix_at_definition(kind: str) -> None:
    if kind and kind not in FIX_AT_DEFINITION:
        raise ValueError(f"fix_at_definition must be one of {', '.join(FIX_AT_DEFINITION)}, got {kind!r}")


def check_phase(phase: str) -> None:
    if phase and phase not in PHASES:
        raise ValueError(f"phase must be one of {', '.join(PHASES)}, got {phase!r}")


def category_phase(category: str) -> str:
    return _CATEGORIES[category][0] if category in _CATEGORIES else ""


def category_minutes(category: str) -> int:
    return _CATEGORIES[category][1] if category in _CATEGORIES else 15


def category_title(category: str) -> str:
    return _CATEGORIES[category][2] if category in _CATEGORIES else category.capitalize()


def plural(count: int, noun: str) -> str:
    """`1 file`, `2 files`: for summary notes."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
