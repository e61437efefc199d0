"""The panics family, registered through the `rust_triage.rules` entry point."""

from rust_triage.engine.family import Family

FAMILY = Family(
    name="panics",
    rules_package="rust_triage.families.panics.rules",
    doc="Panicking calls in library code: unwrap, expect, unimplemented!, todo!, panic!, unreachable! (RT001–RT006).",
)
