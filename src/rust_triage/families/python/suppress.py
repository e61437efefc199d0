"""ruff-style `noqa` comments in Python files, honoured by the Python rules.

- `# noqa: ASYNC221` on the finding's line, with a code of the equivalent ruff rule; a bare
  `# noqa` suppresses every rule on its line, as in ruff.
- `# ruff: noqa: E722` anywhere in the file suppresses that code file-wide.

`# rust-triage: allow(RT501)` comments are not handled here: the engine's suppression pass
(rust_triage.engine.suppress) reads them in Python files too, and reports unused ones (RT090).
"""

from __future__ import annotations

import re

from rust_triage.families.python.source import PySourceFile

_CODES = r"([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)"
_NOQA = re.compile(r"#\s*noqa(?::\s*" + _CODES + r")?", re.IGNORECASE)
_FILE_NOQA = re.compile(r"#\s*ruff\s*:\s*noqa\s*:\s*" + _CODES, re.IGNORECASE)


def _split(codes: str) -> set[str]:
    return {c.strip().upper() for c in codes.split(",") if c.strip()}


class NoqaComments:
    """The noqa comments of one file, parsed once."""

    def __init__(self, src: PySourceFile) -> None:
        self.lines: dict[int, set[str] | None] = {}  # None: a bare noqa comment
        self.file_codes: set[str] = set()
        for c in src.facts.comments:
            if "noqa" not in c.text.lower():
                continue
            file_wide = _FILE_NOQA.search(c.text)
            if file_wide:
                self.file_codes |= _split(file_wide.group(1))
                continue
            m = _NOQA.search(c.text)
            if m:
                self.lines[c.line] = _split(m.group(1)) if m.group(1) else None

    def match(self, line: int, ruff_codes: tuple[str, ...]) -> str | None:
        """The comment that suppresses a finding at `line` equivalent to `ruff_codes`, or None."""
        if line in self.lines:
            codes = self.lines[line]
            if codes is None:
                return "# noqa"
            for code in ruff_codes:
                if code in codes:
                    return f"# noqa: {code}"
        for code in ruff_codes:
            if code in self.file_codes:
                return f"# ruff: noqa: {code}"
        return None
