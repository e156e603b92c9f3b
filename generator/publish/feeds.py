"""Atom feeds: /feed.xml (newest briefs), /updates.xml (newest change-log entries), and one feed
of briefs per actor (/feeds/actors/<id>.xml) and per tag (/feeds/tags/<tag>.xml).

Record text in a feed is plain text (titles, names through `safe.text`; `plain` for Markdown
fields), which feedgen escapes as XML: never the records' HTML, and never a character XML cannot
hold.

Every date comes from the records, never from the clock, so the same content gives the same feed.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable

from feedgen.feed import FeedGenerator

from generator.content import safe
from generator.render.jinja import plain
from generator.settings import Settings
from generator.site.entries import EventEntry, Site
from generator.site.memo import ByName

BRIEFS = "feed.xml"
UPDATES = "updates.xml"
FEEDS_FOLDER = "feeds"
"""Where the topic feeds go in the site."""
FEED_WRITES = (BRIEFS, UPDATES, f"{FEEDS_FOLDER}/")
"""Every feed's place in the site (`generator.session.build.WRITTEN`)."""

FEED_LIMIT = 50
"""Entries of the site's own feeds (feed.xml, updates.xml): the newest."""
TOPIC_LIMIT = 20
"""Entries of an actor's or a tag's feed: the newest, as a reader polling it needs (a feed reader
keeps what it has read; the profile or tag page lists every brief). At 50 they were 0.9 KB of
the site per event, at 20 0.6 KB."""


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _feed(settings: Settings, path: str, title: str, updated: dt.date | None) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(f"{settings.site_url}{path}")
    feed.title(safe.text(title))
    feed.link(href=f"{settings.site_url}{path}", rel="self")
    feed.link(href=settings.site_url, rel="alternate")
    feed.language("en")
    feed.generator("briefing")
    feed.author({"name": settings.site_name})
    feed.updated(_moment(updated or dt.date(1970, 1, 1)))
    return feed


def _entry_common(
    feed: FeedGenerator, event: EventEntry, settings: Settings, site: Site, anchor: str = ""
) -> object:
    """An entry linking to the brief (at ``anchor``, an element id on it, if given)."""
    entry = feed.add_entry(order="append")
    url = f"{settings.site_url}briefs/{event.id}/"
    entry.link(href=f"{url}#{anchor}" if anchor else url)
    entry.summary(plain(event.record.summary))
    for label in (site.term("event_types", event.record.type).label, *event.record.tags):
        entry.category(term=safe.text(label))
    return entry


def _newest_first(events: Iterable[EventEntry]) -> list[EventEntry]:
    """By the day each was published, newest first (then by date; ``sort_key`` ends with the
    id, so no two events tie)."""
    return sorted(events, key=lambda e: (e.record.published, e.sort_key), reverse=True)


_EVENT = operator.attrgetter("event")


class _Newest:
    """The newest of any of the site's events, from one sort of them all: a sort per actor and
    tag made its key 300,000 times at 50,000 events (half a second of every edit under serve)."""

    def __init__(self, site: Site) -> None:
        self.order = _newest_first(site.events)
        self.place = {id(e): n for n, e in enumerate(self.order)}
        """By the entry object (held in `order`): ``id`` and a dict's lookup, mapped without a
        Python function call per event."""

    def of(self, events: Iterable[EventEntry], limit: int) -> list[EventEntry]:
        places = sorted(map(self.place.__getitem__, map(id, events)))
        return [self.order[n] for n in places[:limit]]


_MADE = ByName()
"""The last topic feed made at each path, with its key and records. `mkdocs serve` keeps the
records of unchanged files as the same objects, so after an edit only the feeds that list an
edited record are made again (feedgen's time for every feed grows with the site: see
tests/benchmarks/README.md)."""


def _topic(
    site: Site, settings: Settings, path: str, title: str, events: list[EventEntry]
) -> bytes:
    records = tuple(e.record for e in events)
    labels = tuple(site.term("event_types", r.type).label for r in records)
    key = (title, settings, labels, tuple(e.id for e in events))
    return _MADE.get(path, key, records, lambda: _briefs(site, settings, path, title, events))


def _briefs(
    site: Site, settings: Settings, path: str, title: str, events: list[EventEntry]
) -> bytes:
    """A feed of ``events`` (newest first), one entry per brief."""
    updated = max((e.last_updated for e in events), default=None)
    feed = _feed(settings, path, title, updated)
    for event in events:
        entry = _entry_common(feed, event, settings, site)
        entry.id(f"{settings.site_url}briefs/{event.id}/")  # type: ignore[attr-defined]
        entry.title(safe.text(event.record.title))  # type: ignore[attr-defined]
        entry.published(_moment(event.record.published))  # type: ignore[attr-defined]
        entry.updated(_moment(event.last_updated))  # type: ignore[attr-defined]
    return bytes(feed.atom_str(pretty=False))


def briefs_feed(site: Site, settings: Settings) -> bytes:
    newest = _newest_first(site.events)[:FEED_LIMIT]
    return _briefs(site, settings, BRIEFS, f"{settings.site_name}: briefs", newest)


TOPIC_FOLDERS = (f"{FEEDS_FOLDER}/actors/", f"{FEEDS_FOLDER}/tags/")
"""Where the topic feeds are (`topic_feeds`)."""


def topic_feeds(site: Site, settings: Settings) -> dict[str, bytes]:
    """One feed per actor (the briefs it is involved in) and per tag, by path in the site
    (``feeds/actors/<id>.xml``, ``feeds/tags/<tag>.xml``; actor pages and tag pages link to them).
    """
    out: dict[str, bytes] = {}
    newest = _Newest(site)
    for actor in site.actors:
        path = f"{TOPIC_FOLDERS[0]}{actor.id}.xml"
        title = f"{settings.site_name}: {actor.record.name}"
        events = newest.of(map(_EVENT, actor.involvement), TOPIC_LIMIT)
        out[path] = _topic(site, settings, path, title, events)
    for tag, events in site.tags.items():
        path = f"{TOPIC_FOLDERS[1]}{tag}.xml"
        title = f"{settings.site_name}: briefs tagged {tag}"
        out[path] = _topic(site, settings, path, title, newest.of(events, TOPIC_LIMIT))
    return out


def updates_feed(site: Site, settings: Settings) -> bytes:
    entries = [
        (update.date, event, index, update)
        for event in site.events
        for index, update in enumerate(event.record.updates, 1)
    ]
    entries.sort(key=lambda item: (item[0], item[1].sort_key, item[2]), reverse=True)
    entries = entries[:FEED_LIMIT]
    feed = _feed(
        settings,
        UPDATES,
        f"{settings.site_name}: updates",
        entries[0][0] if entries else None,
    )
    for day, event, index, update in entries:
        # The brief's Updates list gives each entry this id (templates/brief.md.j2).
        anchor = f"update-{index}"
        entry = _entry_common(feed, event, settings, site, anchor)
        entry.id(f"{settings.site_url}briefs/{event.id}/#{anchor}")  # type: ignore[attr-defined]
        entry.title(safe.text(f"Updated: {event.record.title}"))  # type: ignore[attr-defined]
        entry.summary(plain(update.note))  # type: ignore[attr-defined]
        entry.published(_moment(day))  # type: ignore[attr-defined]
        entry.updated(_moment(day))  # type: ignore[attr-defined]
    return bytes(feed.atom_str(pretty=False))
