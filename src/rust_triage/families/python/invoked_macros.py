"""The file's own `macro_rules!` macros each fn invokes (`getter!(..)`): RT510 reaches a panic in a macro's body
through a reached fn that invokes it (`panics.macro_invokers`).

Macro invocations are not calls in the facts, so the fns' lines are searched for `name!(`, `name![`,
`name!{` (comments too, each line stripped and cut at 300 characters as `SourceFile.line_text` gives it).
Kept as an extractor section so that it is part of the file's interface: renaming a macro call in a body
changes no other fact. Only files that define a macro have any.
"""

from __future__ import annotations

import re

from tree_sitter import Tree

from rust_triage.parse.context import ContextResolver
from rust_triage.parse.facts import FileFacts
from rust_triage.parse.registry import extractor

# in lines joined by `\n`, as found in each line: the spaces before the bracket are on the name's line
_INVOCATION = re.compile(r"(?<![\w:])(\w+)![^\S\n]*[(\[{]")
_BANG = re.compile(r"![^\S\n]*[(\[{]")
_WORD_CHAR = re.compile(r"\w")


def invocation_pattern(name: str) -> re.Pattern[str]:
    """An invocation of the macro `name` in a line (or in lines joined by `\n`)."""
    return re.compile(rf"(?<![\w:]){re.escape(name)}![^\S\n]*[(\[{{]")


def invoked_names(text: str) -> set[str]:
    """The names `_INVOCATION` finds in `text`, found from the `!`s (a name is a whole run of word characters, so
    no match hides another): a scan of every word costs more."""
    out = set()
    for found in _BANG.finditer(text):
        end = start = found.start()
        while start > 0 and _WORD_CHAR.match(text, start - 1):
            start -= 1
        if start < end and (start == 0 or text[start - 1] != ":"):
            out.add(text[start:end])
    return out


def invoked_in(lines: list[str], facts: FileFacts) -> dict[int, list[str]]:
    """fn item index -> the names of the file's macros it invokes, from the file's `lines`."""
    names = {item.name for item in facts.items if item.kind == "macro"}
    if not names:
        return {}
    odd = sorted(n for n in names if not re.fullmatch(r"\w+", n))  # a raw `r#name`: no word of `_INVOCATION`

    def line_text(at: int) -> str:  # as `SourceFile.line_text`
        return lines[at - 1].strip()[:300] if 0 < at <= len(lines) else ""

    out: dict[int, list[str]] = {}
    for fn in facts.items:
        if fn.kind != "fn":
            continue
        text = "\n".join(line_text(n) for n in range(fn.line, fn.end_line + 1))
        if "!" not in text:
            continue
        found = invoked_names(text) & names
        found.update(n for n in odd if invocation_pattern(n).search(text))
        if found:
            out[fn.index] = sorted(found)
    return out


@extractor("invoked_macros", version=1, section=dict[int, list[str]])
def extract(tree: Tree, source: bytes, facts: FileFacts, resolver: ContextResolver) -> dict[int, list[str]]:
    if not any(item.kind == "macro" for item in facts.items):
        return {}
    return invoked_in(source.decode("utf-8", "replace").split("\n"), facts)  # each line stripped when read
