"""What can fail at a panic site: infallible, constant, guarded, lock poisoning, NaN, external input,
or an internal invariant. Reads the syntax facts of families/panics/extractor.py; no tree."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import msgspec

from rust_triage.engine.taxonomy import RiskKind
from rust_triage.families.panics.extractor import PanicSite, leading_name, write_target
from rust_triage.families.risk.options import EXTERNAL_METHODS, LOCK_METHODS, RiskLists, path_matches
from rust_triage.parse.facts import Item
from rust_triage.parse.split_text import split_top_level

if TYPE_CHECKING:
    from rust_triage.engine.model import RuleMeta

_LITERAL = re.compile(
    r"""^&?\s*(?:b?r?(\#*)".*"\1|b?'(?:[^'\\]|\\.{1,10})'|-?\d[\d_]*(?:\.\d[\d_]*)?(?:e-?\d+)?(?:[iuf]\d+|usize|isize)?"""
    r"""|true|false|(?:[A-Za-z_]\w*::)*[A-Z][A-Z0-9_]+|(?:concat|include_str|include_bytes|env|stringify)!\s*\(.*\))$""",
    re.S,
)
_ROOT = re.compile(r"^(?P<path>(?:[A-Za-z_]\w*\s*::\s*)*[A-Za-z_]\w*)\s*(?:::\s*<.*?>)?(?P<bang>!)?\s*(?P<args>[(\[{].*[)\]}])?\s*\??$", re.S)
_SEGMENT = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*(?:::\s*<(?P<turbofish>.*?)>)?\s*(?P<args>\(.*\))?\s*\??$", re.S)
# Checks that rule out a failure, by what fails: the value itself (`x.unwrap()`) or a container
# lookup (`v.first().unwrap()`, `s.strip_prefix(p).unwrap()`, `map.get(k).unwrap()`).
_VALUE_CHECKS = re.compile(r"\b(?:is_some|is_ok|is_none|is_err|is_some_and|is_ok_and|Some|Ok|matches)\b")
_LOOKUP_CHECKS = re.compile(
    r"\b(?:is_empty|len|starts_with|ends_with|contains|contains_key|first|last|get|Some|any|is_some|insert|push)\b"
)
_LOOKUPS = ("first", "last", "get", "get_mut", "pop", "pop_front", "pop_back", "front", "back", "strip_prefix",
            "strip_suffix", "next", "max", "min", "max_by_key", "min_by_key", "peek", "split_first",
            "split_last", "remove", "find", "position", "nth", "iter", "chars", "first_mut", "last_mut")
_STRING_INIT = re.compile(r"\bString::(?:new|with_capacity|from)\b|\bformat!|\.to_string\(\)|\.to_owned\(\)|^\"")
_STRING_TYPE = re.compile(r"(?:^|[&\s<(]|mut\s)String\b")
_FMT_WRITES = ("write_str", "write_char", "write_fmt")
_MAX_HOPS = 3
# Entry points whose parameters outside callers choose (a static's or macro's callers are this crate).
_API_ENTRIES = ("library-api", "trait-impl", "python-entry", "async-handler", "ffi-export")


class Chain(msgspec.Struct, frozen=True):
    """`root.m1(..).m2(..)`: the root expression and the methods applied to it, in order."""

    root: str
    methods: tuple[tuple[str, str, str], ...]  # (name, turbofish, args text incl. parens or "")


def split_chain(expr: str) -> Chain:
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    i = 0
    n = len(expr)
    while i < n:
        c = expr[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = ""
        elif c == '"':
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "." and depth == 0 and not (i + 1 < n and expr[i + 1] == ".") and not (i and expr[i - 1] == "."):
            if not (i and expr[i - 1].isdigit() and i + 1 < n and expr[i + 1].isdigit()):
                parts.append(expr[start:i])
                start = i + 1
        i += 1
    parts.append(expr[start:])
    methods: list[tuple[str, str, str]] = []
    for seg in parts[1:]:
        m = _SEGMENT.match(seg.strip())
        if m:
            methods.append((m.group("name"), m.group("turbofish") or "", m.group("args") or ""))
        else:
            methods.append((seg.strip(), "", ""))
    return Chain(parts[0].strip(), tuple(methods))


def _args_literal(args: str) -> bool:
    inner = args.strip()[1:-1].strip()
    if not inner:
        return True
    return all(_LITERAL.match(a.strip()) for a in split_top_level(inner))


def _macro_text(rule: RuleMeta) -> str:
    """How the evidence names a panicking macro: `todo!()`, or "an explicit panic" for `panic!()`."""
    return "an explicit panic" if rule.risk_kind is RiskKind.EXPLICIT_PANIC else rule.risk_subject


class PanicClassifier:
    def __init__(self, lists: RiskLists) -> None:
        self.lists = lists
        self._external_methods = EXTERNAL_METHODS + tuple(e for e in lists.external_sources if "::" not in e)
        self._infallible_methods = tuple(e for e in lists.infallible_calls if "::" not in e)

    def classify(self, site: PanicSite | None, rule: RuleMeta | None, fn: Item | None,
                 entry: str | None) -> tuple[str, str]:
        """(class, evidence) of one panic site of `rule`. `entry`: the entry-point kind of its fn, if it is one."""
        kind = rule.risk_kind if rule is not None else None
        is_macro = kind in (RiskKind.UNFINISHED, RiskKind.EXPLICIT_PANIC, RiskKind.UNREACHABLE)
        if is_macro or site is None or not site.recv:
            what = _macro_text(rule) if is_macro and rule is not None else "the panic"
            return "internal-invariant", f"{what} fires when an internal invariant breaks"
        chain = split_chain(site.recv)
        for check in (self._infallible, self._constant, self._guarded, self._nan, self._lock):
            found = check(site, chain, fn)
            if found:
                return found
        external = self._external(site, chain, fn, entry, 0)
        if external:
            return "external-input", external
        return "internal-invariant", f"`{_short(site.recv)}` fails only if an internal invariant breaks"

    # -- classes, in the order they are tried --------------------------------------------------
    def _infallible(self, site: PanicSite, chain: Chain, fn: Item | None) -> tuple[str, str] | None:
        target = write_target(site.recv)
        if target and self._is_string(site, target, fn):
            return "infallible", f"`write!` into the String `{target}` cannot fail"
        names = [m[0] for m in chain.methods]
        if names[-2:] == ["to_string", "parse"] and chain.methods[-1][1].replace(" ", "") == "String":
            return "infallible", "parsing a String into a String cannot fail"
        if names and names[-1] in _FMT_WRITES and self._is_string(site, leading_name(site.recv), fn):
            return "infallible", f"`fmt::Write::{names[-1]}` on a String cannot fail"
        root = _ROOT.match(chain.root)
        if root and root.group("args") is not None and path_matches(root.group("path"), self.lists.infallible_calls):
            return "infallible", f"`{root.group('path')}` cannot fail"
        if names and names[-1] in self._infallible_methods:
            return "infallible", f"`.{names[-1]}()` cannot fail"
        return None

    def _constant(self, site: PanicSite, chain: Chain, fn: Item | None, hops: int = 0) -> tuple[str, str] | None:
        if any(m[0] in self._external_methods for m in chain.methods):
            return None
        if _LITERAL.match(chain.root):
            return "constant", f"the input `{_short(chain.root)}` is a literal"
        root = _ROOT.match(chain.root)
        if root and root.group("args") is not None and not root.group("bang"):
            path = root.group("path").replace(" ", "")
            known = path_matches(path, self.lists.constant_constructors)
            if known and _args_literal(root.group("args")):
                return "constant", f"`{path}` of literal arguments: fails on every run or never"
        name = leading_name(chain.root)
        if name and hops < _MAX_HOPS and name in site.bindings and chain.root == name:
            bound = split_chain(site.bindings[name])
            found = self._constant(site, Chain(bound.root, bound.methods + chain.methods), fn, hops + 1)
            if found:
                return found[0], f"`{name}` = `{_short(site.bindings[name])}`: {found[1]}"
        return None

    def _guarded(self, site: PanicSite, chain: Chain, fn: Item | None) -> tuple[str, str] | None:
        failing = chain.methods[-1][0] if chain.methods else ""
        if failing and failing not in _LOOKUPS:
            return None  # a check on the container does not rule out `.parse()` and the like failing
        checks = _LOOKUP_CHECKS if failing else _VALUE_CHECKS
        names = {leading_name(site.recv)}
        for value in site.bindings.values():
            names.add(leading_name(value))
        names.discard("")
        names.discard("self")
        for kind, body in site.guards:
            if kind == "fill":
                continue
            for name in names:
                if not re.search(rf"(?<![\w.]){re.escape(name)}\b", body):
                    continue
                if kind == "stmt" and not re.search(rf"{re.escape(name)}\s*\.\s*(?:insert|push)\s*\(", body):
                    continue
                if kind != "stmt" and not checks.search(body):
                    continue
                what = {"then": "inside `if", "else": "in the else branch of `if", "exit": "after `if",
                        "assert": "after `", "stmt": "after `"}[kind]
                return "guarded", f"guarded: {what} {_short(body, 60)}`"
        return None

    def _nan(self, site: PanicSite, chain: Chain, fn: Item | None) -> tuple[str, str] | None:
        root = _ROOT.match(chain.root)
        last = chain.methods[-1][0] if chain.methods else (root.group("path").rsplit("::", 1)[-1] if root else "")
        if last == "partial_cmp" and chain.root != "self":  # self: an Ord impl delegating to its PartialOrd
            return "nan", "`partial_cmp(..).unwrap()` panics when a value is NaN"
        return None

    def _lock(self, site: PanicSite, chain: Chain, fn: Item | None) -> tuple[str, str] | None:
        if chain.methods:
            name, _turbofish, args = chain.methods[-1]
            if name in LOCK_METHODS and args.replace(" ", "") == "()":
                return "lock-poisoning", f"`.{name}()` fails when another thread panicked holding the lock (poisoning)"
        return None

    def _external(self, site: PanicSite, chain: Chain, fn: Item | None, entry: str | None, hops: int) -> str | None:
        root = _ROOT.match(chain.root)
        if root and root.group("args") is not None and not root.group("bang"):
            path = root.group("path").replace(" ", "")
            if path_matches(path, self.lists.external_sources):
                return f"the value comes from `{path}(..)` (outside input)"
        for name, _t, _a in chain.methods:
            if name in self._external_methods:
                return f"the value comes from `.{name}(..)` (I/O or outside data)"
        name = leading_name(chain.root)
        if not name or chain.root != name:
            return None
        for kind, body in site.guards:
            if kind == "fill" and re.search(rf"&mut\s+{re.escape(name)}\b", body) and hops < _MAX_HOPS:
                found = self._external(site, split_chain(body), fn, entry, _MAX_HOPS)
                if found:
                    return f"`{name}` is filled by `{_short(body)}`: {found}"
        if name in site.bindings and hops < _MAX_HOPS:
            found = self._external(site, split_chain(site.bindings[name]), fn, entry, hops + 1)
            if found:
                return f"`{name}` = `{_short(site.bindings[name])}`: {found}"
            return None
        if (fn is not None and entry in _API_ENTRIES and name != "self"
                and any(_param_name(p) == name for p, _t in fn.params)):
            return f"`{name}` is a parameter of `{fn.name}`, a {entry.replace('-', ' ')} entry point: callers control it"
        return None

    def _is_string(self, site: PanicSite, name: str, fn: Item | None) -> bool:
        if not name:
            return False
        if name in site.let_types and _STRING_TYPE.search(site.let_types[name]):
            return True
        if name in site.bindings and _STRING_INIT.search(site.bindings[name]):
            return True
        if fn is not None:
            for pattern, typ in fn.params:
                if _param_name(pattern) == name and _STRING_TYPE.search(typ):
                    return True
        return False


def _param_name(pattern: str) -> str:
    return pattern.replace("mut ", "").replace("&", "").strip()


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
