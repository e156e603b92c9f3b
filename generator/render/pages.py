"""The page plan: every page the site generates, which template renders it, with what.

`plan` lists the pages in the order MkDocs reads them (briefs, actors, hubs, listings), each
with its template and context. Nothing is rendered here: the plan also gives the pages' paths
(for address clashes and removed pages), and `generator.site.changes` picks from it the pages an
edit can change, by their ``unit`` and ``events``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from generator.render import docs, timeline
from generator.render.chart import chart
from generator.render.page import Page
from generator.site.entries import ActorEntry, EventEntry, Site

_T = TypeVar("_T")

MAP = "map.md"
"""The map page (one of the `MAPS`)."""
EXPLORER = "explorer.md"
"""The explorer: timeline, map and list linked (templates/explorer.md.j2)."""
MAPS = (MAP, EXPLORER)
"""The pages whose policy allows the map tiles' host (`generator.adapter.plugin`)."""


@dataclass(frozen=True)
class Pager:
    """One page of a long list: the items and links to the other pages."""

    items: Sequence[Any]
    number: int
    count: int
    base: str
    """Path of page 1 without .md, e.g. ``timeline/2024``."""

    def path(self, number: int) -> str:
        return f"{self.base}.md" if number == 1 else f"{self.base}/page/{number}.md"


def paginate(items: Sequence[_T], base: str, size: int) -> list[Pager]:
    count = max(1, math.ceil(len(items) / size))
    return [Pager(items[(n - 1) * size : n * size], n, count, base) for n in range(1, count + 1)]


class Hubs:
    """What the hubs show of every event, kept from one plan to the next (`mkdocs serve`)
    while the events, their dates and their types are the same.

    The events by year (the timeline's and the briefs index's lists, the years' pages), the
    timeline overview, the home page's chart and the map's types and years are made of nothing
    else (with the vocabulary's event types): seconds at 50,000 events, again after each edit,
    though most edits change no date or type. The events are compared as objects: a patched
    Site (`generator.site.relink`) keeps them, so the overview's marks (their titles) stay current;
    a Site linked again has new ones, and everything is made again.

    The briefs' pages are kept too, by entry (a page is made of its entry and the Site alone,
    its context made when it is rendered): 50,000 pages made again for every plan took a
    fifth of a second."""

    def __init__(self) -> None:
        self.key: list[tuple[Any, ...]] | None = None
        self.made: dict[str, Any] = {}
        self.briefs: dict[EventEntry, Page] = {}

    def of(self, site: Site) -> Hubs:
        """Ready for ``site``: what was made for another set of dates and types goes."""
        key: list[tuple[Any, ...]] = [tuple(site.vocabulary.event_types)]
        key += [(e, e.record.date, e.record.type) for e in site.events]
        if key != self.key:
            self.key, self.made = key, {}
        return self

    def get(self, name: str, make: Callable[..., _T], *args: Any) -> _T:
        """``make(*args)``, made once for these dates and types."""
        if name not in self.made:
            self.made[name] = make(*args)
        return cast(_T, self.made[name])

    def brief_pages(self, site: Site) -> list[Page]:
        """The page of each brief, oldest first; those of entries gone are let go."""
        kept, self.briefs = self.briefs, {}
        for e in site.events:
            page = kept.get(e)
            if page is None:
                brief = functools.partial(_brief, site, e)
                page = Page(
                    f"briefs/{e.id}.md", "brief.md.j2", ("brief", e.id), record=e, context=brief
                )
            self.briefs[e] = page
        return list(self.briefs.values())


def plan(site: Site, page_size: int, hubs: Hubs | None = None) -> list[Page]:
    """Every page of ``site``, in the order MkDocs reads them; lists run to ``page_size``
    entries a page. ``hubs`` keeps what the hubs show of every event between plans.

    The briefs' and the hubs' contexts (a brief's timeline strip, the home page's chart...)
    are the costly part of a plan: they are made when the page is rendered, not here, so a
    plan costs next to nothing for the pages that are not (`mkdocs serve` renders a few
    dozen of 57,000 pages after an edit at 50,000 events)."""

    def context(make: Callable[..., dict[str, Any]], *args: Any) -> Callable[[], dict[str, Any]]:
        return functools.partial(make, *args)

    newest = list(reversed(site.events))
    hubs = (hubs or Hubs()).of(site)
    years = hubs.get("years", _years, newest)
    return [
        *hubs.brief_pages(site),
        *_actor_pages(site.actors, page_size),
        Page("actors/index.md", "actors.md.j2", context=context(_kinds, site)),
        Page("timeline/index.md", "timeline.md.j2", context=context(_timeline, site, years, hubs)),
        *_year_pages(years, page_size),
        Page("briefs/index.md", "briefs.md.j2", context=context(_briefs, years, newest)),
        Page("tags/index.md", "tags.md.j2"),
        Page("search.md", "search.md.j2"),
        *_tag_pages(site.tags, page_size),
        Page("data.md", "data.md.j2", context=context(_models)),
        Page(MAP, "map.md.j2", context=context(hubs.get, "map", _map, site)),
        Page(EXPLORER, "explorer.md.j2", context=context(hubs.get, "map", _map, site)),
        Page("index.md", "home.md.j2", context=context(_home, site, newest, hubs, page_size)),
    ]


def page_paths(site: Site, page_size: int) -> list[str]:
    """The path of every page `plan` lists, in its order, without what the templates get:
    enough to look for address clashes or pages that appear or go."""
    return paths(plan(site, page_size))


def paths(planned: Iterable[Page]) -> list[str]:
    return [page.path for page in planned]


def _years(events: Iterable[EventEntry]) -> dict[int, list[EventEntry]]:
    years: dict[int, list[EventEntry]] = {}
    for event in events:
        years.setdefault(event.record.date.start.year, []).append(event)
    return years


def _actor_pages(actors: Iterable[ActorEntry], size: int) -> Iterator[Page]:
    for actor in actors:
        for pager in paginate(actor.involvement, f"actors/{actor.id}", size):
            # The first page also shows the claims and the actors alongside.
            events = None if pager.number == 1 else tuple(i.event.id for i in pager.items)
            context = {"actor": actor, "pager": pager}
            yield Page(
                pager.path(pager.number), "actor.md.j2", ("actor", actor.id), events, actor, context
            )


def _year_pages(years: dict[int, list[EventEntry]], size: int) -> Iterator[Page]:
    for year, events in years.items():
        for pager in paginate(list(reversed(events)), f"timeline/{year}", size):
            ids = tuple(e.id for e in pager.items)
            context = {"year": year, "pager": pager}
            yield Page(
                pager.path(pager.number),
                "timeline_year.md.j2",
                ("year", str(year)),
                ids,
                context=context,
            )


def _tag_pages(tags: dict[str, list[EventEntry]], size: int) -> Iterator[Page]:
    for tag, events in tags.items():
        for pager in paginate(events, f"tags/{tag}", size):
            ids = tuple(e.id for e in pager.items)
            context = {"tag": tag, "pager": pager}
            yield Page(pager.path(pager.number), "tag.md.j2", ("tag", tag), ids, context=context)


def _brief(site: Site, event: EventEntry) -> dict[str, Any]:
    return {"event": event, "strip": timeline.strip(site, event)}


def _kinds(site: Site) -> dict[str, Any]:
    """The actors by kind, kinds without actors left out."""
    kinds = [
        (k, [a for a in site.actors if a.record.kind == k.id]) for k in site.vocabulary.actor_kinds
    ]
    return {"kinds": [(k, a) for k, a in kinds if a]}


def _timeline(site: Site, years: dict[int, list[EventEntry]], hubs: Hubs) -> dict[str, Any]:
    return {"years": years, "overview": hubs.get("overview", timeline.overview, site)}


def _briefs(years: dict[int, list[EventEntry]], newest: list[EventEntry]) -> dict[str, Any]:
    return {"years": years, "latest": newest[:20]}


def _models() -> dict[str, Any]:
    """The record types, for the field reference on the Data page."""
    return {
        "models": [
            {"name": m.__name__, "doc": m.__doc__ or "", "rows": docs.rows(m)} for m in docs.MODELS
        ]
    }


def _map(site: Site) -> dict[str, Any]:
    used = {e.record.type for e in site.events}
    return {
        "types": [t for t in site.vocabulary.event_types if t.id in used],
        "years": sorted({e.record.date.start.year for e in site.events}, reverse=True),
    }


def _home(site: Site, newest: list[EventEntry], hubs: Hubs, page_size: int) -> dict[str, Any]:
    """The developing stories, then the latest of the other briefs (each brief once), and the
    chart, whose bars link to their months on the years' pages."""
    developing = [e for e in newest if e.record.status == "developing"][:10]
    shown = set(developing)
    years = hubs.get("years", _years, newest)
    return {
        "latest": [e for e in newest[: len(shown) + 10] if e not in shown][:10],
        "developing": developing,
        "chart": hubs.get("chart", chart, site),
        "months": hubs.get("months", _month_pages, years, page_size),
    }


def _month_pages(years: dict[int, list[EventEntry]], size: int) -> dict[tuple[int, int], str]:
    """(year, month) -> the page of its year's list where the month's briefs start (pages of
    ``size``, as `_year_pages` cuts them; the month's heading has `month_anchor`'s id)."""
    found: dict[tuple[int, int], str] = {}
    for year, events in years.items():
        for pager in paginate(list(reversed(events)), f"timeline/{year}", size):
            for event in pager.items:
                key = (year, event.record.date.month)
                if key[1] and key not in found:
                    found[key] = pager.path(pager.number)
    return found
