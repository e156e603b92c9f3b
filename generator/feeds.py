"""Atom feeds: /feed.xml (newest briefs) and /updates.xml (newest change-log entries).

Every date comes from the records, never from the clock, so the same content gives the same feed.
"""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator

from generator.link import EventEntry, Site
from generator.render import plain
from generator.settings import Settings

LIMIT = 50


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _feed(settings: Settings, path: str, title: str, updated: dt.date | None) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(f"{settings.site_url}{path}")
    feed.title(title)
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
        entry.category(term=label)
    return entry


def briefs_feed(site: Site, settings: Settings) -> bytes:
    newest = sorted(site.events, key=lambda e: (e.record.published, e.sort_key), reverse=True)[
        :LIMIT
    ]
    updated = max((e.last_updated for e in newest), default=None)
    feed = _feed(settings, "feed.xml", f"{settings.site_name}: briefs", updated)
    for event in newest:
        entry = _entry_common(feed, event, settings, site)
        entry.id(f"{settings.site_url}briefs/{event.id}/")  # type: ignore[attr-defined]
        entry.title(event.record.title)  # type: ignore[attr-defined]
        entry.published(_moment(event.record.published))  # type: ignore[attr-defined]
        entry.updated(_moment(event.last_updated))  # type: ignore[attr-defined]
    return bytes(feed.atom_str(pretty=True))


def updates_feed(site: Site, settings: Settings) -> bytes:
    entries = [
        (update.date, event, index, update)
        for event in site.events
        for index, update in enumerate(event.record.updates, 1)
    ]
    entries.sort(key=lambda item: (item[0], item[1].sort_key, item[2]), reverse=True)
    entries = entries[:LIMIT]
    feed = _feed(
        settings,
        "updates.xml",
        f"{settings.site_name}: updates",
        entries[0][0] if entries else None,
    )
    for day, event, index, update in entries:
        # The brief's Updates list gives each entry this id (templates/brief.md.j2).
        anchor = f"update-{index}"
        entry = _entry_common(feed, event, settings, site, anchor)
        entry.id(f"{settings.site_url}briefs/{event.id}/#{anchor}")  # type: ignore[attr-defined]
        entry.title(f"Updated: {event.record.title}")  # type: ignore[attr-defined]
        entry.summary(plain(update.note))  # type: ignore[attr-defined]
        entry.published(_moment(day))  # type: ignore[attr-defined]
        entry.updated(_moment(day))  # type: ignore[attr-defined]
    return bytes(feed.atom_str(pretty=True))
