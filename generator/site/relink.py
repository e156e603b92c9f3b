"""The cross-referencing after an edit, under `mkdocs serve`: the last Site patched in place
rather than linked again from every record.

Linking 50,000 events from scratch (`generator.site.link`) makes every entry and every backlink
again, seconds of work and millions of objects for the garbage collector to scan, though an
edit changes one or two records. When the records read (`generator.content.records`, with its cache)
are those of the last Site, the same ids, the same vocabulary, `site` keeps every entry and
swaps in the changed records, then works out again only the backlinks those records reach:

- an event's actors: its involvements, the involvement lists of the actors it had and has, and
  the counts of the actors alongside each of them;
- its claims: the claims lists of the actors who made them, before and after;
- its tags: the lists of those tags (a tag no brief carries now goes, a new one comes);
- its relations: the related groups of the event, and of every event it was or is related to
  (both ways: the other's group shows it under the inverse label);
- its date and time: its place in the order of events (previous and next), and the order of
  every list above that holds it;
- an actor's name, kind and affiliation: the order of actors by name, and the members of the
  groups it left and joined.

Anything else falls back to linking from scratch: a record added, removed or renamed, a draft
published or made a draft again when drafts are left out, a vocabulary edit. The checks across
records (`generator.site.link.checked`) run on every record either way, so errors are those of a
full build. `generator.site.changes.Before` takes what the last Site showed of the changed records
before it is patched, for the units of pages to render.
"""

from __future__ import annotations

import bisect
from collections import Counter
from pathlib import Path

from generator.content.model import Relation
from generator.content.records import RecordCache
from generator.site import changes
from generator.site.entries import ActorEntry, EventEntry, Involvement, RelatedGroup, Site
from generator.site.link import Checked, checked, collecting_later, linked


def site(
    last: Site, content_dir: Path, timezone: str, cache: RecordCache, drafts: bool
) -> tuple[Site, changes.Before | None]:
    """The Site of the records under ``content_dir`` now: ``last`` patched, with what it showed
    before (`changes.Before`), or a new Site (and None) when the edit cannot be patched.
    ``last`` must have been made with the same ``timezone``, ``cache`` and ``drafts``; on
    `ContentErrors` it is left as it was."""
    with collecting_later():
        records = checked(content_dir, cache, drafts)
        edited = _edited(last, records)
        if edited is None:
            return linked(records, timezone), None
        events, actors = edited
        new = [records.events[i][1] for i in sorted(events)]
        before = changes.Before(last, events, actors, new)
        _patch(last, records, events, actors, timezone)
        return last, before


def _edited(last: Site, records: Checked) -> tuple[set[str], set[str]] | None:
    """The ids of the events and actors whose records changed, if ``last`` can be patched."""
    if (
        records.content_dir != last.content_dir
        or records.events.keys() != last.event_by_id.keys()
        or records.actors.keys() != last.actor_by_id.keys()
        or records.vocabulary != last.vocabulary
    ):
        return None
    events = {
        i
        for i, (doc, record) in records.events.items()
        if _differs(last.event_by_id[i], doc.path, record)
    }
    actors = {
        i
        for i, (doc, record) in records.actors.items()
        if _differs(last.actor_by_id[i], doc.path, record)
    }
    return events, actors


def _differs(entry: EventEntry | ActorEntry, source: Path, record: object) -> bool:
    """Unchanged files keep their record objects (`RecordCache`): only a file read again is
    compared (saved without a change, it is the same record)."""
    if entry.record is record and entry.source is source:
        return False  # (the common case: 50,000 of them, Paths slow to compare)
    return entry.source != source or (entry.record is not record and entry.record != record)


def _patch(site: Site, records: Checked, events: set[str], actors: set[str], timezone: str) -> None:
    """``site`` made the Site of ``records``: the changed records swapped in, the backlinks
    they reach worked out again."""
    site.vocabulary = records.vocabulary  # (equal; the new one, as a full build would hold)
    for actor_id in sorted(actors):
        _actor(site, records, site.actor_by_id[actor_id])
    if actors:
        site.actors.sort(key=lambda a: (a.record.name.casefold(), a.id))
    # Related groups list events on either side of a relation: the events whose groups change
    # are those related to a changed event before the edit (kept before any group changes)...
    regroup: dict[str, EventEntry] = {}
    for event_id in events:
        entry = site.event_by_id[event_id]
        regroup[event_id] = entry
        regroup.update((e.id, e) for group in entry.related for e in group.events)
    lists = _Lists()
    for event_id in sorted(events):
        entry = site.event_by_id[event_id]
        _unlink(site, entry, lists)
        doc, record = records.events[event_id]
        entry.replace(record, doc.path, timezone)
        _link_in(site, entry, lists)
    # ... and after it.
    for event_id in events:
        new = site.event_by_id[event_id].record.related
        regroup.update((r.id, site.event_by_id[r.id]) for r in new)
    changed = [site.event_by_id[i] for i in events]
    relations = {r.id: r for r in site.vocabulary.relations}
    for entry in regroup.values():
        _regroup(site, entry, changed, relations)
    lists.sort(site)
    if any(
        site.event_by_id[i] is not e for i, e in zip(site.event_by_id, site.events, strict=True)
    ):
        site.event_by_id = {e.id: e for e in site.events}  # (in the order of events, as linked)
    site.moved = records.names.moved(site)


def _actor(site: Site, records: Checked, entry: ActorEntry) -> None:
    """An actor's record swapped in: the members of the groups it left and joined, in the
    order a full link gives them (by name, then in the order of the actors' files)."""
    doc, record = records.actors[entry.id]
    before = entry.affiliation
    entry.record, entry.source = record, doc.path
    if before is not None:
        before.members.remove(entry)
    entry.affiliation = site.actor_by_id[record.affiliation] if record.affiliation else None
    if entry.affiliation is not None:
        entry.affiliation.members.append(entry)
    order = {actor_id: n for n, actor_id in enumerate(site.actor_by_id)}
    for group in {before, entry.affiliation} - {None}:
        assert group is not None
        group.members.sort(key=lambda a: (a.record.name.casefold(), order[a.id]))


class _Lists:
    """The lists an edit of events touched, put back in order once every event is patched."""

    def __init__(self) -> None:
        self.actors: dict[str, ActorEntry] = {}
        self.alongside: dict[str, Counter[str]] = {}
        self.tags: set[str] = set()

    def counts(self, actor: ActorEntry) -> Counter[str]:
        """The actors alongside ``actor``, counted (read from its list the first time)."""
        if actor.id not in self.alongside:
            self.actors[actor.id] = actor
            self.alongside[actor.id] = Counter({other.id: n for other, n in actor.alongside})
        return self.alongside[actor.id]

    def sort(self, site: Site) -> None:
        """Newest event first, as `generator.site.link._backlinks` makes them (a sort that keeps
        the order of equals: one event's claims by one actor stay in the record's order)."""
        for actor in self.actors.values():
            actor.involvement.sort(key=lambda i: i.event.sort_key, reverse=True)
            actor.claims.sort(key=lambda c: c[0].sort_key, reverse=True)
        for actor_id, counts in self.alongside.items():
            site.actor_by_id[actor_id].alongside = [
                (site.actor_by_id[other], n)
                for other, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                if n > 0
            ]
        for tag in self.tags:
            site.tags[tag].sort(key=lambda e: e.sort_key, reverse=True)
        if self.tags:  # (a tag may have come or gone: tags sorted, none without events)
            site.tags = {tag: found for tag, found in sorted(site.tags.items()) if found}


def _pairs(entry: EventEntry) -> list[tuple[str, str]]:
    ids = [ref.id for ref in entry.record.actors]
    return [(one, other) for one in ids for other in ids if one != other]


def _unlink(site: Site, entry: EventEntry, lists: _Lists) -> None:
    """The event's backlinks taken out, and the event out of the order of events."""
    for involvement in entry.actors:
        lists.counts(involvement.actor)
        involvement.actor.involvement.remove(involvement)
    for one, other in _pairs(entry):
        lists.counts(site.actor_by_id[one])[other] -= 1
    entry.actors = []
    for claim in entry.record.claims:
        actor = site.actor_by_id[claim.by]
        lists.counts(actor)
        actor.claims = [c for c in actor.claims if c[0] is not entry]
    for tag in entry.record.tags:
        site.tags[tag].remove(entry)
        lists.tags.add(tag)
    at = bisect.bisect_left(site.events, entry.sort_key, key=lambda e: e.sort_key)
    assert site.events[at] is entry
    if entry.previous is not None:
        entry.previous.next = entry.next
    if entry.next is not None:
        entry.next.previous = entry.previous
    entry.previous = entry.next = None
    del site.events[at]


def _link_in(site: Site, entry: EventEntry, lists: _Lists) -> None:
    """The event's (new) backlinks put in, and the event in its place in the order."""
    at = bisect.bisect_left(site.events, entry.sort_key, key=lambda e: e.sort_key)
    site.events.insert(at, entry)
    entry.previous = site.events[at - 1] if at > 0 else None
    entry.next = site.events[at + 1] if at + 1 < len(site.events) else None
    if entry.previous is not None:
        entry.previous.next = entry
    if entry.next is not None:
        entry.next.previous = entry
    for ref in entry.record.actors:
        involvement = Involvement(entry, site.actor_by_id[ref.id], ref.role)
        entry.actors.append(involvement)
        involvement.actor.involvement.append(involvement)
        lists.counts(involvement.actor)
    for one, other in _pairs(entry):
        lists.counts(site.actor_by_id[one])[other] += 1
    for claim in entry.record.claims:
        actor = site.actor_by_id[claim.by]
        lists.counts(actor)
        actor.claims.append((entry, claim))
    for tag in entry.record.tags:
        site.tags.setdefault(tag, []).append(entry)
        lists.tags.add(tag)


def _regroup(
    site: Site, entry: EventEntry, changed: list[EventEntry], relations: dict[str, Relation]
) -> None:
    """An event's related groups made again: its own relations, and the inverse of those of
    the events that relate to it (all in its groups already, unless they changed)."""
    by_label: dict[str, set[EventEntry]] = {}
    for rel in entry.record.related:
        label = relations[rel.relation].label
        by_label.setdefault(label, set()).add(site.event_by_id[rel.id])
    others = {e for group in entry.related for e in group.events} | set(changed)
    for other in others:
        for rel in other.record.related:
            if rel.id == entry.id and other is not entry:
                label = relations[rel.relation].inverse_label
                by_label.setdefault(label, set()).add(other)
    entry.related = [
        RelatedGroup(label, sorted(found, key=lambda e: e.sort_key))
        for label, found in sorted(by_label.items())
    ]
