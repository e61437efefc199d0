"""The async_blocking family, registered through the `rust_triage.rules` entry point."""

from rust_triage.engine.family import Family

FAMILY = Family(
    name="async_blocking",
    rules_package="rust_triage.families.async_blocking.rules",
    doc="Blocking work reached from async code, with call chains (RT101–RT105).",
)
