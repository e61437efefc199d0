"""Can an item-level call of a workspace `macro_rules!` implement a trait for a type it mentions?

The extractor marks a macro "open" when its body calls other macros or implements a metavariable
trait (`impl $t for ..`). This looks further, only for the rare open macros the rules ask about: in the
body, nested `macro_rules!` definitions are set aside (they define a macro, they do not call it), and the
macros the body calls are followed through the workspace's own `macro_rules!`. A call cannot implement
`trait` for a type when the trait's name appears in no reached body and in none of the macro's calls that
mention the type, and every reached call is of a workspace macro or a formatting/assertion macro of std.

What is read of the text (each body's words and the macros it calls, the words of the calls naming each
type) is recorded by the `typetext` extractor (`reach_text`), so that it is part of the file's
interface: an edit of it must not leave a cached finding that relied on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.families.types.reach_text import OPEN_BODY
from rust_triage.families.types.text_facts import text_facts_of

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext


class MacroReach:
    def __init__(self, ctx: AnalysisContext) -> None:
        self.ctx = ctx
        self._bodies: dict[str, list[tuple[bool, list[str], frozenset[str]]]] | None = None
        self._memo: dict[tuple[str, str, str], bool] = {}

    def may_implement(self, macro: str, trait: str, type_name: str) -> bool:
        """May an item-level call of the workspace macro `macro` that mentions `type_name` implement
        `trait`?"""
        key = (macro, trait, type_name)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._body_may(macro, trait) or self.call_may_implement(macro, trait, type_name)
        return found

    def call_may_implement(self, macro: str, trait: str, type_name: str) -> bool:
        """A call of `macro` holding both `type_name` and `trait`."""
        for src in self.ctx.files:
            facts = src.facts.extra.get("types")
            if facts is None or type_name not in facts.macro_calls.get(macro, ()):
                continue
            if trait in text_facts_of(src).macro_call_words.get(macro, {}).get(type_name, ()):
                return True
        return False

    def items_call_may_implement(self, macro: str, trait: str, type_name: str) -> bool:
        """A call of `macro`, whose calls hold items as written (`reach_text.ITEMS_AS_WRITTEN`), that names
        `type_name` and implements `trait` for it, or calls a macro that may implement it."""
        if self.call_may_implement(macro, trait, type_name):
            return True
        for src in self.ctx.files:
            words = text_facts_of(src).macro_call_words.get(macro, {}).get(type_name, ())
            if any(word.startswith("!") and self._body_may(word[1:], trait) for word in words):
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
            found = bodies.get(name)
            if not found:
                return True  # not a workspace macro: anything may come out of it
            for open_, invoked, words in found:
                if open_ or trait in words:
                    return True
                todo.extend(invoked)
        return False

    def _workspace_bodies(self) -> dict[str, list[tuple[bool, list[str], frozenset[str]]]]:
        if self._bodies is None:
            self._bodies = {}
            for src in self.ctx.files:
                macros = [item for item in src.facts.items if item.kind == "macro"]
                recorded = text_facts_of(src).macro_bodies if macros else {}
                for item in macros:
                    open_, invoked, words = recorded.get(item.index, OPEN_BODY)
                    self._bodies.setdefault(item.name, []).append((open_, invoked, frozenset(words)))
        return self._bodies
