"""What the type checks read from the text rather than from the items: how a method takes `self`, the names
an item's generics or `where` clause bound by `Copy`, a generic fn's `where` clause, a `const`'s or
`static`'s written type, the calls and array repeats written in a fn's lines, and what the trait checks read of
`macro_rules!` bodies and of the calls of item-level macros (`reach_text`).

Kept as an extractor section (`typetext`) so that it is part of the file's interface: the workspace rules'
findings are reused only while every interface holds, and a read of the text at rule time would escape that
(`&self` -> `&mut self`, or `N: Copy` -> `N: Send` in a `where` clause, moves no item and changes no other
fact). The decisions are the ones the rules made from the text before: the same lines, the same patterns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tree_sitter import Tree

from rust_triage.families.types.reach_text import BodyFacts, body_facts, call_words
from rust_triage.parse.context import ContextResolver
from rust_triage.parse.facts import FileFacts, Item
from rust_triage.parse.registry import extractor
from rust_triage.parse.source import SourceFile

LineText = Callable[[int], str]  # a 1-based line's stripped text, as `SourceFile.line_text` gives it

# `fn name<..>(self`, `(&self`, `(&'a mut self`: the receiver, when no type is written for it
_RECEIVER = re.compile(r"\bfn\s+\w+\s*(?:<[^(]*>)?\s*\(\s*(&\s*(?:'\w+\s+)?(mut\s+)?)?(?:mut\s+)?self\b(?!\s*:)")
_SIGNATURE_LINES = 4  # a receiver is looked for in a fn's first lines
_HEADER_LINES = 8  # `Copy` bounds in an item's first lines, up to its body
_WHERE_LINES = 12  # a fn's `where` clause in its first lines, up to its body
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# `N: Copy + Eq`, `G::NodeId: Copy`: the bounded name, then its bounds up to the next clause
_BOUND = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*(?:\s*::\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*:(?!:)([^,;{]*)")
# `pub(crate) const NAME: Type = ..` on one line (a `static` may be `mut`)
_CONST_TYPE = re.compile(r"(?:pub(?:\([^)]*\))?\s+)?(?:const|static)\s+(?:mut\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:"
                         r"\s*([^=]+?)\s*=")


# `name(`, `name::<T>(`: a call as written, by the name called (what precedes it on its line decides its forms)
_CALLED = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)[ \t]*((?:::[ \t]*<[^()\n]*>[ \t]*)?)\(")
_OWNER = re.compile(r"(?<!\w)([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?:::[ \t]*<[^()\n]*>[ \t]*)?::[ \t]*$")  # `Dfs::<N>::`
_OWNER_REACH = 200  # characters before a name that `_OWNER` looks at
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")  # `_CALLED`'s name's
# `[EdgeIndex::end(); 2]`, `[None; 8]`, `[x; n]`: an array repeat (and `vec![x; n]`, which clones)
_ANY_REPEAT = re.compile(r"\[[ \t]*([^\[\];&\n]+?)[ \t]*;[ \t]*[^\];\n]+\]")
_IN_VEC = re.compile(r"\bvec! ?$")
_CODE_ITEMS = frozenset({"fn", "const", "static"})
_LOCAL = re.compile(r"[a-z_][a-z0-9_]*")  # as `receiver_moves`: a method call on a local may move it


@dataclass(slots=True)
class TypeText:
    receivers: dict[int, str] = field(default_factory=dict)  # fn -> "self", "&" or "&mut" (an untyped `self`)
    copy_bounded: dict[int, list[str]] = field(default_factory=dict)  # generic fn/impl -> names bound by `Copy`
    where_clauses: dict[int, str] = field(default_factory=dict)  # generic fn -> its `where` predicates as written
    const_types: dict[int, str] = field(default_factory=dict)  # const/static -> its written type
    # fn/const/static -> the calls written in its lines (comments too), as `call_forms` gives them
    calls: dict[int, list[str]] = field(default_factory=dict)
    # fn/const/static -> the elements of array repeats in its lines: outside `vec!`, and in any repeat
    repeats: dict[int, tuple[list[str], list[str]]] = field(default_factory=dict)
    macro_bodies: dict[int, BodyFacts] = field(default_factory=dict)  # macro_rules! item -> `body_facts`
    # macro called at item level -> a name its item-level calls mention -> the words of its calls naming it
    # (for `cfg_if`: the traits their impl headers implement for it, see `reach_text.call_words`)
    macro_call_words: dict[str, dict[str, list[str]]] = field(default_factory=dict)


def receiver_kind(line_text: LineText, item: Item) -> str | None:
    """`self`, `&` or `&mut` as fn `item` takes its receiver; None when unknown (a typed `self: ..`, or a
    signature longer than a few lines)."""
    last = min(item.line + _SIGNATURE_LINES - 1, item.end_line)
    signature = " ".join(line_text(line) for line in range(item.line, last + 1))
    at = signature.find("fn")  # where a match may start (searched from there on: the same match)
    found = _RECEIVER.search(signature, at) if at >= 0 else None
    if found is None:
        return None
    return ("&mut" if found.group(2) else "&") if found.group(1) else "self"


def _header(line_text: LineText, item: Item, most: int) -> list[str]:
    """An item's first lines up to the one that opens its body (at most `most`)."""
    out = []
    for at in range(item.line, min(item.line + most, item.end_line + 1)):
        text = line_text(at)
        out.append(text)
        if "{" in text or text.endswith(";"):
            break
    return out


def copy_bounded_names(line_text: LineText, item: Item) -> list[str]:
    """`N` for each `N: .. Copy ..` (`G::NodeId` for `G::NodeId: Copy`) bound in an item's generics or
    `where` clause."""
    header = " ".join(_header(line_text, item, _HEADER_LINES))
    if "Copy" not in header:
        return []  # (as the pattern finds none)
    return sorted({re.sub(r"\s+", "", found.group(1)) for found in _BOUND.finditer(header)
                   if "Copy" in _WORD.findall(found.group(2))})


def where_clause(line_text: LineText, item: Item) -> str:
    """The predicates of fn `item`'s `where` clause as written ("" when it has none)."""
    signature = " ".join(_header(line_text, item, _WHERE_LINES + 1)).split("{", 1)[0]
    m = re.search(r"\bwhere\b(.*)$", signature, re.S) if "where" in signature else None
    return m.group(1).rstrip("; ") if m else ""


def const_type(line_text: LineText, item: Item) -> str | None:
    """The written type of a `const` or `static` item, when its declaration fits one line."""
    found = _CONST_TYPE.match(line_text(item.line))
    return found.group(2).strip() if found is not None and found.group(1) == item.name else None


def call_forms(text: str) -> set[str]:
    """The forms of the calls in `text`, each read on its line: `name` (a call not of a method: `f(`,
    `a::f(`), `.name` (a method call, with or without a turbofish) and `Owner::name` (`Dfs::new(`,
    `Dfs::<N>::new(`, `Self::new(`)."""
    forms = set()
    for found in _calls(text):
        name, start = found.group(1), found.start()
        before = text[start - 1] if start else "\n"
        if before != ".":
            forms.add(name)
        last = start - 1  # the last character before the name that is not a space
        while last >= 0 and text[last] in " \t":
            last -= 1
        if last < 0 or text[last] == "\n":
            continue
        if text[last] == ".":
            forms.add("." + name)
        elif text[last] == ":" and text[last - 1:last] == ":" and not found.group(2).strip():
            owner = _OWNER.search(text, _line_part_start(text, max(0, last - _OWNER_REACH), last), last + 1)
            if owner is not None:
                forms.add(f"{owner.group(1)}::{name}")
    return forms


def _calls(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_CALLED` in `text`, as `_CALLED.finditer(text)` finds them. A match holds no `(`, `)` or
    line break but the `(` it ends with, so each is looked for only before a `(`, after the last such character:
    a search from every word start of the text was most of the section's cost. Without a turbofish, only the
    name right before the `(` can start one."""
    after = 0  # after the last `(`
    at = text.find("(")
    while at >= 0:
        start = _line_part_start(text, after, at)
        end = at  # before the spaces and tabs before the `(`
        while end > start and text[end - 1] in " \t":
            end -= 1
        if end > start and text[end - 1] == ">":  # maybe a turbofish: searched for in the whole part
            found = _CALLED.search(text, start, at + 1)
        else:  # else only a match of the word right before (if any) ends at this `(`
            word = end
            while word > start and text[word - 1] in _WORD_CHARS:
                word -= 1
            found = _CALLED.match(text, word, at + 1) if word < end else None
        if found is not None:
            yield found
        after = at + 1
        at = text.find("(", after)


def _line_part_start(text: str, start: int, end: int) -> int:
    """Where `_CALLED` or `_OWNER` may start matching in text[start:end]: after its last `(`, `)` or line break
    (the patterns match none of them but a `_CALLED` match's last `(`)."""
    return max(text.rfind("(", start, end), text.rfind(")", start, end), text.rfind("\n", start, end), start - 1) + 1


def _repeats(text: str) -> tuple[list[str], list[str]]:
    """The elements of the array repeats in `text`: those outside a `vec!`, and all."""
    array, repeated = set(), set()
    for found in _ANY_REPEAT.finditer(text):
        repeated.add(found.group(1))
        if _IN_VEC.search(text, max(0, found.start() - 5), found.start()) is None:
            array.add(found.group(1))
    return sorted(array), sorted(repeated)


def _code_lines(lines: list[str], item: Item) -> tuple[list[str], tuple[list[str], list[str]]]:
    """The call forms and the array repeats' elements (outside `vec!`, anywhere) in an item's lines."""
    text = "\n".join(lines[item.line - 1:item.end_line])
    return sorted(call_forms(text)), _repeats(text) if "[" in text else ([], [])


def type_text(lines: list[str], items: list[Item], scanned: set[int] | None = None,
              macro_calls: dict[str, list[str]] | None = None) -> TypeText:
    """The section for `items`, from the file's `lines` (without their line breaks); the calls and repeats of
    only the `scanned` items (default: every fn, const and static); the words of the calls of the macros
    `macro_calls` names (those called at item level -> the names their calls there mention)."""

    def line_text(line: int) -> str:  # as `SourceFile.line_text`
        return lines[line - 1].strip()[:300] if 0 < line <= len(lines) else ""

    out = TypeText()
    for item in items:
        if item.kind in _CODE_ITEMS and (scanned is None or item.index in scanned):
            forms, repeats = _code_lines(lines, item)
            if forms:
                out.calls[item.index] = forms
            if repeats[1]:
                out.repeats[item.index] = repeats
        if item.kind == "fn" and item.has_self:
            kind = receiver_kind(line_text, item)
            if kind is not None:
                out.receivers[item.index] = kind
        if item.kind in ("fn", "impl") and item.generics:
            bounded = copy_bounded_names(line_text, item)
            if bounded:
                out.copy_bounded[item.index] = bounded
            clause = where_clause(line_text, item) if item.kind == "fn" else ""
            if clause:
                out.where_clauses[item.index] = clause
        elif item.kind in ("const", "static"):
            written = const_type(line_text, item)
            if written is not None:
                out.const_types[item.index] = written
        elif item.kind == "macro":
            out.macro_bodies[item.index] = body_facts(line_text, item)
    if macro_calls:
        out.macro_call_words = call_words("\n".join(lines), macro_calls)
    return out


@extractor("typetext", version=3, section=TypeText)
def extract(tree: Tree, source: bytes, facts: FileFacts, resolver: ContextResolver) -> TypeText:
    # lines as `source_lines` numbers them (a `\r` left at a line's end is a space to every pattern here)
    types = facts.extra.get("types")  # extractors run in name order
    return type_text(source.decode("utf-8", "replace").split("\n"), facts.items, _asked_about(facts),
                     getattr(types, "macro_calls", None))


def _asked_about(facts: FileFacts) -> set[int] | None:
    """The items whose lines the move checks read (`copy_bounds.needs_copy_elsewhere`): those holding a move
    (the `moves` section), a `Copy` use (the `types` section) or a method call on a local (`receiver_moves`).
    The sections come first: extractors run in name order. None (every item) without them."""
    moves, types = facts.extra.get("moves"), facts.extra.get("types")
    if moves is None or types is None:
        return None
    asked = {m.item for m in moves} | {u.item for u in types.uses if u.trait == "Copy"}
    asked.update(c.item for c in facts.calls
                 if c.method and not c.in_macro and c.receiver != "self" and _LOCAL.fullmatch(c.receiver))
    return asked


def text_facts_of(src: SourceFile) -> TypeText:
    """The file's `typetext` section (part of its interface); read from its text when it has none."""
    found = src.facts.extra.get("typetext")
    if isinstance(found, TypeText):
        return found
    src.line_text(1)  # loads the lines
    types = src.facts.extra.get("types")
    return type_text(src._lines or [], src.facts.items, None, getattr(types, "macro_calls", None))
