"""The record schema, declared once.

Validation, the JSON Schema that editors' tools use and the field reference (the site's Record
reference page) are all derived from these classes. Each field's docstring is its documentation.
Checks that need more than one value (references, unique keys) live in `generator.site.link`.
"""

from __future__ import annotations

import datetime as dt
import functools
import html.entities
import re
import urllib.parse
import zoneinfo
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)

from generator.content import edtf, safe

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)


# -- text checks -----------------------------------------------------------------------------

# What no field may hold (`generator.content.safe`: control characters, bidi controls and marks,
# noncharacters), tabs and line breaks aside in Markdown: written raw (or as a YAML escape,
# which the loader has turned into the character), or as a character reference, with or without
# its semicolon, named or numbered (leading zeros and all), as a browser would read it.
_REFUSED = safe.CONTROLS | safe.BIDI_CONTROLS | safe.NONCHARACTERS
_REFUSED_IN_TEXT = _REFUSED - {0x09, 0x0A}


def _class(codes: Iterable[int]) -> re.Pattern[str]:
    """A character class of ``codes``, written as ranges (a class of 200 single characters, or of
    characters outside the Basic Multilingual Plane, made every search ten times slower)."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile(
        "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]"
    )


_BAD_LINE = _class(c for c in _REFUSED if c <= 0xFFFF)
_BAD_TEXT = _class(c for c in _REFUSED_IN_TEXT if c <= 0xFFFF)
_BAD_ASTRAL = _class(c for c in _REFUSED if c > 0xFFFF)
"""Searched only in the rare text with characters beyond the Basic Multilingual Plane."""
_REFERENCE = re.compile(
    r"&#(?:[xX]0*([0-9A-Fa-f]{1,8})|0*([0-9]{1,10}));?|&([A-Za-z][A-Za-z0-9]*;)"
)


def _bad_char(text: str, multiline: bool = False) -> str | None:
    found = (_BAD_TEXT if multiline else _BAD_LINE).search(text)
    if found is None and not text.isascii() and max(text) > "\uffff":
        found = _BAD_ASTRAL.search(text)
    if found is not None:
        return _refusal(ord(found[0]))
    if "&" not in text:
        return None
    refused = _REFUSED_IN_TEXT if multiline else _REFUSED
    for reference in _REFERENCE.finditer(text):
        hexadecimal, decimal, name = reference.groups()
        if name is not None:
            codes = [ord(c) for c in html.entities.html5.get(name, "")]
        else:
            codes = [int(hexadecimal, 16) if hexadecimal else int(decimal)]
        for code in codes:
            if code in refused:
                return _refusal(code, f" (written as {reference[0]})")
    return None


def _refusal(code: int, written: str = "") -> str:
    if code in safe.BIDI_CONTROLS:
        return f"contains the invisible bidi control U+{code:04X}{written}, which can disguise text"
    if code in safe.NONCHARACTERS:
        return f"contains the noncharacter U+{code:04X}{written}, which is not text"
    return f"contains the control character U+{code:04X}{written}"


def check_slug(value: str) -> str:
    if len(value) > 80:
        raise ValueError(f"'{value[:20]}…' is {len(value)} characters long; ids are at most 80")
    if not _SLUG.match(value):
        raise ValueError(
            f"'{value}' is not a valid id: use lowercase a-z and 0-9 words joined by hyphens"
        )
    return value


def check_line(value: str) -> str:
    if "\n" in value.rstrip("\n"):
        raise ValueError("must be a single line")
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    problem = _bad_char(value)
    if problem:
        raise ValueError(problem)
    return value


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_WEB = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+", re.I)
_SPACE = re.compile(r"\s")


def check_markdown(value: str) -> str:
    """Record Markdown: refused if publishing it would remove something (raw HTML, an attribute
    list, an image, a link that is not allowed) or if it breaks Markdown's limits. Judged by the
    converter the build uses (`generator.content.safe`), which sanitizes the output whatever is said
    here.
    """
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    problem = _bad_char(value, multiline=True)
    if problem:
        raise ValueError(problem)
    found = safe.problems(value)
    if found:
        raise ValueError("; ".join(found))
    return value


_BLANK_LINE = re.compile(r"\n\s*\n")


def check_paragraph(value: str) -> str:
    value = check_markdown(value)
    if _BLANK_LINE.search(value):
        raise ValueError("must be one paragraph (no blank lines)")
    return value


def check_url(value: str) -> str:
    value = check_line(value)
    scheme = _SCHEME.match(value)
    if not scheme or scheme[1].lower() not in ("http", "https"):
        raise ValueError(f"'{value[:60]}' is not allowed: URLs must start with http:// or https://")
    if not _WEB.match(value) or _SPACE.search(value):
        raise ValueError(f"'{value[:60]}' is not a valid web address")
    if not value.isascii() or "[" in value or "]" in value:
        try:  # as MkDocs will: a stray [ or ] or an odd character in the host fails here
            urllib.parse.urlsplit(value)
        except ValueError:
            raise ValueError(f"'{value[:60]}' is not a valid web address") from None
    return value


@functools.cache
def _countries() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


def check_country(value: str) -> str:
    if value not in _countries():
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. KP, KR, JP)")
    return value


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_timezone(value: str) -> str:
    if value not in _zones():
        raise ValueError(f"'{value}' is not an IANA time zone (e.g. Asia/Seoul)")
    return value


def check_time(value: str) -> str:
    m = re.fullmatch(r"([01][0-9]|2[0-3]):([0-5][0-9])", value)
    if not m:
        raise ValueError(f"'{value}' is not a local time: use HH:MM (24 h), e.g. \"05:30\"")
    return value


def check_language(value: str) -> str:
    if not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", value):
        raise ValueError(f"'{value}' is not a BCP 47 language tag (e.g. en, ko, ja, zh-Hans)")
    return value


def check_wikidata(value: str) -> str:
    if not re.fullmatch(r"Q[1-9][0-9]*", value):
        raise ValueError(f"'{value}' is not a Wikidata item id (Q followed by digits)")
    return value


def _limited(check: Callable[[str], str], max_length: int | None) -> AfterValidator:
    if max_length is None:
        return AfterValidator(check)

    def validate(value: str) -> str:
        value = check(value)
        if len(value) > max_length:
            raise ValueError(f"is {len(value)} characters long; the limit is {max_length}")
        return value

    return AfterValidator(validate)


def _schema(max_length: int | None = None, **schema: Any) -> WithJsonSchema:
    extra = {"maxLength": max_length} if max_length else {}
    return WithJsonSchema({"type": "string", **extra, **schema})


Slug = Annotated[str, _limited(check_slug, None), _schema(pattern=SLUG_PATTERN)]
Line = Annotated[str, _limited(check_line, 300), _schema(300)]
Title = Annotated[str, _limited(check_line, 150), _schema(150)]
MARKDOWN_LIMIT = 30_000
"""Characters of a Markdown field (`body`, `assessment.text`); a record file holds 32 KB at most
(`generator.content.load.MAX_BYTES`)."""
Markdown = Annotated[str, _limited(check_markdown, MARKDOWN_LIMIT), _schema(MARKDOWN_LIMIT)]
Paragraph = Annotated[str, _limited(check_paragraph, 2000), _schema(2000)]
Summary = Annotated[str, _limited(check_paragraph, 600), _schema(600)]
Url = Annotated[
    str, _limited(check_url, 2000), _schema(2000, format="uri", pattern="^[Hh][Tt][Tt][Pp][Ss]?://")
]
Country = Annotated[str, _limited(check_country, None), _schema(pattern="^[A-Z]{2}$")]
Timezone = Annotated[str, _limited(check_timezone, None), _schema()]
LocalTime = Annotated[
    str, _limited(check_time, None), _schema(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
]
Language = Annotated[str, _limited(check_language, None), _schema()]
Wikidata = Annotated[str, _limited(check_wikidata, None), _schema(pattern=r"^Q[1-9][0-9]*$")]

Date = Annotated[
    edtf.EdtfDate,
    PlainValidator(edtf.parse),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": edtf.PATTERN}),
]
Day = Annotated[
    dt.date,
    PlainValidator(edtf.parse_day),
    PlainSerializer(dt.date.isoformat, return_type=str),
    WithJsonSchema({"type": "string", "format": "date"}),
]
_DECIMAL = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")


def check_decimal(value: Any) -> Any:
    """Decimal degrees as the record reference writes them (``39.03``, ``-125.5``): Python's
    ``float`` would also take ``3_9``, ``1e1``, ``nan`` and non-ASCII digits."""
    if isinstance(value, str) and not _DECIMAL.fullmatch(value):
        raise ValueError(f"'{value}' is not a number: write decimal degrees, e.g. 39.03")
    return value


Coordinate = Annotated[float, BeforeValidator(check_decimal), WithJsonSchema({"type": "number"})]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


# -- events ----------------------------------------------------------------------------------


class Location(Record):
    """Where the event happened."""

    name: Line
    """Place name as readers know it, e.g. "Sunan area, Pyongyang"."""
    country: Country | None = None
    """ISO 3166-1 alpha-2 code of the country, e.g. KP."""
    lat: Annotated[Coordinate, Field(ge=-90, le=90)] | None = None
    """Latitude in decimal degrees (-90 to 90); give it together with lon."""
    lon: Annotated[Coordinate, Field(ge=-180, le=180)] | None = None
    """Longitude in decimal degrees (-180 to 180); give it together with lat."""
    precision: Literal["exact", "approximate", "region"] | None = None
    """How precise the coordinates are."""
    source: Slug | None = None
    """Key of the source (in this record's `sources`) the coordinates come from, such as a
    gazetteer or reference page."""


class ActorRef(Record):
    """An actor involved in the event, with its role."""

    id: Slug
    """The actor's id (its file name without .yaml)."""
    role: Line | None = None
    """A short phrase, e.g. "launched the missile", "reported the launch"."""


def _actor_ref(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


class Claim(Record):
    """What someone asserted, kept apart from what is established."""

    by: Slug
    """The actor who made the claim."""
    said: Paragraph
    """What they said, in one paragraph (attributed, in the editors' words)."""
    date: Date | None = None
    """When it was said (EDTF)."""
    sources: Annotated[list[Slug], Field(max_length=20)] = []
    """Keys of this record's sources that report the claim."""


class Assessment(Record):
    """The editors' own judgement, kept apart from the claims."""

    text: Markdown
    """The assessment (Markdown)."""
    confidence: Slug | None = None
    """An id from the vocabulary's `confidence` list (low, moderate, high)."""


class Related(Record):
    """A link to another event."""

    id: Slug
    """The other event's id."""
    relation: Slug
    """An id from the vocabulary's `relations`: this event's relation to the other one."""


class Source(Record):
    """Where the information comes from."""

    key: Slug
    """A short key, unique in this record, that claims use to cite the source."""
    publisher: Line
    """Who published it, e.g. Yonhap, KCNA, Japan Ministry of Defense."""
    title: Line
    """Title of the article, statement or document."""
    date: Date | None = None
    """Publication date (EDTF)."""
    url: Url | None = None
    """Web address (http or https only)."""
    archived_url: Url | None = None
    """Address of an archived copy."""
    author: Line | None = None
    """Author or byline."""
    language: Language | None = None
    """Language of the source (BCP 47), e.g. en, ko."""


class Update(Record):
    """One entry of the public change log."""

    date: Day
    """When the brief was changed (YYYY-MM-DD)."""
    note: Paragraph
    """What changed, in one paragraph."""


class Provenance(Record):
    """Where an imported record came from, written by `briefing import` (not by hand).

    The import finds the record again by `dataset` and `group`, rewrites only the fields in
    `owns`, and only when the imported values' `digest` changed."""

    dataset: Slug
    """The data set's id, as its mapping names it (e.g. cns-missile-tests)."""
    version: Line
    """The data set's version the values were last imported from."""
    group: Line
    """The key of the event in the data set: the rows that make this one record."""
    rows: Annotated[list[Line], Field(min_length=1, max_length=500)]
    """The keys of the data set's rows that this record was made from."""
    digest: Annotated[str, _schema(pattern="^[0-9a-f]{16}$")]
    """A digest of the imported values: the import rewrites the record only when it changes."""
    owns: Annotated[list[Line], Field(max_length=200)] = []
    """The fields the import writes (``title``, ``facts.Apogee``, ``sources.cns``); editors
    own every other field, and the import never touches them."""


class RowRef(Record):
    """A row of an open data set that a curated brief is about."""

    dataset: Slug
    """The data set's id, as its mapping names it (e.g. cns-missile-tests)."""
    row: Line
    """The row's key, as the mapping's `key` writes it (and `imported.rows` lists it), e.g.
    ``2024-06-25 20:28 (UTC) unknown``."""


class Event(Record):
    """An event brief: one file under content/events/."""

    title: Title
    """One line of plain text, at most 150 characters."""
    date: Date
    """Local date where it happened (EDTF): YYYY, YYYY-MM or YYYY-MM-DD, optionally with ~ or ?,
    or an interval A/B. The precision is part of the value."""
    time: LocalTime | None = None
    """Local time HH:MM (24 h); only with a single-day date."""
    time_approximate: bool = False
    """True when the time is approximate: it is then shown as "about HH:MM"."""
    timezone: Timezone | None = None
    """IANA time zone of the local date and time; defaults to the site setting."""
    type: Slug
    """An id from the vocabulary's `event_types`."""
    status: Slug
    """An id from the vocabulary's `statuses`."""
    summary: Summary
    """One paragraph of Markdown, at most 600 characters: used in lists, feeds and search."""
    location: Location | None = None
    """Where it happened."""
    actors: Annotated[
        list[
            Annotated[ActorRef, BeforeValidator(_actor_ref, json_schema_input_type=Slug | ActorRef)]
        ],
        Field(min_length=1, max_length=50),
    ]
    """Who was involved: actor ids, or mappings with id and role."""
    claims: Annotated[list[Claim], Field(max_length=50)] = []
    """Claims attributed to whoever made them."""
    assessment: Assessment | None = None
    """The editors' judgement and its confidence."""
    facts: Annotated[dict[Line, Line], Field(max_length=50)] = {}
    """Key facts, in order: label -> value, e.g. "Apogee: about 100 km"."""
    tags: Annotated[list[Slug], Field(max_length=30)] = []
    """Tags (lowercase slugs)."""
    related: Annotated[list[Related], Field(max_length=50)] = []
    """Links to other events; the site shows each link from both sides."""
    sources: Annotated[list[Source], Field(min_length=1, max_length=100)]
    """At least one source."""
    body: Markdown | None = None
    """Analysis (Markdown)."""
    updates: Annotated[list[Update], Field(max_length=100)] = []
    """The public change log."""
    published: Day
    """When the brief first went out (YYYY-MM-DD)."""
    former_ids: Annotated[list[Slug], Field(max_length=20)] = []
    """Ids the brief had before it was renamed: its old addresses (`briefs/<old-id>/`) lead to
    it, and links to `briefs/<old-id>.md` in records still work."""
    draft: bool = False
    """True while the brief is not ready: `briefing check` checks it, but it is published
    nowhere (`make serve` shows it with a "draft" banner); published records cannot link to it."""
    data_rows: Annotated[list[RowRef], Field(max_length=20)] = []
    """Rows of open data sets that this curated brief is about. When a mapping's `match` rule
    asks for a reference, `briefing import` matches the brief to the event those rows make: the
    brief then gains the data set as a source and its facts, and no data record is written."""
    imported: Provenance | None = None
    """Written by `briefing import`: the data set rows this brief was made from or matched
    with. Leave it as it is: it is how a re-import finds the brief and keeps editors' work."""


# -- actors ----------------------------------------------------------------------------------


class Link(Record):
    """A link shown on an actor profile."""

    label: Line
    """Link text."""
    url: Url
    """Web address (http or https only)."""


class Actor(Record):
    """An actor profile: one file under content/actors/."""

    name: Line
    """The name readers know, in English."""
    kind: Slug
    """An id from the vocabulary's `actor_kinds`."""
    summary: Summary
    """One paragraph, at most 600 characters."""
    native_name: Line | None = None
    """Name in the actor's own script, e.g. 김정은."""
    aliases: Annotated[list[Line], Field(max_length=30)] = []
    """Other names and spellings; all are searchable."""
    country: Country | None = None
    """ISO 3166-1 alpha-2 country code."""
    affiliation: Slug | None = None
    """The id of the actor this one belongs to (KCNA -> north-korea)."""
    title: Line | None = None
    """Position or office."""
    links: Annotated[list[Link], Field(max_length=30)] = []
    """Official sites and references."""
    wikidata: Wikidata | None = None
    """Wikidata item id, e.g. Q56226."""
    body: Markdown | None = None
    """Longer profile (Markdown)."""
    former_ids: Annotated[list[Slug], Field(max_length=20)] = []
    """Ids the actor had before it was renamed: its old addresses (`actors/<old-id>/`) lead to
    the profile, and links to `actors/<old-id>.md` in records still work."""
    draft: bool = False
    """True while the profile is not ready: `briefing check` checks it, but it is published
    nowhere (`make serve` shows it with a "draft" banner); published records cannot refer to it."""


# -- vocabulary ------------------------------------------------------------------------------


class Term(Record):
    """One entry of a controlled list."""

    id: Slug
    """Identifier used in records."""
    label: Line
    """Label shown to readers."""
    description: Paragraph
    """What the term means and when to use it."""


class Relation(Record):
    """A kind of link between two events, named from both ends."""

    id: Slug
    """Identifier used in records' `related`."""
    label: Line
    """Label seen from the event that declares the link, e.g. "In response to"."""
    inverse_label: Line
    """Label seen from the other event, e.g. "Prompted"."""
    description: Paragraph | None = None
    """When to use it."""


class Vocabulary(Record):
    """content/vocabulary.yaml: the controlled lists records refer to."""

    event_types: list[Term]
    """Kinds of event (`type` in events)."""
    actor_kinds: list[Term]
    """Kinds of actor (`kind` in actors)."""
    statuses: list[Term]
    """Editorial status of a brief (`status` in events)."""
    confidence: list[Term]
    """Confidence levels of assessments."""
    relations: list[Relation]
    """Relations between events (`relation` in `related`)."""
