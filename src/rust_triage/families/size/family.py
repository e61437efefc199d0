"""The size family, registered through the `rust_triage.rules` entry point."""

from rust_triage.engine.family import Family

FAMILY = Family(
    name="size",
    rules_package="rust_triage.families.size.rules",
    doc="Size and structure: oversized files and functions with split plans, embedded test modules (RT210, RT211, RT220).",
)
