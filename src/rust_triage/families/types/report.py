"""Findings for the RT3xx rules, built from the issues the checks found."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.engine.model import Finding, Location, RuleMeta
from rust_triage.families.types.derive_plan import plan_derives
from rust_triage.families.types.facts import MOVE_OUT
from rust_triage.families.types.issue_grouping import DeriveIssue
from rust_triage.families.types.literal_checks import LiteralIssue
from rust_triage.families.types.tools import type_tools
from rust_triage.graph.resolve import Def

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext


def _names(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def definition_location(ctx: AnalysisContext, d: Def, message: str, line: int | None = None) -> Location:
    return Location(d.file.rel, line or d.item.line, d.item.column, message=message)


def literal_finding(ctx: AnalysisContext, meta: RuleMeta, issue: LiteralIssue) -> Finding:
    owner = issue.owner
    name = issue.type_name
    related = [definition_location(ctx, owner, f"`{name}` is defined here")]
    definition = {"file": owner.file.rel, "line": owner.item.line}
    if issue.kind == "missing":
        missing = [f.name for f in issue.fields]
        message = f"`{name} {{ .. }}` is missing {_plural(len(missing), 'field')} {_names(missing)}"
        if issue.confidence != "high" and any(f.cfg_gated for f in issue.fields):
            message += " (some are behind #[cfg])"
        hint = "add " + ", ".join(f"`{f.name}: {f.type}`" for f in issue.fields) + \
            ", or end the literal with `..base`"
        detail = {"type": name, "missing": missing, "types": {f.name: f.type for f in issue.fields},
                  "definition": definition}
    elif issue.kind == "unknown":
        message = f"`{name}` has no {_plural(len(issue.names), 'field')} named {_names(issue.names)}"
        known = ", ".join(f"`{f.name}: {f.type}`" for f in issue.all_fields) or "none"
        hint = f"remove or rename it; the fields of `{name}` are: {known}"
        detail = {"type": name, "unknown": issue.names, "definition": definition}
    else:
        message = (f"`{name}` takes {issue.expected} {_plural(issue.expected, 'argument')} "
                   f"but {issue.given} {'was' if issue.given == 1 else 'were'} supplied")
        hint = f"call it as `{name}(" + ", ".join(f.type for f in issue.all_fields) + ")`"
        detail = {"type": name, "expected": issue.expected, "given": issue.given, "definition": definition}
    return ctx.finding(
        meta, issue.src, issue.line, issue.column, message, end_line=issue.end_line, end_column=issue.end_column,
        item=issue.item, fix_hint=hint, confidence=issue.confidence, related=related, detail=detail,
    )


def derive_finding(ctx: AnalysisContext, meta: RuleMeta, issue: DeriveIssue) -> Finding:
    tools = type_tools(ctx)
    owner = issue.owner
    name = owner.item.name
    trait = issue.trait
    derive_line = tools.derive_line(owner)
    where = f"{owner.file.rel}:{owner.item.line}"
    related = [definition_location(ctx, owner, f"`{name}` is defined here", derive_line)]
    if issue.kind == "use":
        via = f" (`{issue.shown}` needs `{name}: {trait}`)" if issue.shown else ""
        if issue.how == MOVE_OUT:
            message = f"`{name}` does not implement `Copy`: this moves it out of a reference (E0507){via}"
        else:
            message = f"`{name}` does not implement `{trait}`, needed by `{issue.how}` here{via}"
    elif issue.kind == "field":
        assert issue.container is not None
        container = issue.container.item.name
        fields = issue.field_name.split(", ")
        if len(fields) == 1:
            message = (f"`{container}` derives `{trait}` but its field `{fields[0]}: {issue.shown or name}` "
                       f"does not implement `{trait}`")
        else:
            message = (f"`{container}` derives `{trait}` but its fields {_names(fields)} (holding `{name}`) "
                       f"do not implement `{trait}`")
    else:
        message = f"`{name}` derives a trait that requires `{trait}`, which it does not implement ({issue.how})"
    plan = plan_derives(tools, owner, trait)
    if plan:
        adds = "; ".join(f"`#[derive({', '.join(ts)})]` to `{d.item.name}` ({d.file.rel}:{d.item.line})"
                         for d, ts in plan)
        hint = f"add {adds}"
    else:
        hint = f"implement or derive `{trait}` for `{name}` ({where})"
    if issue.kind == "field" and issue.container is not None:
        hint += f", or drop `{trait}` from the derive of `{issue.container.item.name}`"
        related.append(definition_location(ctx, issue.container, f"`{issue.container.item.name}` derives it"))
    detail = {
        "type": name, "trait": trait, "use": issue.how,
        "definition": {"file": owner.file.rel, "line": owner.item.line, "derive_line": derive_line},
        "fix": [{"file": d.file.rel, "line": d.item.line, "type": d.item.name, "add": ts} for d, ts in plan]
        if plan else [],
    }
    return ctx.finding(
        meta, issue.src, issue.line, issue.column, message, item=issue.item, fix_hint=hint,
        confidence=issue.confidence, related=related, detail=detail,
    )
