"""Group compiler diagnostics into root-cause patterns, each with one fix, ranked by errors removed."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rust_triage.cargo.classify import Classification, bare_name, classify, order_traits
from rust_triage.cargo.model import Diagnostic, Suggestion
from rust_triage.cargo.templates import pattern_fix, pattern_title

Definitions = Callable[[str], list[tuple[str, int]]]
# Kinds whose fix is a change to the definition of `subject` (a type or a function).
_DEFINITION_KINDS = frozenset({"missing-method", "missing-derive", "missing-fields", "unknown-field",
                               "missing-field", "private-item"})


@dataclass(slots=True)
class Pattern:
    """Diagnostics sharing one root cause and one fix."""

    id: str
    key: str
    kind: str
    code: str | None
    codes: list[str]
    subject: str
    members: list[str]
    severity: str  # "error" when any diagnostic is an error, else "warning"
    diagnostics: list[Diagnostic]
    files: list[str]
    error_count: int
    warning_count: int
    definitions: list[tuple[str, int]] = field(default_factory=list)
    fix_suggestions: list[Suggestion] = field(default_factory=list)
    unnamed_members: int = 0  # fields rustc did not list by name
    aliases: list[str] = field(default_factory=list)  # other names of `subject` merged in (type aliases)
    title: str = ""
    fix: str = ""

    @property
    def count(self) -> int:
        return len(self.diagnostics)

    def definition_text(self) -> str | None:
        if not self.definitions:
            return None
        return ", ".join(f"{path}:{line}" for path, line in self.definitions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "kind": self.kind,
            "code": self.code,
            "codes": list(self.codes),
            "title": self.title,
            "subject": self.subject,
            "members": list(self.members),
            "aliases": list(self.aliases),
            "severity": self.severity,
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "files": list(self.files),
            "definitions": [{"file": path, "line": line} for path, line in self.definitions],
            "fix": self.fix,
            "fix_suggestions": [suggestion.to_dict() for suggestion in self.fix_suggestions],
            "diagnostics": [diagnostic.to_dict() for diagnostic in self.diagnostics],
        }


def pattern_id(key: str) -> str:
    """Stable short id of a grouping key."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


class _Group:
    __slots__ = ("first", "members", "sites", "diagnostics", "codes", "extra", "aliases", "seen")

    def __init__(self, first: Classification) -> None:
        self.first = first
        self.members: dict[str, None] = {}
        self.sites: dict[tuple[str, int], None] = {}
        self.diagnostics: list[tuple[Diagnostic, Classification]] = []
        self.codes: Counter[str] = Counter()
        self.extra = 0
        self.aliases: list[str] = []
        self.seen: set[int] = set()  # ids of the classifications already merged in

    def absorb(self, other: _Group) -> None:
        for diagnostic, classification in other.diagnostics:
            self.add(diagnostic, classification)
        self.aliases.append(other.first.subject)

    def add(self, diagnostic: Diagnostic, classification: Classification) -> None:
        self.diagnostics.append((diagnostic, classification))
        if diagnostic.code:
            self.codes[diagnostic.code] += 1
        marker = id(classification)
        if marker in self.seen:
            return
        self.seen.add(marker)
        for member in classification.members:
            self.members[member] = None
        for site in classification.sites:
            self.sites[site] = None
        self.extra = max(self.extra, classification.extra)


def group_patterns(diags: list[Diagnostic], definitions: Definitions | None = None) -> list[Pattern]:
    """Group diagnostics by root cause; errors first, most diagnostics first, ties by key.

    `definitions(name)` returns the definition sites (file, line) of a type or function named `name` in
    the workspace; it places definition-change fixes and recognises workspace types whose missing trait
    can be derived. Sites rustc names itself (derive hints, "defined here" notes) come first.
    """
    lookup = _CachedDefinitions(definitions) if definitions is not None else None
    is_workspace_type = lookup.is_defined if lookup is not None else None
    groups: dict[str, _Group] = {}
    cache: dict[tuple[Any, ...], Classification] = {}
    for diagnostic in diags:
        signature = _signature(diagnostic)
        classification = cache.get(signature)
        if classification is None:
            classification = classify(diagnostic, is_workspace_type)
            cache[signature] = classification
        group = groups.get(classification.key)
        if group is None:
            group = groups[classification.key] = _Group(classification)
        group.add(diagnostic, classification)
    merged = _merge_by_definition(groups, lookup)
    patterns = [_build(key, group) for key, group in merged.items()]
    patterns.sort(key=lambda pattern: (pattern.severity != "error", -pattern.error_count,
                                       -pattern.count, pattern.key))
    return patterns


# Codes whose classification reads the source line (qualified names, callee), not only the message.
_SNIPPET_CODES = frozenset({"E0603", "E0624", "E0061"})


def _signature(diagnostic: Diagnostic) -> tuple[Any, ...]:
    """Everything `classify` reads: diagnostics with equal signatures classify alike."""
    children = tuple([note.message for note in diagnostic.children]) if diagnostic.children else ()
    secondary = tuple([note.message for note in diagnostic.secondary]) if diagnostic.secondary else ()
    if diagnostic.code in _SNIPPET_CODES:
        return (diagnostic.level, diagnostic.code, diagnostic.message, diagnostic.label, children,
                secondary, diagnostic.snippet, diagnostic.column,
                tuple([(note.file, note.line) for note in (*diagnostic.children, *diagnostic.secondary)]))
    return (diagnostic.level, diagnostic.code, diagnostic.message, diagnostic.label, children, secondary,
            tuple([(note.file, note.line) for note in diagnostic.children if note.file])
            if children else ())


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


# Kinds whose groups merge when their subjects share a definition site (aliases, re-exports).
_MERGEABLE_KINDS = frozenset({"missing-method", "missing-derive", "missing-fields", "unknown-field",
                              "missing-field"})


def _merge_by_definition(groups: dict[str, _Group], lookup: _CachedDefinitions | None) -> dict[str, _Group]:
    """Resolve definition sites, then merge same-kind groups whose subjects are defined at one place."""
    by_site: dict[tuple[Any, ...], str] = {}
    merged: dict[str, _Group] = {}
    for key in sorted(groups, key=lambda key: (-len(groups[key].diagnostics), key)):
        group = groups[key]
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
    ordered = sorted(group.diagnostics, key=lambda item: _position(item[0]))
    diagnostics = [diagnostic for diagnostic, _ in ordered]
    error_count = sum(1 for diagnostic in diagnostics if diagnostic.is_error)
    files = sorted({diagnostic.file for diagnostic in diagnostics if diagnostic.file})
    codes = sorted(group.codes, key=lambda code: (-group.codes[code], code))
    members = list(group.members)
    if first.kind == "missing-derive":
        members = list(order_traits(members))
    elif first.kind != "type-mismatch":
        members = sorted(members)
    sites = list(group.sites)
    suggestions: dict[Suggestion, None] = {}
    for diagnostic in diagnostics:
        for suggestion in diagnostic.suggestions:
            if suggestion.machine_applicable:
                suggestions[suggestion] = None
    pattern = Pattern(
        id=pattern_id(key), key=key, kind=first.kind, code=codes[0] if codes else None, codes=codes,
        subject=first.subject, members=members, severity="error" if error_count else "warning",
        diagnostics=diagnostics, files=files, error_count=error_count,
        warning_count=len(diagnostics) - error_count, definitions=sorted(sites),
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
