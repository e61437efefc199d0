"""The order of tasks in each phase, and static findings merged into the compiler errors they predict.

P0 follows the build: crates in dependency order (the crate everyone depends on first) and, inside a
crate, module-tree and syntax errors (nothing else is checked until they are fixed) before type errors.
Other phases go by priority, with the parts of one group adjacent and in order.
"""

from __future__ import annotations

from collections import defaultdict

from rust_triage.plan.crates import CrateMap
from rust_triage.plan.model import Evidence, Task
from rust_triage.plan.phases import RuleIndex
from rust_triage.plan.tasks import MAX_EVIDENCE

MODULE_CODES = frozenset({"E0583", "E0761", "E0428", "E0432", "E0433", "E0412"})
_MODULE_KINDS = ("syntax", "module", "unresolved-import", "import", "parse", "unclosed")


def build_stage(task: Task, rules: RuleIndex) -> int:
    """0 module tree and syntax, 1 types, 2 anything else."""
    if any(rules[r].breaks_module_tree for r in task.rules if r in rules):
        return 0
    kind = str(task.extra.get("kind", ""))
    codes = set(task.extra.get("codes") or [])
    if task.source == "cargo" and (codes & MODULE_CODES or any(k in kind for k in _MODULE_KINDS)):
        return 0
    if task.category == "types" or (task.source == "cargo" and kind.startswith(("missing-", "unknown-"))):
        return 1
    return 2


def order_phase(phase: str, tasks: list[Task], crates: CrateMap, rules: RuleIndex) -> list[Task]:
    groups: dict[str, list[Task]] = defaultdict(list)
    for t in tasks:
        groups[str(t.extra.get("group", t.id))].append(t)
    for members in groups.values():
        members.sort(key=lambda t: (t.extra.get("part") or [0])[0])

    def group_key(members: list[Task]) -> tuple[object, ...]:
        lead = members[0]
        best = max(t.priority for t in members)
        if phase == "P0":
            crate = str(lead.extra.get("crate", ""))
            return (crates.crate_rank(crate), build_stage(lead, rules), -best, lead.title, lead.id)
        return (-best, lead.title, lead.id)

    ordered: list[Task] = []
    for members in sorted(groups.values(), key=group_key):
        ordered.extend(members)
    return ordered


def merge_with_compiler(static: list[Task], compiler: list[Task]) -> tuple[list[Task], int]:
    """Static root-cause tasks whose definition is a compiler pattern's fix site join that pattern's task.

    Returns the static tasks left and how many were merged.
    """
    by_site: dict[tuple[str, int], Task] = {}
    for task in compiler:
        for d in task.extra.get("definitions") or []:
            if isinstance(d, dict):
                by_site.setdefault((str(d.get("file")), int(d.get("line") or 0)), task)
    kept: list[Task] = []
    merged = 0
    for task in static:
        definition = task.extra.get("definition")
        target = None
        if task.phase == "P0" and isinstance(definition, dict):
            target = by_site.get((str(definition.get("file")), int(definition.get("line") or 0)))
        if target is None:
            kept.append(task)
            continue
        _absorb(target, task)
        merged += 1
    return kept, merged


def _absorb(target: Task, task: Task) -> None:
    sites = {(path, line) for path, lines in target.lines.items() for line in lines}
    for path, lines in task.lines.items():
        bucket = target.lines.setdefault(path, [])
        for line in lines:
            if (path, line) not in sites:
                bucket.append(line)
        bucket.sort()
    seen = {(e.file, e.line) for e in target.evidence}
    extra: list[Evidence] = [e for e in task.evidence if (e.file, e.line) not in seen]
    target.evidence = (target.evidence + extra)[:MAX_EVIDENCE]
    target.rules = sorted(set(target.rules) | set(task.rules))
    target.fingerprints = sorted(set(target.fingerprints) | set(task.fingerprints))
    target.occurrences = len({(p, n) for p, ls in target.lines.items() for n in ls})
    target.fix_hints = target.fix_hints + [h for h in task.fix_hints if h not in target.fix_hints]
    target.extra.setdefault("merged_static", []).append(task.id)
