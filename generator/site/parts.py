"""The search index's parts: which Pagefind bundle each searchable page goes into.

A reader's first search downloads the metadata of every page in the bundle it searches (a hash
and a word count a page, and the date sort's order), so a large site's first search grows with
it. A site with more searchable pages than `Settings.search_part_pages` is indexed in parts: the
first (`FIRST`, the bundle the search page searches) holds every actor profile and the newest
briefs; the older briefs go into archive parts of whole years each (`ARCHIVE`/<from>-<to>/),
newest first, each of at most that many pages where a single year allows. The search page
merges the archive parts when the reader asks for earlier years. A smaller site has one bundle.

The parts are planned from the records (`of_site`); a page's part is found from the year in its
search data (`year_of`), which the brief template writes from the same record.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.settings import Settings
from generator.site.entries import Site

FIRST = "pagefind"
ARCHIVE = "pagefind/parts"

_YEAR = re.compile(r'data-pagefind-filter="year:(\d+)"')


@dataclass(frozen=True)
class Part:
    """One Pagefind bundle of the search index."""

    folder: str
    """Where the bundle is, in the site: `FIRST`, or `ARCHIVE`/<from>-<to>."""
    years: tuple[int, ...]
    """Years of the briefs in it, newest first."""
    pages: int
    """Pages the records make in it (the first part: with every actor profile)."""

    @property
    def first(self) -> bool:
        return self.folder == FIRST

    @property
    def label(self) -> str:
        """Its years, as readers see them: "2019–2026", or "2024"."""
        if not self.years:
            return ""
        low, high = min(self.years), max(self.years)
        return str(low) if low == high else f"{low}–{high}"


def divide(years: Mapping[int, int], others: int, limit: int) -> list[Part]:
    """The parts for briefs counted by year (``years``) and ``others`` pages without a year
    (actor profiles), at most ``limit`` pages a part where whole years allow: the first part
    takes the others and the newest years, then archive parts the years before, newest first.
    One part (`FIRST`) when everything fits."""
    newest = sorted(years, reverse=True)
    total = others + sum(years.values())
    if total <= limit or not newest:
        return [Part(FIRST, tuple(newest), total)]
    groups: list[list[int]] = [[]]
    size = others
    for year in newest:
        # A part takes at least one year, however large.
        if groups[-1] and size + years[year] > limit:
            groups.append([])
            size = 0
        groups[-1].append(year)
        size += years[year]
    parts = [Part(FIRST, tuple(groups[0]), others + sum(years[y] for y in groups[0]))]
    for group in groups[1:]:
        folder = f"{ARCHIVE}/{min(group)}-{max(group)}"
        parts.append(Part(folder, tuple(group), sum(years[y] for y in group)))
    return parts


def of_site(site: Site, settings: Settings) -> list[Part]:
    """The parts of ``site``'s search index: its briefs by year, and its actor profiles."""
    return divide(site.years(), len(site.actors), settings.search_part_pages)


def year_of(page: str) -> int | None:
    """The year of the brief ``page`` (its HTML, with its search data); None for other pages."""
    found = _YEAR.search(page)
    return int(found[1]) if found else None


def part_for(parts: Sequence[Part], year: int | None) -> Part:
    """The part a page of ``year`` goes into: the first part unless an archive part holds that
    year."""
    if year is not None:
        for part in parts[1:]:
            if year in part.years:
                return part
    return parts[0]
