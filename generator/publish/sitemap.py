"""The sitemap: ``/sitemap.xml`` is an index of the files that list the site's pages,
``sitemaps/1.xml``, ``sitemaps/2.xml``, … of at most `SITEMAP_LIMIT` pages each.

Browsers fetch the sitemap too: Material's bundle asks for ``sitemap.xml`` beside each
``<link rel=alternate>`` of a page (the feeds'), meant for language versions. As an index it
stays a few hundred bytes however large the site grows, so no reader downloads the list of
pages. The topic feeds are in folders of their own (``feeds/actors/``, ``feeds/tags/``): each
gets a copy of the index (`sitemap_files`' ``beside``), or every actor's and tag's page would
log a 404 in the reader's console. Crawlers read the index that robots.txt names, then each file it
lists. The sitemap protocol allows 50,000 URLs per file: a site of 50,000 events has more
pages, so the pages are cut, in the order MkDocs builds them, into numbered files. (One file per
section would not do: the briefs alone reach the limit at that size.)

Each page is at its canonical address, with its record's date as ``lastmod`` (``lastmod`` in the
generated front matter: a brief's last update, a profile's newest brief, a list's newest entry);
hand-written pages have none. The old addresses of renamed records are no MkDocs pages, and are
not listed (`generator.publish.redirects`).

The XML is in ``templates/sitemap/``. MkDocs' own sitemap is a static template of the theme:
``templates/overrides/sitemap.xml`` renders nothing, and MkDocs skips a static template whose
output is empty (with the ``sitemap.xml.gz`` it would write beside it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

SITEMAP_LIMIT = 50_000
"""Pages per file: the sitemap protocol's limit (files are also limited to 50 MB; ours stay
near 100 bytes a page)."""
INDEX = "sitemap.xml"
SITEMAPS_FOLDER = "sitemaps"
"""The files of pages, in the site folder; nothing else is written there."""
SITEMAP_WRITES = (INDEX, f"{SITEMAPS_FOLDER}/")
"""Where `sitemap_files` puts its files in the site (`generator.session.build.WRITTEN`)."""


@dataclass(frozen=True)
class SitemapUrl:
    """One page: its full address and, if it has one, its record's date (ISO 8601)."""

    loc: str
    lastmod: str | None = None


def _environment(templates: Path) -> jinja2.Environment:
    """The templates under ``templates``, every printed value escaped (for XML as for HTML)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def sitemap_files(
    urls: Sequence[SitemapUrl],
    site_url: str,
    templates: Path,
    limit: int = SITEMAP_LIMIT,
    beside: Sequence[str] = (),
) -> dict[str, str]:
    """Site file -> text: the index (`INDEX`) and the files of ``urls`` it lists, ``limit``
    pages each, and a copy of the index in each folder of ``beside`` (``feeds/tags/``: where a
    page's `<link rel=alternate>` points). ``site_url`` is the published address, ending in /."""
    env = _environment(templates)
    parts = [urls[start : start + limit] for start in range(0, max(len(urls), 1), limit)]
    out: dict[str, str] = {}
    listed = []
    for number, part in enumerate(parts, start=1):
        path = f"{SITEMAPS_FOLDER}/{number}.xml"
        out[path] = env.get_template("sitemap/urls.xml.j2").render(urls=part)
        dates = [url.lastmod for url in part if url.lastmod]
        listed.append(SitemapUrl(site_url + path, max(dates, default=None)))
    out[INDEX] = env.get_template("sitemap/index.xml.j2").render(parts=listed)
    for folder in beside:
        out[folder + INDEX] = out[INDEX]
    return out
