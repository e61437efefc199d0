"""Tokens of `macro_rules!` rules and calls: a lexer to token trees that keep where each token comes
from, and the text of an expansion (see macro_rules.py)."""


from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

Origin = tuple[int, int, int]  # (line, column, byte) in the file, 1-based line and column
OriginMap = Callable[[int], Origin | None]  # offset in the lexed text -> its origin


# Tokens are never changed after they are made, but not `frozen`: a frozen dataclass is made about 4x slower,
# and an expansion makes one object per token and group.
@dataclass(slots=True, unsafe_hash=True)
class Tok:
    kind: str  # "i" identifier/keyword, "l" lifetime, "L" literal, "p" punctuation
    text: str
    origin: Origin
    joint: bool = False  # punctuation written right before more punctuation (`&&`, `->` parts)


@dataclass(slots=True, unsafe_hash=True)
class Group:
    open: str  # "(", "[", "{"
    items: tuple[Tree, ...]
    origin: Origin
    close_origin: Origin
    # filled by `macro_rules.transcribe`: the tokens in `items` when no `$` is among them (the group is
    # written out as it is), else -1
    plain: int | None = field(default=None, compare=False, repr=False)


Tree = Tok | Group

_CLOSE = {"(": ")", "[": "]", "{": "}"}
_LEXEME = re.compile(
    r"""(?P<ws>\s+)
    |(?P<doc>///(?!/)[^\n]*|//![^\n]*|/\*\*(?!/)[\s\S]*?\*/|/\*![\s\S]*?\*/)
    |(?P<comment>//[^\n]*|/\*[\s\S]*?\*/)
    |(?P<lit>b?r(?P<hashes>\#*)"[\s\S]*?"(?P=hashes)|b?"(?:\\[\s\S]|[^"\\])*"|b?'(?:\\[^']{1,10}|[^'\\])'
        |\d[\w]*(?:\.(?![.\w])|\.\d[\w]*)?)
    |(?P<life>'[A-Za-z_]\w*)
    |(?P<ident>(?:r\#)?[A-Za-z_]\w*)
    |(?P<punct>::|=>|->|\.\.=|\.\.\.|\.\.|[=!<>]=|&&|\|\||[-+*/%^&|]=|[^\s\w])""",
    re.VERBOSE,
)
_PUNCT_CHARS = frozenset("!#$%&*+,-./:;<=>?@^|~")
_KINDS = {"lit": "L", "life": "l", "ident": "i", "hashes": "L"}  # a lexeme's group -> its token's kind


class Unsupported(Exception):
    """The input cannot be matched or expanded with confidence."""


def lex(text: str, origin_of: OriginMap) -> list[Tree] | None:
    """Token trees of `text` (a macro's rule or call, decoded as latin-1 so offsets are bytes), or None
    when brackets do not balance or a token has no origin."""
    stack: list[tuple[str, Origin, list[Tree]]] = [("", (0, 0, 0), [])]
    for m in _LEXEME.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        start, value = m.start(), m.group()
        where = origin_of(start)
        if where is None:
            return None
        if kind == "doc":  # `/// x` is `#[doc = ".."]` to a macro
            doc = Group("[", (Tok("i", "doc", where), Tok("p", "=", where), Tok("L", '""', where)), where, where)
            stack[-1][2].extend([Tok("p", "#", where), doc])
            continue
        if kind == "punct" and value in "([{":
            stack.append((value, where, []))
            continue
        if kind == "punct" and value in ")]}":
            open_, open_at, items = stack.pop()
            if len(stack) == 0 or _CLOSE.get(open_) != value:
                return None
            stack[-1][2].append(Group(open_, tuple(items), open_at, where))
            continue
        joint = kind == "punct" and m.end() < len(text) and text[m.end()] in _PUNCT_CHARS
        stack[-1][2].append(Tok(_KINDS.get(kind or "", "p"), value, where, joint))
    if len(stack) != 1:
        return None
    return stack[0][2]


def render(trees: list[Tree] | tuple[Tree, ...], origins: dict[int, Origin]) -> str:
    """The text of `trees`, spaced as little as keeps tokens apart (`Shape::Dot(1)`, `x.clone()`: the
    extractor reads some texts); `origins` gets each token's start offset -> its origin, in increasing order."""
    out: list[str] = []
    # [offset, previous token's kind]: "w" word, "L" literal, "p" punctuation, "j" joint punctuation or an
    # opening delimiter, "c" a closing delimiter (spaced as "p"), "" start
    state: list = [0, ""]
    _render_into(trees, out, origins, state)
    return "".join(out)


def _render_into(trees: list[Tree] | tuple[Tree, ...], out: list[str], origins: dict[int, Origin],
                 state: list) -> None:
    at, prev = state
    for t in trees:
        if type(t) is Group:
            if prev == "L" or prev == "p":  # an opening delimiter is "j"
                out.append(" ")
                at += 1
            origins[at] = t.origin
            out.append(t.open)
            at += 1
            state[0], state[1] = at, "j"
            _render_into(t.items, out, origins, state)
            at = state[0]  # a closing delimiter is never spaced from what precedes it
            origins[at] = t.close_origin
            out.append(_CLOSE[t.open])
            at += 1
            prev = "p"
            continue
        kind = t.kind
        if kind == "p":
            kind = "j" if t.joint else "p"
            space = prev == "L" or prev == "p"
        elif kind == "L":
            space = prev == "L" or prev == "w"
        else:
            kind = "w"
            space = prev == "L" or prev == "w"
        if space:
            out.append(" ")
            at += 1
        origins[at] = t.origin
        text = t.text
        out.append(text)
        at += len(text)
        prev = kind
    state[0], state[1] = at, prev
