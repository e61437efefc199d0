"""Validation of a history file read back from disk: every run must be what `run_entry` writes.

A hand-edited or damaged file stops the command with one line naming the first bad entry, instead of a
traceback half-way through drawing the chart (or a chart that silently drops runs).
"""

from __future__ import annotations

from typing import Any

from rust_triage.json_input import count_value, text_value

HISTORY_VERSION = 1
_COUNT_TABLES = ("by_severity", "by_rule", "by_category")
_TEXT_KEYS = ("timestamp", "label", "commit")


def validate_history(data: Any) -> dict[str, Any]:
    """The history `{"version": 1, "runs": [...]}`; raises ValueError naming the first bad entry."""
    if not isinstance(data, dict) or not isinstance(data.get("runs"), list):
        raise ValueError("has no `runs` list: not a rust-triage history file")
    version = data.get("version", HISTORY_VERSION)
    if not count_value(version) or version < 1:
        raise ValueError(f"has version {version!r}: expected a positive integer")
    if version > HISTORY_VERSION:
        raise ValueError(f"has version {version}; this rust-triage reads version {HISTORY_VERSION}")
    for i, run in enumerate(data["runs"]):
        _check_run(run, f"runs[{i}]")
    return {"version": HISTORY_VERSION, "runs": data["runs"]}


def _check_run(run: Any, where: str) -> None:
    if not isinstance(run, dict):
        raise ValueError(f"`{where}` is not an object")
    for key in ("total", "files_scanned"):
        if (key == "total" or key in run) and not count_value(run.get(key)):
            raise ValueError(f"`{where}.{key}` is {run.get(key)!r}: expected a count (integer >= 0)")
    for key in _TEXT_KEYS:
        if run.get(key) is not None and not text_value(run[key]):
            raise ValueError(f"`{where}.{key}` is not a UTF-8 string")
    for key in _COUNT_TABLES:
        table = run.get(key, {})
        if not isinstance(table, dict):
            raise ValueError(f"`{where}.{key}` is not an object of counts")
        for name, count in table.items():
            if not text_value(name) or not count_value(count):
                raise ValueError(f"`{where}.{key}[{name!r}]` is {count!r}: expected a count (integer >= 0)")
