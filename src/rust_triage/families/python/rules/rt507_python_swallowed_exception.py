"""RT507 python-swallowed-exception: bare `except:` and `except Exception: pass` that hide errors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.families.python.rule import PythonRule

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.families.python.source import PySourceFile


class PythonSwallowedException(PythonRule):
    meta = RuleMeta(
        id="RT507",
        name="python-swallowed-exception",
        category="reliability",
        severity="medium",
        effort_minutes=15,
        summary="Bare `except:` or `except Exception:` whose body only passes, swallowing every error",
        language="python",
        tests_in_scope=False,
        precision="high",
        tags=("python", "error-handling", "reliability"),
        docs=RuleDocs(
            what="Reports bare `except:` handlers that do not re-raise, and `except Exception:` / "
            "`except BaseException:` handlers (alone or in a tuple) whose body is only `pass`, `...` or "
            "`continue`.",
            why="A bare `except:` also catches `KeyboardInterrupt`, `SystemExit` and `asyncio.CancelledError`: "
            "the process cannot be stopped cleanly and cancelled tasks keep running. `except Exception: pass` "
            "turns every bug into silence, so failures surface far away, later, as wrong data.",
            example="```python\ntry:\n    publish(event)\nexcept Exception:\n    pass  # RT507\n```",
            fix="Catch the specific exceptions you expect; log (`logger.exception(...)`) or re-raise the rest. "
            "Use `contextlib.suppress(SpecificError)` when ignoring one error is really intended.",
            suppress="`# rust-triage: allow(RT507) -- reason` at the end of the `except` line or alone on the line "
            "above, or "
            "`# noqa: E722` (bare except), `# noqa: S110` (`except ...: pass`), `# noqa: S112` (`continue`) "
            "or `# noqa: BLE001` (blind except) on the `except` line.",
            clippy="none (Python rule; ruff equivalents: E722, S110, S112, BLE001)",
        ),
    )

    def check_file(self, ctx: AnalysisContext, src: PySourceFile) -> Iterable[Finding]:
        for handler in src.facts.excepts:
            if handler.kind == "bare":
                if handler.reraises:
                    continue
                message = "bare `except:` catches everything, even KeyboardInterrupt and task cancellation"
                if handler.body != "other":
                    message += ", and swallows it"
                codes = ["E722", "BLE001"] + (["S110"] if handler.body != "other" else [])
                severity = "high" if handler.body != "other" else None
            elif handler.body != "other" and not handler.reraises:
                body = {"pass": "`pass`", "ellipsis": "`...`", "continue": "`continue`"}[handler.body]
                message = f"`except {handler.type_text}:` with only {body} silently swallows every error"
                codes = ["BLE001", "S112" if handler.body == "continue" else "S110"]
                severity = None
            else:
                continue
            yield self.finding(
                ctx, src, handler.line, handler.column, message, def_index=handler.func,
                fix_hint="catch specific exceptions, and log or re-raise the others",
                severity=severity, detail={"handler": handler.kind, "body": handler.body, "ruff": codes},
            )


RULES = [PythonSwallowedException()]
