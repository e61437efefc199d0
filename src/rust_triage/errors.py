"""Problems met while reading input: reported per file, never raised to the user."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FileError:
    """A per-file problem (unreadable, invalid UTF-8, too large, broken manifest...)."""

    path: str
    kind: str
    message: str
    line: int | None = None

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"file": self.path, "kind": self.kind, "message": self.message}
        if self.line is not None:
            data["line"] = self.line
        return data


class UsageError(Exception):
    """A usage or configuration error: the CLI prints it and exits with status 2."""
