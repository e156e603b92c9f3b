"""Open data under /data/: the records as JSON, CSV and GeoJSON, derived from the models.

Columns and keys come from the pydantic models, never from a hand-written list, so a new
field appears in every export by itself.
"""

from __future__ import annotations

import csv
import io
import json
import typing
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel

from generator import schema
from generator.link import ActorEntry, EventEntry, Site
from generator.model import Event

T = TypeVar("T")


class Memo:
    """Text made from one record, reused while the record object and the key are the same.

    `mkdocs serve` keeps one across rebuilds: records of unchanged files are the same objects,
    so after an edit only that record is serialised again, not ten thousand.
    """

    def __init__(self) -> None:
        self._old: dict[int, tuple[object, dict[str, tuple[Hashable, Any]]]] = {}
        self._new: dict[int, tuple[object, dict[str, tuple[Hashable, Any]]]] = {}

    def get(
        self, record: object, kind: str, key: Hashable, make: Callable[..., T], *args: Any
    ) -> T:
        """``make(*args)``, or what it returned last time for this record, kind and key."""
        slot = self._new.get(id(record)) or self._old.get(id(record))
        if slot is None or slot[0] is not record:
            slot = (record, {})
        self._new[id(record)] = slot
        hit = slot[1].get(kind)
        if hit is not None and hit[0] == key:
            return cast(T, hit[1])
        value = make(*args)
        slot[1][kind] = (key, value)
        return value

    def forget_unused(self) -> None:
        """Drop what was made from records not asked for since the last call."""
        self._old, self._new = self._new, {}


def _dump(record: BaseModel) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude_none=True)


def event_json(event: EventEntry, site_url: str) -> dict[str, Any]:
    return {
        "id": event.id,
        **_dump(event.record),
        "url": f"{site_url}briefs/{event.id}/",
        "timezone": event.timezone,
        "first_day": event.record.date.first.isoformat(),
        "last_day": event.record.date.last.isoformat(),
        "related_both_ways": [
            {"label": group.label, "events": [e.id for e in group.events]}
            for group in event.related
        ],
    }


def actor_json(actor: ActorEntry, site_url: str) -> dict[str, Any]:
    return {
        "id": actor.id,
        **_dump(actor.record),
        "url": f"{site_url}actors/{actor.id}/",
        "members": [m.id for m in actor.members],
        "events": [i.event.id for i in actor.involvement],
    }


def _flat(prefix: str, value: Any, row: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flat(f"{prefix}.{key}", inner, row)
    elif isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        row[prefix] = "; ".join(str(v) for v in value)
    elif isinstance(value, list):
        row[prefix] = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        row[prefix] = "" if value is None else str(value)


def _columns(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Column names in model order; nested records (like location) get dotted columns."""
    out = []
    for name, field in model.model_fields.items():
        nested = _nested_model(field.annotation)
        if nested is not None and name != "actors":
            out += _columns(nested, f"{prefix}{name}.")
        else:
            out.append(f"{prefix}{name}")
    return out


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def event_row(event: EventEntry, site_url: str, columns: list[str]) -> list[str]:
    data = _dump(event.record)
    data["actors"] = [a.id for a in event.record.actors]  # "actors joined": ids only
    row: dict[str, str] = {"id": event.id, "url": f"{site_url}briefs/{event.id}/"}
    for key, value in data.items():
        _flat(key, value, row)
    return [row.get(column, "") for column in columns]


def _csv_row(event: EventEntry, site_url: str, columns: list[str]) -> str:
    return _csv_line(event_row(event, site_url, columns))


def events_csv(site: Site, site_url: str, memo: Memo) -> str:
    columns = ["id", *_columns(Event), "url"]
    lines = [_csv_line(columns)]
    for e in site.events:
        lines.append(
            memo.get(
                e.record,
                "csv",
                (e.id, site_url),
                _csv_row,
                e,
                site_url,
                columns,
            )
        )
    return "".join(lines)


def located(site: Site) -> Iterable[EventEntry]:
    """Events with coordinates (the GeoJSON features)."""
    for event in site.events:
        where = event.record.location
        if where is not None and where.lat is not None and where.lon is not None:
            yield event


def feature(event: EventEntry, site_url: str, type_label: str) -> dict[str, Any]:
    where = event.record.location
    assert where is not None and where.lat is not None and where.lon is not None
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": {"type": "Point", "coordinates": [where.lon, where.lat]},
        "properties": {
            "id": event.id,
            "title": event.record.title,
            "date": str(event.record.date),
            "date_display": event.record.date.display(),
            "year": event.record.date.start.year,
            "type": event.record.type,
            "type_label": type_label,
            "status": event.record.status,
            "place": where.name,
            "precision": where.precision,
            "url": f"{site_url}briefs/{event.id}/",
        },
    }


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _related_ids(event: EventEntry) -> tuple[tuple[str, ...], ...]:
    return tuple((g.label, *(e.id for e in g.events)) for g in event.related)


def _event_line(event: EventEntry, site_url: str) -> str:
    return _json(event_json(event, site_url))


def _actor_line(actor: ActorEntry, site_url: str) -> str:
    return _json(actor_json(actor, site_url))


def _feature_line(event: EventEntry, site_url: str, type_label: str) -> str:
    return _json(feature(event, site_url, type_label))


def _array(lines: Iterable[str]) -> str:
    """A JSON array with one item per line: readable and diffable, and written by json's C
    encoder (``indent`` switches json to its much slower pure-Python encoder)."""
    return "[\n" + ",\n".join(lines) + "\n]"


def files(site: Site, site_url: str, memo: Memo | None = None) -> dict[str, str]:
    """Path under the site root -> text of every data file."""
    memo = memo or Memo()
    type_labels = {t.id: t.label for t in site.vocabulary.event_types}
    events = (
        memo.get(
            e.record,
            "json",
            (e.id, site_url, e.timezone, _related_ids(e)),
            _event_line,
            e,
            site_url,
        )
        for e in site.events
    )
    actors = (
        memo.get(
            a.record,
            "json",
            (
                a.id,
                site_url,
                tuple(m.id for m in a.members),
                tuple(i.event.id for i in a.involvement),
            ),
            _actor_line,
            a,
            site_url,
        )
        for a in site.actors
    )
    features = (
        memo.get(
            e.record,
            "geojson",
            (e.id, site_url, type_labels[e.record.type]),
            _feature_line,
            e,
            site_url,
            type_labels[e.record.type],
        )
        for e in located(site)
    )
    out = {
        "data/events.json": _array(events) + "\n",
        "data/actors.json": _array(actors) + "\n",
        "data/vocabulary.json": _json(_dump(site.vocabulary)) + "\n",
        "data/events.csv": events_csv(site, site_url, memo),
        "data/events.geojson": (
            f'{{"type": "FeatureCollection", "features": {_array(features)}}}\n'
        ),
    }
    memo.forget_unused()
    for name, text in schema.render(site.vocabulary).items():
        out[f"schema/{name}"] = text
    return out


def write(out_dir: Path, texts: dict[str, str]) -> None:
    for rel, text in texts.items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
