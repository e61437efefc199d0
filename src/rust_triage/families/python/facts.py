"""Per-file facts of a Python module (what the cache stores: plain data, no libcst objects)."""

from __future__ import annotations

from dataclasses import dataclass, field

EXTRACT_VERSION = 3  # bump when the extracted facts change: part of the cache key


@dataclass(slots=True)
class PyDef:
    """A function (sync or async) or a class."""

    index: int
    kind: str  # "function" | "class"
    name: str
    line: int
    column: int
    end_line: int
    parent: int = -1  # enclosing def index, -1 at module level
    is_async: bool = False
    decorators: tuple[str, ...] = ()  # dotted text, call arguments dropped: "abc.abstractmethod"
    bases: tuple[str, ...] = ()  # classes: base expressions as written
    returns: str = ""  # functions: return annotation text
    stub: str = ""  # "" | "not-implemented" | "ellipsis" | "pass" (body does nothing else)
    stub_line: int = 0
    stub_message: str = ""  # `raise NotImplementedError("...")`: the message as written
    code_lines: int = 0  # non-blank, non-comment lines, docstrings included
    doc_lines: int = 0  # of those, lines of docstrings (string-only statements)
    # classes: attributes `__init__` binds to a call result, `self._inner = Native(...)`:
    # (attribute, callee text, index of the __init__ the call is made in)
    self_attrs: tuple[tuple[str, str, int], ...] = ()


@dataclass(slots=True)
class PyImport:
    local: str  # the name bound in the importing scope ("sp", "sleep", "urllib"); "*" for star imports
    module: str  # module text as written ("subprocess", "urllib.request", "" for `from . import x`)
    name: str  # from-imports: the imported name; "" for `import x`
    level: int  # leading dots of a relative import
    line: int
    scope: int = -1  # enclosing function index, -1 at module level


@dataclass(slots=True)
class PyCall:
    """A call site. `callee` is dotted text; `()` marks a call result: `sp.Popen().wait`, `open().read`.

    Local names bound to a call result (`p = sp.Popen(...)`, `with open(x) as fh`) are replaced by
    that call, so `p.wait()` is recorded as `sp.Popen().wait`.
    """

    callee: str
    line: int
    column: int
    end_line: int
    end_column: int
    func: int  # innermost enclosing function index, -1 at module or class level
    in_async: bool  # evaluated in the body of an async def (not in a nested def or lambda)
    deferred: bool = False  # inside a lambda: runs later, maybe elsewhere
    awaited: bool = False


@dataclass(slots=True)
class PyExcept:
    line: int
    column: int
    kind: str  # "bare" (`except:`) | "broad" (Exception / BaseException) | "specific"
    type_text: str
    body: str  # "pass" | "ellipsis" | "continue" | "other"
    reraises: bool
    func: int


@dataclass(slots=True)
class PyComment:
    line: int
    column: int
    text: str  # including the leading '#'


@dataclass(slots=True)
class PyFacts:
    line_count: int = 0
    code_lines: int = 0  # docstrings included
    doc_lines: int = 0  # lines of docstrings (string-only statements)
    syntax_error: tuple[int, int, str] | None = None  # (line, column, message)
    defs: list[PyDef] = field(default_factory=list)
    imports: list[PyImport] = field(default_factory=list)
    calls: list[PyCall] = field(default_factory=list)
    excepts: list[PyExcept] = field(default_factory=list)
    comments: list[PyComment] = field(default_factory=list)

    def chain(self, index: int) -> list[PyDef]:
        """The def at `index` and its enclosing defs, innermost first."""
        out: list[PyDef] = []
        while index >= 0:
            out.append(self.defs[index])
            index = self.defs[index].parent
        return out

    def qualname(self, index: int) -> str:
        return ".".join(d.name for d in reversed(self.chain(index)))

    def enclosing_class(self, index: int) -> PyDef | None:
        """The class a function is a method of (its direct parent), or None."""
        if index < 0:
            return None
        parent = self.defs[index].parent
        return self.defs[parent] if parent >= 0 and self.defs[parent].kind == "class" else None
