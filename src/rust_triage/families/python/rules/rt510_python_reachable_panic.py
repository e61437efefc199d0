"""RT510 python-reachable-panic: a Rust panic reachable from Python through a PyO3 entry point."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rust_triage.engine.model import Finding, Location, RuleDocs, RuleMeta, RuleOption
from rust_triage.engine.rule import Rule
from rust_triage.engine.taxonomy import RiskKind

MODES = ("auto", "public-api", "python-callers")  # which Rust functions count as reachable from Python

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile
    from rust_triage.families.python.entries import Entry
    from rust_triage.parse.facts import Item, Match


class PythonReachablePanic(Rule):
    meta = RuleMeta(
        id="RT510",
        name="python-reachable-panic",
        category="panic",
        severity="critical",
        effort_minutes=15,
        summary="Rust panic reachable from Python through a #[pyfunction]/#[pymethods] entry point",
        language="rust",
        tests_in_scope=False,
        precision="medium",
        tags=("panic", "python", "pyo3", "call-graph"),
        risk_kind=RiskKind.PYTHON_PANIC,
        docs=RuleDocs(
            what="Finds the Rust items Python can call — every `#[pyfunction]`, `#[pymethods]` method and "
            "`#[new]` constructor of an extension module (named by `#[pymodule]`, `#[pyo3(name = ...)]`, nested "
            "`#[pymodule] mod` submodules and `#[pyclass(module = ...)]`) — follows the Rust call graph from "
            "them and reports every panic site (the RT001-RT006 matches: `unwrap`, `expect`, `unimplemented!`, "
            "`todo!`, `panic!`, `unreachable!`) it reaches. In public-API mode (the default for library crates, "
            "option `entry-points`) every exported item is an entry point, since the callers are downstream "
            "code; otherwise only items Python code in the workspace calls (resolved through imports, "
            "re-exports and `self._inner = Native(...)` attributes; test code counts with `--include-tests`). "
            "The Python call site shown is package code first, then tests, then examples. The panic keeps "
            "its own RT00x finding; this one is ranked by what makes it fire: critical when Python controls it "
            "(a Python callback that raises, `.extract()` of a Python value, the entry's own arguments, "
            "`unimplemented!()` in a method of a `#[pyclass(subclass)]` a Python subclass may not override), "
            "medium for internal invariants and lock unwraps (they fail only after another thread panicked), "
            "low for `unreachable!()`.",
            why="A Rust panic in an extension module does not become a normal Python exception: PyO3 raises "
            "`PanicException`, a `BaseException` that `except Exception` handlers do not catch, so it "
            "tears through the service and usually kills the interpreter (and with `panic = \"abort\"` the "
            "process dies at once). A panic on an internal Rust path is a bug; one Python can reach is an "
            "outage.",
            example="```rust\n#[pyfunction]\nfn parse_batch(lines: Vec<String>) -> Vec<u32> {\n"
            "    lines.iter().map(|l| parse_record(l)).collect()\n}\n\nfn parse_record(line: &str) -> u32 {\n"
            "    line.parse().unwrap() // RT510 (and RT001)\n}\n\n#[pyfunction]\n"
            "fn each(callback: &Bound<'_, PyAny>) {\n    callback.call1((1,)).expect(\"callback\"); // RT510: "
            "critical\n}\n```",
            fix="The hint follows the signatures: where the function holding the panic or the entry point "
            "already returns `PyResult`, propagate with `map_err(..)?` (`?` alone on a PyO3 call); otherwise "
            "return `PyResult` from the entry point. `unimplemented!()` in an overridable method becomes "
            "`Err(PyNotImplementedError::new_err(..))`.",
            suppress="`// rust-triage: allow(RT510) -- reason` on the panic's line or the line above. The "
            "finding needs the panic rules' matches: it reports nothing when RT001-RT006 are not selected.",
            clippy="none (clippy::unwrap_used, clippy::expect_used and clippy::panic flag the sites, not the "
            "Python reachability)",
        ),
        options=(RuleOption("entry-points", "string", "auto", "`public-api`: every exported PyO3 item is an "
                            "entry point; `python-callers`: only the items Python code in the workspace calls; "
                            "`auto`: public-api for crates with a lib target", choices=MODES),),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        from rust_triage.families.python import python_files

        if not python_files(ctx) and not _has_pyo3(ctx):
            return
        from rust_triage.families.python.entries import python_entries
        from rust_triage.families.python.panics import macro_invokers, panic_sites, reach

        entries = python_entries(ctx, ctx.config.option(self.meta, "entry-points"))
        panics = panic_sites(ctx) if entries else {}
        if not panics:
            return
        parents = reach(ctx, sorted(entries))
        for node in sorted(panics):
            if node not in parents:
                invoker = macro_invokers(ctx, node, parents)
                if invoker is None:
                    continue
                parents[node] = invoker
            chain = [node]
            while parents[chain[-1]] is not None:
                chain.append(parents[chain[-1]])  # type: ignore[arg-type]
            chain.reverse()
            for src, m in panics[node]:
                yield self._finding(ctx, src, m, chain, entries[chain[0]])

    def _finding(self, ctx: AnalysisContext, src: SourceFile, m: Match, chain: list[str], entry: Entry) -> Finding:
        from rust_triage.families.python.panic_risk import assess_python_panic, is_overridable
        from rust_triage.families.python.panics import panic_rules

        names = [_fn_name(ctx, n) for n in chain]
        export = entry.export
        fns = [n for n in chain if _item(ctx, n).kind == "fn"]  # a macro_rules! body is held by its invoker
        holder = _item(ctx, fns[-1] if fns else chain[-1])
        panic_rule = panic_rules(ctx)[m.rule]
        risk = assess_python_panic(src, m, panic_rule.risk_kind, holder, export.src, export.rust_item,
                                   is_overridable(export.src, export.rust_item))
        steps = [f"{entry.python_name} (Rust `{names[0]}`)", *names[1:]]
        related: list[Location] = []
        if entry.caller is not None:
            py_src, py_call = entry.caller
            steps.insert(0, f"{py_src.rel}:{py_call.line}")
            related.append(Location(py_src.rel, py_call.line, py_call.column,
                                    message=f"Python calls `{entry.python_name}`"))
        for n in chain:
            attrs = ctx.graph.nodes[n] if n in ctx.graph else {}
            related.append(Location(str(attrs.get("file", n[5:].rsplit("#", 1)[0])), int(attrs.get("line", 1)),
                                    message=f"`{attrs.get('symbol', attrs.get('name', ''))}`"))
        how = "a path Python calls" if entry.caller is not None else "a path the extension module exports"
        detail = {"panic_rule": m.rule, "python_entry": entry.python_name, "chain": names,
                  "entry_mode": "python-caller" if entry.caller is not None else "public-api",
                  "python_risk_class": risk.klass, "python_risk_reason": risk.reason}
        if entry.caller is not None:
            detail["python_call"] = f"{entry.caller[0].rel}:{entry.caller[1].line}"
        return ctx.finding(
            self.meta, src, m.line, m.column,
            f"{panic_rule.risk_subject} in `{names[-1]}` can panic on {how} ({' -> '.join(steps)}): "
            f"{risk.reason}; a panic here crashes the Python interpreter (PanicException escapes `except Exception`)",
            end_line=m.end_line, end_column=m.end_column, item=m.item, snippet=m.snippet,
            in_test=False, related=related,
            fix_hint=risk.fix_hint, detail=detail,
        )


def _item(ctx: AnalysisContext, node: str) -> Item:
    rel, _, index = node[5:].rpartition("#")
    return ctx.by_rel[rel].facts.items[int(index)]


def _fn_name(ctx: AnalysisContext, node: str) -> str:
    item = _item(ctx, node)
    return f"{item.name}!" if item.kind == "macro" else item.name


def _has_pyo3(ctx: AnalysisContext) -> bool:
    """Whether any Rust item carries a PyO3 attribute (public-API mode needs no Python files)."""
    return any(a.startswith(("pyfunction", "pymethods", "pyo3::pyfunction", "pyo3::pymethods"))
               for src in ctx.files for item in src.facts.items for a in item.attrs)


RULES = [PythonReachablePanic()]
