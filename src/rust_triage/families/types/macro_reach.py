"""Can an item-level call of a workspace `macro_rules!` implement a trait for a type it mentions?

The extractor marks a macro "open" when its body calls other macros or implements a metavariable
trait (`impl $t for ..`). This looks further, only for the rare open macros the rules ask about: the
body text is read again (from the file, lazily), nested `macro_rules!` definitions are set aside
(they define a macro, they do not call it), and the macros the body calls are followed through the
workspace's own `macro_rules!`. A call cannot implement `trait` for a type when the trait's name
appears in no reached body and in none of the macro's calls that mention the type (read again as
well), and every reached call is of a workspace macro or a formatting/assertion macro of std.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rust_triage.families.types.item_facts import _STD_BODY_MACROS
from rust_triage.workspace.safepath import read_file_or_none

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile

_INVOKED = re.compile(r"(\$?)\b([A-Za-z_][A-Za-z0-9_]*)\s*!\s*[({\[]")
_NESTED_DEFINITION = re.compile(r"\bmacro_rules\s*!\s*\$?[A-Za-z_][A-Za-z0-9_]*\s*[({\[]")
_MAX_BODY_LINES = 400


class MacroReach:
    def __init__(self, ctx: AnalysisContext) -> None:
        self.ctx = ctx
        self._bodies: dict[str, list[str]] | None = None
        self._memo: dict[tuple[str, str, str], bool] = {}

    def may_implement(self, macro: str, trait: str, type_name: str) -> bool:
        """May an item-level call of the workspace macro `macro` that mentions `type_name` implement
        `trait`?"""
        key = (macro, trait, type_name)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._body_may(macro, trait) or self._call_may(macro, trait, type_name)
        return found

    def _call_may(self, macro: str, trait: str, type_name: str) -> bool:
        """A call of `macro` holding both `type_name` and `trait` (or one that cannot be read)."""
        call = re.compile(rf"(?<![\w$]){re.escape(macro)}\s*!\s*[({{\[]")
        for src in self.ctx.files:
            facts = src.facts.extra.get("types")
            if facts is None or type_name not in facts.macro_calls.get(macro, ()):
                continue
            data = read_file_or_none(src.path, ())
            if data is None:
                return True
            text = data.decode("utf-8", "replace")
            for found in call.finditer(text):
                args = text[found.end() - 1:_after_group(text, found.end() - 1)]
                if _word(type_name, args) and _word(trait, args):
                    return True
        return False

    def _body_may(self, macro: str, trait: str) -> bool:
        bodies = self._workspace_bodies()
        seen: set[str] = set()
        todo = [macro]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            texts = bodies.get(name)
            if not texts:
                return True  # not a workspace macro: anything may come out of it
            for text in texts:
                body = _without_nested_definitions(text)
                if _word(trait, body):
                    return True
                for dollar, called in _INVOKED.findall(body):
                    if dollar:
                        return True  # a macro named by the caller
                    if called not in _STD_BODY_MACROS:
                        todo.append(called)
        return False

    def _workspace_bodies(self) -> dict[str, list[str]]:
        if self._bodies is None:
            self._bodies = {}
            for src in self.ctx.files:
                for item in src.facts.items:
                    if item.kind == "macro":
                        self._bodies.setdefault(item.name, []).append(_item_text(src, item.line, item.end_line))
        return self._bodies


def _word(word: str, text: str) -> bool:
    return re.search(rf"\b{re.escape(word)}\b", text) is not None


def _item_text(src: SourceFile, first: int, last: int) -> str:
    if last - first > _MAX_BODY_LINES:
        return "$unknown!()"  # too long to read again: treated as open
    # the first line holds `macro_rules! name {`: the name is not a call
    lines = [src.line_text(n) for n in range(first, last + 1)]
    if lines:
        lines[0] = _NESTED_DEFINITION.sub("{", lines[0], count=1)
    return "\n".join(lines)


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
