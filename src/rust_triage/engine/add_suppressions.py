"""`rust-triage check --add-suppressions`: write a reasoned allow comment above every current finding.

One comment per line, listing every rule reported there, indented like that line:
    // rust-triage: allow(RT001, RT002) -- legacy: unwrap-used, expect-used
Idempotent (suppressed findings are not reported again, and a line whose comment already lists the
ids is left alone), atomic (temp file + os.replace) and conservative: files with read or syntax
errors are never touched; a line that starts inside a multi-line string gets a trailing comment
instead, and one that also ends inside such a string is left alone.
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

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.errors import FileError

_COMMENT_PREFIX = {".rs": "//", ".py": "#", ".pyi": "#", ".toml": "#"}
_INDENT = re.compile(rb"^[ \t]*")
_SPANNING_NODES = ("string_literal", "raw_string_literal", "block_comment")


def add_suppressions(ctx: AnalysisContext, findings: list[Finding], errors: list[FileError]) -> int:
    """Insert allow comments for `findings`; return how many comments were written.

    Files with read errors (`errors`) or syntax errors are left alone.
    """
    skip = {e.path for e in errors}
    skip.update(src.rel for src in ctx.files if src.facts.syntax_errors)
    by_file: dict[str, dict[int, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        if f.file not in skip and f.line >= 1 and Path(f.file).suffix in _COMMENT_PREFIX:
            by_file[f.file][f.line].append(f)
    written = 0
    for rel in sorted(by_file):
        written += _annotate(ctx.workspace.root / rel, by_file[rel])
    return written


def _annotate(path: Path, by_line: dict[int, list[Finding]]) -> int:
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return 0
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    lines = data.splitlines(keepends=True)
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
        lines.insert(line - 1, indent + comment + newline)
        count += 1
    if count:
        write_atomic(path, b"".join(lines))
    return count


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
            for tok in tokenize.generate_tokens(io.StringIO(data.decode("utf-8")).readline):
                if tok.start[0] != tok.end[0]:
                    spans.append((tok.start[0], tok.end[0]))
        except (tokenize.TokenError, SyntaxError):
            return [(0, data.count(b"\n") + 2)]
    elif path.suffix == ".toml":
        opened = 0
        for number, raw in enumerate(data.splitlines(), start=1):
            if opened:
                spans.append((opened, number))
            if (raw.count(b'"""') + raw.count(b"'''")) % 2:
                opened = 0 if opened else number
    return spans


