"""Per-family summaries (placeholder code, oversized code, test organization, panics...) of a findings list.

Families are rule categories. Everything is computed from the findings alone (their `detail` included),
so reporters can call this without re-analysing anything.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from rust_triage.engine.model import Finding, severity_rank
from rust_triage.escape import ci_safe, visible

FAMILY_TITLES = {
    "debt": "Placeholder code",
    "size": "Oversized code",
    "tests": "Test organization",
    "panic": "Panics",
    "async": "Async",
    "structure": "Structure",
    "types": "Types",
    "build": "Build",
    "suppression": "Suppressions",
    "python": "Python",
}


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


def summarize(findings: list[Finding], top: int = 5) -> list[FamilySummary]:
    """One summary per family present, biggest family first."""
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[f.category].append(f)
    out: list[FamilySummary] = []
    for category, items in groups.items():
        names = {f.rule: f.name for f in items}
        rules = Counter(f.rule for f in items)
        files = Counter(f.file for f in items)
        out.append(
            FamilySummary(
                category=category,
                title=FAMILY_TITLES.get(category, category.capitalize()),
                total=len(items),
                by_rule=[(r, names[r], c) for r, c in sorted(rules.items(), key=lambda rc: (-rc[1], rc[0]))],
                top_files=sorted(files.items(), key=lambda fc: (-fc[1], fc[0]))[:top],
                worst_severity=max((f.severity for f in items), key=severity_rank),
                notes=_notes(items),
                by_risk=_by_risk(items),
            )
        )
    out.sort(key=lambda s: (-s.total, s.category))
    return out


def _by_risk(items: list[Finding]) -> dict[str, int]:
    counts = Counter(f.risk for f in items if f.risk)
    return {level: counts[level] for level in ("high", "medium", "low") if counts[level]}


def _notes(items: list[Finding]) -> list[str]:
    """Family-specific totals read from the findings' details."""
    notes: list[str] = []
    by_risk = _by_risk(items)
    if by_risk:
        classes = Counter(f.risk_class for f in items if f.risk == "high")
        top = ", ".join(f"{k} {c}" for k, c in sorted(classes.items(), key=lambda kc: (-kc[1], kc[0])))
        notes.append("risk: " + ", ".join(f"{level} {c}" for level, c in by_risk.items())
                     + (f" (high: {top})" if top else ""))
    files = [f for f in items if f.rule == "RT210"]
    if files:
        lines = sum(int(f.detail.get("code_lines", 0)) for f in files)
        modules = sum(len(f.detail.get("proposal", {}).get("modules", [])) for f in files)
        notes.append(f"{_n(len(files), 'oversized file')} ({lines} code lines), {_n(modules, 'new module')} proposed")
    fns = [f for f in items if f.rule == "RT211"]
    if fns:
        notes.append(_n(len(fns), "oversized function"))
    embedded = [f for f in items if f.rule == "RT220"]
    if embedded:
        lines = sum(int(f.detail.get("lines", 0)) for f in embedded)
        tests = sum(int(f.detail.get("tests", 0)) for f in embedded)
        integration = sum(1 for f in embedded if f.detail.get("plan", {}).get("form") == "integration")
        notes.append(f"{_n(len(embedded), 'inline test module')} ({lines} lines, {_n(tests, 'test')}); "
                     f"{integration} can move to tests/")
    phrases = Counter(f.detail.get("phrase") for f in items if f.rule in ("RT201", "RT202", "RT203", "RT204"))
    phrases.pop(None, None)
    if phrases:
        common = ", ".join(f"\"{p}\" {c}" for p, c in sorted(phrases.items(), key=lambda pc: (-pc[1], pc[0]))[:5])
        notes.append(f"most common phrases: {common}")
    return notes


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def family_table(findings: list[Finding], top: int = 3) -> Any:
    """A rich renderable: one short block per family (counts by rule, totals, top files); None if empty."""
    summaries = summarize(findings, top)
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


def family_text(findings: list[Finding], top: int = 5) -> str:
    """Plain-text version of the family summaries (for logs): control characters made visible."""
    lines: list[str] = []
    for s in summarize(findings, top):
        lines.append(visible(f"{s.title}: {s.total} finding{'s' if s.total != 1 else ''} "
                             f"({', '.join(f'{r} {c}' for r, _, c in s.by_rule)})"))
        for note in s.notes:
            lines.append(f"  {visible(note)}")
        for f, c in s.top_files:
            lines.append(f"  {visible(f)}: {c}")
    return ci_safe("\n".join(lines))
