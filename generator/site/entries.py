"""The shared types: the Site and its entries, as every stage after the linking reads them.

`generator.site.link` makes them from the records; `generator.site.relink` patches them in
place after an edit; nothing else changes them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.content import model
from generator.content.model import Actor, Claim, Event, Vocabulary

NEIGHBOURS = 3
"""Briefs shown on each side of a brief in its strip."""


@dataclass(eq=False, repr=False)
class ActorEntry:
    """An actor with everything the site knows about it."""

    id: str
    source: Path
    record: Actor
    affiliation: ActorEntry | None = None
    members: list[ActorEntry] = field(default_factory=list)
    involvement: list[Involvement] = field(default_factory=list)
    """Events the actor took part in, newest first."""
    claims: list[tuple[EventEntry, Claim]] = field(default_factory=list)
    """Claims the actor made, newest event first."""
    alongside: list[tuple[ActorEntry, int]] = field(default_factory=list)
    """Actors most often involved in the same events, with counts."""

    def __repr__(self) -> str:
        return f"ActorEntry({self.id!r})"


@dataclass(eq=False, repr=False)
class Involvement:
    event: EventEntry
    actor: ActorEntry
    role: str | None


@dataclass(eq=False, repr=False)
class RelatedGroup:
    label: str
    events: list[EventEntry]


@dataclass(eq=False, repr=False)
class EventEntry:
    """An event with its resolved actors and relations in both directions."""

    id: str
    source: Path
    record: Event
    timezone: str
    actors: list[Involvement] = field(default_factory=list)
    related: list[RelatedGroup] = field(default_factory=list)
    previous: EventEntry | None = None
    next: EventEntry | None = None

    @functools.cached_property
    def sort_key(self) -> tuple[Any, ...]:
        return (*self.record.date.sort_key, self.record.time or "", self.id)

    def __repr__(self) -> str:
        return f"EventEntry({self.id!r})"

    @functools.cached_property
    def last_updated(self) -> dt.date:
        """The version date: the newest change-log entry, else first publication. (Every hub
        shows the newest of all events': kept, as ``sort_key`` is, until the record changes.)"""
        return max([self.record.published, *(u.date for u in self.record.updates)])

    def replace(self, record: Event, source: Path, timezone: str) -> None:
        """The entry's record edited (`generator.site.relink`): what is kept of the old one goes."""
        self.record, self.source, self.timezone = record, source, record.timezone or timezone
        self.__dict__.pop("sort_key", None)
        self.__dict__.pop("last_updated", None)


@dataclass(eq=False, repr=False)
class Site:
    """The whole content model, cross-referenced."""

    content_dir: Path
    vocabulary: Vocabulary
    events: list[EventEntry]
    """All events, oldest first."""
    actors: list[ActorEntry]
    """All actors, by name."""
    event_by_id: dict[str, EventEntry]
    actor_by_id: dict[str, ActorEntry]
    tags: dict[str, list[EventEntry]]
    """Events by tag, newest first; tags sorted."""
    moved: dict[str, str] = field(default_factory=dict)
    """Renamed records' old pages: ``briefs/<former-id>`` -> ``briefs/<id>`` (and actors/)."""

    def __repr__(self) -> str:
        return f"Site({len(self.events)} events, {len(self.actors)} actors)"

    def unlink(self) -> None:
        """Undo the cross-references, once this process is done with the Site.

        Entries refer to each other in cycles (an event's previous and next, an actor's
        involvement and the event's actors), which only a full pass of the cyclic garbage
        collector frees: at 10,000 events, one pass of 1.4 s over everything the process holds.
        Without them, the records go as soon as the last reference to the Site does."""
        for event in self.events:
            event.previous = event.next = None
            event.actors, event.related = [], []
        for actor in self.actors:
            actor.affiliation = None
            actor.members, actor.involvement, actor.claims, actor.alongside = [], [], [], []

    def in_year(self, year: int) -> list[EventEntry]:
        """The events whose date starts in ``year``, oldest first: together in ``events``,
        which are in order of their first day, so found by bisection."""
        start = bisect.bisect_left(self.events, year, key=_year)
        return self.events[start : bisect.bisect_right(self.events, year, lo=start, key=_year)]

    def years(self) -> dict[int, int]:
        """How many events start in each year, oldest year first (a bisection a year)."""
        counts, start = {}, 0
        while start < len(self.events):
            year = _year(self.events[start])
            end = bisect.bisect_right(self.events, year, lo=start, key=_year)
            counts[year], start = end - start, end
        return counts

    def term(self, kind: str, term_id: str) -> model.Term:
        terms: list[model.Term] = getattr(self.vocabulary, kind)
        return next(t for t in terms if t.id == term_id)


def _year(event: EventEntry) -> int:
    return event.record.date.start.year


def neighbours(event: EventEntry, count: int = NEIGHBOURS) -> list[EventEntry]:
    """``event`` with up to ``count`` briefs before and after it, in order."""
    before: list[EventEntry] = []
    after: list[EventEntry] = []
    node = event.previous
    while node is not None and len(before) < count:
        before.append(node)
        node = node.previous
    node = event.next
    while node is not None and len(after) < count:
        after.append(node)
        node = node.next
    return [*reversed(before), event, *after]
