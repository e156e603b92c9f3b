"""The visual timeline: events in lanes by type along a time axis, laid out for the SVG
templates (the overview on /timeline/, the strip on each brief), and the compact JSON the
timeline's script zooms, pans and filters over.

The overview is drawn at build time, so it reads without JavaScript. Up to `MOST_MARKS` events it
draws each event as its own mark (a point for a day, a span for a month, a year or an
interval), linking to its brief; above that it draws counts per month, quarter or year in
each lane, so its size does not grow with the site. The JSON is columnar: ``index.json`` has
the vocabulary and, per event, only numbers (day offsets, type, status, actors, tags);
``<year>.json`` adds the ids, titles and dates of one year's events, fetched when the reader
zooms in on that year (and by the year pages' filters).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from generator.render.chart import colours
from generator.site.entries import EventEntry, Site, neighbours
from generator.site.memo import ByName, PerRecord

MOST_MARKS = 400
"""Above this many events the overview shows counts, not single events."""
WIDTH, LABELS, LANE, AXIS = 1000, 150, 26, 26
"""The overview's width, its lane-label column, one lane's height and the axis's height."""


@dataclass(frozen=True)
class Lane:
    type: str
    label: str
    colour: int
    y: float


@dataclass(frozen=True)
class Mark:
    """One event: a point (a day) or a span."""

    event: EventEntry
    x: float
    width: float
    y: float
    point: bool


@dataclass(frozen=True)
class Bar:
    """Events of one lane in one bin, when the overview is aggregated."""

    type: str
    label: str
    count: int
    x: float
    width: float
    y: float
    height: float


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    year: int


@dataclass(frozen=True)
class Overview:
    first: dt.date
    last: dt.date
    lanes: list[Lane]
    marks: list[Mark]
    bars: list[Bar]
    ticks: list[Tick]
    width: int
    height: int
    lane: int
    labels: int
    bin: str
    """``""`` (single events), ``month``, ``quarter`` or ``year``."""

    @property
    def plot(self) -> float:
        return len(self.lanes) * self.lane


class Scale:
    """Days to x, over ``first`` … ``last`` (both included)."""

    def __init__(self, first: dt.date, last: dt.date, left: float, right: float) -> None:
        self.first, self.days = first, (last - first).days + 1
        self.left, self.span = left, right - left

    def x(self, day: dt.date) -> float:
        return round(self.left + self.span * (day - self.first).days / self.days, 2)

    def width(self, first: dt.date, last: dt.date) -> float:
        end = round(self.left + self.span * ((last - self.first).days + 1) / self.days, 2)
        return round(end - self.x(first), 2)  # (the day after `last` may be past year 9999)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _months(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """The first day of each month from ``first``'s to ``last``'s (December 9999 at most: an
    open interval's end)."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield dt.date(year, month, 1)
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        if year > dt.MAXYEAR:
            return


def _lanes(site: Site) -> list[Lane]:
    used = {e.record.type for e in site.events}
    colour = colours(site.vocabulary)
    types = [t for t in site.vocabulary.event_types if t.id in used]
    return [Lane(t.id, t.label, colour[t.id], n * LANE) for n, t in enumerate(types)]


def _ticks(scale: Scale, first: dt.date, last: dt.date) -> list[Tick]:
    years = range(first.year, last.year + 1)
    step = max(1, len(years) // 8)
    ticks = [
        Tick(scale.x(max(first, dt.date(year, 1, 1))), str(year), year)
        for year in years
        if (year - first.year) % step == 0
    ]
    if len(years) <= 2:  # a short range: months too
        for day in _months(first, last):
            if day.month != 1 and day.month % 3 == 1:
                ticks.append(Tick(scale.x(day), f"{day:%b}", day.year))
    return sorted(ticks, key=lambda t: t.x)


def overview(site: Site) -> Overview | None:
    """The overview of every event, or None when there is none."""
    if not site.events:
        return None
    first = _month_start(min(e.record.date.first for e in site.events))
    last = _month_end(max(e.record.date.last for e in site.events))
    scale = Scale(first, last, LABELS, WIDTH - 8)
    lanes = _lanes(site)
    by_type = {lane.type: lane for lane in lanes}
    marks: list[Mark] = []
    bars: list[Bar] = []
    unit = ""
    if len(site.events) <= MOST_MARKS:
        marks = [_mark(e, scale, by_type[e.record.type]) for e in site.events]
    else:
        unit = _bin_unit(first, last)
        bars = _bars(site.events, scale, by_type, unit)
    height = len(lanes) * LANE + AXIS
    ticks = _ticks(scale, first, last)
    return Overview(first, last, lanes, marks, bars, ticks, WIDTH, height, LANE, LABELS, unit)


def _mark(event: EventEntry, scale: Scale, lane: Lane) -> Mark:
    date = event.record.date
    point = date.is_day
    width = 3.0 if point else max(2.0, scale.width(date.first, date.last))
    # A day is a point at the middle of its day; anything longer spans its days.
    x = (
        scale.x(date.first) + (scale.width(date.first, date.first) - width) / 2
        if point
        else scale.x(date.first)
    )
    return Mark(event, round(x, 2), width, lane.y, point)


def _bin_unit(first: dt.date, last: dt.date) -> str:
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    return "month" if months <= 120 else "quarter" if months <= 480 else "year"


def _bin(day: dt.date, unit: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the bin ``day`` falls in."""
    if unit == "month":
        return _month_start(day), _month_end(day)
    if unit == "quarter":
        start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return start, _month_end(dt.date(day.year, start.month + 2, 1))
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)


def _bin_label(start: dt.date, unit: str) -> str:
    if unit == "month":
        return f"{start:%B %Y}"
    if unit == "quarter":
        return f"Q{(start.month + 2) // 3} {start.year}"
    return str(start.year)


def _bars(
    events: Sequence[EventEntry], scale: Scale, lanes: dict[str, Lane], unit: str
) -> list[Bar]:
    """Counts per bin and lane (an event counts in the bin its first day falls in); a bar's
    height is its count over the busiest bin's."""
    counts = Counter((_bin(e.record.date.first, unit), e.record.type) for e in events)
    peak = max(counts.values())
    bars = []
    for ((start, end), type_id), count in sorted(counts.items()):
        lane = lanes[type_id]
        height = round(max(2.0, (LANE - 4) * count / peak), 2)
        bars.append(
            Bar(
                type_id,
                _bin_label(start, unit),
                count,
                scale.x(start),
                max(1.0, scale.width(start, end) - 0.5),
                round(lane.y + LANE - 2 - height, 2),
                height,
            )
        )
    return bars


# -- a brief's strip -------------------------------------------------------------------------

STRIP_NARROWEST = 300
"""The width (CSS px) a brief's strip is laid out for: a phone's column (a 320 px screen less
the page's margins). The strip is drawn at the width of its column, its marks placed in percent
of it and its labels at their own size (no viewBox scales them down), so it is laid out for the
narrowest column: marks that would touch there go on a row of their own, and month labels are
spaced so that they do not run into each other."""
STRIP_POINT = 6
"""A day's mark, in px (a mark narrower than this is drawn as one)."""
STRIP_ROW = 16
"""One row of marks, in px (a mark is 12 px tall, this brief's the row's full height)."""
STRIP_LEFT, STRIP_RIGHT = 1.0, 97.0
"""The strip's time axis in percent of its width: a day's mark at the last day stays inside."""


@dataclass(frozen=True)
class StripMark:
    event: EventEntry
    x: float
    """Where the event starts, in percent of the strip's width."""
    width: float
    """In percent of the strip's width; 0: a day (or shorter than a day's mark), drawn
    `STRIP_POINT` px wide."""
    row: int
    colour: int
    role: str
    """``self``, ``related`` or ``neighbour``."""


@dataclass(frozen=True)
class StripTick:
    x: float
    """In percent of the strip's width."""
    label: str


@dataclass(frozen=True)
class Strip:
    marks: list[StripMark]
    ticks: list[StripTick]
    rows: int
    at: str
    """Where the full timeline opens (``YYYY-MM-DD``: the first day the brief's date can mean;
    readers see the date as the brief gives it)."""

    @property
    def axis(self) -> int:
        """The axis line's y, under the rows, in px."""
        return self.rows * STRIP_ROW + 2

    @property
    def height(self) -> int:
        return self.axis + 16


def strip(site: Site, event: EventEntry) -> Strip:
    """The strip of the timeline around ``event``: its neighbours, its related events
    highlighted (those that fall in the strip's range), each on the first row where it touches
    no other mark at the narrowest width (`STRIP_NARROWEST`)."""
    shown = neighbours(event)
    related = {other.id for group in event.related for other in group.events}
    first = min(e.record.date.first for e in shown)
    last = max(e.record.date.last for e in shown)
    margin = max(2, (last - first).days // 12)
    first = dt.date.fromordinal(max(first.toordinal() - margin, 1))
    last = dt.date.fromordinal(min(last.toordinal() + margin, dt.date.max.toordinal()))
    scale = Scale(first, last, STRIP_LEFT, STRIP_RIGHT)
    colour = colours(site.vocabulary)
    point = STRIP_POINT * 100 / STRIP_NARROWEST  # (a day's mark, in percent at its narrowest)
    ends: list[float] = []  # (where each row's last mark ends, in percent at the narrowest)
    marks = []
    for other in shown:  # (in the timeline's order: by first day)
        date = other.record.date
        x = scale.x(date.first)
        width = 0.0 if date.is_day else scale.width(date.first, date.last)
        width = 0.0 if width < point else width
        end = x + (width or point) + 100 / STRIP_NARROWEST  # (a pixel's gap)
        row = next((n for n, taken in enumerate(ends) if taken <= x), len(ends))
        ends[row : row + 1] = [end]
        role = "self" if other is event else "related" if other.id in related else "neighbour"
        marks.append(StripMark(other, x, width, row, colour[other.record.type], role))
    at = event.record.date.first.isoformat()
    return Strip(marks, _strip_ticks(scale, first, last), len(ends), at)


def label_width(label: str) -> float:
    """The room a strip label takes at the narrowest, in px: its text at 0.6rem (12 px, about
    7 px a character, digits and capitals included) and a gap."""
    return len(label) * 7 + 8


def _strip_ticks(scale: Scale, first: dt.date, last: dt.date) -> list[StripTick]:
    """Labels along the strip, each where it fits at the narrowest width after the last: for a
    range of up to two months, days (``24 Jun``: every day, every other day, or Mondays);
    up to a year, the months' starts (the first label, and the first of each year, naming the
    year; a range starting well before its first month's start is labelled at its start too);
    beyond, the years' starts, and up to three years the half-years' too (``Jul``), after a
    label at the range's start naming its month and year where it has room before the next:
    a range of a year or two has only one or two new years in it, and the last may have no
    room before the right edge, which left a phone reader one label and no sense of scale."""
    days = (last - first).days + 1
    if days <= 62:
        width = STRIP_NARROWEST * (STRIP_RIGHT - STRIP_LEFT) / 100
        return _placed(
            scale, _days(first, last, width / days), lambda day, _: f"{day.day} {day:%b}"
        )
    months = [day for day in _months(first, last) if day >= first]
    if len(months) > 12:
        starts = _years(first, last, len(months) <= 36)
        room = label_width("Mmm 0000") * 100 / STRIP_NARROWEST  # (in percent)
        if len(months) <= 36 and (not starts or scale.x(starts[0]) - scale.x(first) >= room):
            starts.insert(0, first)  # (its month and year, at the left edge)
        return _placed(scale, starts, _year_label)
    if not months or scale.x(months[0]) - scale.x(first) >= label_width("Mmm 0000") / 3:
        months.insert(0, first)  # (its month's name, at the left edge)
    return _placed(scale, months, lambda day, new_year: f"{day:%b %Y}" if new_year else f"{day:%b}")


def _years(first: dt.date, last: dt.date, halves: bool) -> list[dt.date]:
    """Each year's start in ``first`` … ``last`` and, if ``halves``, each July's."""
    steps = (1, 7) if halves else (1,)
    return [
        dt.date(year, month, 1)
        for year in range(first.year, last.year + 1)
        for month in steps
        if first < dt.date(year, month, 1) <= last
    ]


def _year_label(day: dt.date, new_year: bool) -> str:
    """A year's start by its year; another day by its month, and its year if it is the first
    label of its year."""
    if (day.month, day.day) == (1, 1):
        return str(day.year)
    return f"{day:%b %Y}" if new_year else f"{day:%b}"


def _placed(
    scale: Scale, days: Sequence[dt.date], name: Callable[[dt.date, bool], str]
) -> list[StripTick]:
    """A label at each of ``days`` that has room after the last one and before the right edge,
    ``name``d (told whether it is the first label of its year)."""
    ticks: list[StripTick] = []
    free, year = 0.0, 0
    for day in days:
        label = name(day, day.year != year)
        x = scale.x(day)
        start = x * STRIP_NARROWEST / 100
        if start >= free and start + label_width(label) <= STRIP_NARROWEST + 8:
            ticks.append(StripTick(x, label))
            free, year = start + label_width(label), day.year
    return ticks


def _days(first: dt.date, last: dt.date, per_day: float) -> list[dt.date]:
    """The days a short range is labelled at: every day, every other day, or Mondays every one
    or two weeks, as often as labels fit (``per_day``: px a day takes at the narrowest)."""
    room = label_width("00 Mmm")
    step = next((n for n in (1, 2, 7, 14) if n * per_day >= room), 28)
    every = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    if step < 7:
        return [day for day in every if day.toordinal() % step == 0]
    weeks = step // 7
    return [d for d in every if d.weekday() == 0 and (d.toordinal() // 7) % weeks == 0]


# -- the JSON the script reads ---------------------------------------------------------------


def _offset(origin: dt.date, day: dt.date) -> int:
    return (day - origin).days


_Row = tuple[int, int, int, int, list[int], list[int], str, str, str]
"""What the JSON says of one event: its first day's offset, its days, its type, status, actors
and tags (indexes into the lists of the index), then its id, title and date."""


class Rows(PerRecord):
    """Each event's row of the JSON and each year's file, kept while the event's record and
    the site's lists (the origin, the vocabulary, the actors and the tags that the indexes
    point into) are the same.

    `mkdocs serve` keeps one across rebuilds: after an edit, only the edited events' rows are
    made again, and only their years' files (at 50,000 events, making every row took half a
    second of each edit)."""

    def __init__(self) -> None:
        super().__init__()
        self.lists: tuple[object, ...] = ()
        self.version = 0
        """Counts the changes of `lists`: part of each row's key."""
        self.years = ByName()
        """Each year's file, by year, kept while its first event's place in the index and its
        rows are the same."""

    def start(self, lists: tuple[object, ...]) -> None:
        """A build with these lists: rows made against other lists are not reused."""
        if lists != self.lists:
            self.lists, self.version, self.years = lists, self.version + 1, ByName()


TIMELINE_WRITES = ("data/timeline/",)
"""Where `data` puts its files in the site (`generator.session.build.WRITTEN`)."""


def lookups(site: Site, origin: dt.date) -> dict[str, Any]:
    """What the JSON of the timeline and of the explorer begins with: the day numbering's
    origin, and the tables their numbers index (types with their colours, statuses, actors,
    tags)."""
    vocab = site.vocabulary
    colour = colours(vocab)
    return {
        "origin": origin.isoformat(),
        "types": [[t.id, t.label, colour[t.id]] for t in vocab.event_types],
        "statuses": [[s.id, s.label] for s in vocab.statuses],
        "actors": [[a.id, a.record.name] for a in site.actors],
        "tags": list(site.tags),
    }


def data(site: Site, rows: Rows | None = None) -> dict[str, str]:
    """Path under the site root -> text: ``data/timeline/index.json`` and one file a year."""
    if not site.events:
        return {}
    rows = rows or Rows()
    origin = dt.date(site.events[0].record.date.first.year, 1, 1)
    vocab = site.vocabulary
    type_ids = tuple(t.id for t in vocab.event_types)
    status_ids = tuple(s.id for s in vocab.statuses)
    actor_ids = tuple(a.id for a in site.actors)
    tag_list = tuple(site.tags)
    rows.start((origin, type_ids, status_ids, actor_ids, tag_list))
    types = {t: i for i, t in enumerate(type_ids)}
    statuses = {s: i for i, s in enumerate(status_ids)}
    actors = {a: i for i, a in enumerate(actor_ids)}
    tags = {tag: i for i, tag in enumerate(tag_list)}

    def make(e: EventEntry) -> _Row:
        date = e.record.date
        return (
            _offset(origin, date.first),
            (date.last - date.first).days + 1,
            types[e.record.type],
            statuses[e.record.status],
            [actors[i.actor.id] for i in e.actors],
            [tags[t] for t in e.record.tags],
            e.id,
            e.record.title,
            date.display(),
        )

    table = [rows.get(e.record, "row", (e.id, rows.version), make, e) for e in site.events]
    rows.forget_unused()
    years: dict[int, list[_Row]] = {}
    starts: dict[int, int] = {}
    for n, (event, row) in enumerate(zip(site.events, table, strict=True)):
        year = event.record.date.start.year
        starts.setdefault(year, n)
        years.setdefault(year, []).append(row)
    first, days, type_, status, actor, tag, *_ = zip(*table, strict=True)
    index = {
        **lookups(site, origin),
        "years": {str(year): [starts[year], len(group)] for year, group in years.items()},
        "first": first,
        "days": days,
        "type": type_,
        "status": status,
        "actor": actor,
        "tag": tag,
    }
    out = {"data/timeline/index.json": _json(index)}
    for year, group in years.items():
        made = functools.partial(_year_file, starts[year], group)
        out[f"data/timeline/{year}.json"] = rows.years.get(year, starts[year], group, made)
    return out


def _year_file(start: int, rows: list[_Row]) -> str:
    return _json(
        {
            "start": start,
            "id": [r[6] for r in rows],
            "title": [r[7] for r in rows],
            "date": [r[8] for r in rows],
        }
    )


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"
