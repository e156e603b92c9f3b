"""Open data under /data/: the records as JSON, CSV and GeoJSON, derived from the models.

Columns and keys come from the pydantic models, never from a hand-written list, so a new
field appears in every export by itself.
"""

from __future__ import annotations

import csv
import io
import json
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator import schema
from generator.link import ActorEntry, EventEntry, Site
from generator.model import Event


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


def events_csv(site: Site, site_url: str) -> str:
    columns = ["id", *_columns(Event), "url"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for event in site.events:
        data = _dump(event.record)
        data["actors"] = [a.id for a in event.record.actors]  # "actors joined": ids only
        row: dict[str, str] = {"id": event.id, "url": f"{site_url}briefs/{event.id}/"}
        for key, value in data.items():
            _flat(key, value, row)
        writer.writerow({column: row.get(column, "") for column in columns})
    return out.getvalue()


def events_geojson(site: Site, site_url: str, type_labels: dict[str, str]) -> dict[str, Any]:
    features = []
    for event in site.events:
        where = event.record.location
        if where is None or where.lat is None or where.lon is None:
            continue
        features.append(
            {
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
                    "type_label": type_labels[event.record.type],
                    "status": event.record.status,
                    "place": where.name,
                    "precision": where.precision,
                    "url": f"{site_url}briefs/{event.id}/",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def files(site: Site, site_url: str) -> dict[str, str]:
    """Path under the site root -> text of every data file."""
    type_labels = {t.id: t.label for t in site.vocabulary.event_types}
    out = {
        "data/events.json": _json([event_json(e, site_url) for e in site.events]),
        "data/actors.json": _json([actor_json(a, site_url) for a in site.actors]),
        "data/vocabulary.json": _json(_dump(site.vocabulary)),
        "data/events.csv": events_csv(site, site_url),
        "data/events.geojson": _json(events_geojson(site, site_url, type_labels)),
    }
    for name, text in schema.render(site.vocabulary).items():
        out[f"schema/{name}"] = text
    return out


def write(out_dir: Path, texts: dict[str, str]) -> None:
    for rel, text in texts.items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
