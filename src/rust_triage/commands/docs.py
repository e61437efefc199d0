"""`rust-triage docs`: regenerate docs/rules/ from rule metadata, and the families' rule indexes in a checkout."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("docs", help="write one Markdown page per rule")
    p.add_argument("--out", type=Path, default=Path("docs/rules"), help="output directory (default docs/rules)")
    p.add_argument("--rules-mirror", type=Path, default=Path("rules"),
                   help="refresh this copy of the built-in declarative rules when the directory exists "
                   "(default rules/, the repository's declarative-rules directory)")
    p.add_argument("--source-root", type=Path, default=Path("src"),
                   help="rewrite the generated indexes of the built-in Python rules' metadata "
                   "(rust_triage/families/<family>/rules/_index.py) under this directory when it holds the "
                   "families (default src/, the repository's source directory)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rust_triage.docs_gen import write_rule_docs
    from rust_triage.engine.registry import load_registry

    registry = load_registry(plugins=False, indexed=False)  # the rule modules themselves, not the index
    if (args.source_root / "rust_triage" / "families").is_dir():
        from rust_triage.engine.rule_index_gen import write_indexes

        changed = write_indexes(args.source_root)
        for path in changed:
            print(f"rewrote {path}")
        print(f"{len(changed)} rule indexes rewritten under {args.source_root}")
    written = write_rule_docs([r.meta for r in registry.rules], args.out)
    print(f"wrote {len(written)} rule pages to {args.out}")
    if args.rules_mirror.is_dir():
        copied = mirror_toml_rules(args.rules_mirror)
        print(f"copied {copied} declarative rules to {args.rules_mirror}")
    return 0


def mirror_toml_rules(mirror: Path) -> int:
    """Make `mirror` hold exactly the built-in families' TOML rules (the files ship inside the package)."""
    from rust_triage.atomic import write_atomic
    from rust_triage.engine.registry import builtin_toml_files

    shipped = {p.name: p for p in builtin_toml_files()}
    for stale in mirror.glob("*.toml"):
        if stale.name not in shipped:
            stale.unlink()
    for name, path in shipped.items():
        target = mirror / name
        data = path.read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            write_atomic(target, data)
    return len(shipped)
