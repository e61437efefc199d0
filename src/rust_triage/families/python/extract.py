"""Python source -> PyFacts with libcst (imported only when Python files are analysed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import libcst as cst

from rust_triage.families.python.facts import PyCall, PyDef, PyExcept, PyFacts, PyImport
from rust_triage.families.python.positions import Span, node_spans
from rust_triage.families.python.tokens import scan_tokens

_BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
_POSITIONED = frozenset({cst.FunctionDef, cst.ClassDef, cst.Call, cst.ExceptHandler, cst.Import, cst.ImportFrom,
                         cst.Raise, cst.Expr, cst.Pass})


def extract_python(data: bytes) -> PyFacts:
    text = data.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    facts = PyFacts(line_count=text.count("\n") + (0 if text.endswith("\n") or not text else 1))
    code_lines, too_deep = scan_tokens(text, facts)
    if too_deep is not None:  # CPython rejects it too; libcst's parser would overflow its stack
        facts.syntax_error = too_deep
        facts.comments.clear()
        return facts
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        facts.syntax_error = (exc.raw_line, exc.raw_column + 1, exc.message)
        facts.comments.clear()
        return facts
    facts.code_lines = len(code_lines)
    visitor = _Visitor(facts, module, node_spans(module, _POSITIONED))
    module.visit(visitor)
    doc_lines = visitor.doc_lines & code_lines
    facts.doc_lines = len(doc_lines)
    code = _prefix_counts(code_lines, facts.line_count)
    docs = _prefix_counts(doc_lines, facts.line_count)
    for d in facts.defs:
        end = min(d.end_line, facts.line_count)
        if end >= d.line:
            d.code_lines = code[end] - code[d.line - 1]
            d.doc_lines = docs[end] - docs[d.line - 1]
    return facts


def _prefix_counts(lines: set[int], line_count: int) -> list[int]:
    """prefix[n]: how many of `lines` are at or before line n."""
    prefix = [0] * (line_count + 2)
    for n in range(1, line_count + 1):
        prefix[n] = prefix[n - 1] + (n in lines)
    return prefix


def dotted(expr: cst.BaseExpression) -> str | None:
    """`a.b.c` for names and attributes; a call in the chain becomes `()`: `a.B().c`."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        base = dotted(expr.value)
        return f"{base}.{expr.attr.value}" if base else None
    if isinstance(expr, cst.Call):
        base = dotted(expr.func)
        return f"{base}()" if base else None
    return None


@dataclass
class _Scope:
    kind: str  # module | class | function | lambda
    index: int  # def index (-1 for module and lambda)
    is_async: bool = False
    bindings: dict[str, str] = field(default_factory=dict)  # local name -> call text it was bound to


@dataclass
class _Handler:
    record: PyExcept | None


class _Visitor(cst.CSTVisitor):
    def __init__(self, facts: PyFacts, module: cst.Module, spans: dict[cst.CSTNode, Span]) -> None:
        super().__init__()
        self.facts = facts
        self.module = module
        self.spans = spans
        self.scopes: list[_Scope] = [_Scope("module", -1)]
        self.awaited: set[int] = set()
        self.handlers: list[_Handler] = []
        self.in_decorator = 0
        self.doc_lines: set[int] = set()  # lines of string-only statements (docstrings)

    # -- dispatch: by node type through a table, skipping libcst's per-attribute hooks ----------
    def on_visit(self, node: cst.CSTNode) -> bool:
        handler = _VISIT.get(type(node))
        if handler is not None:
            handler(self, node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        handler = _LEAVE.get(type(original_node))
        if handler is not None:
            handler(self, original_node)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None

    # -- scope helpers ---------------------------------------------------------------------
    def _active(self) -> list[_Scope]:
        """Scopes a sub-expression is evaluated in (decorators run in the scope around the def)."""
        return self.scopes[:-1] if self.in_decorator else self.scopes

    def _func_index(self) -> int:
        for scope in reversed(self._active()):
            if scope.kind == "function":
                return scope.index
            if scope.kind == "class":
                return -1
        return -1

    def _parent_def(self) -> int:
        for scope in reversed(self.scopes):
            if scope.kind in ("function", "class"):
                return scope.index
        return -1

    def _context(self) -> tuple[bool, bool]:
        """(in_async, deferred) for an expression at the current position."""
        deferred = False
        for scope in reversed(self._active()):
            if scope.kind == "lambda":
                deferred = True
                continue
            if scope.kind == "function":
                return scope.is_async and not deferred, deferred
            return False, deferred
        return False, deferred

    def _binding(self, name: str) -> str | None:
        for scope in reversed(self._active()):
            if scope.kind in ("function", "module") and name in scope.bindings:
                return scope.bindings[name]
        return None

    def _callee(self, func: cst.BaseExpression) -> str | None:
        text = dotted(func)
        if text is None:
            return None
        head, dot, rest = text.partition(".")
        if not head.endswith("()") and head not in ("self", "cls"):
            bound = self._binding(head)
            if bound is not None:
                return f"{bound}{dot}{rest}"
        return text

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if not isinstance(target, cst.Name):
            return
        scope = self.scopes[-1]
        callee = self._callee(value.func) if isinstance(value, cst.Call) else None
        if callee is not None:
            scope.bindings[target.value] = f"{callee}()"
        else:
            scope.bindings.pop(target.value, None)

    def _line(self, node: cst.CSTNode) -> int:
        return self.spans[node][0]

    def _def_span(self, node: cst.FunctionDef | cst.ClassDef) -> tuple[int, int, int]:
        """(line, 1-based column, last line) of a def; its recorded end is just past the body's newline."""
        line, column, end_line, end_column = self.spans[node]
        return line, column + 1, max(line, end_line - 1 if end_column == 0 else end_line)

    # -- definitions -----------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        line, column, end_line = self._def_span(node)
        index = len(self.facts.defs)
        decorators = tuple(t for t in (_decorator_name(d) for d in node.decorators) if t)
        returns = self.module.code_for_node(node.returns.annotation) if node.returns else ""
        stub, stub_line, stub_message = self._stub(node.body)
        is_async = node.asynchronous is not None
        self.facts.defs.append(PyDef(
            index, "function", node.name.value, line, column, end_line,
            parent=self._parent_def(), is_async=is_async, decorators=decorators, returns=returns,
            stub=stub, stub_line=stub_line, stub_message=stub_message,
        ))
        self.scopes.append(_Scope("function", index, is_async))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        line, column, end_line = self._def_span(node)
        index = len(self.facts.defs)
        bases = [self.module.code_for_node(a.value) for a in node.bases]
        bases += [f"{k.keyword.value}={self.module.code_for_node(k.value)}" for k in node.keywords if k.keyword]
        decorators = tuple(t for t in (_decorator_name(d) for d in node.decorators) if t)
        self.facts.defs.append(PyDef(
            index, "class", node.name.value, line, column, end_line,
            parent=self._parent_def(), decorators=decorators, bases=tuple(bases),
        ))
        self.scopes.append(_Scope("class", index))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.scopes.append(_Scope("lambda", -1))

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.scopes.pop()

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self.in_decorator += 1

    def leave_Decorator(self, original_node: cst.Decorator) -> None:
        self.in_decorator -= 1

    def _stub(self, body: cst.BaseSuite) -> tuple[str, int, str]:
        """What a body that does nothing is made of (raise NotImplementedError, `...` or `pass`), its
        line, and the NotImplementedError's message as written."""
        smalls: list[cst.BaseSmallStatement] = []
        if isinstance(body, cst.SimpleStatementSuite):
            smalls = list(body.body)
        else:
            for stmt in body.body:
                if not isinstance(stmt, cst.SimpleStatementLine):
                    return "", 0, ""
                smalls.extend(stmt.body)
        if smalls and _is_string_statement(smalls[0]):
            doc = smalls.pop(0)
            if not smalls:
                return "pass", self._line(doc), ""
        if len(smalls) != 1:
            return "", 0, ""
        only = smalls[0]
        if isinstance(only, cst.Raise) and only.exc is not None:
            exc = only.exc.func if isinstance(only.exc, cst.Call) else only.exc
            if dotted(exc) in ("NotImplementedError", "builtins.NotImplementedError"):
                message = ""
                if isinstance(only.exc, cst.Call) and only.exc.args:
                    message = self.module.code_for_node(only.exc.args[0].value)[:300]
                return "not-implemented", self._line(only), message
        if isinstance(only, cst.Expr) and isinstance(only.value, cst.Ellipsis):
            return "ellipsis", self._line(only), ""
        if isinstance(only, cst.Pass):
            return "pass", self._line(only), ""
        return "", 0, ""

    def visit_Expr(self, node: cst.Expr) -> None:
        if _is_string_statement(node):
            line, _column, end_line, _end_column = self.spans[node]
            self.doc_lines.update(range(line, end_line + 1))

    # -- imports ---------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        line, scope = self._line(node), self._func_index()
        for alias in node.names:
            full = dotted(alias.name)
            if not full:
                continue
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else full.split(".")[0]
            self.facts.imports.append(PyImport(local, full, "", 0, line, scope))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        line, scope = self._line(node), self._func_index()
        module = (dotted(node.module) or "") if node.module else ""
        level = len(node.relative)
        if isinstance(node.names, cst.ImportStar):
            self.facts.imports.append(PyImport("*", module, "*", level, line, scope))
            return
        for alias in node.names:
            name = dotted(alias.name)
            if not name:
                continue
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            self.facts.imports.append(PyImport(local, module, name, level, line, scope))

    # -- calls and bindings ----------------------------------------------------------------
    def visit_Await(self, node: cst.Await) -> None:
        if isinstance(node.expression, cst.Call):
            self.awaited.add(id(node.expression))

    def visit_Call(self, node: cst.Call) -> None:
        callee = self._callee(node.func)
        if callee is None:
            return
        line, column, end_line, end_column = self.spans[node]
        in_async, deferred = self._context()
        self.facts.calls.append(PyCall(
            callee, line, column + 1, end_line, end_column + 1,
            func=self._func_index(), in_async=in_async, deferred=deferred, awaited=id(node) in self.awaited,
        ))

    def leave_Assign(self, original_node: cst.Assign) -> None:
        for target in original_node.targets:
            self._bind(target.target, original_node.value)
            self._bind_self_attribute(target.target, original_node.value)

    def _bind_self_attribute(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        """`self._inner = Native(...)` in `__init__`: remembered on the class, for `self._inner.m()`."""
        if not (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)
                and target.value.value == "self" and isinstance(value, cst.Call)):
            return
        func = self._func_index()
        if func < 0 or self.facts.defs[func].name != "__init__":
            return
        owner = self.facts.enclosing_class(func)
        callee = self._callee(value.func)
        if owner is None or callee is None or callee.split(".", 1)[0] in ("self", "cls"):
            return
        attrs = [a for a in owner.self_attrs if a[0] != target.attr.value]
        owner.self_attrs = (*attrs, (target.attr.value, callee, func))

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        if original_node.value is not None:
            self._bind(original_node.target, original_node.value)
            self._bind_self_attribute(original_node.target, original_node.value)

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if item.asname is not None and isinstance(item.item, cst.Call):
                self._bind(item.asname.name, item.item)

    # -- exception handlers ----------------------------------------------------------------
    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        record: PyExcept | None = None
        if node.type is None:
            kind, type_text = "bare", ""
        else:
            type_text = self.module.code_for_node(node.type)
            names = node.type.elements if isinstance(node.type, cst.Tuple) else [node.type]
            broad = any(dotted(cast(cst.BaseExpression, e.value if isinstance(e, cst.Element) else e)) in _BROAD
                        for e in names)
            kind = "broad" if broad else ""
        if kind:
            line, column = self.spans[node][:2]
            record = PyExcept(line, column + 1, kind, type_text, _handler_body(node.body),
                              reraises=False, func=self._func_index())
            self.facts.excepts.append(record)
        self.handlers.append(_Handler(record))

    def leave_ExceptHandler(self, original_node: cst.ExceptHandler) -> None:
        self.handlers.pop()

    def visit_Raise(self, node: cst.Raise) -> None:
        if self.handlers and self.handlers[-1].record is not None:
            self.handlers[-1].record.reraises = True


def _handlers(prefix: str) -> dict[type, Any]:
    out: dict[type, Any] = {}
    for name, method in vars(_Visitor).items():  # own handlers only, not the base class's no-ops
        if name.startswith(prefix) and not name.endswith("_attribute"):
            node_type = getattr(cst, name[len(prefix):], None)
            if isinstance(node_type, type):
                out[node_type] = method
    return out


_VISIT = _handlers("visit_")
_LEAVE = _handlers("leave_")


def _is_string_statement(node: cst.CSTNode) -> bool:
    """A statement that is only a string literal: a docstring (module, class, function or attribute)."""
    return isinstance(node, cst.Expr) and isinstance(node.value, (cst.SimpleString, cst.ConcatenatedString))


def _decorator_name(decorator: cst.Decorator) -> str | None:
    expr = decorator.decorator
    if isinstance(expr, cst.Call):
        expr = expr.func
    return dotted(expr)


def _handler_body(body: cst.BaseSuite) -> str:
    smalls: list[cst.BaseSmallStatement] = []
    if isinstance(body, cst.SimpleStatementSuite):
        smalls = list(body.body)
    else:
        for stmt in body.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                return "other"
            smalls.extend(stmt.body)
    kinds = set()
    for s in smalls:
        ellipsis = isinstance(s, cst.Expr) and isinstance(s.value, cst.Ellipsis)
        kind = "pass" if isinstance(s, cst.Pass) else "continue" if isinstance(s, cst.Continue) else None
        if kind is None and not ellipsis:
            return "other"
        kinds.add(kind or "ellipsis")
    return "continue" if "continue" in kinds else "ellipsis" if kinds == {"ellipsis"} else "pass"
