"""The editorial lint: the methodology's mechanical rules, checked on a linked ``Site``.

Each rule is declared once in ``RULES`` with its text, its reason and whether it holds for
data records (briefs imported from an open data set, not assessed by the editors); the
Methodology page lists them from there (``make docs``), and every warning names its rule.
``briefing check`` prints the warnings; ``briefing check --strict`` fails on them.

The checks read typed records only. Positions are looked up in the record's file only for
records that have a warning, so a clean content tree costs no second read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator.content import edtf
from generator.content.errors import ContentError, Loc, display_path, field_path
from generator.content.load import Document, load_file
from generator.site.entries import EventEntry, Site


@dataclass(frozen=True)
class Rule:
    """One mechanical rule of the methodology."""

    id: str
    """Short name, printed with every warning."""
    text: str
    """The rule, as the Methodology page states it (Markdown, one paragraph)."""
    why: str
    """The reason, printed with every warning."""
    data_records: bool = True
    """Whether the rule holds for data records (status `data-record`) too. Rules about claims
    and assessments do not: they check editorial judgement, which a data record does not hold
    (`data-record-unassessed`); rules about sources, dates and coordinates do."""


CLAIM_DATED = Rule(
    "claim-dated",
    "Every claim carries the date on which it was made (`claims[].date`).",
    "a claim is an assertion made at a point in time, and readers need that time to weigh it",
    data_records=False,
)
CLAIM_SOURCED = Rule(
    "claim-sourced",
    "Every claim cites at least one of the record's sources (`claims[].sources`).",
    "a claim that points to no source cannot be checked",
    data_records=False,
)
CLAIMANT_ACTOR = Rule(
    "claimant-actor",
    "Whoever makes a claim is listed among the event's `actors`.",
    "the brief's list of actors must show everyone whose words it reports",
    data_records=False,
)
FIGURE_SOURCE = Rule(
    "figure-source",
    "Every figure in `facts` names its source in brackets after it, as in `about 10 (JCS)`; "
    "values holding several figures separate them with `;`, each with its own source. The "
    "bracket names one of the event's actors (by name or alias) or the publisher of one of "
    "its sources. A figure is any number other than a date, a year, a time of day, an "
    "ordinal (`74th`) or part of a name or designation (`DDG-97`, `KN-25`, `Article 4`, "
    "`Carrier Air Wing 11`).",
    "figures differ between sources; the site gives each with its source and never picks one "
    "silently",
)
CONFIDENCE_SOURCES = Rule(
    "confidence-sources",
    "An assessment's confidence is no higher than its independent sources allow: `moderate` "
    "needs at least two and `high` at least three; with a single source it is `low`. Sources "
    "from the same origin count once: the same publisher, or the same agency named in "
    "brackets (`Newsmax (Reuters)` and `Al Arabiya English (Reuters)` are one origin). A "
    "source cited only for the coordinates does not count.",
    "the confidence levels are defined by the number of sources behind the judgement",
    data_records=False,
)
LATER_FACTS_UPDATED = Rule(
    "later-facts-updated",
    "A date later than `published`, whether a claim's or a source's date or a date written in "
    "the summary, facts, assessment or body (`9 June`, `4 December 2024`; a date without a "
    "year takes the event's year), is covered by an `updates` entry dated on or after it.",
    "facts that arrived after publication mean the brief changed, and every change is "
    "recorded in the change log",
)
COORDINATES_SOURCED = Rule(
    "coordinates-sourced",
    "An event with coordinates names the source they come from (`location.source`, a key of "
    "its `sources`, such as a gazetteer or reference page).",
    "coordinates are facts like any other and need a source that can be checked",
)
COORDINATES_PRECISION = Rule(
    "coordinates-precision",
    "An event with coordinates states their precision (`location.precision`: exact, "
    "approximate or region).",
    "a map marker looks exact unless the brief says how precise it is",
)
DATA_RECORD = "data-record"
"""The status of a brief imported from an open data set and not assessed by the editors."""
DATA_RECORD_UNASSESSED = Rule(
    "data-record-unassessed",
    "A data record (status `data-record`, written by `briefing import` from an open data set) "
    "holds no claims and no assessment. Its facts name the data set in brackets, as every "
    "figure must, and its coordinates name their source. An editor who adds claims or an "
    "assessment curates the brief: its status becomes an editorial one (`developing`, "
    "`confirmed` or `disputed`), and every rule then applies to it.",
    "readers must be able to tell an editorial judgement from a data set's entry at a glance",
)

RULES: tuple[Rule, ...] = (
    CLAIM_DATED,
    CLAIM_SOURCED,
    CLAIMANT_ACTOR,
    FIGURE_SOURCE,
    CONFIDENCE_SOURCES,
    LATER_FACTS_UPDATED,
    COORDINATES_SOURCED,
    COORDINATES_PRECISION,
    DATA_RECORD_UNASSESSED,
)
MIN_SOURCES = {"low": 1, "moderate": 2, "high": 3}
"""Independent sources needed for each confidence level (levels not listed need one)."""


@dataclass(frozen=True, order=True)
class EditorialWarning:
    """One breach of one rule, at the position of the value concerned."""

    path: str
    line: int
    column: int
    field: str
    message: str
    rule: str
    why: str

    def __str__(self) -> str:
        where = ContentError(self.path, self.line, self.column, self.field, self.message)
        return f"{where} ({self.rule}: {self.why})"


@dataclass(frozen=True)
class _Finding:
    loc: Loc
    rule: Rule
    message: str


# -- reading figures and dates in text -------------------------------------------------------

_MONTH = "|".join(edtf.MONTHS[1:])
_NOT_FIGURES = re.compile(
    r"\b\d{4}-\d{2}(?:-\d{2})?\b"  # ISO dates
    r"|\b\d{1,2}:\d{2}\b"  # times of day
    rf"|\b\d{{1,2}}(?:\s*(?:–|-|to|and)\s*\d{{1,2}})?\s+(?:{_MONTH})\b"  # days of a month
    r"|\b(?:1[89]|20)\d{2}\b"  # years
    r"|\b\d+(?:st|nd|rd|th)\b"  # ordinals
    r"|\b(?:Article|Articles|Resolution|No\.|Group|Wing|Fleet)\s+\d+"  # names with numbers
    r"|[A-Za-z][A-Za-z/]*-\d[\w.-]*"  # designations: DDG-97, KN-25, F/A-18, Hwasong-11Da-4.5
)
_DIGIT = re.compile(r"\d")
_BRACKETS = re.compile(r"\(([^()]*)\)")
_MONTHS = {name: number for number, name in enumerate(edtf.MONTHS) if name}
_DAY = re.compile(
    rf"\b(?:\d{{1,2}}\s*(?:–|-|to|and)\s*)?(\d{{1,2}})\s+({_MONTH})\b(?:,?\s+(\d{{4}}))?"
    rf"|\b({_MONTH})\s+(\d{{4}})\b"
    r"|\b(\d{4})-(\d{2})-(\d{2})\b"
)


def figures(value: str) -> list[str]:
    """The parts of a fact value (split at ``;``) that hold a figure."""
    return [part.strip() for part in value.split(";") if _DIGIT.search(_NOT_FIGURES.sub(" ", part))]


def dates_in(text: str, year: int) -> Iterator[dt.date]:
    """Calendar days written in ``text``: ``9 June``, ``4 December 2024``, ``2024-06-26``.

    A day without a year takes ``year``; a month with a year (``July 2000``) means its first day.
    """
    if not _DIGIT.search(text):  # (each form has one; most texts, none: a far shorter scan)
        return
    for m in _DAY.finditer(text):
        try:
            if m[1]:
                yield dt.date(int(m[3] or year), _MONTHS[m[2]], int(m[1]))
            elif m[4]:
                yield dt.date(int(m[5]), _MONTHS[m[4]], 1)
            else:
                yield dt.date(int(m[6]), int(m[7]), int(m[8]))
        except ValueError:  # 31 June: not a date, nothing to check
            continue


def _origin(publisher: str) -> str:
    """``Newsmax (Reuters)`` -> ``reuters``; ``The Korea Herald`` -> ``korea herald``."""
    inner = _BRACKETS.findall(publisher)
    name = inner[-1] if inner else publisher
    return re.sub(r"^the\s+", "", name.strip().casefold())


def _names(site: Site, entry: EventEntry) -> list[str]:
    """Names a bracket may use to name a source: actors' names and aliases, publishers."""
    names: list[str] = []
    for ref in entry.record.actors:
        actor = site.actor_by_id[ref.id].record
        names += [actor.name, *actor.aliases]
    for source in entry.record.sources:
        names += [source.publisher, *_BRACKETS.findall(source.publisher)]
        names.append(_BRACKETS.sub("", source.publisher).strip())
    return [n for n in names if n]


def _names_one(bracket: str, names: list[str]) -> bool:
    """Whether ``bracket`` holds one of ``names`` as whole words (no letter, digit or ``_``
    right before or after it). Plain string search: a regular expression for each of the
    thousands of names would be compiled again and again (Python caches 512)."""
    if bracket in names:  # (the usual case: just the name)
        return True
    for name in names:
        at = bracket.find(name)
        while at >= 0:
            end = at + len(name)
            if not (_word(bracket, at - 1) or _word(bracket, end)):
                return True
            at = bracket.find(name, at + 1)
    return False


def _word(text: str, at: int) -> bool:
    """Whether ``text[at]`` is a word character (as ``\\w`` means it); False off either end."""
    return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")


# -- the checks ------------------------------------------------------------------------------


def _claims(site: Site, entry: EventEntry) -> Iterator[_Finding]:
    actors = {ref.id for ref in entry.record.actors}
    for i, claim in enumerate(entry.record.claims):
        if claim.date is None:
            yield _Finding(("claims", i), CLAIM_DATED, "the claim has no date")
        if not claim.sources:
            yield _Finding(("claims", i), CLAIM_SOURCED, "the claim cites no source")
        if claim.by not in actors:
            yield _Finding(
                ("claims", i, "by"),
                CLAIMANT_ACTOR,
                f"'{claim.by}' makes a claim but is not among the event's actors",
            )


def _facts(site: Site, entry: EventEntry) -> Iterator[_Finding]:
    names = _names(site, entry)
    for label, value in entry.record.facts.items():
        for part in figures(value):
            brackets = _BRACKETS.findall(part)
            if not brackets:
                yield _Finding(
                    ("facts", label), FIGURE_SOURCE, f"'{part}' gives a figure without its source"
                )
            elif not any(_names_one(bracket, names) for bracket in brackets):
                yield _Finding(
                    ("facts", label),
                    FIGURE_SOURCE,
                    f"'{part}' names no source in brackets that is one of the event's actors "
                    "or the publisher of one of its sources",
                )


def _confidence(site: Site, entry: EventEntry) -> Iterator[_Finding]:
    record = entry.record
    if record.assessment is None or record.assessment.confidence is None:
        return
    level = record.assessment.confidence
    cited = {key for claim in record.claims for key in claim.sources}
    coordinates = record.location.source if record.location else None
    origins = {
        _origin(s.publisher) for s in record.sources if s.key != coordinates or s.key in cited
    }
    needed = MIN_SOURCES.get(level, 1)
    if len(origins) < needed:
        yield _Finding(
            ("assessment", "confidence"),
            CONFIDENCE_SOURCES,
            f"'{level}' needs at least {needed} independent sources; "
            f"this record has {len(origins)}",
        )


def _later_facts(site: Site, entry: EventEntry) -> Iterator[_Finding]:
    record = entry.record
    updated = max((u.date for u in record.updates), default=None)
    year = record.date.first.year

    def check(loc: Loc, day: dt.date, what: str) -> Iterator[_Finding]:
        if day > record.published and (updated is None or updated < day):
            yield _Finding(
                loc,
                LATER_FACTS_UPDATED,
                f"{what} {day.isoformat()}, later than published ({record.published}), "
                "and no updates entry is dated on or after it",
            )

    for i, claim in enumerate(record.claims):
        if claim.date is not None:
            yield from check(("claims", i, "date"), claim.date.first, "is dated")
    for i, source in enumerate(record.sources):
        if source.date is not None:
            yield from check(("sources", i, "date"), source.date.first, "is dated")
    texts: list[tuple[Loc, str | None]] = [(("summary",), record.summary)]
    texts += [(("facts", label), value) for label, value in record.facts.items()]
    if record.assessment is not None:
        texts.append((("assessment", "text"), record.assessment.text))
    texts.append((("body",), record.body))
    for loc, text in texts:
        latest = max(dates_in(text or "", year), default=None)
        if latest is not None:
            yield from check(loc, latest, "mentions")


def _coordinates(site: Site, entry: EventEntry) -> Iterator[_Finding]:
    where = entry.record.location
    if where is None or where.lat is None:
        return
    if where.source is None:
        yield _Finding(
            ("location",), COORDINATES_SOURCED, "the coordinates name no source (location.source)"
        )
    if where.precision is None:
        yield _Finding(
            ("location",),
            COORDINATES_PRECISION,
            "the coordinates state no precision (location.precision)",
        )


def _data_record(site: Site, entry: EventEntry) -> Iterator[_Finding]:
    record = entry.record
    if record.status != DATA_RECORD:
        return
    if record.claims:
        yield _Finding(
            ("claims",), DATA_RECORD_UNASSESSED, "a data record holds claims: curate it first"
        )
    if record.assessment is not None:
        yield _Finding(
            ("assessment",),
            DATA_RECORD_UNASSESSED,
            "a data record holds an assessment: curate it first",
        )


CHECKS: tuple[Callable[[Site, EventEntry], Iterator[_Finding]], ...] = (
    _claims,
    _facts,
    _confidence,
    _later_facts,
    _coordinates,
    _data_record,
)


def lint(site: Site) -> list[EditorialWarning]:
    """Every editorial warning for the site's events, sorted by file and position."""
    warnings: list[EditorialWarning] = []
    for entry in site.events:
        findings = [f for check in CHECKS for f in check(site, entry)]
        if entry.record.status == DATA_RECORD:
            findings = [f for f in findings if f.rule.data_records]
        if not findings:
            continue
        doc: Document = load_file(entry.source, display_path(entry.source))
        for finding in findings:
            line, column = doc.position(finding.loc)
            warnings.append(
                EditorialWarning(
                    doc.display,
                    line,
                    column,
                    field_path(finding.loc),
                    finding.message,
                    finding.rule.id,
                    finding.rule.why,
                )
            )
    return sorted(set(warnings))
