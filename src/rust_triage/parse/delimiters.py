"""Delimiter balance of Rust source, for syntax errors reported where they start, not at end of file.

A small lexer skips comments (nested block comments too), strings, raw strings, byte strings and char
literals (told apart from lifetimes), then matches `(`/`[`/`{` with their closers. An opener that is
never closed is found at end of file; the one most likely missing its closer is the first whose closer
sits at a different indentation (rustc's own hint), else the outermost unclosed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_PAIRS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_ITEM = re.compile(
    r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:(?:async|const|unsafe|default)\s+|extern\s+(?:\"[^\"]*\"\s+)?)*"
    r"(fn|struct|enum|union|trait|impl|mod|macro_rules!)\s*(?:<[^>{]*>\s*)?([A-Za-z_][\w:]*(?:<[^{]*?>)?"
    r"(?:\s+for\s+[A-Za-z_][\w:]*)?)?"
)


@dataclass(frozen=True, slots=True)
class DelimiterProblem:
    kind: str  # "unclosed" | "mismatched" | "unexpected"
    delimiter: str  # the opener ("{") or, for "unexpected", the stray closer
    line: int  # 1-based position of the opener (of the stray closer for "unexpected")
    column: int
    outer_line: int = 0  # "unclosed": the outermost opener still open at end of file, when different
    close_line: int = 0  # "mismatched": where the wrong closer is


@dataclass(slots=True)
class _Open:
    char: str
    line: int
    column: int
    indent: int


def _indent(line_text: str) -> int:
    return len(line_text) - len(line_text.lstrip(" \t"))


def scan_delimiters(source: str) -> DelimiterProblem | None:
    """The first delimiter problem of a file, or None when every delimiter is matched."""
    lines = source.split("\n")
    stack: list[_Open] = []
    suspect: _Open | None = None  # first pair whose closer is indented unlike its opener
    i, n, line, col0 = 0, len(source), 1, 0  # col0: index of the current line's first character
    while i < n:
        c = source[i]
        if c == "\n":
            line += 1
            col0 = i + 1
            i += 1
        elif c == "/" and source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end < 0 else end
        elif c == "/" and source.startswith("/*", i):
            i, line, col0 = _skip_block_comment(source, i, line, col0)
        elif c == '"' or (c in "bc" and source.startswith('"', i + 1)):
            i, line, col0 = _skip_string(source, i + (0 if c == '"' else 1), line, col0)
        elif c in "br" and _raw_string_start(source, i):
            i, line, col0 = _skip_raw_string(source, i, line, col0)
        elif c == "'":
            i = _skip_quote(source, i)
        elif c.isalnum() or c == "_":
            while i < n and (source[i].isalnum() or source[i] == "_"):
                i += 1
        elif c in _PAIRS:
            stack.append(_Open(c, line, i - col0 + 1, _indent(lines[line - 1])))
            i += 1
        elif c in _CLOSERS:
            if not stack:
                return DelimiterProblem("unexpected", c, line, i - col0 + 1)
            top = stack.pop()
            if top.char != _CLOSERS[c]:
                return DelimiterProblem("mismatched", top.char, top.line, top.column, close_line=line)
            if suspect is None and line != top.line and _indent(lines[line - 1]) != top.indent:
                suspect = top
            i += 1
        else:
            i += 1
    if not stack:
        return None
    outer = stack[0]
    culprit = suspect if suspect is not None and suspect.line > outer.line else outer
    return DelimiterProblem("unclosed", culprit.char, culprit.line, culprit.column,
                            outer_line=outer.line if outer is not culprit else 0)


def enclosing_item(source_lines: list[str], line: int) -> str:
    """`fn name`, `impl Type`... of the nearest item header at or above `line` (1-based), or ""."""
    limit = _indent(source_lines[line - 1]) if 0 < line <= len(source_lines) else 0
    for index in range(min(line, len(source_lines)) - 1, -1, -1):
        text = source_lines[index]
        if index < line - 1 and text.strip() and _indent(text) > limit:
            continue
        match = _ITEM.match(text)
        if match:
            kind, name = match.group(1), (match.group(2) or "").strip()
            return f"{kind.rstrip('!')} {name}".strip()
    return ""


def _skip_block_comment(s: str, i: int, line: int, col0: int) -> tuple[int, int, int]:
    depth, i = 1, i + 2
    while i < len(s) and depth:
        if s.startswith("/*", i):
            depth, i = depth + 1, i + 2
        elif s.startswith("*/", i):
            depth, i = depth - 1, i + 2
        else:
            if s[i] == "\n":
                line, col0 = line + 1, i + 1
            i += 1
    return i, line, col0


def _skip_string(s: str, i: int, line: int, col0: int) -> tuple[int, int, int]:
    i += 1  # the opening quote
    while i < len(s):
        c = s[i]
        if c == "\\":
            if i + 1 < len(s) and s[i + 1] == "\n":
                line, col0 = line + 1, i + 2
            i += 2
            continue
        if c == "\n":
            line, col0 = line + 1, i + 1
        elif c == '"':
            return i + 1, line, col0
        i += 1
    return i, line, col0


_RAW = re.compile(r"(?:br|cr|r)(#*)\"")


def _raw_string_start(s: str, i: int) -> bool:
    if i > 0 and (s[i - 1].isalnum() or s[i - 1] == "_"):
        return False
    return _RAW.match(s, i) is not None


def _skip_raw_string(s: str, i: int, line: int, col0: int) -> tuple[int, int, int]:
    match = _RAW.match(s, i)
    assert match is not None
    closing = '"' + match.group(1)
    end = s.find(closing, match.end())
    stop = len(s) if end < 0 else end + len(closing)
    newlines = s.count("\n", i, stop)
    if newlines:
        line, col0 = line + newlines, s.rfind("\n", i, stop) + 1
    return stop, line, col0


def _skip_quote(s: str, i: int) -> int:
    """A char literal ('a', '\\n', '\\u{1F600}') or a lifetime/label ('a, 'static)."""
    if s.startswith("\\", i + 1):
        end = s.find("'", i + 2)
        newline = s.find("\n", i + 2)
        if end >= 0 and (newline < 0 or end < newline):
            return end + 1
        return i + 1
    if i + 2 < len(s) and s[i + 2] == "'" and s[i + 1] != "\n":
        return i + 3
    return i + 1


def delimiter_finding_args(path: Path) -> tuple[int, int, str, str, dict[str, object]] | None:
    """(line, column, message, fix hint, detail) of a file's delimiter problem, or None."""
    try:
        source = path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return None
    problem = scan_delimiters(source)
    if problem is None:
        return None
    lines = source.split("\n")
    item = enclosing_item(lines, problem.line)
    where = f" in `{item}`" if item else ""
    closer = _PAIRS.get(problem.delimiter, problem.delimiter)
    detail: dict[str, object] = {"delimiter": problem.delimiter, "kind": problem.kind, "item": item}
    if problem.kind == "unclosed":
        message = f"unclosed `{problem.delimiter}`{where}: it is never closed (the file ends inside it)"
        if problem.outer_line:
            message = (f"`{problem.delimiter}`{where} is probably not closed: the next `{closer}` is indented "
                       f"differently, and the `{problem.delimiter}` of line {problem.outer_line} is still open "
                       "at end of file")
            detail["outer_line"] = problem.outer_line
        hint = f"add the missing `{closer}`{where}"
    elif problem.kind == "mismatched":
        message = f"`{problem.delimiter}`{where} is closed by a different delimiter at line {problem.close_line}"
        detail["close_line"] = problem.close_line
        hint = f"close it with `{closer}`"
    else:
        message = f"unexpected closing `{problem.delimiter}`{where}: nothing is open here"
        hint = f"remove the stray `{problem.delimiter}` or add its opener"
    return problem.line, problem.column, message, hint, detail
