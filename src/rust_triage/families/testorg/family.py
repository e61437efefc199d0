"""The testorg family, registered through the `rust_triage.rules` entry point."""

from rust_triage.engine.family import Family

FAMILY = Family(
    name="testorg",
    rules_package="rust_triage.families.testorg.rules",
    doc="Test organisation: untested modules and crates, empty test files, tests without assertions, missing categories (RT230–RT234).",
)
