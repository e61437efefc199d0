"""The fleet dashboard: one self-contained HTML page, repositories most at risk first, with a burn-down
sparkline per repository (from its history file) and links to the per-repository HTML reports."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

from rust_triage.fleet.report import risk_key
from rust_triage.plan.html import page

EXTRA_CSS = """
<style>
svg.spark{vertical-align:middle;color:#0969da}
td.err{color:#cf222e}
td.num{text-align:right}
</style>
"""


def sparkline(values: list[int], *, width: int = 120, height: int = 24) -> str:
    """An inline SVG line of the totals of successive runs (empty for no runs)."""
    if not values:
        return ""
    pad = 3
    top = max(values) or 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points = [(pad + i * step, height - pad - (v / top) * (height - 2 * pad)) for i, v in enumerate(values)]
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    last_x, last_y = points[-1]
    label = f"findings per run: {' → '.join(str(v) for v in values[-8:])}"
    return (f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
            f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{coords}"/>'
            f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2" fill="currentColor"/></svg>')


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{escape(str(k))} {int(v)}" for k, v in counts.items()) or "–"


def _row(entry: dict[str, Any], trend: list[int], link: str | None) -> str:
    name = escape(entry["name"])
    cell = f'<a href="{escape(quote(link))}">{name}</a>' if link else name
    spark = sparkline(trend)
    if entry["status"] != "ok":
        return (f"<tr><td>{cell}</td><td class=\"fail\">failed</td><td colspan=\"6\" class=\"err\">"
                f"{escape(entry['error'] or '')}</td><td>{spark}</td></tr>")
    top = entry["top_tasks"][0] if entry["top_tasks"] else None
    top_text = f"{escape(top['phase'])}: {escape(top['title'])}" if top else "–"
    breakers = entry["build_breakers"]["total"]
    return (f"<tr><td>{cell}</td><td class=\"pass\">ok</td><td class=\"num\">{int(entry['findings'])}</td>"
            f"<td class=\"num{' fail' if breakers else ''}\">{int(breakers)}</td>"
            f"<td>{_counts(entry['by_severity'])}</td><td>{_counts(entry['by_risk'])}</td>"
            f"<td class=\"num\">{int(entry['risk_score'])}</td>"
            f"<td class=\"num\">{float(entry['plan']['estimate_hours']):.1f}</td><td>{spark}</td>"
            f"<td>{top_text}</td></tr>")


def render_dashboard(report: dict[str, Any], trends: dict[str, list[int]], links: dict[str, str],
                     *, title: str = "rust-triage fleet") -> str:
    """`trends`: repository name -> totals of its recorded runs; `links`: name -> relative URL of its report."""
    totals = report["totals"]
    body = [EXTRA_CSS, f"<h1>{escape(title)}</h1>",
            f'<div class="muted">rust-triage {escape(report["tool"]["version"])} · {int(totals["repositories"])} '
            "repositories, most at risk first</div>", '<div class="cards">']
    cards = (("repositories", totals["repositories"], ""), ("failed", totals["failed"], "fail" if totals["failed"] else ""),
             ("findings", totals["findings"], ""), ("build breakers", totals["build_breakers"],
                                                    "fail" if totals["build_breakers"] else ""),
             ("hours of fixes", f"{totals['estimate_hours']:.1f}", ""))
    body += [f'<div class="card"><b class="{css}">{escape(str(value))}</b>{escape(label)}</div>'
             for label, value, css in cards]
    body.append("</div>")
    body.append("<table><thead><tr><th>Repository</th><th>Status</th><th>Findings</th><th>Build breakers</th>"
                "<th>By severity</th><th>By risk</th><th>Risk score</th><th>Hours</th><th>Trend</th>"
                "<th>Top task</th></tr></thead><tbody>")
    for entry in sorted(report["repositories"], key=risk_key):
        body.append(_row(entry, trends.get(entry["name"], []), links.get(entry["name"])))
    body.append("</tbody></table>")
    body.append('<p class="muted">Risk score: the sum over findings of 27 (critical), 9 (high), 3 (medium), 1 (low) '
                "by risk level when known, else by severity. Trend: findings per run recorded with "
                "<code>rust-triage fleet --history</code>.</p>")
    return page(title, "\n".join(body))
