"""Which generated pages an edit can change: the incremental part of `mkdocs serve`.

Pages are grouped in *units*: one brief, one actor (all its pages), one timeline year, one tag.
Hubs (home, indexes, map, search, data) belong to no unit and are always rendered. Comparing the
Site before and after an edit gives the units whose text may differ; everything else is left as
it was on disk. A listing unit (actor, year, tag) whose list of events kept its order is narrowed
to the events that changed, ``("tag", name, event id)``: only the pages of the listing that show
those events are rendered (and an actor's first page, which also shows its claims and the actors
it appears alongside). What a page shows, and so what it depends on:

- a brief: its record, the names of its actors and claimants, the titles and dates of its
  related, previous and next briefs, and the titles, dates and types of the briefs in its
  timeline strip (`generator.site.entries.neighbours`);
- an actor: its record, its affiliation's and members' names, the titles and dates of the events
  it is involved in or made claims on, and the names of the actors it appears alongside;
- a timeline year or a tag: title, date, type, status, summary and actor names of its events.

A vocabulary or template change can touch any page: then everything is rendered again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from generator.content.model import Event
from generator.settings import Settings
from generator.site import entries
from generator.site.entries import ActorEntry, EventEntry, Site

Unit = tuple[str, ...]
"""("brief", id), ("actor", id), ("year", "2024") or ("tag", name): every page of the unit;
("actor", id, event id), ("year", "2024", event id) or ("tag", name, event id): its pages that
list that event."""
Entry = TypeVar("Entry", EventEntry, ActorEntry)


def _changed(old: Mapping[str, Entry], new: Mapping[str, Entry]) -> set[str]:
    """Ids added, removed or edited (unchanged files keep their record object when cached)."""
    changed = set(old.keys() ^ new.keys())
    for key in old.keys() & new.keys():
        before, after = old[key].record, new[key].record
        if before is not after and before != after:
            changed.add(key)
    return changed


def _event_units(event: EventEntry) -> Iterable[Unit]:
    """Units whose pages show something of ``event``."""
    yield ("brief", event.id)
    # Its previous and next briefs, and the briefs whose timeline strip shows it.
    for neighbour in entries.neighbours(event):
        yield ("brief", neighbour.id)
    for group in event.related:
        for other in group.events:
            yield ("brief", other.id)
    for involvement in event.actors:
        yield ("actor", involvement.actor.id)
    for claim in event.record.claims:
        yield ("actor", claim.by)
    yield ("year", str(event.record.date.start.year))
    for tag in event.record.tags:
        yield ("tag", tag)


def _actor_events(actor: ActorEntry) -> Iterable[EventEntry]:
    """Events whose pages or entries show the actor's name."""
    yield from (i.event for i in actor.involvement)
    yield from (event for event, _ in actor.claims)


def _actor_units(actor: ActorEntry) -> Iterable[Unit]:
    yield ("actor", actor.id)
    if actor.affiliation is not None:
        yield ("actor", actor.affiliation.id)
    for other in actor.members:
        yield ("actor", other.id)
    # The actors it appears alongside are involved in its events: _event_units adds them.


def affected(old: Site, new: Site) -> set[Unit] | None:
    """Units to render again after the content went from ``old`` to ``new`` (None: all)."""
    if old.vocabulary != new.vocabulary:
        return None
    events = _changed(old.event_by_id, new.event_by_id)
    actors = _changed(old.actor_by_id, new.actor_by_id)
    return Before(old, events, actors).units(new)


class Before:
    """The side of an edit's units seen before it: what the last Site showed of the records
    the edit changed (``events``, ``actors``: ids), and the lists of events its listing units
    held. `units` adds the side seen after it.

    Taken apart from the new Site because `mkdocs serve` patches the last Site into the new one
    (`generator.site.relink`): by then the old side is gone. ``records``, the changed events' new
    records, name the listing units the edit may add (an actor newly involved, a new tag), whose
    old lists are kept too."""

    def __init__(
        self,
        old: Site,
        events: set[str],
        actors: set[str],
        records: Iterable[Event] | None = None,
    ) -> None:
        self.old, self.events, self.actors = old, events, actors
        self.shown, self.listed = _units(old, events, actors)
        self.patched = records is not None
        """``old`` is to be patched into the new Site: only the lists kept here tell its state."""
        self.lists: dict[Unit, list[str] | None] = {}
        for unit in [*self.listed, *(u for r in records or () for u in _record_listings(r))]:
            if self.patched and unit not in self.lists:
                self.lists[unit] = _listing(old, unit)

    def units(self, new: Site) -> set[Unit]:
        """Units to render again, now that the content is ``new``."""
        units, listed = _units(new, self.events, self.actors)
        units |= self.shown
        for unit, ids in self.listed.items():
            listed.setdefault(unit, set()).update(ids)
        for unit, ids in listed.items():
            if unit in units:
                continue
            if unit in self.lists:
                before = self.lists[unit]
            else:  # (not foreseen: the whole unit, unless the old Site is still there)
                before = None if self.patched else _listing(self.old, unit)
            if before is not None and before == _listing(new, unit):
                units.update((*unit, event_id) for event_id in ids)
            else:
                units.add(unit)
        return units


def _units(
    site: Site, events: set[str], actors: set[str]
) -> tuple[set[Unit], dict[Unit, set[str]]]:
    """In ``site``, the units showing something of the ``events`` and ``actors`` (ids): whole
    ones, and listing units with the events they list."""
    units: set[Unit] = set()
    shown = set(events)
    for actor_id in actors:
        actor = site.actor_by_id.get(actor_id)
        if actor is not None:
            units.update(_actor_units(actor))
            shown.update(e.id for e in _actor_events(actor))
    listed: dict[Unit, set[str]] = {}
    for event_id in shown:
        event = site.event_by_id.get(event_id)
        if event is not None:
            for unit in _event_units(event):
                if unit[0] == "brief":
                    units.add(unit)
                else:
                    listed.setdefault(unit, set()).add(event_id)
    return units, listed


def _record_listings(record: Event) -> Iterable[Unit]:
    """The listing units an event with ``record`` is in (as `_event_units` gives them)."""
    yield from (("actor", ref.id) for ref in record.actors)
    yield from (("actor", claim.by) for claim in record.claims)
    yield ("year", str(record.date.start.year))
    yield from (("tag", tag) for tag in record.tags)


def _listing(site: Site, unit: Unit) -> list[str] | None:
    """The events an actor, year or tag lists, in order (None: there is no such unit)."""
    kind, key = unit
    if kind == "actor":
        actor = site.actor_by_id.get(key)
        return None if actor is None else [i.event.id for i in actor.involvement]
    if kind == "tag":
        return [e.id for e in site.tags[key]] if key in site.tags else None
    return [e.id for e in site.in_year(int(key))] or None


Stamp = tuple[tuple[str, int, int], ...]
"""The templates' files with their modification times and sizes."""


def stamp(templates: Path) -> Stamp:
    stats = ((p, p.stat()) for p in sorted(templates.rglob("*.j2")))
    return tuple((str(p), s.st_mtime_ns, s.st_size) for p, s in stats)


@dataclass(frozen=True)
class Generated:
    """What the cache folder holds after a build: the Site and settings it was rendered from."""

    site: Site
    settings: Settings
    templates: Stamp
    paths: frozenset[str]


def since(
    before: Generated | None, site: Site, settings: Settings, templates: Stamp
) -> set[Unit] | None:
    """Units to render after the build ``before`` (serving), for ``site``; None: every page.
    Only an edit of records can leave pages as they were: not one of settings or templates."""
    if before is None or before.settings != settings or before.templates != templates:
        return None
    return affected(before.site, site)


class Wanted:
    """Whether a page is to be rendered, given the ``units`` to render (None: all)."""

    def __init__(self, units: set[Unit] | None) -> None:
        self.units = units
        self.narrowed = {u[:2] for u in units or () if len(u) > 2}

    def __call__(self, unit: Unit | None, events: Iterable[str] | None) -> bool:
        """For a page of ``unit`` (None: a hub) listing ``events`` (None: something of each
        event of the unit)."""
        if unit is None or self.units is None or unit in self.units:
            return True
        if events is None:
            return unit in self.narrowed
        return any((*unit, event) in self.units for event in events)
