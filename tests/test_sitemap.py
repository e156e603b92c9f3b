"""The sitemap (`generator.publish.sitemap`): a small index of files of at most `LIMIT` pages, which
between them list every page once, escaped. Real builds are read in test_readers.py,
test_redirects_drafts.py and test_removed.py."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.publish import sitemap
from tests.sitebuild import ROOT, SITEMAP_NS, read_sitemap

SITE = "https://example.org/site/"
TEMPLATES = ROOT / "templates"


def _urls(count: int) -> list[sitemap.SitemapUrl]:
    """``count`` pages, every third without a date (as hand-written pages are)."""
    return [
        sitemap.SitemapUrl(
            f"{SITE}briefs/{n}/", None if n % 3 == 0 else f"2024-01-{n % 28 + 1:02d}"
        )
        for n in range(count)
    ]


def _listed(files: dict[str, str]) -> list[str]:
    """The files the index names, as site paths."""
    index = ET.fromstring(files[sitemap.INDEX])
    locs = index.findall(f"{{{SITEMAP_NS}}}sitemap/{{{SITEMAP_NS}}}loc")
    return [(loc.text or "").removeprefix(SITE) for loc in locs]


def test_the_index_and_its_files_hold_every_page_once() -> None:
    urls = _urls(8)
    files = sitemap.sitemap_files(urls, SITE, TEMPLATES, limit=3)
    assert _listed(files) == ["sitemaps/1.xml", "sitemaps/2.xml", "sitemaps/3.xml"]
    assert set(files) == {sitemap.INDEX, *_listed(files)}
    found = read_sitemap(lambda rel: files[rel].encode(), SITE)
    assert found == [(url.loc, url.lastmod) for url in urls]
    assert [len(ET.fromstring(files[part])) for part in _listed(files)] == [3, 3, 2]


def test_each_file_is_dated_by_its_newest_page() -> None:
    files = sitemap.sitemap_files(_urls(6), SITE, TEMPLATES, limit=3)
    index = ET.fromstring(files[sitemap.INDEX])
    dates = [e.text for e in index.iter(f"{{{SITEMAP_NS}}}lastmod")]
    assert dates == ["2024-01-03", "2024-01-06"]  # (pages 1-2 and 4-5: 0 and 3 have none)


def test_a_file_holds_at_most_the_protocols_fifty_thousand_pages() -> None:
    assert sitemap.SITEMAP_LIMIT == 50_000
    urls = _urls(50_001)
    files = sitemap.sitemap_files(urls, SITE, TEMPLATES)
    assert _listed(files) == ["sitemaps/1.xml", "sitemaps/2.xml"]
    assert files["sitemaps/2.xml"].count("<url>") == 1
    assert read_sitemap(lambda rel: files[rel].encode(), SITE) == [
        (url.loc, url.lastmod) for url in urls
    ]
    assert len(files[sitemap.INDEX]) < 400


def test_addresses_are_escaped() -> None:
    odd = sitemap.SitemapUrl(f"{SITE}about/?a=1&b=<2>", None)
    files = sitemap.sitemap_files([odd], SITE, TEMPLATES)
    assert "&amp;b=&lt;2&gt;" in files["sitemaps/1.xml"]
    assert read_sitemap(lambda rel: files[rel].encode(), SITE) == [(odd.loc, None)]


def test_the_topic_feeds_folders_get_the_index_too() -> None:
    """Material's bundle asks for sitemap.xml beside each <link rel=alternate>: the topic feeds'
    folders have the index, so an actor's or a tag's page asks for nothing missing."""
    files = sitemap.sitemap_files(
        _urls(4), SITE, TEMPLATES, beside=("feeds/actors/", "feeds/tags/")
    )
    assert files["feeds/actors/sitemap.xml"] == files["feeds/tags/sitemap.xml"]
    assert files["feeds/tags/sitemap.xml"] == files[sitemap.INDEX]
    assert set(files) == {sitemap.INDEX, "feeds/actors/sitemap.xml", "feeds/tags/sitemap.xml"} | {
        *_listed(files)
    }
