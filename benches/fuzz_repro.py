"""Writing a failing case to disk so it can be reproduced without the fuzzer."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from fuzz_cases import Case, Plan
from fuzz_oracle import command_prefix, restore_permissions


def shell_word(word: str | bytes) -> str:
    """Quote for bash; bytes that are not printable ASCII become $'\\xNN' escapes."""
    raw = os.fsencode(word) if isinstance(word, str) else word
    if all(32 <= b < 127 for b in raw):
        return shlex.quote(raw.decode())
    return "$'" + "".join(chr(b) if 32 <= b < 127 and b not in b"'\\" else f"\\x{b:02x}" for b in raw) + "'"


def save_failure(root: Path, case: Case, plan: Plan, token: str, record: dict, build: Callable) -> Path:
    """failures/<case>/: the sandbox as built (outside/, ws/, copies, inputs/), result.json, repro.sh;
    with a minimized culprit, minimal/ holds the workspace with only that input."""
    folder = root / case.name
    if folder.exists():
        restore_permissions(folder)
        shutil.rmtree(folder)
    targets = {r.target for r in plan.runs}
    build(plan, folder / "sandbox", token, targets)
    culprit = next((int(v) for k, v in record["culprits"].items() if k.endswith(":index")), None)
    if culprit is not None:
        build(plan, folder / "minimal", token, targets, {culprit})
    (folder / "result.json").write_text(json.dumps(record, indent=1, default=str))
    lines = [
        "#!/bin/bash",
        f"# {case.name}: {', '.join(sorted(record['problems']))}",
        "# Each command runs in the sandbox as the fuzzer ran it (the canary token is in $RT_FUZZ_SECRET).",
        f"# Rebuild from scratch: {sys.executable} benches/fuzz.py --replay {case.name}",
        'cd "$(dirname "$0")/${1:-sandbox}" || exit 2',
        f"export HOME=$PWD/home XDG_CACHE_HOME=$PWD/home/.cache RT_FUZZ_SECRET={token} LANG=C.UTF-8 COLUMNS=120",
    ]
    prefix = " ".join(shell_word(w) for w in command_prefix())
    for run in plan.runs:
        failing = [c for c, hits in record["problems"].items() if any(h[0] == run.name for h in hits)]
        note = f"  # {', '.join(failing)}" if failing else ""
        stdin = " < inputs/cargo.json" if run.stdin is not None and run.stdin else ""
        args = " ".join(shell_word(a) for a in run.argv)
        lines.append(f"(cd {run.target} && timeout 120 {prefix} {args}{stdin.replace('inputs', '../inputs')}); "
                     f"echo \"{run.name}: exit $?\"{note}")
    script = folder / "repro.sh"
    script.write_text("\n".join(lines) + "\n")
    script.chmod(0o755)
    description = "\n".join(f"input {n}: {text}" for n, text in enumerate(plan.inputs))
    (folder / "inputs.txt").write_text(description + "\n")
    return folder
