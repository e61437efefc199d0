"""Which `mod` item declares a module, read from as few files as possible (a one-file run decodes few
facts): the `#[allow] mod x;` lookups of the suppression checks."""

from __future__ import annotations

from functools import cached_property

from rust_triage.engine.context import AnalysisContext, SourceFile


class ModuleDecls:
    def __init__(self, ctx: AnalysisContext) -> None:
        self._ctx = ctx
        self._decls: dict[tuple[str, str, str, str], tuple[SourceFile, int] | None] = {}

    @cached_property
    def _files_by_target(self) -> dict[tuple[str, str, str], list[SourceFile]]:
        """(package, target kind, target) -> the files in it, in run order (no facts are read)."""
        out: dict[tuple[str, str, str], list[SourceFile]] = {}
        for src in self._ctx.files:
            for info in src.modules:
                files = out.setdefault((info.package, info.target_kind, info.target), [])
                if not files or files[-1] is not src:
                    files.append(src)
        return out

    def find(self, key: tuple[str, str, str, str]) -> tuple[SourceFile, int] | None:
        """(file, index of the `mod` item) declaring module `key` = (package, target kind, target, module
        path): the first such item in run order. Only files of an enclosing module are read (a one-file run
        decodes few facts)."""
        if key in self._decls:
            return self._decls[key]
        package, kind, target, module_path = key
        parts = module_path.split("::")
        enclosing = {"::".join(parts[:i]) for i in range(1, len(parts))}
        found: tuple[SourceFile, int] | None = None
        for src in self._files_by_target.get((package, kind, target), []):
            infos = [m for m in src.modules if m.module_path in enclosing]
            if not infos:
                continue
            for item in src.facts.items:
                if item.kind != "mod":
                    continue
                chain = src.facts.item_chain(item.index)
                if any(i.kind != "mod" for i in chain):
                    continue  # a module inside a fn body has no file of its own
                inner = "::".join(i.name for i in reversed(chain))
                if any((m.package, m.target_kind, m.target, f"{m.module_path}::{inner}") == key for m in infos):
                    found = (src, item.index)
                    break
            if found is not None:
                break
        self._decls[key] = found
        return found
