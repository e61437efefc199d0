"""`#[allow(...)]` / `#[expect(...)]` attributes: which lints they name, and whether they cover a rule."""

from __future__ import annotations

import re

from rust_triage.engine.context import SourceFile
from rust_triage.parse.facts import Item

# Restriction lints: `#[allow(clippy::restriction)]` covers these, unlike `clippy::all` and friends.
RESTRICTION_LINTS = frozenset(
    f"clippy::{name}"
    for name in ("unwrap_used", "expect_used", "panic", "todo", "unimplemented", "unreachable",
                 "indexing_slicing", "dbg_macro", "print_stdout", "print_stderr", "exit", "mem_forget",
                 "get_unwrap", "unwrap_in_result", "panic_in_result_fn", "string_slice")
)

_LINT_ATTR = re.compile(r"^(allow|expect)\s*\((.*)\)\s*$", re.S)
_REASON = re.compile(r"reason\s*=\s*\"(?:[^\"\\]|\\.)*\"", re.S)


def lint_attributes(attrs: list[str]) -> list[tuple[str, str]]:
    """(allow|expect, lint) for each lint named in `allow(...)` / `expect(...)` attribute texts."""
    out: list[tuple[str, str]] = []
    for a in attrs:
        m = _LINT_ATTR.match(a.strip())
        if m:
            for part in _REASON.sub("", m.group(2)).split(","):
                name = part.strip().replace(" ", "")
                if name and "=" not in name:
                    out.append((m.group(1), name))
    return out


def inner_lint_attributes(src: SourceFile) -> list[tuple[str, str]]:
    """Lints of the `#![allow(...)]` / `#![expect(...)]` attributes at the top of a file."""
    found = [("allow", lint) for lint in src.facts.inner_lints if lint not in ("allow", "expect")]
    attrs: list[str] = []
    pending = ""
    for number in range(1, src.facts.line_count + 1):
        text = src.line_text(number)
        if pending:
            pending += " " + text
        elif text.startswith("#!["):
            pending = text
        elif text and not text.startswith(("//", "/*", "*")):
            break
        if pending and pending.count("[") <= pending.count("]"):
            attrs.append(pending[3:pending.rfind("]")])
            pending = ""
    return found + lint_attributes(attrs)


def _matching_lint(written: list[str], lints: frozenset[str]) -> str | None:
    for lint in written:
        name = lint.replace(" ", "")
        if name in lints:
            return name
        if name == "clippy::restriction" and lints & RESTRICTION_LINTS:
            return name
    return None


def attribute_hit(found: list[tuple[str, str]], lints: frozenset[str]) -> tuple[str, str] | None:
    for kind, lint in found:
        if _matching_lint([lint], lints):
            return kind, lint
    return None


def chain_hit(chain: list[Item], lints: frozenset[str]) -> str | None:
    for item in chain:
        hit = attribute_hit(lint_attributes(item.attrs), lints)
        if hit:
            return f"#[{hit[0]}({hit[1]})] on {_label(item)}"
    return None


def _label(item: Item) -> str:
    if item.kind == "impl":
        return f"impl {item.trait} for {item.self_type}" if item.trait else f"impl {item.self_type}"
    return f"{item.kind} {item.name}"
