"""Rule documentation pages, generated from rule metadata (docs/rules/ is written from here)."""

from __future__ import annotations

import json
from pathlib import Path

from rust_triage.atomic import write_atomic
from rust_triage.engine.model import RuleMeta
from rust_triage.engine.rule_options import describe_type
from rust_triage.errors import UsageError


def rule_markdown(meta: RuleMeta) -> str:
    d = meta.docs
    parts = [
        f"# {meta.id} {meta.name}\n",
        f"{meta.summary}\n",
        "| | |\n|---|---|\n"
        f"| id | `{meta.id}` |\n| name | `{meta.name}` |\n| category | {meta.category} |\n"
        f"| default severity | {meta.severity} |\n| source | {meta.source} |\n| language | {meta.language} |\n"
        f"| test code | {'checked' if meta.tests_in_scope else 'skipped unless --include-tests'} |\n"
        f"| clippy equivalent | {d.clippy or 'none'} |\n",
    ]
    for title, body in (("What it does", d.what), ("Why it matters", d.why), ("Example", d.example),
                        ("How to fix", d.fix), ("How to suppress", d.suppress)):
        if body:
            parts.append(f"## {title}\n\n{body.strip()}\n")
    if meta.options:
        parts.append(_options_markdown(meta))
    return "\n".join(parts)


def _options_markdown(meta: RuleMeta) -> str:
    """The rule's declared options: key, type, default, meaning (checked when the configuration loads)."""
    rows = [f"## Options\n\nUnder `[rules.{meta.id}]` in the configuration (see docs/configuration.md); a "
            "wrong type or an unknown key stops the run with exit status 2.\n",
            "| key | type | default | meaning |", "|---|---|---|---|"]
    for o in meta.options:
        key = f"`{o.name}`" + (f" (or `{o.threshold}` under `[thresholds]`)" if o.threshold else "")
        default = "built-in" if o.default is None else f"`{json.dumps(o.default)}`"
        rows.append(f"| {key} | {describe_type(o.type)} | {default} | {o.doc.replace('|', chr(92) + '|')} |")
    return "\n".join(rows) + "\n"


def write_rule_docs(metas: list[RuleMeta], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    expected = set()
    for meta in sorted(metas, key=lambda m: m.id):
        path = out_dir / f"{meta.id}-{meta.name}.md"
        expected.add(path.name)
        _write(path, rule_markdown(meta), out_dir)
        written.append(path)
    index = ["# Rules\n", "Generated from rule metadata by `rust-triage docs`; do not edit by hand.\n",
             "| id | name | category | severity | source | summary |", "|---|---|---|---|---|---|"]
    for meta in sorted(metas, key=lambda m: m.id):
        summary = meta.summary.replace("|", "\\|")
        index.append(f"| [{meta.id}]({meta.id}-{meta.name}.md) | {meta.name} | {meta.category} | "
                     f"{meta.severity} | {meta.source} | {summary} |")
    _write(out_dir / "README.md", "\n".join(index) + "\n", out_dir)
    expected.add("README.md")
    for stale in out_dir.glob("*.md"):
        if stale.name not in expected:
            stale.unlink()
    return written


def _write(path: Path, text: str, out_dir: Path) -> None:
    try:
        write_atomic(path, text, inside=[out_dir])
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
