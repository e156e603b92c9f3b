"""The home page's chart: events per month by type, laid out for the SVG template."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from generator.link import Site

PALETTE = 10
"""Number of series colours in briefing.css (.chart-type-0 … 9)."""


@dataclass(frozen=True)
class Chart:
    """Events per month by type, laid out for the SVG template."""

    months: list[str]
    types: list[tuple[str, str, int]]
    """(id, label, palette index)."""
    bars: list[list[tuple[int, str, int, float, float]]]
    """Per month: (palette index, type label, count, y, height) stacked bottom-up."""
    peak: int
    width: int
    height: int
    bar: float


def chart(site: Site, months: int = 24) -> Chart | None:
    # site.events is sorted by first day: the chart reads the newest events only.
    dated = [e for e in site.events if e.record.date.precision != "year"]
    if not dated:
        return None
    first, last = dated[0].record.date.first, dated[-1].record.date.first
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    keys: list[tuple[int, int]] = []
    year, month = last.year, last.month
    for _ in range(min(months, max(span, 6))):
        keys.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    keys.reverse()
    counts: dict[tuple[int, int], Counter[str]] = {k: Counter() for k in keys}
    for event in reversed(dated):
        start = event.record.date.first
        if (start.year, start.month) < keys[0]:
            break
        counts[(start.year, start.month)][event.record.type] += 1
    used = [t for t in site.vocabulary.event_types if any(c[t.id] for c in counts.values())]
    peak = max([sum(c.values()) for c in counts.values()] + [1])
    width, height, plot = 720, 240, 200
    bar = width / len(keys)
    bars = []
    for key in keys:
        stack, y = [], float(plot)
        for index, t in enumerate(used):
            n = counts[key][t.id]
            if n:
                h = plot * n / peak
                y -= h
                stack.append((index % PALETTE, t.label, n, round(y, 2), round(h, 2)))
        bars.append(stack)
    return Chart(
        months=[f"{dt.date(y, m, 1):%b %Y}" for y, m in keys],
        types=[(t.id, t.label, i % PALETTE) for i, t in enumerate(used)],
        bars=bars,
        peak=peak,
        width=width,
        height=height,
        bar=round(bar, 2),
    )
