"""One analysis run: discovery -> parse -> module tree -> rules -> filtered, sorted findings."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from rust_triage import collector, interrupts
from rust_triage.engine.config import Config
from rust_triage.engine.context import AnalysisContext, SourceFile
from rust_triage.engine.family import RunSettings
from rust_triage.engine.model import CONFIDENCES, Finding
from rust_triage.engine.registry import Registry, load_registry
from rust_triage.errors import FileError
from rust_triage.parse.cache import FactsCache, default_cache_dir
from rust_triage.parse.language import grammar_version
from rust_triage.parse.pool import default_jobs, parse_files
from rust_triage.parse.queries import QuerySpec, ruleset_signature
from rust_triage.parse.registry import extractors_signature
from rust_triage.workspace.model import Workspace
from rust_triage.workspace.safepath import forget_resolved_dirs, named_path, real_roots


@dataclass
class Options:
    paths: list[Path] = field(default_factory=lambda: [Path(".")])
    jobs: int = 0  # 0: from the amount of work, at most one per CPU
    cache_dir: Path | None = None
    no_cache: bool = False
    config_file: Path | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    include_tests: bool | None = None
    include_dead_code: bool | None = None
    show_suppressed: bool = False
    progress: Callable[[int, int], None] | None = None  # (done, total)


@dataclass
class Analysis:
    context: AnalysisContext
    registry: Registry
    findings: list[Finding]
    suppressed: list[Finding]
    errors: list[FileError]
    stats: dict[str, float | int]
    focus: set[str] | None  # rel paths the user named (pre-commit), None for everything


class Prepared(msgspec.Struct):
    """What a run knows before reading any source file: workspace, configuration, rules, cache."""

    workspace: Workspace
    config: Config
    registry: Registry
    selected: set[str]
    specs: tuple[QuerySpec, ...]
    focus: set[str] | None
    salt: str
    cache_dir: Path | None
    cache: FactsCache
    started: float
    run_key: str = ""  # set once computed (engine.fingerprint.run_key)


def prepare(options: Options, before_listing: Callable[[Prepared], None] | None = None) -> Prepared:
    """`before_listing` runs once the workspace, configuration and rules are known, before any source file
    is listed (the replay stamp: the listing then reuses what its walk saw)."""
    from rust_triage.engine.config_load import load_config
    from rust_triage.workspace import discover, list_workspace_files, select_files

    interrupts.install()
    forget_resolved_dirs()
    started = time.perf_counter()
    first = named_path(options.paths[0])
    workspace = discover(first, list_files=False)
    config = load_config(workspace, options)
    registry = load_registry(config.rule_dirs)
    selected = {r.meta.id for r in registry.rules if config.is_selected(r.meta.id)}
    specs = registry.query_specs(selected)
    salt = f"{grammar_version()};{ruleset_signature(specs)};{extractors_signature()}"
    cache_dir = None if options.no_cache else (options.cache_dir or default_cache_dir(workspace.root))
    cache = FactsCache(cache_dir, salt)
    run = Prepared(workspace, config, registry, selected, specs, None, salt, cache_dir, cache, started)
    if before_listing is not None:
        before_listing(run)
    list_workspace_files(workspace)

    focus: set[str] | None = None
    named = [named_path(p) for p in options.paths]
    if any(p.is_file() for p in named) or any(p != workspace.root for p in named):
        focus = {workspace.rel(p) for p in select_files(workspace, named)}
        if all(p.is_dir() and p == workspace.root for p in named):
            focus = None
    run.focus = focus
    return run


def analyse(options: Options, prepared: Prepared | None = None) -> Analysis:
    from rust_triage.workspace import build_module_tree

    run = prepared or prepare(options)
    collector.resume()  # paused by the CLI while it loaded the rules
    workspace, config, registry, selected = run.workspace, run.config, run.registry, run.selected
    specs, focus, salt, cache_dir, cache, started = run.specs, run.focus, run.salt, run.cache_dir, run.cache, run.started
    total = len(workspace.rust_files)
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if options.progress:
            options.progress(done[0], total)

    parsed = parse_files(
        workspace.rust_files,
        specs=specs,
        cache=cache,
        jobs=options.jobs,
        display=workspace.rel,
        progress=tick if options.progress else None,
        index_scope=str(workspace.root),
        max_bytes=config.max_file_size,
        roots=real_roots(workspace.roots),
        lazy=focus is not None,  # a one-file run decodes only the facts it reads
    )
    parse_done = time.perf_counter()
    interrupts.raise_if_interrupted()
    module_tree = build_module_tree(workspace, parsed.mods)
    files = _source_files(workspace, module_tree, {**parsed.facts, **parsed.deferred})
    ctx = AnalysisContext(workspace, module_tree, files, config,
                          graph_hooks=[f.graph_hook for f in registry.families if f.graph_hook],
                          rules=registry.metas())
    settings = RunSettings(cache_dir=cache_dir, jobs=options.jobs or default_jobs())
    for family in registry.families:
        if family.prepare is not None:
            family.prepare(ctx, settings)  # e.g. the Python family parses the .py files
    from rust_triage.engine.incremental import IncrementalRunner
    from rust_triage.engine.runner import run_rules

    store = None
    if cache_dir is not None:
        from rust_triage.engine.fingerprint import run_key
        from rust_triage.engine.results_store import ResultsStore

        store = ResultsStore(cache_dir, str(workspace.root))
        key = run.run_key or run_key(config, registry, selected, workspace, salt)  # the replay check's, if any
        run.run_key = key
    incremental = IncrementalRunner(store, key if store is not None else "",
                                    {workspace.rel(p): k for p, k in parsed.keys.items()})
    findings, suppressed = run_rules(ctx, registry, selected, focus, incremental)
    risk_started = time.perf_counter()
    metas = registry.metas()
    for family in registry.families:
        if family.after_rules is not None:  # e.g. the risk family ranks panic and blocking findings
            findings = family.after_rules(ctx, findings, metas)
    risk_seconds = time.perf_counter() - risk_started
    incremental.finish()  # the results index, with what the families derived from the interfaces
    from rust_triage.engine.deadcode import mark_dead_code

    mark_dead_code(ctx, findings)
    errors = sorted(workspace.errors + module_tree.errors + parsed.errors, key=lambda e: (e.path, e.line or 0, e.kind))
    stats = {
        "files": len(files),
        "parsed": parsed.parsed,
        "cache_hits": parsed.cache_hits,
        **incremental.stats,
        "parse_seconds": round(parse_done - started, 3),
        "risk_seconds": round(risk_seconds, 3),
        "total_seconds": round(time.perf_counter() - started, 3),
    }
    return Analysis(ctx, registry, findings, suppressed, errors, stats, focus)


def _source_files(workspace, module_tree, facts) -> list[SourceFile]:  # type: ignore[no-untyped-def]
    files: list[SourceFile] = []
    for path in sorted(facts, key=workspace.rel):
        modules = module_tree.modules.get(path, [])
        rel = workspace.rel(path)
        in_test_target = bool(modules) and all(m.is_test for m in modules)
        if not modules:
            parts = rel.split("/")
            in_test_target = "tests" in parts[:-1] or "benches" in parts[:-1]
        files.append(
            SourceFile(
                path=path,
                rel=rel,
                stored_facts=facts[path],
                modules=modules,
                in_test_target=in_test_target,
                package=modules[0].package if modules else "",
            )
        )
    return files


def confidence_ok(finding: Finding, minimum: str) -> bool:
    return CONFIDENCES.index(finding.confidence) >= CONFIDENCES.index(minimum)
