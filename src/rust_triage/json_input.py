"""Reading JSON documents a user hands in (baselines, history files) with one-line errors."""

from __future__ import annotations

import json
from typing import Any


class JsonInputError(ValueError):
    """The document is not usable JSON; the message is one line, ready for the user."""


def load_json(raw: bytes | str) -> Any:
    """Parse `raw`, turning every way it can fail (syntax, depth, huge numbers, encoding) into one error."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise JsonInputError(f"not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonInputError(f"not JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise JsonInputError("not usable JSON: arrays or objects nested too deeply") from None
    except ValueError:  # e.g. an integer of more than 4,300 digits
        raise JsonInputError("not usable JSON: a number is too large") from None


def text_value(value: Any) -> bool:
    """True for a string that can be written out again as UTF-8 (no lone surrogates from `\\ud800`)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def count_value(value: Any) -> bool:
    """True for a non-negative integer (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
