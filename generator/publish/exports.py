"""Open data under /data/: the records as JSON, CSV and GeoJSON, derived from the models.

Columns and keys come from the pydantic models, never from a hand-written list, so a new
field appears in every export by itself.

The events' JSON and CSV are downloads only (the site's own scripts read the GeoJSON and the
timeline's data), and the largest files of the site: they are published gzip-compressed
(`DOWNLOADS`, `generator.publish.gzipped`), a quarter of their size.
"""

from __future__ import annotations

import csv
import io
import json
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from generator.content import safe
from generator.content.model import ActorRef, Event, Slug
from generator.publish import gzipped
from generator.site import schema
from generator.site.entries import ActorEntry, EventEntry, Site
from generator.site.memo import PerRecord


class Memo(PerRecord):
    """The open data made from each record, and the compressed downloads segment by segment.

    `mkdocs serve` keeps one across rebuilds: after an edit only the edited record is
    serialised again, not ten thousand, and only its segment compressed again.
    """

    def __init__(self) -> None:
        super().__init__()
        self.segments = gzipped.Segments()
        """The compressed downloads, segment by segment."""

    def forget_unused(self) -> None:
        super().forget_unused()
        self.segments.forget_unused()


EXPORT_WRITES = ("data/", "schema/")
"""Where `export_files` puts its files in the site (`generator.session.build.WRITTEN`)."""

DOWNLOADS = ("data/events.json", "data/events.csv", "data/actors.json")
"""Published gzip-compressed only, with ``.gz`` added to their names (nothing on the site reads
them: they are downloads; the map's GeoJSON and the timeline's JSON are read by its pages)."""

UNPUBLISHED = frozenset({"draft"})
"""Record fields the open data leaves out: drafts are never published, so it is always false."""


def _dump(record: BaseModel) -> dict[str, Any]:
    unpublished = set(UNPUBLISHED & set(type(record).model_fields))
    return record.model_dump(mode="json", exclude_none=True, exclude=unpublished or None)


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


CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def csv_cell(value: str) -> str:
    """``value`` made inert for spreadsheets: prefixed with ``'`` when it starts with one of
    `CSV_TRIGGERS`, or with quotes followed by one (so that `csv_value` reads every value back)."""
    return f"'{value}" if value.lstrip("'")[:1] in CSV_TRIGGERS and value else value


def csv_value(cell: str) -> str:
    """A cell of events.csv read back: one leading ``'`` removed when the cell starts with quotes
    followed by one of `CSV_TRIGGERS`."""
    return cell[1:] if cell[:1] == "'" and cell.lstrip("'")[:1] in CSV_TRIGGERS else cell


@dataclass(frozen=True)
class CsvColumn:
    """One column of events.csv: where its value sits in the record's JSON, and how it is
    written (``text``: as is; ``joined``: ids joined by "; "; ``json``: JSON, as in events.json)."""

    name: str
    path: tuple[str, ...]
    form: Literal["text", "joined", "json"]


def _single_model(annotation: Any) -> type[BaseModel] | None:
    """The record type of a field holding one record (like location), else None."""
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _model_fields(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> Iterable[CsvColumn]:
    """Columns in model order: a nested record (like location) gets dotted columns, a list of
    ids is joined, and lists of records and mappings are JSON (their items have fields of their
    own, which no fixed set of columns could hold)."""
    for name, field in model.model_fields.items():
        if name in UNPUBLISHED:
            continue
        path = (*prefix, name)
        annotation = field.annotation
        origin = typing.get_origin(annotation)
        if origin is list:
            (item,) = typing.get_args(annotation)
            yield CsvColumn(".".join(path), path, "joined" if item == Slug else "json")
        elif origin is dict:
            yield CsvColumn(".".join(path), path, "json")
        elif (nested := _single_model(annotation)) is not None:
            yield from _model_fields(nested, path)
        else:
            yield CsvColumn(".".join(path), path, "text")


def csv_columns() -> list[CsvColumn]:
    """The columns of events.csv, derived from the Event model. Actors are joined ids (one
    column a spreadsheet can filter on), with their other fields as JSON lists beside them."""
    columns = [CsvColumn("id", ("id",), "text")]
    for column in _model_fields(Event):
        if column.path == ("actors",):
            columns.append(CsvColumn("actors", ("actors", "id"), "joined"))
            columns += [
                CsvColumn(f"actors.{name}", ("actors", name), "json")
                for name in ActorRef.model_fields
                if name != "id"
            ]
        else:
            columns.append(column)
    return [*columns, CsvColumn("url", ("url",), "text")]


def _cell(data: dict[str, Any], column: CsvColumn) -> str:
    value: Any = data
    if column.path[0] == "actors":  # one value per actor
        value = [ref.get(column.path[1]) for ref in data["actors"]]
    else:
        for key in column.path:
            value = value.get(key) if isinstance(value, dict) else None
    if value is None:
        return ""
    if column.form == "json":
        return json.dumps(value, ensure_ascii=False)
    if column.form == "joined":
        return "; ".join(value)
    return csv_cell(str(value))


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return safe.text(out.getvalue())


def event_row(event: EventEntry, site_url: str, columns: list[CsvColumn]) -> list[str]:
    """The CSV cells of ``event``: taken from its events.json entry, so the two hold the same."""
    data = event_json(event, site_url)
    return [_cell(data, column) for column in columns]


def _csv_row(event: EventEntry, site_url: str, columns: list[CsvColumn]) -> str:
    return _csv_line(event_row(event, site_url, columns))


def events_csv(site: Site, site_url: str, memo: Memo) -> str:
    columns = csv_columns()
    lines = [_csv_line([column.name for column in columns])]
    for e in site.events:
        lines.append(
            memo.get(
                e.record,
                "csv",
                (e.id, site_url, e.timezone),
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
    """``data`` as JSON without spaces after separators (9% of the GeoJSON's bytes, which the map
    page fetches as it is)."""
    return safe.text(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


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


def export_files(site: Site, site_url: str, memo: Memo | None = None) -> dict[str, str | bytes]:
    """Path under the site root -> text (or, compressed, bytes) of every data file."""
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
    texts = {
        "data/events.json": _array(events) + "\n",
        "data/actors.json": _array(actors) + "\n",
        "data/vocabulary.json": _json(_dump(site.vocabulary)) + "\n",
        "data/events.csv": events_csv(site, site_url, memo),
        "data/events.geojson": f'{{"type":"FeatureCollection","features":{_array(features)}}}\n',
        **{f"schema/{name}": text for name, text in schema.for_site(site).items()},
    }
    out: dict[str, str | bytes] = {n: text for n, text in texts.items() if n not in DOWNLOADS}
    for name in DOWNLOADS:
        out[f"{name}.gz"] = gzipped.compress(texts[name], memo.segments)
    memo.forget_unused()
    return out
