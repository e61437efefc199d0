"""The debt family, registered through the `rust_triage.rules` entry point."""

from rust_triage.engine.family import Family

FAMILY = Family(
    name="debt",
    rules_package="rust_triage.families.debt.rules",
    doc="Placeholder code: placeholder and TODO comments, placeholder strings, stub functions (RT201–RT204).",
)
