"""The modtree family, registered through the `rust_triage.rules` entry point."""

from rust_triage.engine.family import Family

FAMILY = Family(
    name="modtree",
    rules_package="rust_triage.families.modtree.rules",
    doc="Module tree and build breakers: orphan files, missing module files, syntax errors, unused suppressions (RT010–RT012, RT090).",
)
