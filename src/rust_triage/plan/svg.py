"""Inline SVG charts (no scripts, no network): a horizontal bar chart and a multi-series line chart."""

from __future__ import annotations

from rust_triage.escape import html_text as escape

SEVERITY_COLORS = {"critical": "#7f1d1d", "high": "#dc2626", "medium": "#f59e0b", "low": "#0ea5e9",
                   "info": "#94a3b8", "total": "#111827"}
PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#f59e0b", "#9333ea", "#0891b2", "#db2777", "#65a30d")


def bar_chart(items: list[tuple[str, int]], *, title: str, width: int = 640, bar_height: int = 22) -> str:
    """Horizontal bars, one per (label, value), largest value = full width."""
    label_width = 150
    top = 28
    height = top + max(1, len(items)) * (bar_height + 8) + 8
    peak = max((v for _, v in items), default=0) or 1
    span = width - label_width - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="chart">',
             f'<text x="0" y="18" class="chart-title">{escape(title)}</text>']
    if not items:
        parts.append(f'<text x="0" y="{top + 16}" class="muted">nothing to show</text>')
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + 8)
        w = max(2, round(span * value / peak))
        color = PALETTE[i % len(PALETTE)]
        parts.append(f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.0f}" text-anchor="end">'
                     f'{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{w}" height="{bar_height}" fill="{color}" rx="3">'
                     f'<title>{escape(label)}: {value}</title></rect>')
        parts.append(f'<text x="{label_width + w + 6}" y="{y + bar_height * 0.7:.0f}">{value}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def line_chart(labels: list[str], series: dict[str, list[int]], *, title: str, width: int = 760,
               height: int = 340) -> str:
    """One line per series over the x labels (runs), with y gridlines and a legend."""
    left, right, top, bottom = 56, 150, 34, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((v for values in series.values() for v in values), default=0)
    step = _nice_step(peak)
    y_max = max(step, -(-peak // step) * step)
    n = len(labels)

    def x_at(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def y_at(v: int) -> float:
        return top + plot_h - plot_h * v / y_max

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="chart">',
             f'<text x="{left}" y="20" class="chart-title">{escape(title)}</text>']
    for tick in range(0, y_max + 1, step):
        y = y_at(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{tick}</text>')
    every = max(1, -(-n // 12))
    for i, label in enumerate(labels):
        if i % every and i != n - 1:
            continue
        x = x_at(i)
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="end" class="tick" '
                     f'transform="rotate(-35 {x:.1f} {top + plot_h + 14})">{escape(label)}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" class="axis"/>')
    for k, (name, values) in enumerate(series.items()):
        color = SEVERITY_COLORS.get(name, PALETTE[k % len(PALETTE)])
        points = " ".join(f"{x_at(i):.1f},{y_at(v):.1f}" for i, v in enumerate(values))
        stroke = 3 if name == "total" else 2
        parts.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="{stroke}" '
                     f'class="series" data-series="{escape(name)}"/>')
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{x_at(i):.1f}" cy="{y_at(v):.1f}" r="3" fill="{color}">'
                         f'<title>{escape(labels[i])}: {escape(name)} {v}</title></circle>')
        ly = top + 14 + k * 18
        parts.append(f'<rect x="{width - right + 16}" y="{ly - 9}" width="12" height="12" fill="{color}"/>')
        parts.append(f'<text x="{width - right + 34}" y="{ly + 1}">{escape(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _nice_step(peak: int) -> int:
    """A round gridline step giving at most ~6 lines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 25000, 50000):
        if peak / step <= 6:
            return step
    return max(1, peak // 5)
