"""Inline SVG charts: funnels and bar charts as plain strings, with no script, font or stylesheet to fetch.

Shared by the inspector and by the demo's report.html, so both render offline and look alike. Every label is
escaped: record values (names, list names) reach these charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

ACCENT = "#ff7a59"  # HubSpot's coral, for the bars
MUTED = "#516f90"
GRID = "#dfe3eb"
FONT = "font-family='system-ui,-apple-system,Segoe UI,sans-serif'"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"


def funnel(steps: Sequence[tuple[str, int]], *, width: int = 640, title: str = "Funnel") -> str:
    """Centred bars, widest first: each labelled with its count, and its share of the step before and of the top."""
    row, top = 40, max((count for _, count in steps), default=0) or 1
    label_w = 16 + 7 * max((len(label) for label, _ in steps), default=0)
    value_w = 190
    bar_w = max(width - label_w - value_w, 60)
    height = row * len(steps) + 4
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' role='img' aria-label='{escape(title)}' class='chart funnel' "
             f"viewBox='0 0 {width} {height}' width='{width}' height='{height}' {FONT} font-size='13'>",
             f"<title>{escape(title)}</title>"]
    for i, (label, count) in enumerate(steps):
        y = 4 + i * row
        w = max(bar_w * count / top, 2 if count else 0)
        x = label_w + (bar_w - w) / 2
        shares = "" if i == 0 else f"{_share(count, steps[i - 1][1])} of prev. · {_share(count, steps[0][1])} of all"
        parts.append(f"<text x='{label_w - 10}' y='{y + 21}' text-anchor='end' fill='{MUTED}'>{escape(label)}</text>"
                     f"<rect x='{x:.1f}' y='{y}' width='{w:.1f}' height='{row - 8}' rx='3' fill='{ACCENT}' "
                     f"opacity='{1 - 0.1 * i:.2f}'><title>{escape(label)}: {count:,}</title></rect>"
                     f"<text x='{label_w + bar_w + 10}' y='{y + 14}' fill='#33475b' font-weight='600' "
                     f"class='value'>{count:,}</text>"
                     f"<text x='{label_w + bar_w + 10}' y='{y + 28}' fill='{MUTED}' font-size='10'>{shares}</text>")
    parts.append("</svg>")
    return "".join(parts)


def bars(items: Sequence[tuple[str, float]], *, title: str, unit: str = "", width: int = 640,
         height: int = 220) -> str:
    """Vertical bars with a value on each and the labels under them (every other one when crowded)."""
    left, bottom, top_pad = 44, 36, 18
    top = max((value for _, value in items), default=0) or 1
    plot_w, plot_h = width - left - 8, height - bottom - top_pad
    slot = plot_w / max(len(items), 1)
    every = max(1, int(len(items) / (plot_w / 48)) + (len(items) > plot_w / 48))
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' role='img' aria-label='{escape(title)}' class='chart bars' "
             f"viewBox='0 0 {width} {height}' width='{width}' height='{height}' {FONT} font-size='11'>",
             f"<title>{escape(title)}</title>"]
    for fraction in (0, 0.5, 1):
        y = top_pad + plot_h * (1 - fraction)
        parts.append(f"<line x1='{left}' x2='{width - 8}' y1='{y:.1f}' y2='{y:.1f}' stroke='{GRID}'/>"
                     f"<text x='{left - 4}' y='{y + 4:.1f}' text-anchor='end' fill='{MUTED}'>"
                     f"{_number(top * fraction)}</text>")
    for i, (label, value) in enumerate(items):
        h = plot_h * value / top
        x = left + i * slot + slot * 0.15
        y = top_pad + plot_h - h
        parts.append(f"<rect x='{x:.1f}' y='{y:.1f}' width='{slot * 0.7:.1f}' height='{h:.1f}' rx='2' "
                     f"fill='{ACCENT}'><title>{escape(label)}: {_number(value)}{escape(unit)}</title></rect>")
        if value and slot >= 22:
            parts.append(f"<text x='{x + slot * 0.35:.1f}' y='{y - 3:.1f}' text-anchor='middle' fill='#33475b'>"
                         f"{_number(value)}</text>")
        if i % every == 0:
            parts.append(f"<text x='{x + slot * 0.35:.1f}' y='{height - bottom + 16}' text-anchor='middle' "
                         f"fill='{MUTED}'>{escape(label)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def gauge(used: int, limit: int, *, label: str, width: int = 300) -> str:
    """A bar filling as a rate-limit window fills: amber past 80%, red at the limit."""
    share = min(used / limit, 1.0) if limit else 0.0
    colour = "#00bda5" if share < 0.8 else "#f5c26b" if share < 1 else "#f2545b"
    return (f"<svg xmlns='http://www.w3.org/2000/svg' role='img' aria-label='{escape(label)}' class='chart gauge' "
            f"viewBox='0 0 {width} 42' width='{width}' height='42' {FONT} font-size='12'>"
            f"<text x='0' y='13' fill='#33475b'>{escape(label)}</text>"
            f"<text x='{width}' y='13' text-anchor='end' fill='{MUTED}'>{used:,} / {limit:,}</text>"
            f"<rect x='0' y='20' width='{width}' height='14' rx='7' fill='{GRID}'/>"
            f"<rect x='0' y='20' width='{width * share:.1f}' height='14' rx='7' fill='{colour}'/></svg>")


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"
