"""Human-readable terminal output with rich: findings grouped by file, then a summary by rule.

Every string from the analysis goes through `escape.rich_markup` (markup, control characters, undecodable
file-name bytes) and the finished text through `escape.ci_safe` (GitHub workflow commands).
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict

from rust_triage.engine.model import Finding
from rust_triage.escape import ci_safe, rich_markup, visible
from rust_triage.pipeline import Analysis

_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def render(
    analysis: Analysis, *, color: bool, quiet: bool = False, show_suppressed: bool = False, width: int | None = None
) -> str:
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    if width is None and color:  # a terminal: fit its width; piped or to a file: long lines stay whole
        import shutil

        width = shutil.get_terminal_size().columns
    console = Console(file=buf, force_terminal=color, no_color=not color, width=width or 120, highlight=False,
                      emoji=False, soft_wrap=width is None)
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in analysis.findings:
        by_file[f.file].append(f)
    if not quiet:
        for path in sorted(by_file):
            console.print(f"[bold]{_esc(path)}[/bold]")
            for f in by_file[path]:
                style = _STYLE.get(f.severity, "")
                console.print(
                    f"  {f.line}:{f.column}  [{style}]{_esc(f.severity):<8}[/{style}] [bold]{_esc(f.rule)}[/bold] "
                    f"{_esc(f.name)}: {_esc(f.message)}"
                )
                if f.risk is not None:
                    console.print(f"      [dim]risk: {f.risk} ({f.risk_class}): {_esc(f.risk_reason)}[/dim]")
                if f.fix_hint:
                    console.print(f"      [dim]fix: {_esc(f.fix_hint)}[/dim]")
            console.print()
    if show_suppressed and analysis.suppressed:
        console.print("[bold]suppressed[/bold]")
        for f in analysis.suppressed:
            console.print(f"  {_esc(f.file)}:{f.line}:{f.column} {_esc(f.rule)} {_esc(f.message)} [dim]({_esc(f.suppressed_by or '')})[/dim]")
        console.print()
    errors = analysis.errors + analysis.context.rule_errors
    for e in errors:
        where = f"{e.path}:{e.line}" if e.line else e.path
        console.print(f"[red]error[/red] {_esc(where)}: {_esc(e.message)}")
    for note in analysis.context.workspace.notes:
        console.print(f"[dim]note: {_esc(note)}[/dim]")
    if analysis.findings:
        table = Table(title="Findings by rule", show_lines=False)
        table.add_column("rule")
        table.add_column("name")
        table.add_column("severity")
        table.add_column("count", justify="right")
        counts = Counter(f.rule for f in analysis.findings)
        meta = {f.rule: f for f in analysis.findings}
        for rule, n in sorted(counts.items()):
            table.add_row(_esc(rule), _esc(meta[rule].name), _esc(meta[rule].severity), str(n))
        console.print(table)
        from rust_triage.reporters.family_summary import family_table

        console.print(family_table(analysis.findings, analysis.registry.metas()))
    baseline = analysis.context.baseline
    if isinstance(baseline, dict):
        console.print(
            f"baseline {_esc(str(baseline.get('file', '')))}: {baseline.get('new', 0)} new, "
            f"{baseline.get('unchanged', 0)} unchanged, {baseline.get('fixed', 0)} fixed"
        )
    total = len(analysis.findings)
    files = len({f.file for f in analysis.findings})
    console.print(
        f"{total} finding{'s' if total != 1 else ''} in {files} file{'s' if files != 1 else ''} "
        f"({len(analysis.context.files) + analysis.context.other_files} scanned, {len(errors)} error{'s' if len(errors) != 1 else ''})"
        + (f", {len(analysis.suppressed)} suppressed" if analysis.suppressed else "")
        + (f", {analysis.stats['dead_code_hidden']} in files no target compiles hidden (--include-dead-code)"
           if analysis.stats.get("dead_code_hidden") else "")
    )
    return ci_safe(buf.getvalue())


def _esc(text: str) -> str:
    return rich_markup(text)


def rich_markup_block(text: str) -> str:
    """Several lines of plain text for rich markup."""
    from rich.markup import escape

    return escape(visible(text, multiline=True))
