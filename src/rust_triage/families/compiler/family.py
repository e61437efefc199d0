"""The compiler-diagnostics family, registered through the `rust_triage.rules` entry point."""

from rust_triage.engine.family import Family

FAMILY = Family(
    name="compiler",
    rules_package="rust_triage.families.compiler.rules",
    doc="Compiler diagnostics from cargo, grouped by root cause (RT900, RT901).",
)
