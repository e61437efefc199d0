"""RT510 python-reachable-panic: a Rust panic reachable from Python through a PyO3 entry point."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rust_triage.engine.model import Finding, Location, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile
    from rust_triage.families.python.bridge import RustExport
    from rust_triage.families.python.facts import PyCall
    from rust_triage.families.python.source import PySourceFile
    from rust_triage.parse.facts import Match


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
        docs=RuleDocs(
            what="Links Python calls into a PyO3 extension module (`import fastcore`, `from pkg._native import "
            "f`, module named by `#[pymodule]` or `#[pyo3(name = ...)]`) to the `#[pyfunction]` / "
            "`#[pymethods]` Rust items behind them, follows the Rust call graph from those entry points and "
            "reports every panic site (the RT001-RT006 matches: `unwrap`, `expect`, `unimplemented!`, `todo!`, "
            "`panic!`, `unreachable!`) it reaches. The panic keeps its own RT00x finding; this one is ranked "
            "higher (critical; high for `unreachable!`) and its message and `related` locations give the path "
            "from the Python call site.",
            why="A Rust panic in an extension module does not become a normal Python exception: PyO3 raises "
            "`PanicException`, a `BaseException` that `except Exception` handlers do not catch, so it "
            "tears through the service and usually kills the interpreter (and with `panic = \"abort\"` the "
            "process dies at once). A panic on an internal Rust path is a bug; one Python can reach is an "
            "outage.",
            example="```rust\n#[pyfunction]\nfn parse_batch(lines: Vec<String>) -> Vec<u32> {\n"
            "    lines.iter().map(|l| parse_record(l)).collect()\n}\n\nfn parse_record(line: &str) -> u32 {\n"
            "    line.parse().unwrap() // RT510 (and RT001)\n}\n```\n\n```python\nfrom fastcore import "
            "parse_batch\n\nparse_batch(lines)\n```",
            fix="Return `PyResult` from the entry point and propagate errors with `?` (map them to a Python "
            "exception with `PyErr::new::<PyValueError, _>(...)`) instead of panicking on input Python controls.",
            suppress="`// rust-triage: allow(RT510) -- reason` on the panic's line or the line above. The "
            "finding needs the panic rules' matches: it reports nothing when RT001-RT006 are not selected.",
            clippy="none (clippy::unwrap_used, clippy::expect_used and clippy::panic flag the sites, not the "
            "Python reachability)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        from rust_triage.families.python import python_files

        if not python_files(ctx):
            return
        from rust_triage.families.python.panics import panic_sites, python_entries, reach

        entries = python_entries(ctx)
        panics = panic_sites(ctx) if entries else {}
        if not panics:
            return
        parents = reach(ctx, sorted(entries))
        for node in sorted(panics):
            if node not in parents:
                continue
            chain = [node]
            while parents[chain[-1]] is not None:
                chain.append(parents[chain[-1]])  # type: ignore[arg-type]
            chain.reverse()
            export, py_src, py_call = entries[chain[0]]
            for src, m in panics[node]:
                yield self._finding(ctx, src, m, chain, export, py_src, py_call)

    def _finding(self, ctx: AnalysisContext, src: SourceFile, m: Match, chain: list[str], export: RustExport,
                 py_src: PySourceFile, py_call: PyCall) -> Finding:
        g = ctx.graph
        names = [str(g.nodes[n].get("name", n)) for n in chain]
        py_name = str(g.nodes[chain[0]].get("python_name") or export.label)
        path = " -> ".join([f"{py_src.rel}:{py_call.line}", f"{py_name} (Rust `{names[0]}`)", *names[1:]])
        related = [Location(py_src.rel, py_call.line, py_call.column, message=f"Python calls `{py_name}`")]
        for n in chain:
            attrs = g.nodes[n]
            related.append(Location(str(attrs.get("file", "")), int(attrs.get("line", 1)),
                                    message=f"`{attrs.get('symbol', attrs.get('name', ''))}`"))
        from rust_triage.families.python.panics import PANIC_RULES

        what = PANIC_RULES[m.rule]
        return ctx.finding(
            self.meta, src, m.line, m.column,
            f"{what} in `{names[-1]}` can panic on a path Python calls ({path}): a panic here crashes the "
            "Python interpreter",
            end_line=m.end_line, end_column=m.end_column, item=m.item, snippet=m.snippet,
            severity="high" if m.rule == "RT006" else None, in_test=False, related=related,
            fix_hint="return PyResult from the entry point and propagate the error with `?` instead of panicking",
            detail={"panic_rule": m.rule, "python_entry": py_name, "chain": names,
                    "python_call": f"{py_src.rel}:{py_call.line}"},
        )


RULES = [PythonReachablePanic()]
