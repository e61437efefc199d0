"""Classify one compiler diagnostic by root cause: a kind, the item it is about and a grouping key.

The key abstracts the message text (type, method, field and trait names) so that every error with the
same fix lands in one group: all `no method named X found for struct T` with one `T`, all missing
derives on one type, all `expected A, found B` with one pair, and so on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from rust_triage.families.compiler.model import Diagnostic

# Traits `#[derive]` can add, in the order a derive list is usually written.
DERIVABLE_TRAITS = ("Debug", "Clone", "Copy", "Default", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash")
_DERIVE_METHODS = {"clone": "Clone", "eq": "PartialEq", "ne": "PartialEq", "partial_cmp": "PartialOrd",
                   "cmp": "Ord", "hash": "Hash", "default": "Default"}
_WRAPPERS = ("Arc", "Rc", "Box", "RefCell", "Cell", "Mutex", "RwLock", "MutexGuard", "RwLockReadGuard",
             "RwLockWriteGuard", "Ref", "RefMut", "Pin", "Weak")
_ARITHMETIC_RHS_FIRST = frozenset({"add", "subtract", "add-assign", "subtract-assign"})
_VAGUE_TYPES = {"floating-point number": "{float}", "integer": "{integer}"}


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_BACKTICKED = _rx(r"`([^`]+)`")
_NUMBER = _rx(r"\d+")
_DERIVE_HINT = _rx(r"consider annotating `([^`]+)` with `#\[derive\(([^)]*)\)\]`")
_CANDIDATE_TRAIT = _rx(r"candidate #\d+: `(?:[\w:]*::)?(\w+)`")
_WRAPPER = _rx(r"^(?:(?:std|core|alloc)::[\w:]*::)?(?:" + "|".join(_WRAPPERS) + r")<(.*)>$")
_QUALIFIER = _rx(r"((?:[A-Za-z_]\w*(?:<[^<>]*>)?::)+)$")
_IDENTIFIER_PATH = _rx(r"[A-Za-z_][\w:]*")

_NO_ITEM = _rx(r"^no (method|function or associated item|associated item|variant or associated item|variant"
               r"|associated function) named `([^`]+)` found for [^`]*`([^`]+)`")
_BOUNDS_NOT_MET = _rx(r"^the (?:method|function or associated item) `([^`]+)` exists for [^`]*`([^`]+)`, "
                      r"but its trait bounds were not satisfied")
_DOESNT_IMPLEMENT = _rx(r"^`([^`]+)` doesn't implement `([^`]+)`")
_TRAIT_BOUND = _rx(r"^the trait bound `([^`]+)` is not satisfied")
_TRAIT_NOT_IMPLEMENTED = _rx(r"^the trait `([^`]+)` is not implemented for `([^`]+)`")
_THREAD_SAFETY = _rx(r"^`([^`]+)` cannot be (sent|shared) between threads safely")
_NOT_ITERATOR = _rx(r"^`([^`]+)` is not an iterator")
_ARITHMETIC = _rx(r"^cannot (add|subtract|multiply|divide|add-assign|subtract-assign|multiply-assign"
                  r"|divide-assign|calculate the remainder of|mod) `([^`]+)` (?:to|from|by|divided by) `([^`]+)`")
_COMPARE = _rx(r"^can't compare `([^`]+)` with `([^`]+)`")
_ITERATOR_COLLECT = _rx(r"^a value of type `([^`]+)` cannot be (?:made by summing|made by multiplying|built)"
                        r"[^`]*`([^`]+)`")
_EXPECTED_FOUND = _rx(r"expected (?:(?:[a-z][\w -]*? )?`(?P<e>[^`]+)`|(?P<e2>[a-z][\w -]*?)), found "
                      r"(?:(?:[a-z][\w -]*? )?`(?P<f>[^`]+)`|(?P<f2>[a-z][\w -]*?))\s*$")
_MISSING_FIELDS = _rx(r"^missing fields? (.+) in initializer of `([^`]+)`")
_OTHER_FIELDS = _rx(r"and (\d+) other fields?")
_UNKNOWN_FIELD = _rx(r"^(?:struct|union|variant|enum variant) `([^`]+)` has no field named `([^`]+)`")
_NO_FIELD = _rx(r"^no field `([^`]+)` on type `([^`]+)`")
_PRIVATE = _rx(r"^([a-z][a-z ]*?) `([^`]+)` is private")
_PRIVATE_FIELD = _rx(r"^field `([^`]+)` of (?:struct|union|enum variant) `([^`]+)` is private")
_UNRESOLVED_IMPORT = _rx(r"^unresolved imports? (.+)$")
_FAILED_RESOLVE = _rx(r"^(?:failed to resolve: .*?|cannot find (?:module or crate|crate|module) )`([^`]+)`")
_CANNOT_FIND = _rx(r"^cannot find ([\w ,]+?) `([^`]+)` in ")
_BINARY_OP = _rx(r"^binary operation `([^`]+)` cannot be applied to type `([^`]+)`")
_ARITY = _rx(r"^this (?:function|method|enum variant|struct) takes \d+ arguments? but \d+ arguments? w")
_DEFINED_HERE = _rx(r"defined here|not found for this")


class Classification(NamedTuple):
    kind: str
    subject: str  # the type, item, path, type pair or lint the diagnostic is about
    members: tuple[str, ...]  # methods, fields, traits, operators gathered across the group
    key: str
    sites: tuple[tuple[str, int], ...] = ()  # definition sites that are part of the key (private items)
    extra: int = 0  # fields rustc did not name ("and 3 other fields")


def template_of(message: str) -> str:
    """The message with names and numbers abstracted: "no method named `_` found for struct `_`..."."""
    return _NUMBER.sub("N", _BACKTICKED.sub("`_`", message))


def peel_type(type_name: str) -> str:
    """Drop references, mutability and smart-pointer wrappers: `&Arc<Counter>` -> `Counter`."""
    name = type_name.strip()
    for _ in range(8):
        stripped = name.lstrip("&").strip()
        if stripped.startswith("mut "):
            stripped = stripped[4:].strip()
        if stripped.startswith("dyn "):
            stripped = stripped[4:].strip()
        match = _WRAPPER.match(stripped)
        if match:
            stripped = match.group(1).strip()
        if stripped == name:
            break
        name = stripped
    return name


def bare_name(type_name: str) -> str:
    """The last path segment without generic arguments: `crate::a::Counter<T>` -> `Counter`."""
    peeled = peel_type(type_name)
    return peeled.split("<", 1)[0].rsplit("::", 1)[-1].strip() or peeled


def _vague(name: str) -> str:
    return _VAGUE_TYPES.get(name, name)


def order_traits(traits: set[str] | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    def rank(trait: str) -> tuple[int, str]:
        return (DERIVABLE_TRAITS.index(trait) if trait in DERIVABLE_TRAITS else len(DERIVABLE_TRAITS), trait)

    return tuple(sorted(set(traits), key=rank))


def classify(diagnostic: Diagnostic, is_workspace_type: Callable[[str], bool] | None = None) -> Classification:
    """Kind, subject and grouping key of one diagnostic (see module docstring)."""
    if not diagnostic.is_error:
        lint = diagnostic.code or template_of(diagnostic.message)
        return Classification("warning", lint, (), f"warning|{lint}")
    derive = _derive_hint(diagnostic)
    if derive is not None:
        return derive
    handler = _HANDLERS.get(diagnostic.code or "")
    result = handler(diagnostic, is_workspace_type) if handler is not None else None
    if result is not None:
        return result
    if diagnostic.code and not diagnostic.code.startswith("E"):
        return Classification("lint", diagnostic.code, (), f"lint|{diagnostic.code}")
    template = template_of(diagnostic.message)
    return Classification("other", template, (), f"other|{diagnostic.code}|{template}")


def _derive_hint(diagnostic: Diagnostic) -> Classification | None:
    for note in diagnostic.children:
        match = _DERIVE_HINT.search(note.message)
        if match:
            subject = bare_name(match.group(1))
            traits = order_traits([part.strip() for part in match.group(2).split(",") if part.strip()])
            return Classification("missing-derive", subject, traits, f"missing-derive|{subject}")
    return None


def _missing_derive_or_bound(type_name: str, trait: str,
                             is_workspace_type: Callable[[str], bool] | None) -> Classification:
    trait_name = trait.rsplit("::", 1)[-1].split("<", 1)[0]
    subject = bare_name(type_name)
    if trait_name in DERIVABLE_TRAITS and is_workspace_type is not None and is_workspace_type(subject):
        return Classification("missing-derive", subject, (trait_name,), f"missing-derive|{subject}")
    peeled = peel_type(type_name)
    return Classification("unsatisfied-bound", f"{peeled}: {trait_name}", (trait_name,),
                          f"unsatisfied-bound|{peeled}|{trait_name}")


def rustc_sites(diagnostic: Diagnostic) -> list[tuple[str, int]]:
    """Definition sites rustc points at: derive hints, "defined here", "not found for this struct"."""
    sites: list[tuple[str, int]] = []
    for notes in (diagnostic.children, diagnostic.secondary):
        for note in notes:
            if note.file and note.line and (_DEFINED_HERE.search(note.message)
                                            or _DERIVE_HINT.search(note.message)):
                sites.append((note.file, note.line))
    return sites


def _e0599(diagnostic: Diagnostic, is_workspace_type: Callable[[str], bool] | None) -> Classification | None:
    match = _NO_ITEM.match(diagnostic.message)
    if match:
        item, type_name = match.group(2), match.group(3)
        subject = bare_name(type_name)
        if "found for type parameter" in diagnostic.message:  # a generic lacks a bound, not a method
            return Classification("unsatisfied-bound", subject, (item,), f"method-bounds|{subject}")
        trait = _DERIVE_METHODS.get(item)
        if trait and any(trait in found for note in diagnostic.children
                         for found in _CANDIDATE_TRAIT.findall(note.message)):
            return Classification("missing-derive", subject, (trait,), f"missing-derive|{subject}")
        return Classification("missing-method", subject, (item,), f"missing-method|{subject}")
    match = _BOUNDS_NOT_MET.match(diagnostic.message)
    if match:
        subject = bare_name(match.group(2))
        return Classification("unsatisfied-bound", subject, (match.group(1),), f"method-bounds|{subject}")
    return None


def _e0277(diagnostic: Diagnostic, is_workspace_type: Callable[[str], bool] | None) -> Classification | None:
    message = diagnostic.message
    match = _DOESNT_IMPLEMENT.match(message)
    if match:
        return _missing_derive_or_bound(match.group(1), match.group(2), is_workspace_type)
    match = _TRAIT_BOUND.match(message)
    if match and ": " in match.group(1):
        type_name, trait = match.group(1).rsplit(": ", 1)
        return _missing_derive_or_bound(type_name, trait, is_workspace_type)
    match = _TRAIT_NOT_IMPLEMENTED.match(message)
    if match:
        return _missing_derive_or_bound(match.group(2), match.group(1), is_workspace_type)
    match = _THREAD_SAFETY.match(message)
    if match:
        trait = "Send" if match.group(2) == "sent" else "Sync"
        return _missing_derive_or_bound(match.group(1), trait, None)
    match = _NOT_ITERATOR.match(message)
    if match:
        return _missing_derive_or_bound(match.group(1), "Iterator", None)
    match = _ARITHMETIC.match(message)
    if match:
        operation, first, second = match.groups()
        lhs, rhs = (second, first) if operation in _ARITHMETIC_RHS_FIRST else (first, second)
        return _mismatch(lhs, rhs, operation)
    match = _COMPARE.match(message)
    if match:
        return _mismatch(match.group(1), match.group(2), "compare")
    match = _ITERATOR_COLLECT.match(message)
    if match:
        return _mismatch(match.group(1), match.group(2).lstrip("&"), "collect")
    return None


def _mismatch(expected: str, found: str, operation: str | None = None) -> Classification:
    expected, found = _vague(expected), _vague(found)
    members = (operation,) if operation else ()
    return Classification("type-mismatch", f"expected {expected}, found {found}", members,
                          f"type-mismatch|{expected}|{found}")


def _e0308(diagnostic: Diagnostic, is_workspace_type: Callable[[str], bool] | None) -> Classification:
    candidates = [diagnostic.label or ""] + [note.message for note in diagnostic.children]
    for text in candidates:
        match = _EXPECTED_FOUND.search(" ".join(text.split()))
        if match:
            return _mismatch(match.group("e") or match.group("e2"), match.group("f") or match.group("f2"))
    return Classification("type-mismatch", "mismatched types", (), "type-mismatch|?|?")


def _e0063(diagnostic: Diagnostic, is_workspace_type: Callable[[str], bool] | None) -> Classification | None:
    match = _MISSING_FIELDS.match(diagnostic.message)
    if not match:
        return None
    subject = bare_name(match.group(2))
    fields = tuple(_BACKTICKED.findall(match.group(1)))
    others = _OTHER_FIELDS.search(match.group(1))
    return Classification("missing-fields", subject, fields, f"missing-fields|{subject}",
                          extra=int(others.group(1)) if others else 0)


def _e0560(diagnostic: Diagnostic, is_workspace_type: Callable[[str], bool] | None) -> Classification | None:
    match = _UNKNOWN_FIELD.match(diagnostic.message)
    if not match:
        return None
    subject = bare_name(match.group(1)) if "::" not in match.group(1) else match.group(1)
    return Classification("unknown-field", subject, (match.group(2),), f"unknown-field|{subject}")


def _e0609(diagnostic: Diagnostic, is_workspace_type: Callable[[str], bool] | None) -> Classification | None:
    match = _NO_FIELD.match(diagnostic.message)
    if not match:
        return None
    subject = bare_name(match.group(2))
    return Classification("missing-field", subject, (match.group(1),), f"missing-field|{subject}")


def _private(diagnostic: Diagnostic, is_workspace_type: Callable[[str], bool] | None) -> Classification | None:
    match = _PRIVATE_FIELD.match(diagnostic.message)
    if match:
        subject = f"{bare_name(match.group(2))}.{match.group(1)}"
        return Classification("private-item", subject, ("field",), f"private-item|{subject}")
    match = _PRIVATE.match(diagnostic.message)
    if not match:
        return None
    item_kind, name = match.groups()
    sites = tuple((note.file, note.line) for note in (*diagnostic.children, *diagnostic.secondary)
                  if note.file and note.line and "defined here" in note.message)
    subject = name
    if diagnostic.snippet and diagnostic.column:
        qualifier = _QUALIFIER.search(diagnostic.snippet[: diagnostic.column - 1])
        if qualifier:
            segments = [part for part in qualifier.group(1).split("::") if part]
            if segments and segments[-1] not in ("crate", "self", "super") and segments[-1][:1].isupper():
                subject = f"{segments[-1].split('<', 1)[0]}::{name}"
    where = f"{sites[0][0]}:{sites[0][1]}" if sites else subject
    return Classification("private-item", subject, (item_kind,), f"private-item|{subject}|{where}", sites)


def _unresolved(diagnostic: Diagnostic, is_workspace_type: Callable[[str], bool] | None) -> Classification | None:
    message = diagnostic.message
    match = _UNRESOLVED_IMPORT.match(message)
    if match:
        subject = ", ".join(_BACKTICKED.findall(match.group(1))) or match.group(1)
        return Classification("unresolved-import", subject, (), f"unresolved-import|{subject}")
    match = _FAILED_RESOLVE.match(message)
    if match:
        return Classification("unresolved-import", match.group(1), (), f"unresolved-import|{match.group(1)}")
    match = _CANNOT_FIND.match(message)
    if match:
        what, name = match.groups()
        return Classification("unresolved-name", name, (what,), f"unresolved-name|{name}")
    return None


def _e0369(diagnostic: Diagnostic, is_workspace_type: Callable[[str], bool] | None) -> Classification | None:
    match = _BINARY_OP.match(diagnostic.message)
    if match:
        operator, type_name = match.groups()
        return Classification("binary-op", f"{operator} on {type_name}", (operator,),
                              f"binary-op|{operator}|{type_name}")
    match = _ARITHMETIC.match(diagnostic.message)
    if match:
        operation, first, second = match.groups()
        lhs = second if operation in _ARITHMETIC_RHS_FIRST else first
        return Classification("binary-op", f"{operation} on {lhs}", (operation,), f"binary-op|{operation}|{lhs}")
    return None


def _e0061(diagnostic: Diagnostic, is_workspace_type: Callable[[str], bool] | None) -> Classification | None:
    if not _ARITY.match(diagnostic.message):
        return None
    callee = "?"
    if diagnostic.snippet and diagnostic.column:
        found = _IDENTIFIER_PATH.match(diagnostic.snippet[diagnostic.column - 1:])
        if found:
            callee = found.group(0)
    sites = tuple((note.file, note.line) for note in diagnostic.children
                  if note.file and note.line and "defined here" in note.message)
    where = f"{sites[0][0]}:{sites[0][1]}" if sites else callee
    return Classification("wrong-arity", callee, (), f"wrong-arity|{where}", sites)


_Handler = Callable[[Diagnostic, "Callable[[str], bool] | None"], "Classification | None"]
_HANDLERS: dict[str, _Handler] = {
    "E0599": _e0599,
    "E0277": _e0277,
    "E0308": _e0308,
    "E0063": _e0063,
    "E0560": _e0560,
    "E0559": _e0560,
    "E0609": _e0609,
    "E0603": _private,
    "E0624": _private,
    "E0616": _private,
    "E0451": _private,
    "E0432": _unresolved,
    "E0433": _unresolved,
    "E0412": _unresolved,
    "E0425": _unresolved,
    "E0422": _unresolved,
    "E0405": _unresolved,
    "E0531": _unresolved,
    "E0369": _e0369,
    "E0061": _e0061,
}
