"""The modtree family, registered through the `rust_triage.rules` entry point."""

from rust_triage.engine.family import Family

FAMILY = Family(
    name="modtree",
    rules_package="rust_triage.families.modtree.rules",
    doc="Module tree and build breakers found without compiling: orphan files, missing module files, syntax errors and unclosed delimiters, x.rs beside x/mod.rs, duplicate definitions, modules declared twice, unresolved `crate::`/`self::`/`super::` imports, unused suppressions (RT010–RT016, RT090).",
)
