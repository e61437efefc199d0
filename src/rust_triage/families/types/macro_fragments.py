"""Where a `macro_rules!` fragment of a parsed kind (`expr`, `ty`, `pat`, `item`...) ends in a call's token
trees: at the first token of its follow set at its own nesting level, where rustc's parser stops for any
input it accepts; None when unsure (the caller stays silent)."""

from __future__ import annotations

from rust_triage.families.types.macro_tokens import Group, Tok, Tree, Unsupported


def is_punct(t: Tree, *texts: str) -> bool:
    """`t` is one of the punctuation tokens `texts`."""
    return isinstance(t, Tok) and t.kind == "p" and t.text in texts


_EXPR_STOP = frozenset({",", ";", "=>"})
_TYPE_STOP = frozenset({",", ";", "=>", "=", "|", ":", ">", "as", "where", "in"})
_PAT_STOP = frozenset({"=>", ",", "=", "if", "in"})
_LITERAL_WORDS = frozenset({"true", "false"})


def fragment_end(kind: str, trees: tuple[Tree, ...], ti: int) -> int | None:
    """Where fragment `kind` starting at `trees[ti]` ends (exclusive), None when it cannot start there."""
    n = len(trees)
    first = trees[ti] if ti < n else None
    if kind == "vis":
        if isinstance(first, Tok) and first.text == "pub":
            nxt = trees[ti + 1] if ti + 1 < n else None
            return ti + 2 if isinstance(nxt, Group) and nxt.open == "(" else ti + 1
        return ti
    if first is None:
        return None
    if kind == "tt":
        return ti + 1 if not is_punct(first, "$") else None
    if kind == "ident":
        return ti + 1 if isinstance(first, Tok) and first.kind == "i" and first.text != "_" else None
    if kind == "lifetime":
        return ti + 1 if isinstance(first, Tok) and first.kind == "l" else None
    if kind == "block":
        return ti + 1 if isinstance(first, Group) and first.open == "{" else None
    if kind == "literal":
        if isinstance(first, Tok) and (first.kind == "L" or first.text in _LITERAL_WORDS):
            return ti + 1
        if is_punct(first, "-") and ti + 1 < n and isinstance(trees[ti + 1], Tok) and trees[ti + 1].kind == "L":
            return ti + 2
        return None
    if kind in ("expr", "stmt"):
        return _scan(trees, ti, _EXPR_STOP, closures=True)
    if kind in ("ty", "path"):
        return _scan(trees, ti, _TYPE_STOP, angles=True)
    if kind == "pat":
        return _scan(trees, ti, _PAT_STOP)
    if kind == "pat_param":
        return _scan(trees, ti, _PAT_STOP | {"|"})
    if kind == "meta":
        return _scan(trees, ti, _EXPR_STOP)
    if kind == "item":
        return _item_end(trees, ti)
    raise Unsupported(f"fragment {kind}")


def _scan(trees: tuple[Tree, ...], ti: int, stop: frozenset[str], angles: bool = False,
          closures: bool = False) -> int | None:
    depth = 0  # `<..>` nesting (types, turbofish)
    i = ti
    n = len(trees)
    if closures:  # a closure's parameter list may hold commas
        if i < n and isinstance(trees[i], Tok) and trees[i].text == "move":
            i += 1
        if i < n and is_punct(trees[i], "|"):
            i += 1
            while i < n and not is_punct(trees[i], "|"):
                i += 1
            i += 1
    while i < n:
        t = trees[i]
        if isinstance(t, Tok):
            text = t.text
            if depth == 0 and text in stop and (t.kind == "p" or text in ("as", "where", "if", "in")):
                break
            if text == "<" and (angles or (i > ti and is_punct(trees[i - 1], "::"))):
                depth += 1
            elif text == ">" and depth > 0:
                depth -= 1
        i += 1
    return i if i > ti else None


_TERMINATED_BY_SEMICOLON = frozenset({"const", "static", "type", "use", "extern", "let"})


def _item_end(trees: tuple[Tree, ...], ti: int) -> int | None:
    i = ti
    n = len(trees)
    while i + 1 < n and is_punct(trees[i], "#") and isinstance(trees[i + 1], Group):
        i += 2  # attributes
    semicolon_only = False
    while i < n:
        t = trees[i]
        if isinstance(t, Tok) and t.text in _TERMINATED_BY_SEMICOLON:
            semicolon_only = True
        if is_punct(t, ";"):
            return i + 1
        if isinstance(t, Group) and t.open == "{" and not semicolon_only:
            return i + 1
        i += 1
    return None
