"""Rows to records: each row's values read as the mapping says, rows grouped into events, and
the fields the import owns written from templates.

Templates see, for each event: every mapped column by name (its first known value among the
event's rows, or None), ``all`` (column -> the distinct known values, in row order), ``count``
(the rows), ``local_date`` and ``local_time``; the ``key`` template sees the row's raw text. The
filters ``span`` (numbers as "50 km" or "50–100 km") and ``plural`` help write sentences.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import zoneinfo
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from generator.content.errors import ContentError, ContentErrors, did_you_mean
from generator.content.model import check_slug
from generator.ingest.mapping import Mapping
from generator.ingest.table import Row, Table


def span(values: list[float], unit: str = "") -> str:
    """``[50.0]`` -> "50 km"; ``[50.0, 100.0]`` -> "50–100 km"; ``[]`` -> ""."""
    if not values:
        return ""
    low, high = min(values), max(values)
    text = f"{low:,g}" if low == high else f"{low:,g}–{high:,g}"
    return f"{text} {unit}".strip()


def plural(count: int, word: str) -> str:
    """``plural(2, "missile")`` -> "2 missiles"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
ENV.filters.update(span=span)
ENV.globals.update(plural=plural)


@dataclass
class Imported:
    """One event as the data set gives it: the fields the import owns, and its provenance."""

    id: str
    group: str
    keys: list[str]
    row: Row
    fields: dict[str, Any]
    tags: list[str]
    published: str
    digest: str


@dataclass
class _Read:
    row: Row
    key: str
    values: dict[str, Any]
    local_date: str
    local_time: str | None


@functools.cache
def _compiled(template: str) -> Template | str:
    """The template, or its text when it has no Jinja2 syntax at all (a constant)."""
    return ENV.from_string(template) if "{" in template else template.strip()


def names(values: dict[str, Any]) -> dict[str, Any]:
    """What a template sees: ``values`` and the environment's globals (`render` takes it as it
    is, without the copy per call that Jinja2's own ``render`` makes of both)."""
    return {**ENV.globals, **values}


def render(template: str, context: dict[str, Any]) -> str:
    """A template's text, stripped; raise ``ValueError`` saying what went wrong. ``context``
    is made by `names`."""
    compiled = _compiled(template)
    if isinstance(compiled, str):
        return compiled
    try:
        made = ENV.context_class(ENV, context, compiled.name, compiled.blocks)
        return str(ENV.concat(compiled.root_render_func(made))).strip()
    except (TemplateError, ArithmeticError, AttributeError, LookupError, TypeError) as exc:
        raise ValueError(f"template error: {exc}") from None


def convert(table: Table, mapping: Mapping) -> list[Imported]:
    """Every event of ``table``; raise ``ContentErrors`` with every problem of every row."""
    errors: list[ContentError] = list(table.problems)
    _check_columns(table, mapping, errors)
    read: list[_Read] = []
    keys: dict[str, int] = {}
    blank = names(dict.fromkeys(table.header, ""))
    for row in table.rows:
        found = _read_row(table, mapping, row, errors, blank)
        if found is None:
            continue
        if found.key in keys:
            message = f"row key '{found.key}' is also row {keys[found.key]}'s: make `key` unique"
            errors.append(table.error(row, "", message))
        keys.setdefault(found.key, row.number)
        read.append(found)
    groups: dict[str, list[_Read]] = {}
    for item in read:
        try:
            name = render(mapping.group, _context([item])) if mapping.group else item.key
        except ValueError as exc:
            errors.append(table.error(item.row, "", f"group: {exc}"))
            continue
        groups.setdefault(name, []).append(item)
    events = []
    for name, items in groups.items():
        try:
            events.append(_event(mapping, name, items))
        except ValueError as exc:
            errors.append(table.error(items[0].row, "", str(exc)))
    ids: dict[str, str] = {}
    for event in events:
        if event.id in ids and ids[event.id] != event.group:
            errors.append(table.error(event.row, "", f"id '{event.id}' is given to two events"))
        ids[event.id] = event.group
    if errors:
        raise ContentErrors(errors)
    return events


def _check_columns(table: Table, mapping: Mapping, errors: list[ContentError]) -> None:
    known = {*mapping.columns, *mapping.ignore, mapping.dates.column}
    known |= {mapping.dates.time_column} if mapping.dates.time_column else set()
    seen: set[str] = set()
    for row in table.rows or [Row(1, {}, {})]:
        for column in row.values:
            if column not in known and column not in seen:
                seen.add(column)
                hint = did_you_mean(column, known)
                message = f"unknown column '{column}'{hint}: map it in `columns` or `ignore` it"
                errors.append(table.error(row, column, message))


def _read_row(
    table: Table, mapping: Mapping, row: Row, errors: list[ContentError], blank: dict[str, Any]
) -> _Read | None:
    """The row's values, converted; None (and its errors noted) when one does not convert.
    ``blank``: what the key template sees for a row without values (`names` of "" by column)."""
    unknown = {u.strip().lower() for u in mapping.unknown}
    values: dict[str, Any] = {}
    count = len(errors)
    for column, spec in mapping.columns.items():
        text = row.values.get(column, "").strip()
        if text.lower() in unknown:
            values[column] = None
            continue
        try:
            values[column] = _value(mapping, spec.unit, spec.lookup, spec.place, text)
        except ValueError as exc:
            errors.append(table.error(row, column, str(exc)))
    try:
        local_date, local_time = _moment(mapping, row, unknown)
    except ValueError as exc:
        errors.append(table.error(row, mapping.dates.column, str(exc)))
        return None
    try:
        key = render(mapping.key, {**blank, **row.values})
    except ValueError as exc:
        errors.append(table.error(row, "", f"key: {exc}"))
        return None
    if len(errors) > count:
        return None
    return _Read(row, key, values, local_date, local_time)


def _value(mapping: Mapping, unit: str | None, lookup: str | None, place: bool, text: str) -> Any:
    if unit is not None:
        number = text.removesuffix(unit).strip().replace(",", "")
        try:
            return float(number)
        except ValueError:
            raise ValueError(f"'{text}' is not a number of {unit}") from None
    if lookup is not None:
        table = mapping.lookups.get(lookup, {})
        if text not in table:
            hint = did_you_mean(text, table)
            raise ValueError(f"'{text}' is not in the lookup table '{lookup}'{hint}")
        return table[text]
    if place:
        if text not in mapping.places:
            hint = did_you_mean(text, mapping.places)
            raise ValueError(f"'{text}' is not one of the mapping's places{hint}")
        return mapping.places[text].model_dump()
    return text


_EDTF = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def _moment(mapping: Mapping, row: Row, unknown: set[str]) -> tuple[str, str | None]:
    """The local date (EDTF, precision kept) and local time of a row."""
    dates = mapping.dates
    text = row.values.get(dates.column, "").strip()
    for form, precision in dates.formats.items():  # noqa: B007 (the one that matched)
        try:
            day = dt.datetime.strptime(text, form)
        except ValueError:
            continue
        break
    else:
        shown = ", ".join(f"'{f}'" for f in dates.formats)
        raise ValueError(f"'{text}' is not a date in the mapping's formats ({shown})")
    time_text = row.values.get(dates.time_column or "", "").strip()
    if precision != "day" or not time_text or time_text.lower() in unknown:
        return day.strftime(_EDTF[precision]), None  # without a time, the date cannot move
    try:
        clock = dt.datetime.strptime(time_text, dates.time_format).time()
    except ValueError:
        raise ValueError(f"time '{time_text}' does not match '{dates.time_format}'") from None
    moment = dt.datetime.combine(day.date(), clock, zoneinfo.ZoneInfo(dates.timezone))
    local = moment.astimezone(zoneinfo.ZoneInfo(dates.local_timezone))
    return local.date().isoformat(), f"{local:%H:%M}"


def _context(items: list[_Read]) -> dict[str, Any]:
    """What templates see for the event made of ``items``."""
    every: dict[str, list[Any]] = {}
    for item in items:
        for column, value in item.values.items():
            seen = every.setdefault(column, [])
            if value is not None and value not in seen:
                seen.append(value)
    times = sorted(t for t in (i.local_time for i in items) if t)
    return names(
        {
            **{column: (values[0] if values else None) for column, values in every.items()},
            "all": every,
            "count": len(items),
            "local_date": items[0].local_date,
            "local_time": times[0] if times else None,
        }
    )


def _event(mapping: Mapping, group: str, items: list[_Read]) -> Imported:
    context = _context(items)
    spec = mapping.record
    fields: dict[str, Any] = {"title": render(spec.title, context), "date": context["local_date"]}
    if context["local_time"]:
        fields["time"] = context["local_time"]
        fields["timezone"] = mapping.dates.local_timezone
    fields["type"] = render(spec.type, context)
    fields["status"] = render(spec.status, context)
    fields["summary"] = render(spec.summary, context)
    location = _location(mapping, context)
    if location:
        fields["location"] = location
    actors = [
        {"id": actor_id, **({"role": role} if role else {})}
        for a in spec.actors
        if (actor_id := render(a.id, context))
        for role in [render(a.role, context) if a.role else ""]
    ]
    fields["actors"] = actors
    facts = {label: render(t, context) for label, t in spec.facts.items()}
    fields["facts"] = {label: value for label, value in facts.items() if value}
    cited = [mapping.sources[0].key, *([location["source"]] if location.get("source") else [])]
    fields["sources"] = [
        s.model_dump(mode="json", exclude_none=True) for s in mapping.sources if s.key in cited
    ]
    record_id = check_slug(render(mapping.id, context))
    date = context["local_date"]
    published = {4: f"{date}-01-01", 7: f"{date}-01"}.get(len(date), date)
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]
    keys = [i.key for i in items]
    tags = list(spec.tags)
    return Imported(record_id, group, keys, items[0].row, fields, tags, published, digest)


def _location(mapping: Mapping, context: dict[str, Any]) -> dict[str, Any]:
    spec = mapping.record.location
    if spec is None:
        return {}
    name = render(spec.name, context)
    if not name:
        return {}
    found: dict[str, Any] = {"name": name}
    for field in ("country", "lat", "lon", "precision"):
        template = getattr(spec, field)
        value = render(template, context) if template else ""
        if value:
            found[field] = value
    if spec.source and "lat" in found:
        found["source"] = spec.source
    return found
