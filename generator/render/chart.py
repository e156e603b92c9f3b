"""The home page's chart: events per month by type, laid out for the SVG template.

Everything the template draws is computed here, in the SVG's own units: the bars, the month
axis (a label every few months, so that labels never overlap, and fewer on a phone, where they
are drawn larger), the count axis (round steps from 0 to the top of the tallest month), the
types shown (the legend, written as HTML below the drawing so that it wraps and reads at any
width), and the numbers behind the text alternative.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from generator.content.model import Vocabulary
from generator.site.entries import Site

PALETTE = 9
"""Number of series colours in briefing.css (.chart-type-0 … 8): Paul Tol's colour-blind-safe
"muted" and "light" schemes, nine colours each."""

CHART_WIDTH = 720
LEFT, RIGHT, TOP = 48, 8, 8
PLOT = 180
"""Height of the plotting area; the month axis goes below it."""
LABEL_WIDTH = 52
"""Room a month label ("Sep 2024" at 10 px) needs, so labels are spaced at least this far."""
NARROW_LABEL_WIDTH = 100
"""The same on a phone, where briefing.css draws the axes' labels at 20 units (the drawing is
shown at half its size there): only these labels stay."""


def colours(vocabulary: Vocabulary) -> dict[str, int]:
    """Each event type's colour (its place in the vocabulary, through the palette), the same on
    every page that draws types: the chart, the timeline and a brief's strip."""
    return {t.id: i % PALETTE for i, t in enumerate(vocabulary.event_types)}


@dataclass(frozen=True)
class MonthBar:
    """One month: its label, its segments stacked bottom-up and its total."""

    key: tuple[int, int]
    """(year, month)."""
    month: str
    x: float
    segments: list[tuple[int, str, int, float, float]]
    """(palette index, type label, count, y, height)."""
    total: int


@dataclass(frozen=True)
class Chart:
    """Events per month by type, laid out for the SVG template."""

    months: list[str]
    types: list[tuple[str, str, int]]
    """(id, label, palette index), in the vocabulary's order."""
    bars: list[MonthBar]
    bar: float
    """Width of a month's slot."""
    month_ticks: list[tuple[float, str, bool]]
    """(x of the label's middle, month label, whether it stays on a phone)."""
    count_ticks: list[tuple[float, int]]
    """(y, count) from 0 to the top of the axis."""
    totals: dict[str, int]
    """Events per type label over the months shown."""
    peak: int
    left: int
    top: int
    plot: int
    width: int
    height: int


def chart(site: Site, months: int = 24) -> Chart | None:
    """The chart of the last ``months`` months that have dated events (fewer when the records
    span fewer), or None when no event is dated to the month or day."""
    dated = [e for e in site.events if e.record.date.precision != "year"]
    if not dated:
        return None
    keys = _months(dated[0].record.date.first, dated[-1].record.date.first, months)
    counts: dict[tuple[int, int], Counter[str]] = {k: Counter() for k in keys}
    for event in reversed(dated):  # site.events is sorted by first day: newest first here
        start = event.record.date.first
        if (start.year, start.month) < keys[0]:
            break
        counts[(start.year, start.month)][event.record.type] += 1
    used = [t for t in site.vocabulary.event_types if any(c[t.id] for c in counts.values())]
    palette = colours(site.vocabulary)
    peak = max(sum(c.values()) for c in counts.values())
    ticks = _count_ticks(peak)
    scale = PLOT / ticks[-1]
    bar = (CHART_WIDTH - LEFT - RIGHT) / len(keys)
    labels = [f"{dt.date(y, m, 1):%b %Y}" for y, m in keys]
    bars = []
    for n, key in enumerate(keys):
        stack, y = [], float(TOP + PLOT)
        for t in used:
            count = counts[key][t.id]
            if count:
                y -= count * scale
                stack.append((palette[t.id], t.label, count, round(y, 2), round(count * scale, 2)))
        x = round(LEFT + n * bar, 2)
        bars.append(MonthBar(key, labels[n], x, stack, sum(counts[key].values())))
    every = max(1, math.ceil(LABEL_WIDTH / bar))
    narrow = every * math.ceil(math.ceil(NARROW_LABEL_WIDTH / bar) / every)
    return Chart(
        months=labels,
        types=[(t.id, t.label, palette[t.id]) for t in used],
        bars=bars,
        bar=round(bar, 2),
        month_ticks=[
            (round(b.x + bar / 2, 2), b.month, n % narrow == 0) for n, b in enumerate(bars)
        ][::every],
        count_ticks=[(round(TOP + PLOT - n * scale, 2), n) for n in ticks],
        totals={t.label: sum(c[t.id] for c in counts.values()) for t in used},
        peak=peak,
        left=LEFT,
        top=TOP,
        plot=PLOT,
        width=CHART_WIDTH,
        height=TOP + PLOT + 44,
    )


def _months(first: dt.date, last: dt.date, most: int) -> list[tuple[int, int]]:
    """(year, month) from ``first``'s month to ``last``'s, at most the ``most`` last ones."""
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    keys: list[tuple[int, int]] = []
    year, month = last.year, last.month
    for _ in range(min(most, span)):
        keys.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def _count_ticks(peak: int) -> list[int]:
    """0, then round steps (1, 2 or 5 times a power of ten) up to at least ``peak``; at most
    five steps."""
    step = 1
    while math.ceil(peak / step) > 5:
        step = _next_step(step)
    return list(range(0, step * max(1, math.ceil(peak / step)) + 1, step))


def _next_step(step: int) -> int:
    """The round step after ``step``: 1, 2, 5, 10, 20, 50…"""
    return step * 5 // 2 if str(step)[0] == "2" else step * 2
