"""Workspace rules' findings reused while no file's interface shape changed.

Kept findings are valid for the interface shapes (the fingerprint) and, where they quote or cite a file,
for that file's positions and quoted lines. When the shapes hold, a file is *dirty* if its positions moved
(a line added in a function body, a longer comment) or a line a finding quotes reads differently. A rule
runs again when one of its kept findings is located in a dirty file or cites one (a related location, or
the file's path in its message, hint or detail: "`Item` is defined at src/store.rs:12"); every other
rule's findings are reused. The built-in workspace rules decide from names, kinds and the order of things
within a file, never from a line number or a span in another file, so a rule with no finding there gives
the same findings again. A rule from a plugin has not been checked for that: it runs again whenever any
file is dirty.

A "workspace-shape" rule decides from the shapes alone and its findings hold no position: it runs again
only when one of its kept findings in a dirty file has a position after all (then it is run as any rule).

A rule that runs again runs in full, except a "workspace-by-file" rule (`Rule.scope`) none of whose kept
findings located in a clean file cites a dirty one: it runs for the dirty files only, and its findings
in the clean files are kept (a one-file run after a line added decodes no other file's facts for it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from rust_triage.engine.context import AnalysisContext, SourceFile
from rust_triage.engine.indexed_rule import rule_origin
from rust_triage.engine.model import Finding
from rust_triage.engine.results_store import WorkspaceResults
from rust_triage.engine.rule import Rule


def line_digest(src: SourceFile, lines: Iterable[int]) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(repr([src.line_text(n) for n in sorted(set(lines))]).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def quoted_lines(findings: dict[str, list[Finding]]) -> dict[str, set[int]]:
    """rel -> the lines the findings located there quote."""
    lines: dict[str, set[int]] = {}
    for found in findings.values():
        for f in found:
            lines.setdefault(f.file, set()).add(f.line)
    return lines


def cites(f: Finding, files: set[str]) -> bool:
    """Whether `f` is located in, or refers to, one of `files`."""
    if f.file in files or any(r.file in files for r in f.related):
        return True
    text = f"{f.message}\0{f.fix_hint}\0{f.detail!r}"
    return any(rel in text for rel in files)


def _checked(rule: Rule) -> bool:
    """Built-in rules decide from no other file's positions (see the module docstring)."""
    return rule_origin(rule)[0].startswith("rust_triage.")


BY_FILE = "workspace-by-file"
SHAPE = "workspace-shape"


def _placeless(f: Finding) -> bool:
    """A finding at no position of its file: what a "workspace-shape" rule reports."""
    return (f.line, f.column, f.end_line, f.end_column) == (1, 1, 1, 1) and not f.snippet and not f.related


@dataclass
class Reuse:
    """What the kept workspace results give this run: the rules to run again, the dirty files, and the ids
    of the rules of `rerun` to run for the dirty files only."""

    rerun: list[Rule]
    dirty: set[str]
    by_file: set[str] = field(default_factory=set)


def plan_reuse(ctx: AnalysisContext, rules: list[Rule], cached: WorkspaceResults | None, fingerprint: str | None,
               positions: dict[str, str], changed: set[str]) -> Reuse:
    """`changed`: the files whose content differs from the one the kept quoted-line digests were taken of."""
    ids = sorted(r.meta.id for r in rules)
    if fingerprint is None or cached is None or cached.fingerprint != fingerprint or cached.rules != ids:
        return Reuse(list(rules), set())
    dirty = {rel for rel, digest in cached.positions.items() if positions.get(rel) != digest}
    if set(cached.positions) != set(positions):
        return Reuse(list(rules), set())
    lines = quoted_lines(cached.findings)
    by_rel = ctx.by_rel
    for rel, digest in cached.quoted.items():
        if rel in dirty or rel not in changed:
            continue
        src = by_rel.get(rel)
        if src is None or line_digest(src, lines.get(rel, ())) != digest:
            dirty.add(rel)
    if not dirty:
        return Reuse([], dirty)
    reuse = Reuse([], dirty)
    for rule in rules:
        kept = cached.findings.get(rule.meta.id, ())
        if _checked(rule) and not any(cites(f, dirty) for f in kept):
            continue
        if getattr(rule, "scope", "") == SHAPE and _checked(rule) and all(_placeless(f) for f in kept
                                                                           if cites(f, dirty)):
            continue
        reuse.rerun.append(rule)
        if getattr(rule, "scope", "") == BY_FILE and not any(f.file not in dirty and cites(f, dirty) for f in kept):
            reuse.by_file.add(rule.meta.id)
    return reuse


def merged_by_file(order: dict[str, int], kept: list[Finding], fresh: list[Finding],
                   dirty: set[str]) -> list[Finding] | None:
    """A "workspace-by-file" rule's findings: `fresh` (from the dirty files) in place of the kept ones located
    in dirty files, in the order of a full run (file by file, in `order`). None when a finding lies outside
    `order`, a fresh one outside the dirty files, or the kept ones were not in file order: run in full."""
    if any(f.file not in order for f in kept) or any(f.file not in dirty for f in fresh):
        return None
    ranks = [order[f.file] for f in kept]
    if ranks != sorted(ranks):
        return None
    found = [f for f in kept if f.file not in dirty] + fresh
    found.sort(key=lambda f: order[f.file])  # stable: each file's findings keep the rule's order
    return found


def quoted_digests(ctx: AnalysisContext, findings: dict[str, list[Finding]], cached: WorkspaceResults | None,
                   reuse: Reuse, changed: set[str]) -> dict[str, str]:
    """rel -> digest of the lines its findings quote: kept from `cached` for a file whose content, quoted lines
    and cleanliness are the same (reading no source), taken again otherwise."""
    lines = quoted_lines(findings)
    before = quoted_lines(cached.findings) if cached is not None else {}
    kept = cached.quoted if cached is not None else {}
    by_rel = ctx.by_rel
    out: dict[str, str] = {}
    for rel, numbers in lines.items():
        digest = kept.get(rel)
        if digest is not None and rel not in reuse.dirty and rel not in changed and before.get(rel) == numbers:
            out[rel] = digest
        elif rel in by_rel:
            out[rel] = line_digest(by_rel[rel], numbers)
    return out
