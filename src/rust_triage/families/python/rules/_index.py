"""The python family's Python rules' metadata, generated: do not edit.

Regenerate with `python -m rust_triage.engine.rule_index_gen` (or `rust-triage docs`) after adding a
rule to this package or changing a rule's metadata; tests/test_rule_index.py fails while this file is stale.
Not a rule module: rule discovery skips modules whose name starts with `_`.
"""

# ruff: noqa: E501
from rust_triage.engine.indexed_rule import IndexEntry
from rust_triage.engine.model import RuleDocs, RuleMeta, RuleOption
from rust_triage.engine.taxonomy import RiskKind

# this package's Python rules, in module order
ENTRIES: tuple[IndexEntry, ...] = (
    IndexEntry(
        module='rust_triage.families.python.rules.rt501_python_blocking_call_in_async', qualname='PythonBlockingCallInAsync', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT501',
            name='python-blocking-call-in-async',
            category='async',
            severity='high',
            summary='Blocking call (subprocess, sleep, HTTP, file or socket I/O) inside a Python `async def`',
            docs=RuleDocs(
                what='Finds calls that block the calling thread made directly in the body of an `async def`: `subprocess.run/call/check_call/check_output`, `os.system`, `subprocess.Popen(...).wait()/.communicate()`, `time.sleep`, `requests.*` and `httpx.*` sync calls, `urllib.request.urlopen`, `open(...)` and other synchronous file I/O (`pathlib.Path(...).read_text()`...), `input()` and blocking socket calls. Import aliases are resolved (`import subprocess as sp`, `from time import sleep`), and so are local names bound to a call result (`proc = sp.Popen(...); proc.wait()`, `with open(p) as fh`). Calls inside a lambda or a nested sync `def` are not in async context and are not reported here.',
                why='An event loop runs one thing at a time: a blocking call inside a coroutine stops every other request, timer and heartbeat until it returns. A 30-second `subprocess.run` in a request handler makes the whole service unresponsive for 30 seconds.',
                example='```python\nimport subprocess as sp\n\nasync def run_job(cmd):\n    result = sp.run(cmd, capture_output=True)  # RT501\n    return result.stdout\n```',
                fix='Use the async equivalent (`await asyncio.create_subprocess_exec(...)`, `await asyncio.sleep(...)`, `httpx.AsyncClient`, `aiofiles`), or move the blocking work to a thread with `await asyncio.to_thread(func, *args)` / `loop.run_in_executor(None, ...)`.',
                suppress='`# rust-triage: allow(RT501) -- reason` at the end of the line or alone on the line above, or `# noqa: <code>` on the line with the code of the equivalent ruff rule: ASYNC221 (subprocess.run & co, os.system), ASYNC220/ASYNC222 (Popen, waiting for processes), ASYNC251 (time.sleep), ASYNC210/ASYNC212 (HTTP), ASYNC230 (open), ASYNC240 (pathlib I/O), ASYNC250 (input). Blocking socket calls have no ruff equivalent: use the rust-triage comment.',
                clippy='none (Python rule; ruff equivalents: ASYNC210, ASYNC212, ASYNC220, ASYNC221, ASYNC222, ASYNC230, ASYNC240, ASYNC250, ASYNC251)',
            ),
            tests_in_scope=False,
            tags=('async', 'python', 'performance'),
            language='python',
            effort_minutes=15,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.python.rules.rt502_python_transitive_blocking', qualname='PythonTransitiveBlocking', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT502',
            name='python-transitive-blocking',
            category='async',
            severity='high',
            summary='Python `async def` calls a sync function that (transitively) makes a blocking call',
            docs=RuleDocs(
                what='Follows the Python call graph from every call an `async def` makes to a sync function (resolved through imports, relative imports, re-exports and `self.` methods) and reports the call when a blocking call (the RT501 catalogue) is reached through sync functions only. The message shows the whole chain, `handle -> run_job -> _invoke -> subprocess.run`, and `related` lists every step.',
                why="Moving `subprocess.run` into a helper does not make it async: the helper still blocks the event loop when a coroutine calls it. Direct checks (RT501, ruff's ASYNC rules) cannot see this.",
                example='```python\ndef _invoke(cmd):\n    return subprocess.run(cmd)\n\ndef run_job(cmd):\n    return _invoke(cmd)\n\nasync def handle(cmd):\n    return run_job(cmd)  # RT502\n```',
                fix='Call the helper through `await asyncio.to_thread(run_job, cmd)`, or make the chain async down to an async primitive (`asyncio.create_subprocess_exec`, `asyncio.sleep`, an async client).',
                suppress='`# rust-triage: allow(RT502) -- reason` at the end of the call line in the `async def` or alone on the line above. ruff has no transitive equivalent, so `# noqa` codes do not apply (a bare `# noqa` does).',
                clippy="none (Python rule; no ruff equivalent: ruff's ASYNC rules are direct only)",
            ),
            tests_in_scope=False,
            precision='medium',
            tags=('async', 'python', 'performance', 'call-graph'),
            language='python',
            effort_minutes=45,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.python.rules.rt503_python_stub_function', qualname='PythonStubFunction', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT503',
            name='python-stub-function',
            category='debt',
            severity='medium',
            summary='Python function whose body is only `raise NotImplementedError`, `...` or `pass`',
            docs=RuleDocs(
                what='Reports functions whose whole body (after an optional docstring) is `raise NotImplementedError(...)`, `...`, or `pass`/only a docstring. Skipped: `@abstractmethod` (and the other `abc` abstract decorators), `@overload`, `@singledispatch` / `@singledispatchmethod` fallbacks, `pass` / `...` bodies under a framework decorator (`@click.group()`, `@app.callback`: anything but `staticmethod`, `classmethod`, `property` and `override`), methods of `Protocol` and `ABC` classes, methods a workspace subclass overrides (the abstract-by-convention pattern), dunder methods, methods that refuse with a reason (`@override` with a message, or a message such as "not supported on Windows, use ..."), and `pass` or `...` bodies that are declared to return None (`-> None`, `-> Optional[X]`, unannotated methods): intentional no-op hooks. `.pyi` files are never analysed.',
                why='A stub that ships is a crash (`NotImplementedError`) or a silent wrong answer (`pass` returns None) waiting on a production path; in a crisis backlog these are the unfinished features.',
                example='```python\ndef export_report(rows) -> bytes:\n    raise NotImplementedError  # RT503\n```',
                fix='Implement the function, delete it, or, when it is a real extension point, make it abstract (`@abc.abstractmethod` in an `ABC`) or declare it in a `typing.Protocol`.',
                suppress='`# rust-triage: allow(RT503) -- reason` at the end of the `def` line or alone on the line above it (below the decorators of a decorated function). ruff has no equivalent rule.',
                clippy='none (Python rule; no ruff equivalent)',
            ),
            tests_in_scope=False,
            tags=('debt', 'python', 'placeholder'),
            language='python',
            effort_minutes=30,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.python.rules.rt504_python_placeholder_comment', qualname='PythonPlaceholderComment', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT504',
            name='python-placeholder-comment',
            category='debt',
            severity='low',
            summary='Placeholder comment (TODO, FIXME, XXX, hack, "for now", "temporary"...) in Python code',
            docs=RuleDocs(
                what='Reports comments containing a placeholder phrase: the TODO/FIXME markers and the placeholder language the Rust rules RT201/RT202 look for ("for now", "in a real implementation", "placeholder", "stub", "hack", "temporary fix", "not implemented", "XXX"...). It is the same phrase list (rust_triage.families.debt.phrases), so one report counts debt on both sides, and the same options under `[rules.RT504]`: `phrases` replaces the list, `extra_phrases` adds words, `ignore_phrases` drops some. Tool directives (`# noqa`, `# type: ignore`, `# pyre-fixme`, `# pragma`...) are not prose and never match.',
                why='Placeholder comments are where a crisis backlog hides: hard-coded limits, fake dependencies and half-done error handling are usually announced by a `# TODO` or a `# for now` next to them.',
                example='```python\nMAX_JOBS = 4  # hard-coded for now, read from config\n```',
                fix='Do the work, file an issue and link it, or delete the comment if it is no longer true.',
                suppress="`# rust-triage: allow(RT504)` alone on the line above, or `# noqa: FIX002` (TODO), `FIX001`/`FIX003` (FIXME/XXX), `FIX004` (HACK), `TD002`/`TD003` on the comment's line, or `# ruff: noqa: FIX002` file-wide.",
                clippy='none (Python rule; ruff equivalents: FIX001-FIX004, TD001-TD007)',
            ),
            tags=('debt', 'python', 'placeholder'),
            language='python',
            options=(RuleOption(name='phrases', type='string-list', default=None, doc='replaces the phrase list (default names keep their tuned patterns, other words match literally); default: the built-in list'), RuleOption(name='extra-phrases', type='string-list', default=[], doc='words or phrases added to the list'), RuleOption(name='ignore-phrases', type='string-list', default=[], doc='phrases dropped from the list')),
            effort_minutes=20,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.python.rules.rt505_python_oversized_module', qualname='PythonOversizedModule', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT505',
            name='python-oversized-module',
            category='structure',
            severity='low',
            summary='Python module with more than 1000 code lines',
            docs=RuleDocs(
                what='Reports modules with more code lines (non-blank, non-comment, not docstrings) than the limit, 1000 by default. Set it with `max-lines` under `[rules.RT505]` or `python-module-lines` under `[thresholds]`. Docstrings (and other string-only statements) are documentation, not code: `count-docstrings = true` counts them too.',
                why="Very large modules mix responsibilities, are hard to review and attract merge conflicts; they are where a team's fixes collide during a crisis.",
                example='`service/handlers.py` with 2,400 code lines of request handlers, models and helpers.',
                fix='Split the module by responsibility (handlers, models, persistence) into a package.',
                suppress="`# rust-triage: allow-file(RT505) -- reason` in the module's first comment block, or a per-path override that ignores RT505. ruff has no equivalent (pylint's too-many-lines is C0302).",
                clippy='none (Python rule; no ruff equivalent; pylint C0302)',
            ),
            tests_in_scope=False,
            tags=('structure', 'python', 'size'),
            language='python',
            options=(RuleOption(name='max-lines', type='positive-int', default=1000, doc='the most code lines a module may have', threshold='python-module-lines'), RuleOption(name='count-docstrings', type='bool', default=False, doc='count docstring lines as code lines')),
            effort_minutes=90,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.python.rules.rt506_python_oversized_function', qualname='PythonOversizedFunction', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT506',
            name='python-oversized-function',
            category='structure',
            severity='low',
            summary='Python function with more than 80 code lines',
            docs=RuleDocs(
                what='Reports functions and methods (sync or async) with more code lines than the limit, 80 by default, counting from the `def` line to the end of the body (non-blank, non-comment lines outside docstrings; nested functions count towards their parent too). Set it with `max-lines` under `[rules.RT506]` or `python-function-lines` under `[thresholds]`. Docstrings are documentation, not code: `count-docstrings = true` counts them too.',
                why='Long functions hide several responsibilities and many paths; they are hard to test and where blocking calls and swallowed errors go unnoticed.',
                example='A 250-line `async def handle_request(...)` that parses, validates, runs a job and formats the response.',
                fix='Extract the steps into well-named helpers; keep the top-level function a readable outline.',
                suppress='`# rust-triage: allow(RT506) -- reason` at the end of the `def` line or alone on the line above it (below the decorators of a decorated function), or `# noqa: PLR0915` on the `def` line.',
                clippy='none (Python rule; closest ruff rule: PLR0915 too-many-statements)',
            ),
            tests_in_scope=False,
            tags=('structure', 'python', 'size'),
            language='python',
            options=(RuleOption(name='max-lines', type='positive-int', default=80, doc='the most code lines a function may have', threshold='python-function-lines'), RuleOption(name='count-docstrings', type='bool', default=False, doc='count docstring lines as code lines')),
            effort_minutes=45,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.python.rules.rt507_python_swallowed_exception', qualname='PythonSwallowedException', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT507',
            name='python-swallowed-exception',
            category='reliability',
            severity='medium',
            summary='Bare `except:` or `except Exception:` whose body only passes, swallowing every error',
            docs=RuleDocs(
                what='Reports bare `except:` handlers that do not re-raise, and `except Exception:` / `except BaseException:` handlers (alone or in a tuple) whose body is only `pass`, `...` or `continue`.',
                why='A bare `except:` also catches `KeyboardInterrupt`, `SystemExit` and `asyncio.CancelledError`: the process cannot be stopped cleanly and cancelled tasks keep running. `except Exception: pass` turns every bug into silence, so failures surface far away, later, as wrong data.',
                example='```python\ntry:\n    publish(event)\nexcept Exception:\n    pass  # RT507\n```',
                fix='Catch the specific exceptions you expect; log (`logger.exception(...)`) or re-raise the rest. Use `contextlib.suppress(SpecificError)` when ignoring one error is really intended.',
                suppress='`# rust-triage: allow(RT507) -- reason` at the end of the `except` line or alone on the line above, or `# noqa: E722` (bare except), `# noqa: S110` (`except ...: pass`), `# noqa: S112` (`continue`) or `# noqa: BLE001` (blind except) on the `except` line.',
                clippy='none (Python rule; ruff equivalents: E722, S110, S112, BLE001)',
            ),
            tests_in_scope=False,
            tags=('python', 'error-handling', 'reliability'),
            language='python',
            effort_minutes=15,
        ),
    ),
    IndexEntry(
        module='rust_triage.families.python.rules.rt510_python_reachable_panic', qualname='PythonReachablePanic', scope='workspace', checks_suppressions=False,
        meta=RuleMeta(
            id='RT510',
            name='python-reachable-panic',
            category='panic',
            severity='critical',
            summary='Rust panic reachable from Python through a #[pyfunction]/#[pymethods] entry point',
            docs=RuleDocs(
                what="Finds the Rust items Python can call — every `#[pyfunction]`, `#[pymethods]` method and `#[new]` constructor of an extension module (named by `#[pymodule]`, `#[pyo3(name = ...)]`, nested `#[pymodule] mod` submodules and `#[pyclass(module = ...)]`) — follows the Rust call graph from them and reports every panic site (the RT001-RT006 matches: `unwrap`, `expect`, `unimplemented!`, `todo!`, `panic!`, `unreachable!`) it reaches. In public-API mode (the default for library crates, option `entry-points`) every exported item is an entry point, since the callers are downstream code; otherwise only items Python code in the workspace calls (resolved through imports, re-exports and `self._inner = Native(...)` attributes; test code counts with `--include-tests`). The Python call site shown is package code first, then tests, then examples. The panic keeps its own RT00x finding; this one is ranked by what makes it fire: critical when Python controls it (a Python callback that raises, `.extract()` of a Python value, the entry's own arguments, `unimplemented!()` in a method of a `#[pyclass(subclass)]` a Python subclass may not override), medium for internal invariants and lock unwraps (they fail only after another thread panicked), low for `unreachable!()`.",
                why='A Rust panic in an extension module does not become a normal Python exception: PyO3 raises `PanicException`, a `BaseException` that `except Exception` handlers do not catch, so it tears through the service and usually kills the interpreter (and with `panic = "abort"` the process dies at once). A panic on an internal Rust path is a bug; one Python can reach is an outage.',
                example='```rust\n#[pyfunction]\nfn parse_batch(lines: Vec<String>) -> Vec<u32> {\n    lines.iter().map(|l| parse_record(l)).collect()\n}\n\nfn parse_record(line: &str) -> u32 {\n    line.parse().unwrap() // RT510 (and RT001)\n}\n\n#[pyfunction]\nfn each(callback: &Bound<\'_, PyAny>) {\n    callback.call1((1,)).expect("callback"); // RT510: critical\n}\n```',
                fix='The hint follows the signatures: where the function holding the panic or the entry point already returns `PyResult`, propagate with `map_err(..)?` (`?` alone on a PyO3 call); otherwise return `PyResult` from the entry point. `unimplemented!()` in an overridable method becomes `Err(PyNotImplementedError::new_err(..))`.',
                suppress="`// rust-triage: allow(RT510) -- reason` on the panic's line or the line above. The finding needs the panic rules' matches: it reports nothing when RT001-RT006 are not selected.",
                clippy='none (clippy::unwrap_used, clippy::expect_used and clippy::panic flag the sites, not the Python reachability)',
            ),
            tests_in_scope=False,
            precision='medium',
            tags=('panic', 'python', 'pyo3', 'call-graph'),
            options=(RuleOption(name='entry-points', type='string', default='auto', doc='`public-api`: every exported PyO3 item is an entry point; `python-callers`: only the items Python code in the workspace calls; `auto`: public-api for crates with a lib target', choices=('auto', 'public-api', 'python-callers')), RuleOption(name='constant-constructors', type='string-list', default=[], doc='risk ranking: constructors whose result is constant when all their arguments are literals (`Template::compile`); merged across the ranked rules'), RuleOption(name='infallible-calls', type='string-list', default=[], doc='risk ranking: calls (paths, or method names) whose result cannot be an error; merged across the ranked rules'), RuleOption(name='external-sources', type='string-list', default=[], doc='risk ranking: calls (paths, or method names) whose result comes from outside the program; merged across the ranked rules')),
            effort_minutes=15,
            risk_kind=RiskKind.PYTHON_PANIC,
        ),
    ),
)
