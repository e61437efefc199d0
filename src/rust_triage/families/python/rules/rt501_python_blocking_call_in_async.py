"""RT501 python-blocking-call-in-async: a blocking call directly inside an `async def`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.families.python.rule import PythonRule

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.families.python.source import PySourceFile

RUFF_CODES = ("ASYNC210", "ASYNC212", "ASYNC220", "ASYNC221", "ASYNC222", "ASYNC230", "ASYNC240", "ASYNC250",
              "ASYNC251")


class PythonBlockingCallInAsync(PythonRule):
    meta = RuleMeta(
        id="RT501",
        name="python-blocking-call-in-async",
        category="async",
        severity="high",
        effort_minutes=15,
        summary="Blocking call (subprocess, sleep, HTTP, file or socket I/O) inside a Python `async def`",
        language="python",
        tests_in_scope=False,
        precision="high",
        tags=("async", "python", "performance"),
        docs=RuleDocs(
            what="Finds calls that block the calling thread made directly in the body of an `async def`: "
            "`subprocess.run/call/check_call/check_output`, `os.system`, `subprocess.Popen(...).wait()/"
            ".communicate()`, `time.sleep`, `requests.*` and `httpx.*` sync calls, `urllib.request.urlopen`, "
            "`open(...)` and other synchronous file I/O (`pathlib.Path(...).read_text()`...), `input()` and "
            "blocking socket calls. Import aliases are resolved (`import subprocess as sp`, "
            "`from time import sleep`), and so are local names bound to a call result "
            "(`proc = sp.Popen(...); proc.wait()`, `with open(p) as fh`). Calls inside a lambda or a nested "
            "sync `def` are not in async context and are not reported here.",
            why="An event loop runs one thing at a time: a blocking call inside a coroutine stops every other "
            "request, timer and heartbeat until it returns. A 30-second `subprocess.run` in a request handler "
            "makes the whole service unresponsive for 30 seconds.",
            example="```python\nimport subprocess as sp\n\nasync def run_job(cmd):\n"
            "    result = sp.run(cmd, capture_output=True)  # RT501\n    return result.stdout\n```",
            fix="Use the async equivalent (`await asyncio.create_subprocess_exec(...)`, `await asyncio.sleep(...)`, "
            "`httpx.AsyncClient`, `aiofiles`), or move the blocking work to a thread with "
            "`await asyncio.to_thread(func, *args)` / `loop.run_in_executor(None, ...)`.",
            suppress="`# rust-triage: allow(RT501) -- reason` at the end of the line or alone on the line above, or `# noqa: <code>` "
            "on the line with the code of the equivalent ruff rule: ASYNC221 (subprocess.run & co, os.system), "
            "ASYNC220/ASYNC222 (Popen, waiting for processes), ASYNC251 (time.sleep), ASYNC210/ASYNC212 (HTTP), "
            "ASYNC230 (open), ASYNC240 (pathlib I/O), ASYNC250 (input). Blocking socket calls have no ruff "
            "equivalent: use the rust-triage comment.",
            clippy="none (Python rule; ruff equivalents: " + ", ".join(RUFF_CODES) + ")",
        ),
    )
    ruff_codes = RUFF_CODES

    def check_file(self, ctx: AnalysisContext, src: PySourceFile) -> Iterable[Finding]:
        from rust_triage.families.python.blocking import blocking_spec, display_call
        from rust_triage.families.python.resolve import python_index

        index = python_index(ctx)
        defs = src.facts.defs
        for call in src.facts.calls:
            if not call.in_async or call.deferred or call.func < 0:
                continue
            qualified = index.qualify(src, call.callee, call.func)
            spec = blocking_spec(qualified) if qualified else None
            if spec is None:
                continue
            shown = display_call(qualified or call.callee)
            yield self.finding(
                ctx, src, call.line, call.column,
                f"`{shown}` {spec.kind} inside `async def {defs[call.func].name}`: it blocks the event loop",
                def_index=call.func, end_line=call.end_line, end_column=call.end_column,
                fix_hint=spec.fix, severity=spec.severity if spec.severity != self.meta.severity else None,
                detail={"call": qualified, "ruff": list(spec.codes)},
            )


RULES = [PythonBlockingCallInAsync()]
