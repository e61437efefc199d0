"""The types family, registered through the `rust_triage.rules` entry point."""

from rust_triage.engine.family import Family

FAMILY = Family(
    name="types",
    rules_package="rust_triage.families.types.rules",
    doc="Cross-file type checks that need no compiler: struct literals, tuple arity, derives, moves (RT301–RT312).",
)
