"""RT510's adjustments to the panic classes: data Python controls first, lock unwraps demoted.

RT510 records what it saw on the Python side in `detail["python_risk_class"]` (a Python callback that
raises, `.extract()` of a Python value, parsed input, the entry's own arguments, `unimplemented!()` in a
method a Python subclass may leave un-overridden). Evidence that the site cannot fail (infallible,
constant, guarded) still wins; otherwise those sites are `external-input`. A lock unwrap reached from
Python fails only after another thread panicked holding the lock: medium, not high.
"""

from __future__ import annotations

from typing import Any

from rust_triage.engine.risk import Assessment

PYTHON_CONTROLLED = ("python-callback", "python-type", "python-input", "python-argument", "python-subclass")
_CANNOT_FAIL = ("infallible", "constant", "guarded")


def python_panic_class(klass: str, evidence: str, detail: dict[str, Any]) -> tuple[str, str]:
    if klass in _CANNOT_FAIL:
        return klass, evidence
    seen = detail.get("python_risk_class")
    if seen in PYTHON_CONTROLLED:
        return "external-input", str(detail.get("python_risk_reason") or evidence)
    if seen == "lock-poisoning" and klass == "internal-invariant":  # a lock in a macro_rules! body, say
        return "lock-poisoning", str(detail.get("python_risk_reason") or evidence)
    return klass, evidence


def demote_python_lock(assessment: Assessment) -> Assessment:
    if assessment.klass == "lock-poisoning" and assessment.level == "high":
        assessment.level = "medium"
        assessment.reason += " (demoted to medium: only an earlier panic poisons a lock)"
    return assessment
