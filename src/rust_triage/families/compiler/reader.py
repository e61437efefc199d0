"""Robust reading of `cargo check --message-format=json` output (JSON lines).

Every line is read on its own: non-JSON lines (cargo's human progress on a merged stream, blank lines) are
skipped and counted, broken JSON is reported with its line number (a broken last line as truncated), and
whatever was readable is kept. Diagnostics emitted once per target (lib and lib test compile the same
file) are kept once. Bare rustc `--error-format=json` lines are accepted as well.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rust_triage.errors import FileError
from rust_triage.families.compiler.model import Diagnostic, IngestResult, Note, Suggestion, paused_gc

# Marks a span that lies outside the user's workspace (dependencies, toolchain sources).
_EXTERNAL_MARKERS = ("/.cargo/registry/", "/.cargo/git/", "/rustc/", "/rustlib/", "/.rustup/toolchains/")
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:/")
# Summary lines rustc adds after the real diagnostics.
_SUMMARY_MESSAGE = re.compile(
    r"^(?:aborting due to|\d+ warnings? emitted|Some errors have detailed explanations"
    r"|For more information about)"
)
_SKIPPED_LEVELS = frozenset({"failure-note"})
_MAX_MACRO_DEPTH = 64
_DECODER = json.JSONDecoder()
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff", "\xff\xfe", "\xfe\xff")
# Line and column numbers outside 1..this are not positions (negative, zero, 1e30): they are dropped.
MAX_POSITION = 2**31 - 1


class _MalformedRecord(Exception):
    """A JSON record that is not shaped like a cargo/rustc message."""


def read_diagnostics(lines: Iterable[str | bytes], root: Path, *, source: str = "-") -> IngestResult:
    """Read cargo JSON lines into unique diagnostics; `source` names the input in reported problems."""
    reader = _Reader(root, source)
    with paused_gc():
        for number, raw in enumerate(lines, 1):
            reader.feed(number, raw)
    return reader.finish()


def read_diagnostics_file(path: Path, root: Path) -> IngestResult:
    """Read a captured cargo JSON file; an unreadable file becomes a problem in `errors`."""
    try:
        with path.open("rb") as handle:
            return read_diagnostics(handle, root, source=str(path))
    except OSError as exc:
        result = IngestResult(stats=_empty_stats())
        result.errors.append(FileError(str(path), "unreadable", f"cannot read cargo JSON: {exc.strerror or exc}"))
        return result


def _empty_stats() -> dict[str, Any]:
    return {
        "lines": 0,
        "blank_lines": 0,
        "non_json_lines": 0,
        "invalid_lines": 0,
        "records": 0,
        "compiler_messages": 0,
        "duplicates": 0,
        "skipped_messages": 0,
        "artifacts": 0,
        "build_scripts": 0,
        "other_records": 0,
        "build_success": None,
        "errors": 0,
        "warnings": 0,
        "diagnostics": 0,
    }


class _Reader:
    def __init__(self, root: Path, source: str) -> None:
        self.root_prefix = root.resolve().as_posix().rstrip("/") + "/"
        self.source = source
        self.stats = _empty_stats()
        self.errors: list[FileError] = []
        self.diagnostics: list[Diagnostic] = []
        self.seen: dict[tuple[Any, ...], Diagnostic] = {}
        self.paths: dict[str, str] = {}
        self.pending_failure: tuple[int, str] | None = None  # (line number, reason) of the last bad line
        self.unsupported = False  # the input is in an encoding line-by-line reading cannot handle
        self.compiler_messages = 0
        self.duplicates = 0
        self.seen_lines: set[tuple[int, int]] = set()  # digests of compiler-message lines already read
        self.digest = (0, 0)  # digest of the line being read
        self.number = 0  # number of the line being read

    # -- line level -------------------------------------------------------------------------------------
    def feed(self, number: int, raw: str | bytes) -> None:
        self.stats["lines"] += 1
        self.number = number
        if self.unsupported:
            return
        if number == 1:
            if raw[:2] in _UTF16_BOMS:
                self.unsupported = True
                self._problem("unsupported-encoding", "input is UTF-16 (PowerShell `>` writes it): save the "
                              "cargo output as UTF-8, e.g. with `| Out-File -Encoding utf8`", number)
                return
            raw = raw.lstrip("\ufeff") if isinstance(raw, str) else raw.removeprefix(b"\xef\xbb\xbf")
        data = raw.strip() if isinstance(raw, bytes) else raw.strip().encode("utf-8", "surrogatepass")
        if not data:
            self.stats["blank_lines"] += 1
            return
        if data[0] != 0x7B:  # "{"
            self.stats["non_json_lines"] += 1
            return
        self._flush_failure()
        # The same message comes once per target compiling a file (lib and lib test): skip repeats unparsed.
        # 64-bit hash plus length: a false match is about 1e-9 likely on 100k distinct lines.
        digest = self.digest = (hash(data), len(data))
        if digest in self.seen_lines:
            self.compiler_messages += 1
            self.duplicates += 1
            return
        try:
            line = data.decode("utf-8")
        except UnicodeDecodeError:
            self.errors.append(FileError(self.source, "invalid-utf8", "line is not valid UTF-8", number))
            line = data.decode("utf-8", errors="replace")
        try:
            record, end = _DECODER.raw_decode(line)
        except (ValueError, RecursionError) as exc:
            self.pending_failure = (number, str(exc))
            return
        if end != len(line):
            self.pending_failure = (number, f"extra data after the JSON value at column {end + 1}")
            return
        self.stats["records"] += 1
        try:
            self._record(record)
        except _MalformedRecord as exc:
            self._problem("invalid-record", f"not a cargo message: {exc}", number)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self._problem("invalid-record", f"malformed compiler message ({type(exc).__name__}: {exc})", number)

    def finish(self) -> IngestResult:
        if self.pending_failure is not None:
            number, reason = self.pending_failure
            self._problem("truncated", f"last line is cut off or not valid JSON ({reason})", number)
            self.pending_failure = None
        stats = self.stats
        stats["compiler_messages"] = self.compiler_messages
        stats["duplicates"] = self.duplicates
        stats["diagnostics"] = len(self.diagnostics)
        stats["errors"] = sum(1 for diagnostic in self.diagnostics if diagnostic.is_error)
        stats["warnings"] = sum(1 for diagnostic in self.diagnostics if diagnostic.level == "warning")
        return IngestResult(self.diagnostics, self.errors, stats)

    def _flush_failure(self) -> None:
        if self.pending_failure is not None:
            number, reason = self.pending_failure
            self._problem("invalid-json", f"line is not valid JSON ({reason})", number)
            self.pending_failure = None

    def _problem(self, kind: str, message: str, number: int) -> None:
        self.stats["invalid_lines"] += 1
        self.errors.append(FileError(self.source, kind, message, number))

    # -- record level -----------------------------------------------------------------------------------
    def _record(self, record: Any) -> None:
        if not isinstance(record, dict):
            raise _MalformedRecord(f"expected an object, got {type(record).__name__}")
        reason = record.get("reason")
        if reason == "compiler-message":
            message = record.get("message")
            if not isinstance(message, dict):
                raise _MalformedRecord("compiler-message without a message object")
            self._message(message, record.get("package_id"), record.get("target"))
        elif reason is None and "spans" in record and "level" in record:
            self._message(record, None, None)  # bare rustc --error-format=json
        elif reason == "compiler-artifact":
            self.stats["artifacts"] += 1
        elif reason == "build-script-executed":
            self.stats["build_scripts"] += 1
        elif reason == "build-finished":
            success = record.get("success")
            self.stats["build_success"] = success if isinstance(success, bool) else None
        else:
            self.stats["other_records"] += 1

    def _message(self, message: dict[str, Any], package_id: Any, target: Any) -> None:
        self.compiler_messages += 1
        get = message.get
        level = get("level")
        text = get("message")
        if type(level) is not str or type(text) is not str:
            raise _MalformedRecord("message without level or text")
        spans = get("spans") or ()
        if level in _SKIPPED_LEVELS or (not spans and _SUMMARY_MESSAGE.match(text)):
            self.stats["skipped_messages"] += 1
            return
        code = get("code")
        if type(code) is dict:
            code = code.get("code")
        if type(code) is not str:
            code = None
        target_label = _target_label(target) if target is not None else None
        primary = _primary_span(spans)
        macro = None
        if primary is None:
            key: tuple[Any, ...] = (level, code, text)
            location = None
        else:
            key = (level, code, text, primary.get("file_name"), primary.get("byte_start"), primary.get("byte_end"),
                   primary.get("label"))
            if primary.get("expansion") is None:
                location = primary
            else:
                location, macro = self._resolve(primary)
                if location is not primary:
                    key += (location.get("file_name"), location.get("byte_start"))
        existing = self.seen.get(key)
        if existing is not None:
            self.seen_lines.add(self.digest)
            self.duplicates += 1
            if target_label and target_label not in existing.targets:
                existing.targets += (target_label,)
            return
        rendered = get("rendered")
        children: list[Note] = []
        suggestions: list[Suggestion] = []
        secondary: list[Note] = []
        diagnostic = Diagnostic(
            level=level, code=code, message=text, rendered=rendered if type(rendered) is str else "", macro=macro,
            package_id=package_id if type(package_id) is str else None,
            targets=(target_label,) if target_label else (),
        )
        if location is not None:
            self._locate(diagnostic, location)
            label = primary.get("label")  # type: ignore[union-attr]
            diagnostic.label = label if type(label) is str else None
        raw_children = get("children")
        if raw_children:
            self._children(children, suggestions, raw_children)
        for span in spans:
            if type(span) is dict and (span is not primary or span.get("suggested_replacement") is not None):
                if type(span.get("suggested_replacement")) is str:
                    self._suggestion(suggestions, span)
                if span is not primary and not span.get("is_primary") and type(span.get("label")) is str:
                    secondary.append(Note("label", span["label"], *self._note_location(span)))
        if children:
            diagnostic.children = tuple(children)
        if suggestions:
            diagnostic.suggestions = tuple(suggestions)
        if secondary:
            diagnostic.secondary = tuple(secondary)
        self.seen[key] = diagnostic
        self.diagnostics.append(diagnostic)
        self.seen_lines.add(self.digest)

    # -- spans ------------------------------------------------------------------------------------------
    def _path(self, file_name: str) -> str:
        cached = self.paths.get(file_name)
        if cached is not None:
            return cached
        name = file_name.replace("\\", "/") if "\\" in file_name else file_name
        if "\0" in name:  # never a real path: shown escaped, never opened
            name = name.replace("\0", "\\0")
            self.errors.append(FileError(self.source, "invalid-path",
                                         f"span file name contains a NUL byte: {name}", self.number))
        if name.startswith(self.root_prefix):
            name = name[len(self.root_prefix):]
        while name.startswith("./"):
            name = name[2:]
        self.paths[file_name] = name
        return name

    def _is_user(self, file_name: Any) -> bool:
        if not isinstance(file_name, str) or not file_name or file_name[0] == "<":
            return False
        name = self._path(file_name)
        if name.startswith("/") or _WINDOWS_ABSOLUTE.match(name):
            return not any(marker in name for marker in _EXTERNAL_MARKERS)
        return True

    def _resolve(self, primary: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        """Map a span produced by a macro expansion onto the user's source.

        Spans already in user code stay where they are (a field under a derive, an argument of
        `println!`), except inside the body of a user `macro_rules!`: those map to the outermost
        invocation in the workspace. Spans in dependencies or the toolchain map to the outermost user
        span of their expansion chain.
        """
        expansion = primary.get("expansion")
        if not isinstance(expansion, dict):
            return primary, None
        macro = expansion.get("macro_decl_name")
        macro = macro if isinstance(macro, str) else None
        if self._is_user(primary.get("file_name")):
            def_site = expansion.get("def_site_span")
            user_macro_body = (
                macro is not None and macro.endswith("!") and isinstance(def_site, dict)
                and self._is_user(def_site.get("file_name"))
            )
            if not user_macro_body:
                return primary, macro
        chosen = primary if self._is_user(primary.get("file_name")) else None
        current: Any = expansion
        for _ in range(_MAX_MACRO_DEPTH):
            if not isinstance(current, dict):
                break
            span = current.get("span")
            if not isinstance(span, dict):
                break
            if self._is_user(span.get("file_name")):
                chosen = span
            current = span.get("expansion")
        return (chosen if chosen is not None else primary), macro

    def _locate(self, diagnostic: Diagnostic, span: dict[str, Any]) -> None:
        file_name = span.get("file_name")
        diagnostic.file = self._path(file_name) if type(file_name) is str else None
        line, column = span.get("line_start"), span.get("column_start")
        end_line, end_column = span.get("line_end"), span.get("column_end")
        diagnostic.line = _int(line)
        diagnostic.column = _int(column)
        diagnostic.end_line = _int(end_line)
        diagnostic.end_column = _int(end_column)
        text = span.get("text")
        if text and type(text) is list and type(text[0]) is dict:
            snippet = text[0].get("text")
            diagnostic.snippet = snippet if type(snippet) is str else None

    def _note_location(self, span: dict[str, Any]) -> tuple[str | None, int | None, int | None]:
        file_name = span.get("file_name")
        line, column = span.get("line_start"), span.get("column_start")
        return self._path(file_name) if type(file_name) is str else None, _int(line), _int(column)

    def _children(self, notes: list[Note], suggestions: list[Suggestion], children: Any) -> None:
        if type(children) is not list:
            raise _MalformedRecord("children is not a list")
        for child in children:
            if type(child) is not dict:
                continue
            level, text = child.get("level"), child.get("message")
            level = level if type(level) is str else "note"
            text = text if type(text) is str else ""
            spans = child.get("spans")
            if not spans:
                notes.append(Note(level, text))
                continue
            first = _primary_span(spans)
            if first is None:
                notes.append(Note(level, text))
                continue
            notes.append(Note(level, text, *self._note_location(first)))
            for span in spans:
                if type(span) is dict and type(span.get("suggested_replacement")) is str:
                    self._suggestion(suggestions, span)

    def _suggestion(self, suggestions: list[Suggestion], span: dict[str, Any]) -> None:
        path, line, column = self._note_location(span)
        if path is None or line is None or column is None:
            return
        suggestions.append(Suggestion(
            path, line, column, _int(span.get("line_end")) or line, _int(span.get("column_end")) or column,
            span["suggested_replacement"], str(span.get("suggestion_applicability") or "Unspecified"),
        ))


def _primary_span(spans: Any) -> dict[str, Any] | None:
    if type(spans) is not list and type(spans) is not tuple:
        raise _MalformedRecord("spans is not a list")
    first = None
    for span in spans:
        if type(span) is dict:
            if span.get("is_primary"):
                return span
            if first is None:
                first = span
    return first


def _target_label(target: Any) -> str | None:
    if not isinstance(target, dict):
        return None
    kinds = target.get("kind")
    kind = kinds[0] if isinstance(kinds, list) and kinds else "target"
    return f"{kind}:{target.get('name', '?')}"


def _int(value: Any) -> int | None:
    """A line or column number: an int in 1..MAX_POSITION (bools, floats, 0, negatives and 1e30 are not)."""
    return value if type(value) is int and 0 < value <= MAX_POSITION else None
