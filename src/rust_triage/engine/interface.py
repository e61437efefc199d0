"""A file's interface to the workspace rules, with and without its positions.

The interface is what workspace rules may read of one file's facts: all but its comments, query matches and
line counts (what only file-local rules read), except the doc comments that hold a code fence (the testorg
rules count a package's doctests). It is digested twice:

- the *shape*: the interface with every line, column and byte offset erased (and spans reduced to "empty or
  not"). Adding a line inside a function body, or editing a comment, keeps the shape of every file. The
  workspace fingerprint is made of shapes, so values derived from it (the risk ranking's reachability) and
  the workspace rules' findings located elsewhere are reused across such edits;
- the *positions*: the whole interface. A file whose positions changed has the findings that quote or cite
  it recomputed (`engine/incremental.py`).

The erased fields are listed here for the core facts and the built-in extractors' sections;
`tests/test_interface.py` checks on every fixture that moving all lines down keeps the shape, so a new
position field is noticed there.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import msgspec

from rust_triage.parse.source import SourceFile

# keys of the facts' records that hold a line, a column or a byte offset in the file
POSITION_KEYS = ("line", "column", "end_line", "end_column", "byte", "visible_from", "scope_end",
                 "move_line", "move_column", "use_line", "use_column", "await_line", "await_column")
# in JSON, `"line":` can only be a key: a quote inside a string is escaped
_POSITION_KEYS = tuple(f'"{key}":'.encode() for key in POSITION_KEYS)
_SPAN_KEY = b'"body_lines":'
_DIGITS = b"-0123456789"
_ENCODER = msgspec.json.Encoder()


def _erase_keys(data: bytes) -> bytes:
    """Every position key's number to 0, and `body_lines` to 0 or 1 (splits: far cheaper than a regex)."""
    for key in _POSITION_KEYS:
        if key in data:
            parts = data.split(key)
            data = (key + b"0").join([parts[0], *(p.lstrip(_DIGITS) for p in parts[1:])])
    if _SPAN_KEY in data:
        parts = data.split(_SPAN_KEY)
        kept = [parts[0]]
        for part in parts[1:]:
            rest = part.lstrip(_DIGITS)
            kept.append((b"1" if int(part[: len(part) - len(rest)]) > 0 else b"0") + rest)
        data = _SPAN_KEY.join(kept)
    return data


def _erase_sections(plain: dict[str, Any]) -> None:
    """Positions the key pattern cannot see: tuples, and dicts whose values are lines or line counts."""
    plain["syntax_errors"] = len(plain.get("syntax_errors") or ())
    extra = plain.get("extra") or {}
    types = extra.get("types")
    if isinstance(types, dict):
        types["derive_lines"] = sorted(types.get("derive_lines") or {})
        variants = types.get("tuple_variants") or {}
        types["tuple_variants"] = {item: {name: [f[0] for f in fields] for name, fields in by_name.items()}
                                   for item, by_name in variants.items()}
    debt = extra.get("debt")
    if isinstance(debt, dict):
        debt["lead"] = sorted(debt.get("lead") or {})
        debt["fn_code_lines"] = sorted(debt.get("fn_code_lines") or {})
    found = extra.get("async")
    if isinstance(found, dict):
        found["offloaded"] = len(found.get("offloaded") or ())


def _digest(data: bytes, size: int = 20) -> str:
    return hashlib.blake2b(data, digest_size=size).hexdigest()


def interface_digests(src: SourceFile) -> tuple[str, str]:
    """(shape, positions) of one file's interface: functions of its content alone (kept by content key)."""
    fences = [c for c in src.facts.comments if c.doc and "```" in c.text]  # doctests: read by workspace rules
    facts = replace(src.facts, comments=fences, matches=[], line_count=0, code_lines=0, test_code_lines=0)
    plain = msgspec.to_builtins(facts, str_keys=True, order="deterministic")  # sets sorted: same bytes every run
    positions = _digest(_ENCODER.encode(plain), 8)  # kept per file: compared with the same file's
    _erase_sections(plain)
    return _digest(_erase_keys(_ENCODER.encode(plain))), positions
