"""The explorer's data (/explorer/), loaded by period as the window needs it.

``data/explorer/index.json`` is small whatever the site's size: the vocabularies (types with
their colours, statuses, actors, tags, countries, confidence), the day numbering's origin, and
one row a month that has events: ``[key, start, count, first, reach]`` (the month "YYYY-MM",
the number of its first event, how many start in it, the day the first starts and the last day
any of them reaches). ``data/explorer/<YYYY-MM>.json`` holds the events that start in that month,
as columns (the keys written once a file, not once an event): what the timeline draws (first
day, days, type, status, actors, tags as numbers), what the list, card and map show (id, title,
date as written, summary, confidence, place, country, point). Events are numbered by their
first day, so a month's events are ``start`` … ``start + count - 1``.

The timeline's own data (``generator.render.timeline.data``, for /timeline/) is left as it is.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from generator.render import timeline
from generator.site.entries import EventEntry, Site

EXPLORER_WRITES = ("data/explorer/",)
"""Where `data` puts its files in the site (`generator.session.build.WRITTEN`)."""


def _month(e: EventEntry) -> str:
    return e.record.date.first.isoformat()[:7]


def _point(e: EventEntry) -> list[float] | None:
    where = e.record.location
    if where is None or where.lat is None or where.lon is None:
        return None
    return [float(where.lat), float(where.lon)]


def _columns(
    events: list[EventEntry], start: int, origin: dt.date, number: dict[str, dict[str, int]]
) -> dict[str, Any]:
    def day(d: dt.date) -> int:
        return (d - origin).days

    def where(e: EventEntry, attr: str) -> str:
        return str(getattr(e.record.location, attr) or "") if e.record.location else ""

    return {
        "start": start,
        "id": [e.id for e in events],
        "title": [e.record.title for e in events],
        "date": [e.record.date.display() for e in events],
        "first": [day(e.record.date.first) for e in events],
        "days": [(e.record.date.last - e.record.date.first).days + 1 for e in events],
        "type": [number["type"][e.record.type] for e in events],
        "status": [number["status"][e.record.status] for e in events],
        "actor": [[number["actor"][i.actor.id] for i in e.actors] for e in events],
        "tag": [[number["tag"][t] for t in e.record.tags] for e in events],
        "country": [number["country"].get(where(e, "country"), -1) for e in events],
        "summary": [e.record.summary for e in events],
        "confidence": [
            (e.record.assessment.confidence or "") if e.record.assessment else "" for e in events
        ],
        "place": [where(e, "name") for e in events],
        "point": [_point(e) for e in events],
    }


def explorer_data(site: Site) -> dict[str, str]:
    """Path under the site root -> text: ``data/explorer/index.json`` and one file a month."""
    if not site.events:
        return {}
    vocab = site.vocabulary
    events = sorted(site.events, key=lambda e: e.record.date.first)  # stable: ties keep order
    origin = dt.date(events[0].record.date.first.year, 1, 1)
    countries = sorted(
        {
            e.record.location.country
            for e in events
            if e.record.location and e.record.location.country
        }
    )
    number = {
        "type": {t.id: n for n, t in enumerate(vocab.event_types)},
        "status": {s.id: n for n, s in enumerate(vocab.statuses)},
        "actor": {a.id: n for n, a in enumerate(site.actors)},
        "tag": {t: n for n, t in enumerate(site.tags)},
        "country": {c: n for n, c in enumerate(countries)},
    }
    months: dict[str, list[EventEntry]] = {}
    for event in events:
        months.setdefault(_month(event), []).append(event)
    out: dict[str, str] = {}
    periods = []
    start = 0
    for key, group in months.items():
        columns = _columns(group, start, origin, number)
        reach = max(f + d - 1 for f, d in zip(columns["first"], columns["days"], strict=True))
        periods.append([key, start, len(group), columns["first"][0], reach])
        out[f"data/explorer/{key}.json"] = _json(columns)
        start += len(group)
    index = {
        **timeline.lookups(site, origin),
        "countries": countries,
        "confidence": [[t.id, t.label] for t in vocab.confidence],
        "periods": periods,
    }
    return {"data/explorer/index.json": _json(index), **out}


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"
