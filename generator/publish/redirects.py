"""The old addresses of renamed records: a small page at each, sending readers on.

A record's ``former_ids`` keep its old pages working (``briefs/<former-id>/``,
``actors/<former-id>/``): each is a file of its own, written with the open data and feeds, that
refreshes to the new page at once and names it as canonical. MkDocs never sees these files, so
they are in no list, in no sitemap and (without ``data-pagefind-body``) not in search. They hold
no script, as the site's Content-Security-Policy wants, and no record text but the title.
"""

from __future__ import annotations

import html
import posixpath

from generator.settings import Settings
from generator.site import addresses
from generator.site.entries import Site

PAGE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<title>{title}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{canonical}">
<meta http-equiv="refresh" content="0; url={href}">
</head>
<body>
<p>This page has moved to <a href="{href}">{title}</a>.</p>
</body>
</html>
"""


def sources(site: Site) -> list[str]:
    """The old pages, as the ``.md`` paths MkDocs would give them (for address clashes)."""
    return [f"{old}.md" for old in site.moved]


def _url(dest: str, directory_urls: bool) -> str:
    """A page's URL path from its site file (``briefs/x/index.html`` -> ``briefs/x/``)."""
    return dest.removesuffix("index.html") if directory_urls else dest


def _title(site: Site, page: str) -> str:
    kind, record_id = page.split("/")
    if kind == "briefs":
        return site.event_by_id[record_id].record.title
    return site.actor_by_id[record_id].record.name


def pages(site: Site, settings: Settings) -> dict[str, str]:
    """Site file (``briefs/<former-id>/index.html``) -> its HTML."""
    out = {}
    urls = settings.directory_urls
    for old, new in site.moved.items():
        here = addresses.destination(f"{old}.md", urls)
        there = addresses.destination(f"{new}.md", urls)
        href = posixpath.relpath(there, posixpath.dirname(here))
        if urls:
            href = href.removesuffix("index.html")
        canonical = settings.site_url + _url(there, urls) if settings.site_url else href
        out[here] = PAGE.format(
            title=html.escape(_title(site, new)),
            canonical=html.escape(canonical),
            href=html.escape(href),
        )
    return out
