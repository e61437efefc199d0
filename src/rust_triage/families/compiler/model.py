"""Data model of compiler diagnostics read from `cargo --message-format=json`."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rust_triage.errors import FileError


class Suggestion(NamedTuple):
    """A replacement rustc proposes (`children[].spans[].suggested_replacement`)."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str
    applicability: str  # MachineApplicable, MaybeIncorrect, HasPlaceholders, Unspecified

    @property
    def machine_applicable(self) -> bool:
        return self.applicability == "MachineApplicable"

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class Note(NamedTuple):
    """A child message (note/help) of a diagnostic, with its first location if it has one."""

    level: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {key: value for key, value in self._asdict().items() if value is not None}


@dataclass(slots=True)
class Diagnostic:
    """One compiler diagnostic, located at the user's source (1-based lines and columns).

    `file` is relative to the workspace root with forward slashes, or absolute when the span lies
    outside it (registry, toolchain); None for diagnostics without a span.
    """

    level: str
    code: str | None
    message: str
    rendered: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    label: str | None = None  # label of the primary span ("expected `u64`, found `usize`")
    snippet: str | None = None  # source line of the primary span, as rustc quoted it
    macro: str | None = None  # name of the macro the span was expanded from, if any
    package_id: str | None = None
    # Sequences are tuples: fewer objects for the garbage collector to scan on 100k-diagnostic inputs.
    targets: tuple[str, ...] = ()  # "lib:name", "bin:name"... every target that reported it
    children: tuple[Note, ...] = ()  # notes and helps
    suggestions: tuple[Suggestion, ...] = ()
    secondary: tuple[Note, ...] = ()  # labelled non-primary spans

    @property
    def is_error(self) -> bool:
        return self.level == "error" or self.level.startswith("error:")

    @property
    def location(self) -> str:
        """`file:line:col`, or the file alone, or "<no location>"."""
        if self.file is None:
            return "<no location>"
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "label": self.label,
            "snippet": self.snippet,
            "macro": self.macro,
            "package_id": self.package_id,
            "targets": list(self.targets),
            "children": [note.to_dict() for note in self.children],
            "suggestions": [suggestion.to_dict() for suggestion in self.suggestions],
            "rendered": self.rendered,
        }


@dataclass(slots=True)
class IngestResult:
    """What `read_diagnostics` found: unique diagnostics, input problems and counters."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.is_error)

    @property
    def warning_count(self) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.level == "warning")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects.

    Without the pause the collector rescans the growing list of diagnostics again and again; on exit the
    objects built meanwhile are moved to the permanent generation (`gc.freeze`) instead of being scanned
    once more. They hold no reference cycles, so reference counting still frees them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


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
