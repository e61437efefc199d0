"""One self-contained HTML file: summary, chart by category, filterable findings table, and the fix plan."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rust_triage import __version__
from rust_triage.engine.model import SEVERITIES
from rust_triage.escape import html_text as escape
from rust_triage.plan.html import CHECKBOX_SCRIPT, page, plan_overview, plan_section
from rust_triage.plan.model import Plan
from rust_triage.plan.svg import bar_chart

if TYPE_CHECKING:
    from rust_triage.pipeline import Analysis

FILTER_SCRIPT = """
(function(){
  var box=document.getElementById('filter'), shown=document.getElementById('shown');
  var rows=document.querySelectorAll('#findings tbody tr');
  box.addEventListener('input',function(){
    var words=box.value.toLowerCase().split(/\\s+/).filter(Boolean), n=0;
    rows.forEach(function(r){
      var text=r.textContent.toLowerCase();
      var ok=words.every(function(w){return text.indexOf(w)>=0;});
      r.classList.toggle('hidden',!ok); if(ok){n++;}
    });
    shown.textContent=n;
  });
})();
"""


def render(analysis: Analysis, plan: Plan) -> str:
    """The HTML report; `plan` is built by the caller (rendering never re-analyses)."""
    ctx = analysis.context
    findings = analysis.findings
    by_severity = Counter(f.severity for f in findings)
    by_category = Counter(_chart_category(f.category) for f in findings)
    if plan.compiler:
        by_category["build errors"] += int(plan.compiler.get("errors", 0))
    errors = analysis.errors + ctx.rule_errors
    title = f"rust-triage report: {plan.name}"
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<div class="muted">Workspace <code>{escape(str(ctx.workspace.root))}</code> · rust-triage {__version__}'
        f" · {len(ctx.files)} files scanned</div>",
        '<div class="cards">',
        _card("findings", len(findings)),
        _card("files with findings", len({f.file for f in findings})),
        _card("tasks", len(plan.tasks)),
        _card("gates passing", f"{sum(g.passed for g in plan.gates)}/{len(plan.gates)}"),
    ]
    for severity in reversed(SEVERITIES):
        if by_severity[severity]:
            body.append(_card(severity, by_severity[severity], f"sev-{severity}"))
    if errors:
        body.append(_card("input errors", len(errors), "fail"))
    body.append("</div>")
    baseline = ctx.baseline
    if isinstance(baseline, dict):
        body.append(f"<p>Baseline: <b>{baseline.get('new', 0)}</b> new, {baseline.get('unchanged', 0)} unchanged, "
                    f"{baseline.get('fixed', 0)} fixed.</p>")
    body.append(plan_overview(plan))
    body.append(plan_section(plan, with_gates=False))
    body.append("<h2>Findings by category</h2>")
    body.append(bar_chart(sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0])), title="Findings by category"))
    body.append(_findings_table(analysis))
    if errors:
        body.append("<h2>Input errors</h2><ul>")
        body += [f"<li><code>{escape(e.path)}{f':{e.line}' if e.line else ''}</code> {escape(e.kind)}: "
                 f"{escape(e.message)}</li>" for e in errors]
        body.append("</ul>")
    if ctx.workspace.notes:
        body.append("<h2>Notes</h2><ul>" + "".join(f"<li>{escape(n)}</li>" for n in ctx.workspace.notes) + "</ul>")
    return page(title, "\n".join(body), FILTER_SCRIPT + CHECKBOX_SCRIPT, workspace=str(ctx.workspace.root))


def _chart_category(category: str) -> str:
    """Build and type errors both break the build: one bar, named for what it means."""
    return "build errors" if category in ("build", "types") else category


def _card(label: str, value: object, css: str = "") -> str:
    return f'<div class="card"><b class="{css}">{escape(str(value))}</b>{escape(label)}</div>'


def _findings_table(analysis: Analysis) -> str:
    findings = analysis.findings
    out = [
        "<h2>Findings</h2>",
        '<input type="search" id="filter" placeholder="Filter by rule, severity, file, symbol or text" '
        'aria-label="Filter findings">',
        f'<div class="muted"><span id="shown">{len(findings)}</span> of {len(findings)} shown</div>',
        '<table id="findings"><thead><tr><th>Severity</th><th>Rule</th><th>Location</th><th>Message</th>'
        "<th>Symbol</th></tr></thead><tbody>",
    ]
    for f in findings:
        mark = f.detail.get("baseline") if f.detail else None
        badge = f' <span class="muted">[{escape(str(mark))}]</span>' if mark else ""
        hint = f'<div class="muted">fix: {escape(f.fix_hint)}</div>' if f.fix_hint else ""
        out.append(
            f'<tr data-rule="{escape(f.rule)}" data-severity="{escape(f.severity)}">'
            f'<td class="sev-{escape(f.severity)}">{escape(f.severity)}</td>'
            f"<td>{escape(f.rule)} {escape(f.name)}</td>"
            f"<td><code>{escape(f.file)}:{f.line}:{f.column}</code></td>"
            f"<td>{escape(f.message)}{badge}{hint}</td><td><code>{escape(f.symbol)}</code></td></tr>"
        )
    out.append("</tbody></table>")
    return "\n".join(out)
