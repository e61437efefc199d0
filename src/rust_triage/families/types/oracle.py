"""rustc as the judge of the type checks: run `cargo check`, keep the errors RT3xx predict, match them.

Used by the oracle tests and by `benches/mutate_types.py`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# rule -> rustc error codes it predicts
RULE_CODES: dict[str, frozenset[str]] = {
    "RT301": frozenset({"E0063"}),
    "RT302": frozenset({"E0560", "E0559"}),
    "RT303": frozenset({"E0061"}),
    "RT310": frozenset({"E0277", "E0599", "E0369", "E0507", "E0204"}),
    "RT311": frozenset({"E0277", "E0369", "E0204"}),
    "RT312": frozenset({"E0382"}),
}
JUDGED_CODES = frozenset().union(*RULE_CODES.values())
LINE_SLACK = 2


@dataclass(frozen=True, slots=True)
class CompilerError:
    file: str  # relative to the workspace root
    line: int
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Predicted:
    rule: str
    file: str
    line: int


@dataclass
class CargoCheck:
    errors: list[CompilerError]
    checked: set[str]  # package directories (relative, "" for the root) rustc got to check
    # why cargo stopped other than on compile errors (a killed rustc, a source it could not load): "" when
    # it did not; then `errors` says nothing of the code
    failure: str = ""

    def was_checked(self, rel_file: str) -> bool:
        """False for files of crates cargo never compiled because a dependency failed."""
        return any(d == "" or rel_file.startswith(d + "/") for d in self.checked)


def cargo_check(workspace: Path, target_dir: Path, cargo: str = "cargo", timeout: int = 600,
                targets: Sequence[str] = ("--all-targets",)) -> CargoCheck:
    """`cargo check --workspace --keep-going --all-targets` (runs offline): test code is judged too,
    since a literal or derive that breaks `cargo test` breaks the build."""
    env = {**os.environ, "CARGO_TARGET_DIR": str(target_dir), "CARGO_TERM_COLOR": "never"}
    proc = subprocess.run(
        [cargo, "check", "--workspace", "--keep-going", "--offline", *targets, "--message-format=json", "--quiet"],
        cwd=workspace, env=env, capture_output=True, text=True, timeout=timeout,
    )
    lines = proc.stdout.splitlines()
    errors = list(read_errors(lines, workspace))
    return CargoCheck(errors, checked_packages(lines, workspace), _failure(proc.returncode, proc.stderr, errors))


# cargo's line for a crate that failed on its compile errors (`due to previous error` before cargo 1.74)
_COMPILE_ERRORS = re.compile(r"^error: could not compile `[^`]+`.* due to (\d+ )?previous errors?\b")


def _failure(returncode: int, stderr: str, errors: list[CompilerError]) -> str:
    """The first error cargo printed that is not a crate's compile-errors line; when cargo failed with no
    such line and no compile error either, what it exited with."""
    if returncode == 0:
        return ""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("error") and not _COMPILE_ERRORS.match(line):
            causes = [lines[i + 1] for i, text in enumerate(lines[:-1]) if text == "Caused by:"]
            return f"{line} ({causes[-1]})" if causes else line  # the innermost cause comes last
    return "" if errors else f"cargo exited with {returncode} without a compile error"


def cargo_errors(workspace: Path, target_dir: Path, cargo: str = "cargo", timeout: int = 600) -> list[CompilerError]:
    """Every error of `cargo check --workspace`."""
    return cargo_check(workspace, target_dir, cargo, timeout).errors


def checked_packages(lines: Iterable[str], workspace: Path) -> set[str]:
    root = workspace.resolve()
    out: set[str] = set()
    for raw in lines:
        try:
            record = json.loads(raw)
        except json.JSONDecodeError:
            continue
        src = (record.get("target") or {}).get("src_path")
        if record.get("reason") not in ("compiler-artifact", "compiler-message") or not src:
            continue
        directory = Path(src).resolve().parent
        while directory != directory.parent and not (directory / "Cargo.toml").exists():
            directory = directory.parent
        try:
            rel = directory.relative_to(root).as_posix()
        except ValueError:
            continue
        out.add("" if rel == "." else rel)
    return out


def read_errors(lines: Iterable[str], workspace: Path) -> Iterable[CompilerError]:
    root = workspace.resolve()
    seen: set[tuple[str, int, str, str]] = set()
    for raw in lines:
        try:
            record = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if record.get("reason") != "compiler-message":
            continue
        msg = record.get("message") or {}
        if msg.get("level") != "error":
            continue
        code = (msg.get("code") or {}).get("code") or ""
        span = _user_span(msg.get("spans") or [], root)
        if span is None:
            continue
        key = (span[0], span[1], code, msg.get("message", ""))
        if key not in seen:
            seen.add(key)
            yield CompilerError(span[0], span[1], code, msg.get("message", ""))


def _user_span(spans: list[dict], root: Path) -> tuple[str, int] | None:
    """(file, line) of the primary span, or of the macro call in workspace code it expands from."""
    span = next((s for s in spans if s.get("is_primary")), spans[0] if spans else None)
    for _ in range(64):
        if span is None:
            return None
        name = span.get("file_name", "")
        path = Path(name)
        if not path.is_absolute():
            return name, span.get("line_start", 0)
        try:
            return path.resolve().relative_to(root).as_posix(), span.get("line_start", 0)
        except ValueError:
            expansion = span.get("expansion") or {}
            span = expansion.get("span")
    return None


@dataclass
class Judgement:
    matched: list[tuple[Predicted, CompilerError]]
    false_positives: list[Predicted]  # predicted, no such compiler error
    missed: list[CompilerError]  # judged compiler errors nobody predicted


def judge(predicted: Iterable[Predicted], errors: Iterable[CompilerError]) -> Judgement:
    """Match findings to compiler errors: same file, a code the rule predicts, lines within 2."""
    errors = [e for e in errors if e.code in JUDGED_CODES]
    preds = list(predicted)
    matched: list[tuple[Predicted, CompilerError]] = []
    covered: set[int] = set()
    false_positives = []
    for p in preds:
        codes = RULE_CODES.get(p.rule, frozenset())
        hits = [i for i, e in enumerate(errors)
                if e.file == p.file and e.code in codes and abs(e.line - p.line) <= LINE_SLACK]
        if not hits:
            false_positives.append(p)
            continue
        best = min(hits, key=lambda i: (i in covered, abs(errors[i].line - p.line)))
        covered.add(best)
        matched.append((p, errors[best]))
    missed = [e for i, e in enumerate(errors) if i not in covered and not _near(e, preds)]
    return Judgement(matched, false_positives, missed)


def _near(error: CompilerError, preds: list[Predicted]) -> bool:
    return any(p.file == error.file and error.code in RULE_CODES.get(p.rule, ()) and
               abs(p.line - error.line) <= LINE_SLACK for p in preds)


def predicted_from_report(report: dict) -> list[Predicted]:
    """RT3xx findings of a JSON report."""
    return [Predicted(f["rule"], f["file"], f["line"]) for f in report.get("findings", [])
            if f["rule"] in RULE_CODES]
