"""Group compiler diagnostics into root-cause patterns, each with one fix, ranked by errors removed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from rust_triage.families.compiler.classify import (
    Classification,
    bare_name,
    classify,
    order_traits,
    rustc_sites,
)
from rust_triage.families.compiler.model import Diagnostic, Pattern, Suggestion, paused_gc
from rust_triage.families.compiler.templates import pattern_fix, pattern_title

Definitions = Callable[[str], list[tuple[str, int]]]
# Kinds whose fix is a change to the definition of `subject` (a type or a function).
_DEFINITION_KINDS = frozenset({"missing-method", "missing-derive", "missing-fields", "unknown-field",
                               "missing-field", "private-item"})


def pattern_id(key: str) -> str:
    """Stable short id of a grouping key."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


class _Group:
    """Diagnostics of one grouping key, plus what their classifications say about the root cause."""

    __slots__ = ("first", "members", "sites", "diagnostics", "extra", "aliases")

    def __init__(self, first: Classification) -> None:
        self.first = first
        self.members: dict[str, None] = {}
        self.sites: dict[tuple[str, int], None] = {}
        self.diagnostics: list[Diagnostic] = []
        self.extra = 0
        self.aliases: list[str] = []

    def note(self, classification: Classification) -> None:
        for member in classification.members:
            self.members[member] = None
        for site in classification.sites:
            self.sites[site] = None
        self.extra = max(self.extra, classification.extra)

    def absorb(self, other: _Group) -> None:
        self.diagnostics.extend(other.diagnostics)
        for member in other.members:
            self.members[member] = None
        self.extra = max(self.extra, other.extra)
        self.aliases.append(other.first.subject)


def group_patterns(diags: list[Diagnostic], definitions: Definitions | None = None) -> list[Pattern]:
    """Group diagnostics by root cause; errors first, most diagnostics first, ties by key.

    `definitions(name)` returns the definition sites (file, line) of a type or function named `name` in
    the workspace; it places definition-change fixes and recognises workspace types whose missing trait
    can be derived. Sites rustc names itself (derive hints, "defined here" notes) come first.
    """
    lookup = _CachedDefinitions(definitions) if definitions is not None else None
    is_workspace_type = lookup.is_defined if lookup is not None else None
    groups: dict[str, _Group] = {}
    by_signature: dict[tuple[Any, ...], _Group] = {}
    with paused_gc():
        for diagnostic in diags:
            signature = _signature(diagnostic)
            group = by_signature.get(signature)
            if group is None:
                classification = classify(diagnostic, is_workspace_type)
                group = groups.get(classification.key)
                if group is None:
                    group = groups[classification.key] = _Group(classification)
                group.note(classification)
                by_signature[signature] = group
            group.diagnostics.append(diagnostic)
        merged = _merge_by_definition(groups, lookup)
        patterns = [_build(key, group) for key, group in merged.items()]
    patterns.sort(key=lambda pattern: (pattern.severity != "error", -pattern.error_count,
                                       -pattern.count, pattern.key))
    return patterns


# Codes whose classification reads the source line (qualified names, callee), not only the message.
_SNIPPET_CODES = frozenset({"E0603", "E0624", "E0061"})


def _signature(diagnostic: Diagnostic) -> tuple[Any, ...]:
    """Everything `classify` reads: diagnostics with equal signatures classify alike."""
    if diagnostic.code in _SNIPPET_CODES:  # their keys hold the definition site and the source line
        return (diagnostic.level, diagnostic.code, diagnostic.message, diagnostic.label,
                diagnostic.children, diagnostic.secondary, diagnostic.snippet, diagnostic.column)
    children = tuple([note.message for note in diagnostic.children]) if diagnostic.children else ()
    return (diagnostic.level, diagnostic.code, diagnostic.message, diagnostic.label, children)


class _CachedDefinitions:
    def __init__(self, definitions: Definitions) -> None:
        self.definitions = definitions
        self.cache: dict[str, list[tuple[str, int]]] = {}

    def sites(self, name: str) -> list[tuple[str, int]]:
        found = self.cache.get(name)
        if found is None:
            try:
                found = [(str(path), int(line)) for path, line in (self.definitions(name) or [])]
            except Exception:  # a failing symbol lookup must not break the report
                found = []
            self.cache[name] = found
        return found

    def is_defined(self, name: str) -> bool:
        return bool(self.sites(name))


# Kinds whose definition sites rustc names in notes and labels.
_SITE_KINDS = _DEFINITION_KINDS | {"binary-op", "wrong-arity"}
# Kinds whose groups merge when their subjects share a definition site (aliases, re-exports).
_MERGEABLE_KINDS = frozenset({"missing-method", "missing-derive", "missing-fields", "unknown-field",
                              "missing-field"})


def _merge_by_definition(groups: dict[str, _Group], lookup: _CachedDefinitions | None) -> dict[str, _Group]:
    """Resolve definition sites, then merge same-kind groups whose subjects are defined at one place."""
    by_site: dict[tuple[Any, ...], str] = {}
    merged: dict[str, _Group] = {}
    for key in sorted(groups, key=lambda key: (-len(groups[key].diagnostics), key)):
        group = groups[key]
        if group.first.kind in _SITE_KINDS:
            for diagnostic in group.diagnostics:
                if diagnostic.children or diagnostic.secondary:
                    for site in rustc_sites(diagnostic):
                        group.sites[site] = None
        if not group.sites and lookup is not None and group.first.kind in _DEFINITION_KINDS:
            for site in lookup.sites(_lookup_name(group.first)):
                group.sites[site] = None
        if group.sites and group.first.kind in _MERGEABLE_KINDS:
            site_key = (group.first.kind, tuple(sorted(group.sites)))
            target = by_site.get(site_key)
            if target is not None:
                merged[target].absorb(group)
                continue
            by_site[site_key] = key
        merged[key] = group
    return merged


def _build(key: str, group: _Group) -> Pattern:
    first = group.first
    diagnostics = sorted(group.diagnostics, key=_position)
    error_count = 0
    files: set[str] = set()
    code_counts: dict[str, int] = {}
    suggestions: dict[Suggestion, None] = {}
    for diagnostic in diagnostics:  # one pass: this runs for every diagnostic of the input
        if diagnostic.is_error:
            error_count += 1
        if diagnostic.file:
            files.add(diagnostic.file)
        if diagnostic.code:
            code_counts[diagnostic.code] = code_counts.get(diagnostic.code, 0) + 1
        for suggestion in diagnostic.suggestions:
            if suggestion.applicability == "MachineApplicable":
                suggestions[suggestion] = None
    codes = sorted(code_counts, key=lambda code: (-code_counts[code], code))
    members = list(group.members)
    if first.kind == "missing-derive":
        members = list(order_traits(members))
    elif first.kind != "type-mismatch":
        members = sorted(members)
    pattern = Pattern(
        id=pattern_id(key), key=key, kind=first.kind, code=codes[0] if codes else None, codes=codes,
        subject=first.subject, members=members, severity="error" if error_count else "warning",
        diagnostics=diagnostics, files=sorted(files), error_count=error_count,
        warning_count=len(diagnostics) - error_count, definitions=sorted(group.sites),
        fix_suggestions=list(suggestions), unnamed_members=group.extra, aliases=sorted(set(group.aliases)),
    )
    pattern.title = pattern_title(pattern)
    pattern.fix = pattern_fix(pattern)
    return pattern


def _lookup_name(classification: Classification) -> str:
    """The name to look up for a definition site: the type of `Type::item` / `Type.field`."""
    subject = classification.subject
    if classification.kind == "private-item":
        if "::" in subject:
            return subject.split("::", 1)[0]
        return subject.split(".", 1)[0]
    return bare_name(subject)


def _position(diagnostic: Diagnostic) -> tuple[Any, ...]:
    return (diagnostic.file or "", diagnostic.line or 0, diagnostic.column or 0, diagnostic.message)
