"""Format strings (`"{:?} {name:#?}"`) and macro arguments read as text.

Only what the Debug check needs: which arguments a format string formats with `?`, how to split a
macro's token tree into top-level arguments, and how to read a simple argument (`x`, `&self.a.b`)
as an expression tuple (see `rust_triage.families.types.facts`).
"""

from __future__ import annotations

import re

from rust_triage.families.types.facts import Expr

_UNICODE_ESCAPE = re.compile(r"\\u\{[0-9a-fA-F_]*\}|\\\\")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CHAIN = re.compile(r"^(?P<ref>&\s*(?:mut\s+)?)?(?P<base>self|[a-z_][A-Za-z0-9_]*)(?P<rest>(?:\s*\.\s*[A-Za-z0-9_]+)*)$")
_CHAR = re.compile(r"'(?:\\.|\\u\{[0-9a-fA-F]+\}|[^\\'])'")
_RAW_STRING = re.compile(r'b?r(#*)"')


def debug_arguments(fmt: str, raw: bool = False) -> list[int | str] | None:
    """Arguments formatted with a `?` type (`{:?}`, `{0:#?}`, `{name:x?}`), as positions or names.

    None when the string is not a well-formed format string (then nothing is inferred from it).
    """
    if not raw:
        fmt = _UNICODE_ESCAPE.sub("_", fmt)
    out: list[int | str] = []
    next_pos = 0
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c == "}":
            if i + 1 < n and fmt[i + 1] == "}":
                i += 2
                continue
            return None
        if c != "{":
            i += 1
            continue
        if i + 1 < n and fmt[i + 1] == "{":
            i += 2
            continue
        end = fmt.find("}", i)
        if end < 0:
            return None
        inner = fmt[i + 1 : end]
        if "{" in inner:
            return None
        arg, _, spec = inner.partition(":")
        arg = arg.strip()
        if ".*" in spec:
            next_pos += 1  # `.*` takes the precision from the next positional argument first
        target: int | str
        if not arg:
            target = next_pos
            next_pos += 1
        elif arg.isdigit():
            target = int(arg)
        elif _IDENT.match(arg):
            target = arg
        else:
            return None
        if spec.endswith("?"):
            out.append(target)
        i = end + 1
    return out


def split_arguments(text: str) -> list[tuple[int, str]] | None:
    """Top-level comma-separated arguments of a token tree's inner text, with their offsets.

    None when the text cannot be split safely (unbalanced brackets, unterminated string).
    """
    args: list[tuple[int, str]] = []
    depth = 0
    start = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return None
        elif c == '"' or (c in "br" and _RAW_STRING.match(text, i)):
            end = _string_end(text, i)
            if end < 0:
                return None
            i = end
            continue
        elif c == "'":
            m = _CHAR.match(text, i)
            if m:
                i = m.end()
                continue
        elif c == "," and depth == 0:
            args.append((start, text[start:i]))
            start = i + 1
        i += 1
    if depth != 0:
        return None
    if text[start:].strip():
        args.append((start, text[start:]))
    return [(off + len(a) - len(a.lstrip()), a.strip()) for off, a in args]


def _string_end(text: str, i: int) -> int:
    """Index just after the string literal starting at `i`, or -1."""
    m = _RAW_STRING.match(text, i)
    if m and text[i] != '"':
        closing = '"' + m.group(1)
        end = text.find(closing, m.end())
        return -1 if end < 0 else end + len(closing)
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == '"':
            return j + 1
        j += 1
    return -1


def string_literal_value(arg: str) -> tuple[str, bool] | None:
    """The contents of a (raw) string literal argument and whether it is raw, else None."""
    if arg.startswith('"') and arg.endswith('"') and len(arg) >= 2:
        return arg[1:-1], False
    m = _RAW_STRING.match(arg)
    if m and arg.startswith("r"):
        closing = '"' + m.group(1)
        if arg.endswith(closing) and len(arg) >= m.end() + len(closing):
            return arg[m.end() : len(arg) - len(closing)], True
    return None


def chain_expr(text: str) -> Expr | None:
    """`x`, `&x`, `self.a.b`, `x.0` as an expression tuple; anything else is None."""
    m = _CHAIN.match(text.strip())
    if m is None:
        return None
    base = m.group("base")
    expr: Expr = ("self",) if base == "self" else ("id", base)
    for part in re.split(r"\s*\.\s*", m.group("rest").strip())[1:] if m.group("rest").strip() else []:
        expr = ("field", expr, part)
    return ("ref", expr) if m.group("ref") else expr
