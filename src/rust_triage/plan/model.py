"""Data model of a fix plan: quality gates, phases, and tasks small enough for one sitting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PLAN_FORMAT_VERSION = 1


@dataclass(slots=True)
class Evidence:
    """One place that shows the problem: where, which rule, what it says, the source line."""

    file: str
    line: int
    rule: str
    message: str
    snippet: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "rule": self.rule, "message": self.message,
                "snippet": self.snippet}


@dataclass(slots=True)
class BlastRadius:
    """How much of the workspace depends on the code a task touches."""

    score: float = 1.0
    dependent_files: int = 0
    dependent_crates: int = 0
    callers: int = 0
    centrality: float = 0.0  # PageRank on the crate+module graph; 1.0 = an average module

    def describe(self) -> str:
        if not (self.dependent_files or self.callers):
            return "local: nothing else in the workspace depends on it"
        parts = [f"{self.dependent_files} dependent file{'s' if self.dependent_files != 1 else ''}"]
        if self.dependent_crates:
            parts.append(f"{self.dependent_crates} other crate{'s' if self.dependent_crates != 1 else ''}")
        if self.callers:
            parts.append(f"{self.callers} direct caller{'s' if self.callers != 1 else ''}")
        if self.centrality:
            parts.append(f"centrality {self.centrality:g}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "dependent_files": self.dependent_files,
                "dependent_crates": self.dependent_crates, "callers": self.callers,
                "centrality": self.centrality}


@dataclass(slots=True)
class Task:
    id: str  # stable: a hash of the rules, files and finding fingerprints it covers
    phase: str  # P0..P3
    title: str
    category: str
    severity: str
    rules: list[str]
    lines: dict[str, list[int]]  # file -> sorted lines
    summary: str
    fix_hints: list[tuple[str, str]]  # (rule, hint), one per rule
    evidence: list[Evidence]
    estimate_minutes: int
    priority: float
    blast: BlastRadius
    occurrences: int
    fingerprints: list[str] = field(default_factory=list)
    source: str = "findings"  # findings | cargo
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. the cargo pattern id and codes

    @property
    def files(self) -> list[str]:
        return list(self.lines)

    @property
    def fix_hint(self) -> str:
        return " / ".join(hint for _, hint in self.fix_hints)

    def location_text(self, limit: int = 12) -> list[str]:
        """`file:12-14, 30` per file: consecutive lines collapse into ranges."""
        out = []
        for path, lines in self.lines.items():
            ranges = _ranges(lines)
            shown = ", ".join(ranges[:limit]) + (f", … (+{len(ranges) - limit})" if len(ranges) > limit else "")
            out.append(f"{path}:{shown}" if shown else path)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "phase": self.phase,
            "title": self.title,
            "category": self.category,
            "severity": self.severity,
            "rules": list(self.rules),
            "files": [{"file": path, "lines": list(lines)} for path, lines in self.lines.items()],
            "locations": self.location_text(),
            "summary": self.summary,
            "fix_hint": self.fix_hint,
            "fix_hints": [{"rule": rule, "hint": hint} for rule, hint in self.fix_hints],
            "evidence": [e.to_dict() for e in self.evidence],
            "estimate_minutes": self.estimate_minutes,
            "priority": self.priority,
            "blast_radius": self.blast.to_dict(),
            "occurrences": self.occurrences,
            "fingerprints": list(self.fingerprints),
            "source": self.source,
            "done": False,
            **({"extra": self.extra} if self.extra else {}),
        }


@dataclass(slots=True)
class Gate:
    name: str
    passed: bool
    count: int
    evidence: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": "PASS" if self.passed else "FAIL", "count": self.count,
                "evidence": self.evidence}


@dataclass(slots=True)
class Phase:
    id: str
    title: str
    description: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return sum(t.estimate_minutes for t in self.tasks)

    @property
    def occurrences(self) -> int:
        return sum(t.occurrences for t in self.tasks)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "description": self.description,
                "estimate_minutes": self.minutes, "occurrences": self.occurrences,
                "tasks": [t.to_dict() for t in self.tasks]}


@dataclass(slots=True)
class Plan:
    root: str
    name: str  # workspace name for the title
    tool_version: str
    gates: list[Gate]
    phases: list[Phase]
    files_scanned: int
    findings: int
    compiler: dict[str, Any] | None = None  # cargo ingest summary when --cargo-json was given
    notes: list[str] = field(default_factory=list)
    crates: list[dict[str, Any]] = field(default_factory=list)  # per-crate rollup, in build order
    unplanned: list[dict[str, Any]] = field(default_factory=list)  # findings no task lists (dead code)

    def top_tasks(self, limit: int = 10) -> list[Task]:
        """The first tasks in working order: P0 in build order, then P1, P2, P3."""
        return self.tasks[:limit]

    @property
    def tasks(self) -> list[Task]:
        return [t for p in self.phases for t in p.tasks]

    def summary(self) -> dict[str, Any]:
        return {
            "findings": self.findings,
            "files_scanned": self.files_scanned,
            "tasks": len(self.tasks),
            "estimate_minutes": sum(p.minutes for p in self.phases),
            "gates_passed": sum(1 for g in self.gates if g.passed),
            "gates_total": len(self.gates),
            "by_phase": {p.id: {"tasks": len(p.tasks), "occurrences": p.occurrences, "estimate_minutes": p.minutes}
                         for p in self.phases},
        }

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": PLAN_FORMAT_VERSION,
            "kind": "rust-triage-plan",
            "tool": {"name": "rust-triage", "version": self.tool_version},
            "root": self.root,
            "name": self.name,
            "summary": self.summary(),
            "gates": [g.to_dict() for g in self.gates],
            "phases": [p.to_dict() for p in self.phases],
            "notes": list(self.notes),
            "crates": list(self.crates),
            "unplanned_findings": list(self.unplanned),
        }
        if self.compiler is not None:
            data["compiler"] = self.compiler
        return data


def _ranges(lines: list[int]) -> list[str]:
    out: list[str] = []
    start = prev = None
    for line in sorted(set(lines)):
        if start is None:
            start = prev = line
        elif line == prev + 1:  # type: ignore[operator]
            prev = line
        else:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = line
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
    return out
