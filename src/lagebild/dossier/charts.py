"""Inline SVG charts for the HTML dossier: the timeline and the coverage over time.

Hand-written SVG rather than a plotting library: the dossier must be one file that opens
offline, and two simple charts do not justify a dependency. Every label is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from html import escape

from lagebild.dossier import views
from lagebild.dossier.assemble import DayCount
from lagebild.model import Citation, TimelineEvent
from lagebild.time.value import parse

MAX_EVENTS = 80


def _year(value: str) -> int | None:
    first = parse(value).first_day()
    return first.year if first else None


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def in_time_order(events: Sequence[TimelineEvent]) -> list[TimelineEvent]:
    """Events in calendar order; events without a usable date last."""
    return sorted(events, key=lambda e: parse(e.date).sort_key())


def timeline_svg(events: Sequence[TimelineEvent], href: Callable[[Citation], str]) -> str:
    """A vertical timeline: one row per dated event, a break mark where years pass between rows."""
    dated = [e for e in in_time_order(events) if _year(e.date) is not None][:MAX_EVENTS]
    if not dated:
        return ""
    row, top, width = 30, 16, 1000
    parts: list[str] = []
    y = top
    prev_year: int | None = None
    for ev in dated:
        year = _year(ev.date)
        if prev_year is not None and year is not None and year - prev_year >= 2:
            parts.append(
                f'<text x="172" y="{y + 4}" text-anchor="end" font-size="11" font-style="italic" '
                f'fill="#5b6475">{year - prev_year} years later</text>'
                f'<line x1="184" y1="{y}" x2="196" y2="{y}" stroke="#c3cad6" stroke-width="2"/>'
            )
            y += 22
        prev_year = year
        when = views.when(ev.date, ev.date_end)
        fill = "#fff" if ev.inferred else "#1f5fa8"
        parts.append(
            f'<text x="172" y="{y + 4}" text-anchor="end" font-size="12.5" font-weight="600" '
            f'fill="#1d2330">{escape(_clip(when, 26))}</text>'
            f'<circle cx="190" cy="{y}" r="6" fill="{fill}" stroke="#1f5fa8" stroke-width="2"/>'
        )
        label = escape(_clip(ev.label, 100))
        tip = f"<title>{escape(ev.label)}</title>"
        if ev.citations:
            parts.append(
                f'<a href="{escape(href(ev.citations[0]))}"><text x="206" y="{y + 4}" '
                f'font-size="12.5">{tip}{label}</text></a>'
            )
        else:
            parts.append(
                f'<text x="206" y="{y + 4}" font-size="12.5" fill="#1d2330">{tip}{label}</text>'
            )
        y += row
    height = y - row + top + 10
    axis = f'<line x1="190" y1="{top - 8}" x2="190" y2="{height - 8}" stroke="#c3cad6" stroke-width="2"/>'
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="group" aria-label="Timeline">{axis}{"".join(parts)}</svg>'
    )


def _bins(series: Sequence[DayCount]) -> tuple[list[tuple[date, int, int]], str]:
    """Per day for up to 92 days, else per week (Monday) — bars stay wide enough to read."""
    if len(series) <= 92:
        return [(d.date, d.articles, d.inferred) for d in series], "day"
    weeks: dict[date, list[int]] = {}
    for d in series:
        monday = d.date - timedelta(days=d.date.weekday())
        acc = weeks.setdefault(monday, [0, 0])
        acc[0] += d.articles
        acc[1] += d.inferred
    return [(k, v[0], v[1]) for k, v in sorted(weeks.items())], "week"


def coverage_svg(series: Sequence[DayCount]) -> str:
    """Bars of articles per day (or week); the inferred-date share in a lighter colour."""
    if not series:
        return ""
    bins, unit = _bins(series)
    width, height, left, bottom, top = 1000, 220, 44, 36, 14
    plot_w, plot_h = width - left - 12, height - bottom - top
    peak = max(b[1] for b in bins) or 1
    step = min(plot_w / len(bins), 90.0)
    x0 = left + (plot_w - step * len(bins)) / 2  # few bars: centred, not stretched
    bar = max(1.0, step * 0.7)
    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 12}" y2="{top + plot_h}" stroke="#8a93a5"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11" fill="#5b6475">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11" fill="#5b6475">0</text>',
        f'<line x1="{left}" y1="{top}" x2="{width - 12}" y2="{top}" stroke="#eef0f4"/>',
    ]
    label_every = max(1, round(len(bins) / 10))
    for i, (day, total, inferred) in enumerate(bins):
        x = x0 + i * step + (step - bar) / 2
        h_all = plot_h * total / peak
        h_inf = plot_h * inferred / peak
        tip = (
            f"<title>{day.isoformat()}: {total} article{'s' * (total != 1)}"
            f" ({inferred} with inferred date)</title>"
        )
        if total:
            parts.append(
                f'<g>{tip}<rect x="{x:.1f}" y="{top + plot_h - h_all:.1f}" width="{bar:.1f}" '
                f'height="{h_all - h_inf:.1f}" fill="#1f5fa8"/>'
                f'<rect x="{x:.1f}" y="{top + plot_h - h_inf:.1f}" width="{bar:.1f}" '
                f'height="{h_inf:.1f}" fill="#a9c4ea"/></g>'
            )
            if bar >= 14:
                parts.append(
                    f'<text x="{x + bar / 2:.1f}" y="{top + plot_h - h_all - 4:.1f}" '
                    f'text-anchor="middle" font-size="11" fill="#1d2330">{total}</text>'
                )
        if i % label_every == 0 or i == len(bins) - 1:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'font-size="11" fill="#5b6475">{day.strftime("%d.%m.")}</text>'
            )
    first, last = bins[0][0], bins[-1][0]
    parts.append(
        f'<text x="{left}" y="{height - 4}" font-size="11" fill="#5b6475">articles per {unit}, '
        f"{first.isoformat()} – {last.isoformat()}; light = date inferred from the text</text>"
    )
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="Coverage over time">{"".join(parts)}</svg>'
    )


__all__ = ["coverage_svg", "in_time_order", "timeline_svg"]
