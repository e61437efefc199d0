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
_BANG = re.compile(r"!\s*[({\[]")  # the end of a macro call's name: `!(`, `! [`, `!{`
_SPACE = re.compile(r"\s")
_WORD_CHAR = re.compile(r"\w")
_BRACKETS = re.compile(r"[(){}\[\]]")
# a macro item -> (open: it calls a macro named by a metavariable, or is too long to read; the macros it calls
# but std's formatting and assertion ones; its words)
BodyFacts = tuple[bool, list[str], list[str]]
# well-known macros whose calls hold items as written (`cfg_if! { if #[cfg(..)] { impl Debug for T {..} } }`)
ITEMS_AS_WRITTEN = frozenset({"cfg_if"})
# `impl<..> Trait<..> for Type<..> where .. {`: the trait and the self type
_IMPL_HEADER = re.compile(r"\bimpl\b([^{};]*?)\bfor\s+([^{};]*?)\s*(?:\bwhere\b[^{};]*)?\{")
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


def call_words(text: str, macro_calls: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """For each macro `macro_calls` names (-> the names its item-level calls mention): each of those names ->
    the words of the calls of the macro in `text` that name it (in their arguments, comments too), for the
    calls anywhere in the file. For a macro whose calls hold items as written (`ITEMS_AS_WRITTEN`), only the
    traits a call's `impl` headers implement for the name (see `_implemented_in`)."""
    out: dict[str, dict[str, set[str]]] = {}
    plain = {macro for macro in macro_calls if _WORDS.fullmatch(macro)}
    found = [(name, end) for name, end in _macro_calls(text) if name in plain]
    for macro in sorted(set(macro_calls) - plain):  # a raw `r#name`: not a word
        found.extend((macro, m.end()) for m in re.finditer(rf"(?<![\w$]){re.escape(macro)}\s*!\s*[({{\[]", text))
    for macro, end in found:
        wanted = macro_calls[macro]
        stop = _after_group(text, end - 1)
        words = set(_WORDS.findall(text, end - 1, stop))
        for ident in words.intersection(wanted):
            named = _implemented_in(text[end - 1:stop], ident, words) if macro in ITEMS_AS_WRITTEN else words
            out.setdefault(macro, {}).setdefault(ident, set()).update(named)
    return {macro: {ident: sorted(words) for ident, words in sorted(by_ident.items())}
            for macro, by_ident in sorted(out.items())}


def _implemented_in(call: str, type_name: str, words: set[str]) -> set[str]:
    """The traits the `impl` headers of a call holding items as written implement for `type_name`
    (`impl<'a> fmt::Debug for Name<'a> {` -> Debug). When the call calls other macros (but std's formatting
    ones), which may write any impl: every word of the call, and `!name` for each macro it calls."""
    called = {name for name, _ in _macro_calls(call)} - _STD_BODY_MACROS - ITEMS_AS_WRITTEN
    if called:
        return words | {"!" + name for name in called}
    out = set()
    for header in _IMPL_HEADER.finditer(call):
        trait, self_type = (_WORDS.findall(_without_generics(part)) for part in header.groups())
        if trait and self_type and self_type[-1] == type_name:
            out.add(trait[-1])
    return out


def _without_generics(text: str) -> str:
    """`text` less its `<..>` groups."""
    out, depth = [], 0
    for char in text:
        if char == "<":
            depth += 1
        elif char == ">" and depth:
            depth -= 1
        elif not depth:
            out.append(char)
    return "".join(out)


def _macro_calls(text: str) -> list[tuple[str, int]]:
    r"""(name, end) of each `name!(`, `name ! [`... in `text`, as `(?<![\w$])(\w+)\s*!\s*[({\[]` finds them (a
    name is a whole run of word characters, so no match hides another), found from the `!`s: a scan of every
    word was most of the cost."""
    out = []
    for found in _BANG.finditer(text):
        end = found.start()
        while end > 0 and _SPACE.match(text, end - 1):
            end -= 1
        start = end
        while start > 0 and _WORD_CHAR.match(text, start - 1):
            start -= 1
        if start < end and (start == 0 or text[start - 1] != "$"):
            out.append((text[start:end], found.end()))
    return out


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
    for found in _BRACKETS.finditer(text, open_at):
        if found.group() in "({[":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return found.end()
    return len(text)
