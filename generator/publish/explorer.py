"""The explorer's data (/explorer/): what its card, list and table show of each event beyond the
timeline's JSON (`generator.render.timeline.data`), one file a year beside it.

The explorer reads the timeline's ``index.json`` (every event's days, type, status, actors and
tags, as numbers) and, for the years its window covers, the timeline's ``<year>.json`` (ids,
titles, dates as written) and this module's ``data/explorer/<year>.json`` (summary, confidence,
place, country, coordinates). ``data/explorer/index.json`` holds the one filter the timeline's
index lacks, each event's country, so that a country filter counts every year without loading
it. Columns, not objects: the keys are written once a file, not once an event.
"""

from __future__ import annotations

import json
from typing import Any

from generator.site.entries import EventEntry, Site

EXPLORER_WRITES = ("data/explorer/",)
"""Where `data` puts its files in the site (`generator.session.build.WRITTEN`)."""


def _columns(events: list[EventEntry], start: int) -> dict[str, Any]:
    def place(e: EventEntry) -> str:
        return e.record.location.name if e.record.location else ""

    def point(e: EventEntry) -> list[float] | None:
        where = e.record.location
        if where is None or where.lat is None or where.lon is None:
            return None
        return [float(where.lat), float(where.lon)]

    return {
        "start": start,
        "summary": [e.record.summary for e in events],
        "confidence": [
            (e.record.assessment.confidence or "") if e.record.assessment else "" for e in events
        ],
        "place": [place(e) for e in events],
        "point": [point(e) for e in events],
    }


def explorer_data(site: Site) -> dict[str, str]:
    """Path under the site root -> text: ``data/explorer/index.json`` and one file a year, the
    events in the timeline's order (the year files' ``start`` is the first event's place in the
    timeline's index)."""
    if not site.events:
        return {}
    countries = sorted(
        {
            e.record.location.country
            for e in site.events
            if e.record.location and e.record.location.country
        }
    )
    number = {c: n for n, c in enumerate(countries)}
    years: dict[int, list[EventEntry]] = {}
    starts: dict[int, int] = {}
    for n, event in enumerate(site.events):
        year = event.record.date.start.year
        starts.setdefault(year, n)
        years.setdefault(year, []).append(event)
    terms = site.vocabulary.confidence
    index = {
        "countries": countries,
        "country": [
            number[e.record.location.country]
            if e.record.location and e.record.location.country
            else -1
            for e in site.events
        ],
        "confidence": [[t.id, t.label] for t in terms],
    }
    out = {"data/explorer/index.json": _json(index)}
    for year, group in years.items():
        out[f"data/explorer/{year}.json"] = _json(_columns(group, starts[year]))
    return out


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"
