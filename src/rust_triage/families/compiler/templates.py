"""Titles and fix texts of root-cause patterns and of the single diagnostics inside them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rust_triage.families.compiler.model import Diagnostic

if TYPE_CHECKING:
    from rust_triage.families.compiler.model import Pattern

_NUMERIC = re.compile(r"^(?:[ui](?:8|16|32|64|128|size)|f32|f64|\{integer\}|\{float\})$")
_FLOAT = re.compile(r"^(?:f32|f64|\{float\})$")
_OPERATOR_TRAITS = {"==": "PartialEq", "!=": "PartialEq", "<": "PartialOrd", ">": "PartialOrd",
                    "<=": "PartialOrd", ">=": "PartialOrd", "+": "Add", "-": "Sub", "*": "Mul", "/": "Div",
                    "%": "Rem", "+=": "AddAssign", "-=": "SubAssign", "*=": "MulAssign", "/=": "DivAssign",
                    "&": "BitAnd", "|": "BitOr", "^": "BitXor", "<<": "Shl", ">>": "Shr"}
_LINT_FIXES = {
    "unused_imports": "Remove the unused imports",
    "unused_variables": "Use the variables or prefix them with `_`",
    "dead_code": "Remove the unused items, or use them",
    "unused_mut": "Remove the needless `mut`",
    "unused_must_use": "Handle the returned values",
    "deprecated": "Move to the replacement API named in each warning",
    "missing_docs": "Document the public items",
    "non_snake_case": "Rename to snake_case",
    "non_camel_case_types": "Rename to CamelCase",
    "unreachable_code": "Remove the unreachable code",
    "unused_assignments": "Remove the assignments whose values are never read",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _names(members: list[str], extra: int = 0, call: bool = False) -> str:
    shown = [f"{member}()" if call else member for member in members]
    text = ", ".join(shown)
    return f"{text} and {extra} more" if extra else text


def _fixes(pattern: Pattern) -> str:
    return f"fixes {_plural(pattern.error_count or pattern.count, 'error' if pattern.error_count else 'warning')}"


def _at(pattern: Pattern) -> str:
    where = pattern.definition_text()
    return f" (defined at {where})" if where else ""


def _mismatch_types(pattern: Pattern) -> tuple[str, str]:
    parts = pattern.key.split("|")
    return (parts[1], parts[2]) if len(parts) == 3 else ("?", "?")


def pattern_title(pattern: Pattern) -> str:
    kind, subject, members = pattern.kind, pattern.subject, pattern.members
    s = "s" if len(members) + pattern.unnamed_members > 1 else ""
    if kind == "missing-method":
        return f"{subject} lacks method{s}: {_names(members)}"
    if kind == "missing-derive":
        return f"add #[derive({', '.join(members)})] to {subject}"
    if kind == "missing-fields":
        return f"{subject} initializers miss field{s}: {_names(members, pattern.unnamed_members)}"
    if kind == "unknown-field":
        return f"{subject} has no field{s} named {_names(members)}"
    if kind == "missing-field":
        return f"{subject} has no field{s} {_names(members)}"
    if kind == "type-mismatch":
        expected, found = _mismatch_types(pattern)
        return f"type mismatch: expected {expected}, found {found}"
    if kind == "private-item":
        return f"private {' / '.join(members)} {subject} used outside its module"
    if kind == "unresolved-import":
        return f"unresolved path {subject}"
    if kind == "unresolved-name":
        return f"cannot find {' / '.join(members)} {subject}"
    if kind == "binary-op":
        return f"binary operation {subject} not implemented"
    if kind == "unsatisfied-bound":
        if pattern.key.startswith("method-bounds|"):
            return f"trait bounds of {subject} methods not satisfied: {_names(members)}"
        return f"trait bound {subject} not satisfied"
    if kind == "wrong-arity":
        return f"wrong number of arguments to {subject}"
    if kind == "lint":
        return f"denied lint {subject}"
    if kind == "warning":
        return subject
    messages = {diagnostic.message for diagnostic in pattern.diagnostics}
    message = next(iter(messages)) if len(messages) == 1 else subject
    return f"{pattern.code}: {message}" if pattern.code else message


def pattern_fix(pattern: Pattern) -> str:
    """The one fix of a pattern: what to change, where, how many errors it removes, alternatives."""
    action, alternative = _fix_parts(pattern)
    text = f"{action} - {_fixes(pattern)}"
    return f"{text}; {alternative}" if alternative else text


def _fix_parts(pattern: Pattern) -> tuple[str, str]:
    kind, subject, members = pattern.kind, pattern.subject, pattern.members
    at = _at(pattern)
    if kind == "missing-method":
        return f"Implement {_names(members, call=True)} on {subject}{at}", "or correct the calls"
    if kind == "missing-derive":
        return f"Add #[derive({', '.join(members)})] to {subject}{at}", "or implement the traits by hand"
    if kind == "missing-fields":
        return (f"Set {_names(members, pattern.unnamed_members)} in every {subject} initializer{at}",
                f"`..Default::default()` works when {subject} implements Default")
    if kind == "unknown-field":
        return f"Remove {_names(members)} from the {subject} initializers", f"or add the fields to {subject}{at}"
    if kind == "missing-field":
        return f"Add {_names(members)} to {subject}{at}", "or use an existing field"
    if kind == "type-mismatch":
        expected, found = _mismatch_types(pattern)
        if _FLOAT.match(expected) and _FLOAT.match(found):
            return (f"Convert {found} to {expected} at each site (`as {expected}`, mind the precision)",
                    "or change the declarations so the types agree")
        if _NUMERIC.match(expected) and _NUMERIC.match(found):
            return (f"Convert {found} to {expected} at each site ({expected}::try_from(..), or `as {expected}`"
                    " when lossless)", "or change the declarations so the types agree")
        return f"Make the types agree: the code expects {expected} but gets {found}", ""
    if kind == "private-item":
        return f"Make {subject}{at} `pub(crate)` or `pub`", "or use a public API instead"
    if kind == "unresolved-import":
        return (f"Fix the path {subject}", "declare the missing module, add the dependency or correct the `use`")
    if kind == "unresolved-name":
        return f"Define or import {subject}", ""
    if kind == "binary-op":
        traits = sorted({_OPERATOR_TRAITS.get(member, member) for member in members})
        return f"Implement {', '.join(traits)} for the operand type{at}", "derive it where possible"
    if kind == "unsatisfied-bound":
        return (f"Satisfy {subject}: implement the trait, or change the code that requires it",
                "for a foreign type use a manual impl on the containing type, a wrapper, or Option")
    if kind == "wrong-arity":
        return f"Pass the arguments {subject} takes{at}", ""
    if kind in ("lint", "warning"):
        base = _LINT_FIXES.get(subject, f"Address the {subject} diagnostics")
        automatic = len(pattern.fix_suggestions)
        tail = f"`cargo fix` can apply {_plural(automatic, 'suggestion')}" if automatic else ""
        return base, tail
    explain = f" (`rustc --explain {pattern.code}`)" if pattern.code and pattern.code.startswith("E") else ""
    return f"Follow the compiler help on each error{explain}", ""


def diagnostic_fix(pattern: Pattern, diagnostic: Diagnostic) -> str:
    """Fix text for one diagnostic of a pattern (the report's **Fix** line, a finding's fix hint)."""
    kind, subject = pattern.kind, pattern.subject
    named = [member for member in pattern.members if f"`{member}`" in diagnostic.message]
    own = ", ".join(named) if named else ", ".join(pattern.members)
    if kind == "missing-method":
        return f"Implement {_names(named or pattern.members, call=True)} on {subject}{_at(pattern)}"
    if kind == "missing-derive":
        return f"Add #[derive({', '.join(pattern.members)})] to {subject}{_at(pattern)}"
    if kind == "missing-fields":
        return f"Set {own} in this {subject} initializer"
    if kind == "unknown-field":
        return f"Remove {own} here or add it to {subject}{_at(pattern)}"
    if kind == "missing-field":
        return f"Add {own} to {subject} or use an existing field"
    if kind == "private-item":
        return f"Make {subject}{_at(pattern)} `pub(crate)`, or use a public API"
    applicable = [suggestion for suggestion in diagnostic.suggestions if suggestion.machine_applicable]
    if applicable:
        replacement = applicable[0].replacement
        shown = f"`{replacement}`" if replacement.strip() else "nothing (delete)"
        return f"Apply rustc's suggestion at line {applicable[0].line}: replace with {shown}"
    if kind == "type-mismatch":
        expected, found = _mismatch_types(pattern)
        return f"Convert {found} to {expected} here, or change the declared type"
    for note in diagnostic.children:
        if note.level == "help" and note.message and "\n" not in note.message:
            return note.message[0].upper() + note.message[1:]
    return _fix_parts(pattern)[0]


def pattern_issue(pattern: Pattern) -> str:
    """One sentence describing what is wrong (the report's **Issue** line)."""
    kind, subject, members = pattern.kind, pattern.subject, pattern.members
    where = _plural(len(pattern.files), "file")
    if kind == "missing-method":
        return f"{subject} has no {_names(members, call=True)}, called from {where}"
    if kind == "missing-derive":
        return f"{subject} does not implement {', '.join(members)}, which the code requires"
    if kind == "missing-fields":
        return f"{subject} initializers do not set {_names(members, pattern.unnamed_members)}"
    if kind == "unknown-field":
        return f"initializers set {_names(members)}, which {subject} does not have"
    if kind == "missing-field":
        return f"code reads {_names(members)}, which {subject} does not have"
    if kind == "type-mismatch":
        expected, found = _mismatch_types(pattern)
        return f"values of type {found} are used where {expected} is expected, in {where}"
    if kind == "private-item":
        return f"{subject} is private to its module but used from outside it"
    if kind == "unresolved-import":
        return f"the path {subject} does not resolve"
    if kind == "unresolved-name":
        return f"{subject} is neither defined nor imported where it is used"
    if kind == "binary-op":
        return f"operators {', '.join(members)} are used on a type that does not implement them"
    if kind == "unsatisfied-bound":
        return f"the code requires {subject}, which does not hold"
    if kind == "wrong-arity":
        return f"{subject} is called with the wrong number of arguments"
    return pattern.diagnostics[0].message.splitlines()[0] if pattern.diagnostics else subject
