"""A missing derive the checks found, and how rustc groups such errors: once per line, type and trait for a use; a derived
`Copy` once at the type, naming every field that is not Copy; a missing supertrait once per impl."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile
    from rust_triage.graph.resolve import Def


@dataclass
class DeriveIssue:
    kind: str  # "use" (RT310) | "field" (RT311) | "supertrait" (RT311)
    src: SourceFile
    line: int
    column: int
    item: int
    owner: Def  # the type that lacks the trait
    trait: str
    how: str  # what needs it: "{:?}", ".clone()", "==", "insert", "#[derive(Debug)] on `Snapshot`"
    shown: str = ""  # the type as used, when it differs from the owner (`Vec<A>`)
    confidence: str = "high"
    container: Def | None = None  # RT311: the deriving type
    field_name: str = ""
    extra: list[str] = field(default_factory=list)


def dedupe_uses(issues: list[DeriveIssue]) -> list[DeriveIssue]:
    """One finding per line, type and trait: rustc reports `assert_eq!(a, b)` missing Debug once."""
    seen: set[tuple[str, int, str, int, str]] = set()
    out = []
    for issue in issues:
        if issue.kind == "use":
            key = (issue.src.rel, issue.line, issue.owner.file.rel, issue.owner.item.index, issue.trait)
            if key in seen:
                continue
            seen.add(key)
        out.append(issue)
    return out


def merge_copy(issues: list[DeriveIssue]) -> list[DeriveIssue]:
    """rustc reports a derived Copy once, at the type (E0204), naming every field that is not Copy."""
    out: list[DeriveIssue] = []
    merged: dict[tuple[int, int], DeriveIssue] = {}
    for issue in issues:
        if issue.kind != "field" or issue.trait != "Copy" or issue.container is None:
            out.append(issue)
            continue
        key = (issue.item, issue.owner.item.index)
        first = merged.get(key)
        if first is None:
            item = issue.container.item
            issue.line, issue.column = item.line, item.column
            merged[key] = issue
            out.append(issue)
        else:
            first.field_name += f", {issue.field_name}"
            if issue.confidence != "high":
                first.confidence = issue.confidence
    return out


def dedupe_supertraits(issues: list[DeriveIssue]) -> list[DeriveIssue]:
    seen: set[tuple[str, int, str]] = set()
    out = []
    for issue in issues:
        if issue.kind == "supertrait":
            key = (issue.src.rel, issue.item, issue.trait)
            if key in seen:
                continue
            seen.add(key)
        out.append(issue)
    return out
