"""HTML building blocks shared by the HTML report and the burn-down page: page shell and plan section."""

from __future__ import annotations

from rust_triage.escape import html_ci_safe, html_inline_markdown
from rust_triage.escape import html_text as escape
from rust_triage.plan.markdown import duration
from rust_triage.plan.model import Plan, Task

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#111827;background:#f8fafc}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{margin-top:32px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
.muted{color:#6b7280}code{background:#eef2f7;padding:1px 4px;border-radius:3px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f1f5f9}tr.hidden{display:none}
.sev-critical,.sev-high,.sev-error{color:#b91c1c;font-weight:600}.sev-medium,.sev-warning{color:#b45309}
.sev-low,.sev-info,.sev-note{color:#0369a1}
.pass{color:#15803d;font-weight:600}.fail{color:#b91c1c;font-weight:600}
.task{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:10px 14px;margin:10px 0}
.task h4{margin:0 0 6px}pre{background:#0f172a;color:#e2e8f0;padding:8px;border-radius:6px;overflow:auto}
input[type=search]{width:100%;max-width:420px;padding:6px 8px;margin:8px 0;border:1px solid #cbd5e1;border-radius:6px}
svg.chart{background:#fff;border:1px solid #e5e7eb;border-radius:8px;font-size:12px}
svg .chart-title{font-weight:600;font-size:13px}svg .grid{stroke:#e5e7eb}svg .axis{stroke:#9ca3af}
svg .tick{fill:#6b7280}
.task.done{opacity:.55}.subitems{margin:6px 0 0 0;padding-left:18px}
"""

# Task check boxes remember their state in the browser, per workspace and task id.
CHECKBOX_SCRIPT = """
(function(){
  var scope='rust-triage:'+(document.body.getAttribute('data-workspace')||'')+':';
  var store=null; try{store=window.localStorage;}catch(e){}
  document.querySelectorAll('input[type=checkbox][data-task]').forEach(function(box){
    var key=scope+box.getAttribute('data-task');
    if(store&&store.getItem(key)==='1'){box.checked=true;}
    var card=box.closest('.task'); if(card&&box.checked&&!box.closest('li')){card.classList.add('done');}
    box.addEventListener('change',function(){
      if(store){ if(box.checked){store.setItem(key,'1');}else{store.removeItem(key);} }
      if(card&&!box.closest('li')){card.classList.toggle('done',box.checked);}
    });
  });
})();
"""


def md(text: str) -> str:
    """Plan text (Markdown code spans) as HTML."""
    return html_inline_markdown(text)


def page(title: str, body: str, script: str = "", workspace: str = "") -> str:
    """A complete, self-contained HTML document (inline CSS, optional inline script, no external URLs).

    `body` holds only escaped text (`escape.html_text`); the page goes through `escape.html_ci_safe`,
    so that printed to a CI log it starts no workflow command."""
    js = f"<script>{script}</script>\n" if script else ""
    return html_ci_safe("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n"
            f"<body data-workspace=\"{escape(workspace)}\">\n<main>\n"
            f"{body}\n</main>\n{js}</body>\n</html>\n")


def plan_overview(plan: Plan) -> str:
    """What a decider reads first: gates, top tasks, phases and crates."""
    out = ['<section id="overview">', "<h2>Quality gates</h2>",
           "<table><thead><tr><th>Gate</th><th>Status</th><th>Evidence</th></tr></thead><tbody>"]
    for gate in plan.gates:
        status = '<span class="pass">✅ PASS</span>' if gate.passed else '<span class="fail">❌ FAIL</span>'
        out.append(f"<tr><td><b>{escape(gate.name)}</b></td><td>{status}</td><td>{md(gate.evidence)}</td></tr>")
    out.append("</tbody></table>")
    numbers = {t.id: f"{p.id}-{n}" for p in plan.phases for n, t in enumerate(p.tasks, 1)}
    top = plan.top_tasks(10)
    if top:
        out.append(f'<h2>Top {len(top)} tasks</h2><table id="top-tasks"><thead><tr><th>#</th><th>Task</th>'
                   "<th>Crate</th><th>Estimate</th></tr></thead><tbody>")
        for task in top:
            out.append(f'<tr><td><a href="#{escape(task.id)}">{numbers[task.id]}</a></td><td>{md(task.title)}</td>'
                       f"<td><code>{escape(str(task.extra.get('crate', '')))}</code></td>"
                       f"<td>{duration(task.estimate_minutes)}</td></tr>")
        out.append("</tbody></table>")
    out.append('<h2>Phases</h2><table id="phases"><thead><tr><th>Phase</th><th>Tasks</th><th>Issues</th>'
               "<th>Estimate</th></tr></thead><tbody>")
    for phase in plan.phases:
        out.append(f'<tr><td><a href="#phase-{phase.id}">{phase.id}</a> {escape(phase.title)}</td>'
                   f"<td>{len(phase.tasks)}</td><td>{phase.occurrences}</td><td>{duration(phase.minutes)}</td></tr>")
    out.append("</tbody></table>")
    if plan.crates:
        out.append('<h2>Crates (in build order)</h2><table id="crates"><thead><tr><th>Crate</th><th>Tasks</th>'
                   "<th>Estimate</th><th>Blockers (P0)</th><th>Dead lines</th></tr></thead><tbody>")
        for row in plan.crates:
            out.append(f"<tr><td><code>{escape(str(row['crate']))}</code></td><td>{row['tasks']}</td>"
                       f"<td>{duration(int(row['estimate_minutes']))}</td><td>{row['blockers']}</td>"
                       f"<td>{int(row['dead_lines']):,}</td></tr>")
        out.append("</tbody></table>")
    out.append("</section>")
    return "\n".join(out)


def plan_section(plan: Plan, *, with_gates: bool = True) -> str:
    out = ['<section id="plan">', "<h2>Fix plan</h2>"]
    if with_gates:
        out += ["<h3>Quality gates</h3>",
                "<table><thead><tr><th>Gate</th><th>Status</th><th>Evidence</th></tr></thead><tbody>"]
        for gate in plan.gates:
            status = '<span class="pass">✅ PASS</span>' if gate.passed else '<span class="fail">❌ FAIL</span>'
            out.append(f"<tr><td><b>{escape(gate.name)}</b></td><td>{status}</td><td>{md(gate.evidence)}</td></tr>")
        out.append("</tbody></table>")
    for phase in plan.phases:
        out.append(f'<h3 id="phase-{phase.id}">{phase.id}: {escape(phase.title)} '
                   f'<span class="muted">({len(phase.tasks)} tasks, {duration(phase.minutes)})</span></h3>')
        out.append(f'<p class="muted">{md(phase.description)}</p>')
        if not phase.tasks:
            out.append("<p>No tasks: this phase is clear. ✅</p>")
        for number, task in enumerate(phase.tasks, 1):
            out.append(_task(task, f"{phase.id}-{number}"))
    out.append("</section>")
    return "\n".join(out)


def _task(task: Task, number: str) -> str:
    locations = "<br>".join(f"<code>{escape(loc)}</code>" for loc in task.location_text()[:10])
    fixes = "".join(f"<li>{escape(rule)}: {md(hint)}</li>" for rule, hint in task.fix_hints)
    evidence = "\n".join(
        escape(f"// {e.file}:{e.line}  {e.rule}: {e.message.splitlines()[0] if e.message else ''}")
        + ("\n" + escape(e.snippet) if e.snippet else "")
        for e in task.evidence
    )
    subitems = task.extra.get("subitems") or []
    sub = "".join(
        f'<li><label><input type="checkbox" data-task="{escape(str(item["id"]))}"> {md(str(item["title"]))}'
        f' <span class="muted">{duration(int(item["estimate_minutes"]))}</span></label></li>'
        for item in subitems
    )
    return (
        f'<div class="task" id="{escape(task.id)}">'
        f'<h4><label><input type="checkbox" data-task="{escape(task.id)}"> Task {number}: {md(task.title)}'
        "</label></h4>"
        f'<div class="muted"><code>{escape(task.id)}</code> · {escape(task.category)} · '
        f'<span class="sev-{escape(task.severity)}">{escape(task.severity.upper())}</span> · '
        f"priority {task.priority} · {duration(task.estimate_minutes)} · "
        f"blast radius: {escape(task.blast.describe())}</div>"
        f"<div>{locations}</div><p>{md(task.summary)}</p>"
        + (f'<ul class="subitems">{sub}</ul>' if sub else "")
        + (f"<ul>{fixes}</ul>" if fixes else "")
        + (f"<details><summary>Evidence ({task.occurrences})</summary><pre>{evidence}</pre></details>"
           if evidence else "")
        + "</div>"
    )
