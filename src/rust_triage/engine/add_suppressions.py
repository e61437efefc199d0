"""`rust-triage check --add-suppressions`: write a reasoned allow comment above every current finding.

One comment per line, listing every rule reported there, indented like that line:
    // rust-triage: allow(RT001, RT002) -- legacy: unwrap-used, expect-used
Idempotent (suppressed findings are not reported again, and a line whose comment already lists the
ids is left alone), atomic (temp file + os.replace, through the write helper: never through a
symlink, never outside the workspace, mode and line endings kept) and conservative: files with read
or syntax errors are never touched; a line that starts inside a multi-line string gets a trailing
comment instead, and one that also ends inside such a string is left alone. Lines are numbered the
way the parser numbers them: for Rust and TOML only `\n` ends a line (a bare `\r` in a comment does
not), for Python a bare `\r` does too.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from rust_triage.atomic import write_atomic
from rust_triage.engine.model import Finding
from rust_triage.engine.suppress import parse_directive
from rust_triage.errors import FileError
from rust_triage.workspace.safepath import PathRefused, read_file, real_roots

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext

_COMMENT_PREFIX = {".rs": "//", ".py": "#", ".pyi": "#", ".toml": "#"}
_INDENT = re.compile(rb"^[ \t]*")
_SPANNING_NODES = ("string_literal", "raw_string_literal", "block_comment")
_LF_LINES = re.compile(rb"[^\n]*\n|[^\n]+$")
_PYTHON_SUFFIXES = (".py", ".pyi")


def add_suppressions(ctx: AnalysisContext, findings: list[Finding], read_errors: list[FileError],
                     errors: list[FileError] | None = None) -> int:
    """Insert allow comments for `findings`; return how many comments were written.

    Files with read errors (`read_errors`) or syntax errors are left alone; so are files the path
    policy refuses (outside the workspace, symlinks, special files), reported in `errors`.
    """
    roots = ctx.workspace.roots
    refused: list[FileError] = errors if errors is not None else []
    skip = {e.path for e in read_errors}
    skip.update(src.rel for src in ctx.files if src.facts.syntax_errors)
    by_file: dict[str, dict[int, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        if f.file not in skip and f.line >= 1 and Path(f.file).suffix in _COMMENT_PREFIX:
            by_file[f.file][f.line].append(f)
    written = 0
    for rel in sorted(by_file):
        path = ctx.workspace.root / rel
        try:
            data = read_file(path, real_roots(roots), ctx.config.max_file_size)
            data.decode("utf-8")
        except PathRefused as exc:
            refused.append(FileError(rel, exc.kind, f"no suppressions written: {exc.reason}"))
            continue
        except UnicodeDecodeError:
            continue
        annotated, count = _annotate(path, data, by_file[rel])
        if not count:
            continue
        try:
            write_atomic(path, annotated, inside=roots)
        except OSError as exc:
            refused.append(FileError(rel, "unwritable", f"no suppressions written: {exc.strerror or exc}"))
            continue
        written += count
    return written


_BOM = b"\xef\xbb\xbf"


def split_keeping_ends(data: bytes, *, python: bool) -> list[bytes]:
    """Lines with their endings, split where the parser of the language starts a new line."""
    return data.splitlines(keepends=True) if python else _LF_LINES.findall(data)


def _annotate(path: Path, data: bytes, by_line: dict[int, list[Finding]]) -> tuple[bytes, int]:
    """The file with the allow comments inserted, and how many were inserted."""
    usual = b"\r\n" if b"\r\n" in data else b"\n"
    bom = _BOM if data.startswith(_BOM) else b""  # stays the file's first bytes, before any inserted line
    lines = split_keeping_ends(data[len(bom):], python=path.suffix in _PYTHON_SUFFIXES)
    spans = _multiline_spans(path, data)
    starts_inside = {n for start, end in spans for n in range(start + 1, end + 1)}
    ends_inside = {n for start, end in spans for n in range(start, end)}
    prefix = _COMMENT_PREFIX[path.suffix].encode()
    count = 0
    for line in sorted(by_line, reverse=True):  # bottom-up keeps the numbers above valid
        if line > len(lines):
            continue
        ids = sorted({f.rule for f in by_line[line]})
        names = [next(f.name for f in by_line[line] if f.rule == rid) for rid in ids]
        comment = f"{prefix.decode()} rust-triage: allow({', '.join(ids)}) -- legacy: {', '.join(names)}".encode()
        continued = prefix == b"#" and line > 1 and lines[line - 2].rstrip().endswith(b"\\")
        if line in starts_inside or continued:
            # No own line is safe here (inside a string, or a Python continuation): end the line instead.
            body = lines[line - 1].rstrip(b"\r\n")
            if line in ends_inside or b"rust-triage:" in body or body.endswith(b"\\"):
                continue
            lines[line - 1] = body + b" " + comment + lines[line - 1][len(body):]
            count += 1
            continue
        if line > 1 and _already_allowed(lines[line - 2], ids):
            continue
        indent = _INDENT.match(lines[line - 1]).group(0)  # type: ignore[union-attr]
        python = path.suffix in _PYTHON_SUFFIXES
        lines.insert(line - 1, indent + comment + _ending(lines[line - 1], usual, python=python))
        count += 1
    return bom + b"".join(lines), count


def _ending(line: bytes, usual: bytes, *, python: bool) -> bytes:
    """The line ending of `line` (the file's usual one when it has none): the inserted line matches it.
    A bare `\r` ends a line only for Python: in Rust and TOML the comment would run on to the next `\n`."""
    for ending in (b"\r\n", b"\n", b"\r") if python else (b"\r\n", b"\n"):
        if line.endswith(ending):
            return ending
    return usual


def _already_allowed(line: bytes, ids: list[str]) -> bool:
    parsed = parse_directive(line.decode("utf-8", "replace"))
    return parsed is not None and parsed[0] == "line" and set(ids) <= {n.upper() for n in parsed[1]}


def _multiline_spans(path: Path, data: bytes) -> list[tuple[int, int]]:
    """(first, last) 1-based lines of the multi-line strings and comments, where no comment may go."""
    spans: list[tuple[int, int]] = []
    if path.suffix == ".rs":
        from rust_triage.parse.language import new_parser

        tree = new_parser().parse(data)
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            if node.end_point[0] == node.start_point[0]:
                continue
            if node.type in _SPANNING_NODES:
                spans.append((node.start_point[0] + 1, node.end_point[0] + 1))
            else:
                stack.extend(node.children)
    elif path.suffix in (".py", ".pyi"):
        try:
            # newline=None: a bare \r ends a line, as it does for Python's own tokenizer
            for tok in tokenize.generate_tokens(io.StringIO(data.decode("utf-8"), newline=None).readline):
                if tok.start[0] != tok.end[0]:
                    spans.append((tok.start[0], tok.end[0]))
        except (tokenize.TokenError, SyntaxError):
            return [(0, len(data.splitlines()) + 2)]
    elif path.suffix == ".toml":
        opened = 0
        for number, raw in enumerate(split_keeping_ends(data, python=False), start=1):
            if opened:
                spans.append((opened, number))
            if (raw.count(b'"""') + raw.count(b"'''")) % 2:
                opened = 0 if opened else number
    return spans


