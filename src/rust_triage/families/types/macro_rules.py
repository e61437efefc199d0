"""A `macro_rules!` matcher and transcriber over token trees (no type information, no name resolution).

Tokens keep where they come from (`Origin`: line, column, byte in the file), so code found in an
expansion is reported where rustc reports it: a token written in the macro's body at the body, a token
passed as an argument at the call. Matching follows rustc's rules for the common fragment kinds
(`ident`, `tt`, `literal`, `lifetime`, `block`, `vis`, `expr`, `stmt`, `ty`, `path`, `pat`, `pat_param`,
`meta`, `item`) and repetitions `$(..) sep op`. A fragment that is parsed by rustc's parser (`expr`,
`ty`...) extends to the first token of its follow set at its own nesting level, which is where the parser
stops for any input rustc accepts. Anything else gives None: the caller stays silent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rust_triage.families.types.macro_fragments import fragment_end, is_punct
from rust_triage.families.types.macro_tokens import Group, Origin, Tok, Tree, Unsupported

MAX_STEPS = 20_000  # matching work per call before giving up
MAX_TRANSCRIBED = 100_000  # tokens one transcription may write


# -- patterns -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Var:
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Rep:
    items: tuple[Pat, ...]
    sep: Tok | None
    op: str  # "*", "+", "?"
    names: frozenset[str]


@dataclass(frozen=True, slots=True)
class PGroup:
    open: str
    items: tuple[Pat, ...]


Pat = Tok | Var | Rep | PGroup


def parse_pattern(trees: tuple[Tree, ...] | list[Tree]) -> tuple[Pat, ...]:
    out: list[Pat] = []
    i = 0
    while i < len(trees):
        t = trees[i]
        if isinstance(t, Tok) and t.text == "$" and i + 1 < len(trees):
            nxt = trees[i + 1]
            if isinstance(nxt, Tok) and nxt.kind == "i":
                if i + 3 < len(trees) and is_punct(trees[i + 2], ":") and isinstance(trees[i + 3], Tok):
                    out.append(Var(nxt.text, trees[i + 3].text))
                    i += 4
                    continue
                raise Unsupported("metavariable without a fragment")
            if isinstance(nxt, Group) and nxt.open == "(":
                sub = parse_pattern(nxt.items)
                sep, op, i = _repetition_tail(trees, i + 2)
                out.append(Rep(sub, sep, op, frozenset(_names(sub))))
                continue
        if isinstance(t, Group):
            out.append(PGroup(t.open, parse_pattern(t.items)))
        else:
            out.append(t)
        i += 1
    return tuple(out)


def _repetition_tail(trees: tuple[Tree, ...] | list[Tree], i: int) -> tuple[Tok | None, str, int]:
    here = trees[i] if i < len(trees) else None
    after = trees[i + 1] if i + 1 < len(trees) else None
    if isinstance(here, Tok) and is_punct(here, "*", "+", "?"):
        return None, here.text, i + 1
    if isinstance(here, Tok) and isinstance(after, Tok) and is_punct(after, "*", "+"):
        return here, after.text, i + 2
    raise Unsupported("repetition without an operator")


def ident_names(pats: tuple[Pat, ...]) -> frozenset[str]:
    """The metavariables of `pats` that are `ident` fragments."""
    out: set[str] = set()
    for p in pats:
        if isinstance(p, Var) and p.kind == "ident":
            out.add(p.name)
        elif isinstance(p, (Rep, PGroup)):
            out |= ident_names(p.items)
    return frozenset(out)


def _names(pats: tuple[Pat, ...]) -> list[str]:
    out: list[str] = []
    for p in pats:
        if isinstance(p, Var):
            out.append(p.name)
        elif isinstance(p, (Rep, PGroup)):
            out.extend(_names(p.items))
    return out


# -- matching -------------------------------------------------------------------------------
Binding = tuple[Tree, ...] | list["Binding"]  # a fragment's trees, or one binding per repetition
Bindings = dict[str, Binding]


class _Budget:
    def __init__(self) -> None:
        self.steps = 0

    def spend(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise Unsupported("matching takes too long")


def match_rule(pattern: tuple[Pat, ...], trees: tuple[Tree, ...]) -> Bindings | None:
    """The bindings of `trees` against `pattern`; None when it does not match. Raises Unsupported when
    it matches in more than one way (rustc rejects such calls) or is too costly to decide."""
    budget = _Budget()
    found: Bindings | None = None
    for end, binds in _match(pattern, 0, trees, 0, {}, budget):
        if end != len(trees):
            continue
        if found is not None:
            raise Unsupported("ambiguous match")
        found = binds
    return found


def _match(pats: tuple[Pat, ...], pi: int, trees: tuple[Tree, ...], ti: int, binds: Bindings,
           budget: _Budget) -> Iterator[tuple[int, Bindings]]:
    """Yields (index after the matched trees, bindings) for each way `pats[pi:]` matches a prefix."""
    budget.spend()
    if pi == len(pats):
        yield ti, binds
        return
    p = pats[pi]
    if isinstance(p, Tok):
        if ti < len(trees) and isinstance(trees[ti], Tok) and trees[ti].text == p.text:
            yield from _match(pats, pi + 1, trees, ti + 1, binds, budget)
        return
    if isinstance(p, PGroup):
        t = trees[ti] if ti < len(trees) else None
        if isinstance(t, Group) and t.open == p.open:
            for end, inner in _match(p.items, 0, t.items, 0, binds, budget):
                if end == len(t.items):
                    yield from _match(pats, pi + 1, trees, ti + 1, inner, budget)
        return
    if isinstance(p, Var):
        end = fragment_end(p.kind, trees, ti)
        if end is not None:
            value = trees[ti:end]
            if p.kind == "expr" and len(value) > 1:  # one expression node, as rustc keeps it: `$e.f()`
                value = (Group("(", value, _first_origin(value[0]), _last_origin(value[-1])),)
            yield from _match(pats, pi + 1, trees, end, {**binds, p.name: value}, budget)
        return
    yield from _repeat(p, pats, pi, trees, ti, binds, [], budget)


def _repeat(rep: Rep, pats: tuple[Pat, ...], pi: int, trees: tuple[Tree, ...], ti: int, binds: Bindings,
            done: list[Bindings], budget: _Budget) -> Iterator[tuple[int, Bindings]]:
    """More iterations first (rustc's matcher is greedy), then stopping here."""
    can_more = rep.op != "?" or not done
    if can_more:
        start = ti
        if done and rep.sep is not None:
            if ti < len(trees) and isinstance(trees[ti], Tok) and trees[ti].text == rep.sep.text:
                start = ti + 1
            else:
                start = -1
        if start >= 0:
            for end, inner in _match(rep.items, 0, trees, start, {}, budget):
                if end > ti:  # an iteration that consumes nothing would loop
                    yield from _repeat(rep, pats, pi, trees, end, binds, [*done, inner], budget)
    if rep.op == "+" and not done:
        return
    merged = dict(binds)
    for name in rep.names:
        merged[name] = [d.get(name, ()) for d in done]
    yield from _match(pats, pi + 1, trees, ti, merged, budget)


# -- transcription --------------------------------------------------------------------------
class _Written:
    """Tokens a transcription may still write: a body that repeats a large fragment many times is given up
    (raises `Unsupported`) before it is built."""

    def __init__(self, tokens: int = MAX_TRANSCRIBED) -> None:
        self.left = tokens

    def spend(self, trees: tuple[Tree, ...] | list[Tree]) -> None:
        self.left -= _count(trees) + 1
        if self.left < 0:
            raise Unsupported("expansion too large")


def transcribe(body: tuple[Tree, ...], binds: Bindings, idents: frozenset[str] = frozenset(),
               budget: _Written | None = None) -> list[Tree]:
    """`body` with the metavariables of `binds` replaced; `idents` names the `ident` fragments."""
    if budget is None:
        budget = _Written()
    out: list[Tree] = []
    i = 0
    n = len(body)
    while i < n:
        t = body[i]
        if type(t) is Tok and t.text == "$" and i + 1 < n:
            nxt = body[i + 1]
            if isinstance(nxt, Tok) and nxt.kind == "i":
                if nxt.text == "crate":
                    out.append(Tok("i", "crate", nxt.origin))
                elif nxt.text in binds:
                    value = binds[nxt.text]
                    if isinstance(value, list):
                        raise Unsupported("metavariable still repeating")
                    if nxt.text in idents and len(value) == 1 and isinstance(value[0], Tok):
                        # rustc reports an `ident` fragment's errors at the metavariable in the body
                        # (the body's line and column, the byte of the token passed in: still the call's name)
                        value = (Tok(value[0].kind, value[0].text, (t.origin[0], t.origin[1], value[0].origin[2]),
                                     value[0].joint),)
                    budget.spend(value)
                    out.extend(value)
                else:
                    out.extend((t, nxt))  # e.g. a nested macro_rules! definition's own metavariables
                i += 2
                continue
            if isinstance(nxt, Group) and nxt.open == "(":
                sep, _, i = _repetition_tail(body, i + 2)
                out.extend(_transcribe_repetition(nxt.items, sep, binds, idents, budget))
                continue
        if type(t) is Group:
            plain = t.plain
            if plain is None:
                plain = t.plain = _plain_count(t.items)
            if plain >= 0:  # nothing to replace: the group itself, its tokens counted
                budget.left -= plain
                if budget.left < 0:
                    raise Unsupported("expansion too large")
                out.append(t)
            else:
                out.append(Group(t.open, tuple(transcribe(t.items, binds, idents, budget)), t.origin, t.close_origin))
        else:
            budget.left -= 1  # `budget.spend(())`
            if budget.left < 0:
                raise Unsupported("expansion too large")
            out.append(t)
        i += 1
    return out


def _transcribe_repetition(items: tuple[Tree, ...], sep: Tok | None, binds: Bindings,
                           idents: frozenset[str], budget: _Written) -> list[Tree]:
    used = {t.text for t in _flat(items) if t.kind == "i"}
    repeating = {name: v for name, v in binds.items() if name in used and isinstance(v, list)}
    if not repeating:
        raise Unsupported("repetition of no repeating metavariable")
    counts = {len(v) for v in repeating.values()}
    if len(counts) != 1:
        raise Unsupported("repetitions of different lengths")
    out: list[Tree] = []
    for k in range(counts.pop()):
        if k and sep is not None:
            out.append(sep)
        inner: Bindings = {**binds, **{name: v[k] for name, v in repeating.items()}}
        out.extend(transcribe(items, inner, idents, budget))
    return out


def _first_origin(t: Tree) -> Origin:
    return t.origin


def _last_origin(t: Tree) -> Origin:
    return t.close_origin if isinstance(t, Group) else t.origin


def _plain_count(trees: tuple[Tree, ...]) -> int:
    """The tokens of `trees` as `_count` counts them, or -1 when a `$` is among them."""
    n = 0
    for t in trees:
        if type(t) is Group:
            inner = t.plain
            if inner is None:
                inner = t.plain = _plain_count(t.items)
            if inner < 0:
                return -1
            n += inner
        elif t.text == "$":
            return -1
        else:
            n += 1
    return n


def _count(trees: tuple[Tree, ...] | list[Tree]) -> int:
    """The tokens of `trees` (a group's delimiters left out)."""
    n = 0
    for t in trees:
        n += _count(t.items) if type(t) is Group else 1
    return n


def _flat(trees: tuple[Tree, ...] | list[Tree]) -> Iterator[Tok]:
    for t in trees:
        if isinstance(t, Group):
            yield from _flat(t.items)
        else:
            yield t
