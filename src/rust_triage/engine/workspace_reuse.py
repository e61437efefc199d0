"""Workspace rules' findings reused while no file's interface shape changed.

Kept findings are valid for the interface shapes (the fingerprint) and, where they quote or cite a file,
for that file's positions and quoted lines. When the shapes hold, a file is *dirty* if its positions moved
(a line added in a function body, a longer comment) or a line a finding quotes reads differently. A rule
runs again, in full, when one of its kept findings is located in a dirty file or cites one (a related
location, or the file's path in its message, hint or detail: "`Item` is defined at src/store.rs:12");
every other rule's findings are reused. The built-in workspace rules decide from names, kinds and the
order of things within a file, never from a line number or a span in another file, so a rule with no
finding there gives the same findings again. A rule from a plugin has not been checked for that: it runs
again whenever any file is dirty.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass
class Reuse:
    """What the kept workspace results give this run: the rules to run again and the dirty files."""

    rerun: list[Rule]
    dirty: set[str]


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
    rerun = [r for r in rules if not _checked(r)
             or any(cites(f, dirty) for f in cached.findings.get(r.meta.id, ()))]
    return Reuse(rerun, dirty)


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
