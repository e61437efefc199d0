"""RT503 python-stub-function: `raise NotImplementedError` / `...` / `pass`-only bodies in real functions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.families.python.rule import PythonRule

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.families.python.facts import PyDef
    from rust_triage.families.python.resolve import PyIndex
    from rust_triage.families.python.source import PySourceFile

_ABSTRACT = ("abstractmethod", "abstractproperty", "abstractclassmethod", "abstractstaticmethod")
_OVERLOAD = ("overload",)
_PROTOCOL_BASES = ("Protocol", "ABC", "ABCMeta")
_DISPATCH = ("singledispatch", "singledispatchmethod")
_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod", "property", "cached_property", "wraps", "override"})
# A NotImplementedError message that refuses with a reason: "not supported on X, use Y".
_REFUSAL = re.compile(r"\b(not supported|unsupported|does not support|doesn't support|cannot|can't|"
                      r"not available|not allowed|read-only|immutable|use \S)", re.IGNORECASE)


def _last(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


class PythonStubFunction(PythonRule):
    meta = RuleMeta(
        id="RT503",
        name="python-stub-function",
        category="debt",
        severity="medium",
        effort_minutes=30,
        summary="Python function whose body is only `raise NotImplementedError`, `...` or `pass`",
        language="python",
        tests_in_scope=False,
        precision="high",
        tags=("debt", "python", "placeholder"),
        docs=RuleDocs(
            what="Reports functions whose whole body (after an optional docstring) is `raise "
            "NotImplementedError(...)`, `...`, or `pass`/only a docstring. Skipped: `@abstractmethod` (and "
            "the other `abc` abstract decorators), `@overload`, `@singledispatch` / `@singledispatchmethod` "
            "fallbacks, `pass` / `...` bodies under a framework decorator (`@click.group()`, `@app.callback`: "
            "anything but `staticmethod`, `classmethod`, `property` and `override`), methods of `Protocol` and "
            "`ABC` classes, methods a workspace subclass overrides (the "
            "abstract-by-convention pattern), dunder methods, methods that refuse with a reason (`@override` "
            "with a message, or a message such as \"not supported on Windows, use ...\"), and `pass` or `...` "
            "bodies that are declared to return None (`-> None`, `-> Optional[X]`, unannotated methods): "
            "intentional no-op hooks. `.pyi` files are never analysed.",
            why="A stub that ships is a crash (`NotImplementedError`) or a silent wrong answer (`pass` returns "
            "None) waiting on a production path; in a crisis backlog these are the unfinished features.",
            example="```python\ndef export_report(rows) -> bytes:\n    raise NotImplementedError  # RT503\n```",
            fix="Implement the function, delete it, or, when it is a real extension point, make it abstract "
            "(`@abc.abstractmethod` in an `ABC`) or declare it in a `typing.Protocol`.",
            suppress="`# rust-triage: allow(RT503) -- reason` at the end of the `def` line or alone on the "
            "line above it (below the decorators of a decorated function). ruff has no equivalent rule.",
            clippy="none (Python rule; no ruff equivalent)",
        ),
    )

    def check_file(self, ctx: AnalysisContext, src: PySourceFile) -> Iterable[Finding]:
        if src.path.suffix == ".pyi":
            return
        from rust_triage.families.python.resolve import python_index

        index = python_index(ctx)
        defs = src.facts.defs
        for d in defs:
            if d.kind != "function" or not d.stub or self._exempt(index, src, d):
                continue
            owner = src.facts.enclosing_class(d.index)
            what = f"method `{owner.name}.{d.name}`" if owner else f"function `{d.name}`"
            if d.stub == "not-implemented":
                message = f"{what} only raises NotImplementedError: calling it crashes"
                severity = None
            else:
                body = "`...`" if d.stub == "ellipsis" else "`pass`"
                message = f"{what} is a stub (its body is only {body}): it does nothing and returns None"
                severity = "low"
            yield self.finding(
                ctx, src, d.line, d.column, message, def_index=d.index, severity=severity,
                fix_hint="implement it, delete it, or make it abstract (@abc.abstractmethod / typing.Protocol)",
                detail={"stub": d.stub, "body_line": d.stub_line},
            )

    def _exempt(self, index: PyIndex, src: PySourceFile, d: PyDef) -> bool:
        decorators = {_last(x) for x in d.decorators}
        if decorators & {*_ABSTRACT, *_OVERLOAD, *_DISPATCH}:
            return True  # abstract, overload signatures, and singledispatch fallbacks for unregistered types
        if d.name.startswith("__") and d.name.endswith("__"):
            return True
        if d.stub in ("pass", "ellipsis") and decorators - _PLAIN_DECORATORS:
            return True  # `@click.group() def cli(): pass`: the decorator gives the empty body its behaviour
        owner = src.facts.enclosing_class(d.index)
        if d.stub in ("pass", "ellipsis") and (_admits_none(d.returns) or (owner is not None and not d.returns)):
            return True  # a no-op hook or callback: returning None is what it is declared to do
        if owner is None:
            return False
        if d.stub == "not-implemented" and d.stub_message and ("override" in decorators or _REFUSAL.search(d.stub_message)):
            return True  # an override that refuses the operation and says why: a decision, not a placeholder
        if any(_last(b.split("[")[0].removeprefix("metaclass=")) in _PROTOCOL_BASES for b in owner.bases):
            return True
        return _overridden(index, src, owner, d.name)


def _admits_none(annotation: str) -> bool:
    """`None`, `Optional[X]`, `X | None`, `Union[X, None]`."""
    parts = {p.strip().strip("'\"") for p in re.split(r"[\[\],|]", annotation)}
    return "None" in parts or annotation.replace("typing.", "").startswith("Optional[")


def _overridden(index: PyIndex, src: PySourceFile, owner: PyDef, name: str) -> bool:
    """True when a workspace class deriving from `owner` defines `name` itself."""
    for other in index.files:
        for cls in other.facts.defs:
            if cls.kind != "class" or not any(_last(b.split("[")[0]) == owner.name for b in cls.bases):
                continue
            if not any(b.src is src and b.index == owner.index for b in index.base_classes(other, cls.index)):
                continue
            member = index.method(other, cls.index, name)
            if member is not None and member.src is other and other.facts.defs[member.index].parent == cls.index:
                return True
    return False


RULES = [PythonStubFunction()]
