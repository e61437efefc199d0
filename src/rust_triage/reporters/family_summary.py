"""Per-family summaries (placeholder code, oversized code, test organization, panics...) of a findings list.

Families are rule categories; what each rule adds to its family's summary is in its metadata. Everything is computed from the findings alone (their `detail` included),
so reporters can call this without re-analysing anything.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rust_triage.engine.model import Finding, RuleMeta, severity_rank
from rust_triage.engine.taxonomy import category_title
from rust_triage.escape import ci_safe, visible


@dataclass
class FamilySummary:
    category: str
    title: str
    total: int
    by_rule: list[tuple[str, str, int]]  # (rule, name, count), most frequent first
    top_files: list[tuple[str, int]]
    worst_severity: str
    notes: list[str] = field(default_factory=list)
    by_risk: dict[str, int] = field(default_factory=dict)  # ranked families: high/medium/low counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "title": self.title,
            "total": self.total,
            "by_rule": [{"rule": r, "name": n, "count": c} for r, n, c in self.by_rule],
            "top_files": [{"file": f, "count": c} for f, c in self.top_files],
            "worst_severity": self.worst_severity,
            "notes": self.notes,
            **({"by_risk": self.by_risk} if self.by_risk else {}),
        }


def summarize(findings: list[Finding], rules: Mapping[str, RuleMeta], top: int = 5) -> list[FamilySummary]:
    """One summary per family present, biggest family first; notes come from the rules' metadata
    (`RuleMeta.summary_note`, `RuleMeta.tally`)."""
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[f.category].append(f)
    out: list[FamilySummary] = []
    for category, items in groups.items():
        names = {f.rule: f.name for f in items}
        counts = Counter(f.rule for f in items)
        files = Counter(f.file for f in items)
        out.append(
            FamilySummary(
                category=category,
                title=category_title(category),
                total=len(items),
                by_rule=[(r, names[r], c) for r, c in sorted(counts.items(), key=lambda rc: (-rc[1], rc[0]))],
                top_files=sorted(files.items(), key=lambda fc: (-fc[1], fc[0]))[:top],
                worst_severity=max((f.severity for f in items), key=severity_rank),
                notes=_notes(items, rules),
                by_risk=_by_risk(items),
            )
        )
    out.sort(key=lambda s: (-s.total, s.category))
    return out


def _by_risk(items: list[Finding]) -> dict[str, int]:
    counts = Counter(f.risk for f in items if f.risk)
    return {level: counts[level] for level in ("high", "medium", "low") if counts[level]}


def _notes(items: list[Finding], rules: Mapping[str, RuleMeta]) -> list[str]:
    """The risk spread, one note per rule that writes one, then the most common values of the rules'
    tally keys."""
    notes: list[str] = []
    by_risk = _by_risk(items)
    if by_risk:
        classes = Counter(f.risk_class for f in items if f.risk == "high")
        top = ", ".join(f"{k} {c}" for k, c in sorted(classes.items(), key=lambda kc: (-kc[1], kc[0])))
        notes.append("risk: " + ", ".join(f"{level} {c}" for level, c in by_risk.items())
                     + (f" (high: {top})" if top else ""))
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in items:
        by_rule[f.rule].append(f)
    tallies: dict[str, Counter[str]] = defaultdict(Counter)
    for rule in sorted(by_rule):
        meta = rules.get(rule)
        if meta is None:
            continue
        if meta.summary_note is not None:
            notes.append(meta.summary_note(by_rule[rule]))
        if meta.tally:
            tallies[meta.tally].update(str(f.detail[meta.tally]) for f in by_rule[rule] if f.detail.get(meta.tally))
    for key, counts in sorted(tallies.items()):
        common = ", ".join(f"\"{p}\" {c}" for p, c in sorted(counts.items(), key=lambda pc: (-pc[1], pc[0]))[:5])
        notes.append(f"most common {key}s: {common}")
    return notes


def family_table(findings: list[Finding], rules: Mapping[str, RuleMeta], top: int = 3) -> Any:
    """A rich renderable: one short block per family (counts by rule, totals, top files); None if empty."""
    summaries = summarize(findings, rules, top)
    if not summaries:
        return None
    from rich.console import Group
    from rich.text import Text

    lines: list[Text] = [Text("Findings by family", style="bold")]
    for s in summaries:
        head = Text()
        head.append(visible(s.title), style="bold")
        head.append(f"  {s.total} finding{'s' if s.total != 1 else ''}  ")
        head.append(visible(", ".join(f"{r} {n} x{c}" for r, n, c in s.by_rule)), style="dim")
        lines.append(head)
        for note in s.notes:
            lines.append(Text(f"    {visible(note)}"))
        lines.append(Text("    top files: " + visible(", ".join(f"{f} ({c})" for f, c in s.top_files)), style="dim"))
    return Group(*lines)


def family_text(findings: list[Finding], rules: Mapping[str, RuleMeta], top: int = 5) -> str:
    """Plain-text version of the family summaries (for logs): control characters made visible."""
    lines: list[str] = []
    for s in summarize(findings, rules, top):
        lines.append(visible(f"{s.title}: {s.total} finding{'s' if s.total != 1 else ''} "
                             f"({', '.join(f'{r} {c}' for r, _, c in s.by_rule)})"))
        for note in s.notes:
            lines.append(f"  {visible(note)}")
        for f, c in s.top_files:
            lines.append(f"  {visible(f)}: {c}")
    return ci_safe("\n".join(lines))
