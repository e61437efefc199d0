"""How likely Python makes a reachable Rust panic fire, and the fix that fits the signatures on the path.

Data Python controls ranks first: a Python callback that raises (`callback.call1(..).expect(..)`), a
value of the wrong type (`.extract()`), the entry point's own arguments, and `unimplemented!()` /
`todo!()` in a method a Python subclass may leave un-overridden. Lock unwraps are demoted: they fail
only after another thread panicked while holding the lock; `write!` into a buffer ranks lowest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rust_triage.engine.taxonomy import RiskKind

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile
    from rust_triage.parse.facts import Item, Match

_CALLBACK = re.compile(r"\.\s*(call|call0|call1|call_method|call_method0|call_method1)\s*(::<[^>]*>)?\s*\(")
_EXTRACT = re.compile(r"\.\s*extract\s*(::<[^>]*>)?\s*\(\s*\)\s*\.?\s*$")
_WRITE = re.compile(r"\bwrite(?:ln)?!\s*\(")
_PARSE = re.compile(r"(\.\s*(parse|try_into|try_from|decode)\s*(::<[^>]*>)?\s*\(|\b(from_str|from_utf8|from_slice)\s*\()")
_LOCK = re.compile(r"\.\s*(lock|read|write)\s*\(\s*\)\s*\.?\s*$")
_PYCLASS_SUBCLASS = re.compile(r"^(?:pyo3::)?pyclass\b.*\bsubclass\b")
_RESULT = re.compile(r"\b(Py)?Result\b")
_MAX_CHAIN_LINES = 8


@dataclass(frozen=True, slots=True)
class PanicRisk:
    level: str  # high | medium | low, as RT510 sees it (the risk ranking decides the finding's level)
    klass: str  # python-callback, python-type, python-argument, python-subclass, lock-poisoning, ...
    reason: str
    fix_hint: str


def assess_python_panic(src: SourceFile, m: Match, kind: RiskKind | None, holder: Item, entry_src: SourceFile, entry: Item,
                        overridable: bool) -> PanicRisk:
    """Classify one panic site reached from the PyO3 entry `entry` (its enclosing fn is `holder`)."""
    before = _text_before(src, m)
    at_entry = src.rel == entry_src.rel and holder.index == entry.index
    propagate = _propagate_hint(holder, entry)
    if kind is RiskKind.UNFINISHED:
        if overridable and at_entry:
            return PanicRisk("high", "python-subclass", f"`{entry.name}` is a method of a subclassable "
                             "#[pyclass]: a Python subclass that does not override it reaches the panic",
                             "return `Err(PyNotImplementedError::new_err(..))` so Python sees "
                             "NotImplementedError instead of a panic")
        return PanicRisk("medium", "internal-invariant", "unfinished code on a path Python calls", propagate)
    if kind is RiskKind.UNWRAP:
        if _CALLBACK.search(before):
            return PanicRisk("high", "python-callback", "panics whenever the Python callback raises",
                             "propagate the Python exception with `?` (the call already returns PyResult)"
                             + ("" if _returns_result(holder) else f"; make `{holder.name}` return PyResult"))
        if _EXTRACT.search(before):
            return PanicRisk("high", "python-type", "panics when Python passes a value of another type",
                             "use `?` on `.extract()`: PyO3 turns the error into a TypeError")
        if _WRITE.search(before):
            return PanicRisk("low", "infallible", "`write!` into an in-memory buffer fails only if a Display "
                             "impl does", propagate)
        if _PARSE.search(before):
            return PanicRisk("high", "python-input", "fails on malformed input, and the input comes from Python",
                             propagate)
        if _LOCK.search(before):
            return PanicRisk("medium", "lock-poisoning", "fails only after another thread panicked holding "
                             "the lock", "recover the guard with `.unwrap_or_else(|e| e.into_inner())`, or "
                             "`map_err(..)?` to a Python exception")
        root = re.search(r"([A-Za-z_]\w*)\s*(?:\.|\[|$)", before.split("=")[-1].split("(")[-1].lstrip())
        params = {p.split(":")[0].strip().removeprefix("mut ") for p, _t in entry.params}
        if at_entry and root is not None and root.group(1) in params:
            return PanicRisk("high", "python-argument", f"`{root.group(1)}` is an argument Python passes",
                             propagate)
    if kind is RiskKind.UNREACHABLE:
        return PanicRisk("low", "internal-invariant", "`unreachable!()` marks a path believed impossible",
                         propagate)
    return PanicRisk("medium", "internal-invariant", "fails only if an internal invariant breaks", propagate)


def _text_before(src: SourceFile, m: Match) -> str:
    """The panic's line up to the matched method or macro (`line_text` strips the indentation), after the
    lines above that a method chain over lines continues from. Those come from the `panic_sites` facts (part
    of the file's interface); the panic's own line is the one the finding quotes."""
    stripped = src.line_text(m.line)
    lines = src._lines or []
    raw = lines[m.line - 1] if 0 < m.line <= len(lines) else stripped
    before = raw[: max(0, m.column - 1)].strip()
    site = next((s for s in src.facts.extra.get("panic_sites") or ()
                 if (s.rule, s.line, s.column) == (m.rule, m.line, m.column)), None)
    if site is not None:
        return str(site.chain) + before
    line = m.line  # a panic rule whose sites are not recorded (a plugin's)
    while before.startswith(".") and line > 1 and m.line - line < _MAX_CHAIN_LINES:  # a chain over lines
        line -= 1
        before = src.line_text(line) + before
    return before


def is_overridable(src: SourceFile, holder: Item) -> bool:
    """A method of a `#[pymethods]` impl of a `#[pyclass(subclass)]` type (declared in the same file)."""
    items = src.facts.items
    if holder.parent < 0 or items[holder.parent].kind != "impl":
        return False
    type_name = (items[holder.parent].self_type or "").split("::")[-1]
    return any(i.name == type_name and i.kind in ("struct", "enum") and any(_PYCLASS_SUBCLASS.match(a) for a in i.attrs)
               for i in items)


def _returns_result(item: Item) -> bool:
    return bool(_RESULT.search(item.return_type))


def _propagate_hint(holder: Item, entry: Item) -> str:
    """The fix that matches the signatures: `map_err(..)?` where a Result is already returned."""
    if _returns_result(holder):
        return (f"`{holder.name}` already returns a Result: replace the panic with "
                "`.map_err(|e| PyValueError::new_err(e.to_string()))?` (or `.ok_or_else(..)?` for an Option)")
    if _returns_result(entry):
        return (f"`{entry.name}` already returns PyResult: make `{holder.name}` return a Result and propagate "
                "with `?`, then `map_err(..)?` into a Python exception at the entry")
    return (f"return `PyResult<..>` from `{entry.name}` and propagate the error with `?` "
            "(`map_err(..)` into a Python exception) instead of panicking")
