"""RT502 python-transitive-blocking: an `async def` calls sync code that blocks further down."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rust_triage.engine.model import Finding, Location, RuleDocs, RuleMeta
from rust_triage.families.python.rule import PythonRule

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.families.python.callgraph import Key, SyncCallGraph
    from rust_triage.families.python.facts import PyCall
    from rust_triage.families.python.source import PySourceFile


class PythonTransitiveBlocking(PythonRule):
    meta = RuleMeta(
        id="RT502",
        name="python-transitive-blocking",
        category="async",
        severity="high",
        effort_minutes=45,
        summary="Python `async def` calls a sync function that (transitively) makes a blocking call",
        language="python",
        tests_in_scope=False,
        precision="medium",
        tags=("async", "python", "performance", "call-graph"),
        docs=RuleDocs(
            what="Follows the Python call graph from every call an `async def` makes to a sync function "
            "(resolved through imports, relative imports, re-exports and `self.` methods) and reports the call "
            "when a blocking call (the RT501 catalogue) is reached through sync functions only. The message "
            "shows the whole chain, `handle -> run_job -> _invoke -> subprocess.run`, and `related` lists "
            "every step.",
            why="Moving `subprocess.run` into a helper does not make it async: the helper still blocks the "
            "event loop when a coroutine calls it. Direct checks (RT501, ruff's ASYNC rules) cannot see this.",
            example="```python\ndef _invoke(cmd):\n    return subprocess.run(cmd)\n\ndef run_job(cmd):\n"
            "    return _invoke(cmd)\n\nasync def handle(cmd):\n    return run_job(cmd)  # RT502\n```",
            fix="Call the helper through `await asyncio.to_thread(run_job, cmd)`, or make the chain async "
            "down to an async primitive (`asyncio.create_subprocess_exec`, `asyncio.sleep`, an async client).",
            suppress="`# rust-triage: allow(RT502) -- reason` at the end of the call line in the `async def` or "
            "alone on the line above. ruff has no transitive equivalent, so `# noqa` codes do not apply (a bare `# noqa` does).",
            clippy="none (Python rule; no ruff equivalent: ruff's ASYNC rules are direct only)",
        ),
    )

    def check_python(self, ctx: AnalysisContext, files: list[PySourceFile]) -> Iterable[Finding]:
        from rust_triage.families.python.callgraph import SyncCallGraph
        from rust_triage.families.python.resolve import PyTarget, python_index

        index = python_index(ctx)
        graph = SyncCallGraph(index)
        for src in files:
            defs = src.facts.defs
            for call, targets in index.calls_from(src):
                if call.func < 0 or call.deferred or not call.in_async:
                    continue
                for target in targets:
                    if not isinstance(target, PyTarget) or target.src.facts.defs[target.index].is_async:
                        continue
                    if target.src.facts.defs[target.index].kind != "function":
                        continue
                    chain = graph.path_to_blocking(target.key)
                    if chain is None:
                        continue
                    yield self._report(ctx, src, defs[call.func].name, call, chain, graph)
                    break

    def _report(self, ctx: AnalysisContext, src: PySourceFile, async_name: str, call: PyCall,
                chain: list[tuple[Key, PyCall]], graph: SyncCallGraph) -> Finding:
        names: list[str] = []
        related: list[Location] = []
        for (rel, index), step in chain:
            step_src = graph.files[rel]
            names.append(step_src.facts.defs[index].name)
            related.append(Location(rel, step.line, step.column, message=f"`{step_src.symbol(index)}` calls "
                                    f"`{step.callee.replace('()', '(...)')}`"))
        (last_rel, last_index), blocking_call = chain[-1]
        hits = graph.blocking[(last_rel, last_index)]
        qualified = hits[0][1]
        path = " -> ".join([async_name, *names, qualified.removeprefix("builtins.")])
        return self.finding(
            ctx, src, call.line, call.column,
            f"`async def {async_name}` calls sync `{names[0]}`, which blocks the event loop: {path} "
            f"({last_rel}:{blocking_call.line})",
            def_index=call.func, end_line=call.end_line, end_column=call.end_column,
            fix_hint=f"run it in a thread: `await asyncio.to_thread({names[0]}, ...)`, or make the chain async",
            related=related, detail={"chain": path.split(" -> "), "blocking_call": qualified},
        )


RULES = [PythonTransitiveBlocking()]
