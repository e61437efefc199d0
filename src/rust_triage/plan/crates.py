"""Which crate and module a file belongs to, the order crates unblock each other, and per-crate rollups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rust_triage.workspace.deps import crate_order

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.plan.model import Task

NO_CRATE = "(workspace)"


class CrateMap:
    """File -> crate (package) and top-level module; crate -> rank in build order."""

    def __init__(self, ctx: AnalysisContext | None) -> None:
        self._ctx = ctx
        self._files: dict[str, Any] = {src.rel: src for src in ctx.files} if ctx else {}
        self._roots = sorted(((p.root, p.name) for p in ctx.workspace.packages),
                             key=lambda pr: -len(pr[0].parts)) if ctx else []
        self.rank: dict[str, int] = crate_order(ctx.workspace) if ctx else {}
        self._cache: dict[str, str] = {}

    def crate_of(self, rel: str) -> str:
        found = self._cache.get(rel)
        if found is not None:
            return found
        src = self._files.get(rel)
        name = src.package if src is not None and src.package else ""
        if not name and self._ctx is not None:
            path = self._ctx.workspace.root / rel
            name = next((n for root, n in self._roots if root == path or root in path.parents), "")
        self._cache[rel] = name or NO_CRATE
        return self._cache[rel]

    def module_of(self, rel: str) -> str:
        """`crate|crate_name::top_module` (the first module below the crate root), for pattern grouping."""
        crate = self.crate_of(rel)
        src = self._files.get(rel)
        path = src.module_path if src is not None else ""
        parts = path.split("::")
        if src is not None and src.modules and src.modules[0].target_kind not in ("lib", "proc-macro"):
            target = src.modules[0].target.replace("-", "_")
            top = f"{target}::{parts[1]}" if len(parts) > 1 else target
        else:
            top = f"{crate.replace('-', '_')}::{parts[1]}" if len(parts) > 1 else crate.replace("-", "_")
        return f"{crate}|{top}"

    def crate_rank(self, crate: str) -> int:
        return self.rank.get(crate, len(self.rank))


def task_crate(task: Task, crates: CrateMap) -> str:
    """The crate where a task's fix happens: its definition for root causes, else its first file."""
    definition = task.extra.get("definition")
    if isinstance(definition, dict) and definition.get("file"):
        return crates.crate_of(str(definition["file"]))
    definitions = task.extra.get("definitions")
    if isinstance(definitions, list) and definitions and isinstance(definitions[0], dict):
        return crates.crate_of(str(definitions[0].get("file", "")))
    return crates.crate_of(task.files[0]) if task.files else NO_CRATE


@dataclass(slots=True)
class CrateRollup:
    crate: str
    rank: int
    tasks: int = 0
    minutes: int = 0
    blockers: int = 0  # P0 tasks
    dead_lines: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"crate": self.crate, "build_order": self.rank, "tasks": self.tasks,
                "estimate_minutes": self.minutes, "blockers": self.blockers, "dead_lines": self.dead_lines}


def rollup(tasks: list[Task], crates: CrateMap) -> list[CrateRollup]:
    out: dict[str, CrateRollup] = {}
    for task in tasks:
        crate = str(task.extra.get("crate", NO_CRATE))
        row = out.setdefault(crate, CrateRollup(crate, crates.crate_rank(crate)))
        row.tasks += 1
        row.minutes += task.estimate_minutes
        row.blockers += task.phase == "P0"
        dead = task.extra.get("dead_lines")
        if isinstance(dead, int):
            row.dead_lines += dead
    return sorted(out.values(), key=lambda r: (r.rank, r.crate))
