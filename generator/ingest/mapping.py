"""The mapping of a data set onto records: declared once here, read like a record.

A mapping is a YAML file (``mappings/*.yaml``) validated by `Mapping`, so its errors read
``path:line:col: field: message`` and its JSON Schema (`schema_text`) comes from the same
declaration. Text fields marked *template* are Jinja2 templates evaluated for each event (see
`generator.ingest.convert` for the names they can use).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.content.edtf import Precision
from generator.content.errors import ContentError, ContentErrors
from generator.content.load import load_file
from generator.content.model import Country, Line, Slug, Source, Timezone
from generator.content.validate import to_record


class Spec(BaseModel):
    """A part of a mapping: unknown keys are errors, and each field's docstring documents it."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Column(Spec):
    """How one column's values are read."""

    unit: str | None = None
    """The values are numbers in this unit: "1,380 km", "1380" and 1380 all read as 1380."""
    lookup: Slug | None = None
    """The name of a table in `lookups`: each value is replaced by its entry, and a value the
    table does not list is an error."""
    place: bool = False
    """Each value is a key of `places`: it becomes that place (name, country, lat, lon)."""


class Dates(Spec):
    """How the source writes when an event happened, and in which time zone."""

    column: str
    """The column holding the date."""
    formats: Annotated[dict[str, Precision], Field(min_length=1)]
    """strptime formats tried in order, each with the precision it gives, e.g.
    ``"%Y-%m-%d": day`` and ``"%Y-%m": month`` (a month stays a month, never its 1st day)."""
    time_column: str | None = None
    """The column holding the time, if any."""
    time_format: str = "%H:%M"
    """strptime format of the time, e.g. ``"%H:%M (UTC)"``."""
    timezone: Timezone
    """The time zone the source records dates and times in (e.g. UTC)."""
    local_timezone: Timezone
    """The time zone of the site's local dates (e.g. Asia/Seoul): a dated time is moved into it,
    so 20:28 UTC on 25 June is 05:28 on 26 June in Seoul. A date without a time cannot move."""


class Place(Spec):
    """A place the data set names by a key, with its coordinates."""

    name: Line
    """The name readers see."""
    country: Country | None = None
    """ISO 3166-1 alpha-2 code."""
    lat: Annotated[float, Field(ge=-90, le=90)]
    """Latitude in decimal degrees."""
    lon: Annotated[float, Field(ge=-180, le=180)]
    """Longitude in decimal degrees."""
    precision: Literal["exact", "approximate", "region"] = "approximate"
    """How precise the coordinates are."""


class ActorTemplate(Spec):
    """An actor of every imported event."""

    id: str
    """Template giving the actor's id (an empty result leaves the actor out)."""
    role: str | None = None
    """Template giving the role, e.g. "launched"."""


class LocationTemplate(Spec):
    """Where each event happened (left out when `name` comes out empty)."""

    name: str
    """Template: the place name."""
    country: str | None = None
    """Template: ISO 3166-1 alpha-2 code."""
    lat: str | None = None
    """Template: latitude."""
    lon: str | None = None
    """Template: longitude."""
    precision: str | None = None
    """Template: exact, approximate or region."""
    source: Slug | None = None
    """Key of the source in `sources` the coordinates come from (cited by the record)."""


class Fields(Spec):
    """The record fields the import writes (and owns); every other field is the editors'."""

    title: str
    """Template: the title."""
    summary: str
    """Template: the summary, written from the fields (never the data set's prose)."""
    type: str
    """Template: an id of the vocabulary's event_types."""
    status: str
    """Template: an id of the vocabulary's statuses."""
    actors: Annotated[list[ActorTemplate], Field(min_length=1)]
    """The actors."""
    facts: dict[Line, str] = {}
    """Label -> template; a fact that comes out empty (unknown values) is left out."""
    location: LocationTemplate | None = None
    """Where it happened."""
    tags: list[Slug] = []
    """Tags given to a new record (then the editors' to change)."""


class Match(Spec):
    """How a curated brief about the same event as an imported one is found: every condition
    given must hold (a rule with none matches nothing)."""

    same: list[Literal["date", "type"]] = []
    """Fields the curated brief must share with the imported event: ``date`` (the local date,
    with its precision) and ``type`` (the event type)."""
    reference: bool = False
    """The curated brief must name one of the event's row keys in its `data_rows` (with this
    mapping's `dataset`): an editor's explicit statement that they are the same event."""


class Mapping(Spec):
    """A mapping file: how one data set's rows become event records."""

    dataset: Slug
    """The data set's id, written in each record's provenance."""
    version: Line
    """The version of the data set (a release, a commit, a download date)."""
    sources: Annotated[list[Source], Field(min_length=1)]
    """Source blocks: the first is cited by every imported record; others only when a
    `location.source` names them."""
    rows: str | None = None
    """JSON only: where the rows are, e.g. ``timeBins[].data[]`` (default: the top-level list)."""
    columns: dict[str, Column]
    """Every column the mapping reads, by its name in the source."""
    ignore: list[str] = []
    """Columns of the source that are deliberately not imported (any other unmapped column is
    an error, so that a renamed column is noticed)."""
    unknown: list[str] = ["", "unknown"]
    """Values meaning "unknown" (compared without case): such a value is absent, never a value."""
    dates: Dates
    """When the events happened."""
    key: str
    """Template: the key of one row, unique in the data set (e.g. ``{{ event_id_cnty }}``)."""
    group: str | None = None
    """Template: rows with the same result are one event (a salvo); default: the row key."""
    id: str
    """Template: the record id (and file name) of an event."""
    match: Match | None = None
    """How a curated brief about the same event is found, so that it is not duplicated: it then
    gains the data set as a source and the imported facts it lacks, nothing else. Without it,
    every event becomes a record of its own."""
    lookups: dict[Slug, dict[str, str]] = {}
    """Tables: source value -> value (vocabulary ids, actor ids, names)."""
    places: dict[str, Place] = {}
    """Places by the key the source uses (e.g. launch facilities)."""
    record: Fields
    """The record fields the import writes."""


def load(path: Path) -> Mapping:
    """The mapping in ``path``; raise ``ContentErrors`` with every problem, positioned."""
    doc = load_file(path)
    errors: list[ContentError] = []
    mapping = to_record(doc, Mapping, errors)
    if errors or mapping is None:
        raise ContentErrors(errors)
    return mapping


def schema_text() -> str:
    """The JSON Schema of mapping files, for editors' tools."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    schema.update(Mapping.model_json_schema())
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # `make schema`: python -m generator.ingest.mapping OUT
    Path(sys.argv[1]).write_text(schema_text(), encoding="utf-8")
