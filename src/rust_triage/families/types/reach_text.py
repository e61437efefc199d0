"""What the trait checks read of `macro_rules!` bodies and of the calls of item-level macros (`macro_reach`),
taken from the text by the `typetext` extractor: a body's words and the macros it calls, nested
`macro_rules!` definitions left out; the words of the calls that name each type.

A name is in a text when it is one of its words, runs of word characters (as word boundaries around it find it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from rust_triage.families.types.item_facts import _STD_BODY_MACROS

if TYPE_CHECKING:
    from rust_triage.parse.facts import Item

_INVOKED = re.compile(r"(\$?)\b([A-Za-z_][A-Za-z0-9_]*)\s*!\s*[({\[]")
_NESTED_DEFINITION = re.compile(r"\bmacro_rules\s*!\s*\$?[A-Za-z_][A-Za-z0-9_]*\s*[({\[]")
_MAX_BODY_LINES = 400
_WORDS = re.compile(r"\w+")
# a macro item -> (open: it calls a macro named by a metavariable, or is too long to read; the macros it calls
# but std's formatting and assertion ones; its words)
BodyFacts = tuple[bool, list[str], list[str]]
OPEN_BODY: BodyFacts = (True, [], [])


def body_facts(line_text: Callable[[int], str], item: Item) -> BodyFacts:
    """What `MacroReach` reads of a `macro_rules!` item's body: its lines as `line_text` gives them, less its
    nested definitions."""
    if item.end_line - item.line > _MAX_BODY_LINES:
        return OPEN_BODY  # too long to read: treated as open
    # the first line holds `macro_rules! name {`: the name is not a call
    lines = [line_text(n) for n in range(item.line, item.end_line + 1)]
    if lines:
        lines[0] = _NESTED_DEFINITION.sub("{", lines[0], count=1)
    body = _without_nested_definitions("\n".join(lines))
    invoked: set[str] = set()
    for dollar, called in _INVOKED.findall(body):
        if dollar:
            return OPEN_BODY  # a macro named by the caller
        if called not in _STD_BODY_MACROS:
            invoked.add(called)
    return False, sorted(invoked), sorted(set(_WORDS.findall(body)))


def call_words(text: str, macro: str, idents: list[str]) -> dict[str, list[str]]:
    """Each of `idents` -> the words of the calls of `macro` in `text` that name it (in their arguments, also
    in comments), for the calls anywhere in the file."""
    call = re.compile(rf"(?<![\w$]){re.escape(macro)}\s*!\s*[({{\[]")
    wanted = set(idents)
    out: dict[str, set[str]] = {}
    for found in call.finditer(text):
        words = set(_WORDS.findall(text, found.end() - 1, _after_group(text, found.end() - 1)))
        for ident in words & wanted:
            out.setdefault(ident, set()).update(words)
    return {ident: sorted(words) for ident, words in sorted(out.items())}


def _without_nested_definitions(body: str) -> str:
    """`body` less the `macro_rules! name { .. }` definitions it holds."""
    out: list[str] = []
    at = 0
    for found in _NESTED_DEFINITION.finditer(body):
        if found.start() < at:
            continue
        out.append(body[at:found.start()])
        at = _after_group(body, found.end() - 1)
    out.append(body[at:])
    return "".join(out)


def _after_group(text: str, open_at: int) -> int:
    """The index after the bracket group opening at `open_at`."""
    depth = 0
    for i in range(open_at, len(text)):
        ch = text[i]
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)
