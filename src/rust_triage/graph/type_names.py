"""The last segment of a written type, for matching impls and methods by name (no resolver needed)."""

from __future__ import annotations


def last_segment(type_text: str) -> str:
    """`&mut a::Foo` -> `Foo`."""
    t = type_text.replace("&", " ").replace("mut ", " ").replace("dyn ", " ").strip()
    return t.split("::")[-1].strip()
