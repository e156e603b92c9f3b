"""Real-browser tests of what readers' browsers do: no request to another host (the map's
included: its ground is Natural Earth from the site; tests/test_basemap.py has the map with
tiles), no download of the sitemap's URL lists, the brief in print,
and screenshots of the changed views.

Screenshots go to ``test-artifacts/screenshots/`` for a human to look at.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, Response, Route, expect

from tests.browser_support import BRIEF_PATH, PAGE_TYPES, _screenshot, no_transitions, open_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path, ready", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_no_request_leaves_the_site(browser: Browser, site_url: str, path: str, ready: str) -> None:
    """Every request a page makes, recorded before the test context aborts the ones to other
    hosts: all go to the site's host, the map page's included (no tiles by default)."""
    site_host = urlsplit(site_url).netloc
    asked: list[str] = []

    def record(route: Route, request: Request) -> None:
        asked.append(request.url)
        if urlsplit(request.url).netloc == site_host:
            route.fallback()
        else:
            route.abort()

    with open_page(browser, site_url) as page:
        page.route("**/*", record)
        page.on("request", lambda request: asked.append(request.url))
        page.goto(site_url + path)
        page.locator(ready).first.wait_for()
        page.wait_for_load_state("networkidle")
        hosts = {urlsplit(url).netloc for url in asked if not url.startswith(("data:", "blob:"))}
        others = hosts - {site_host}
        assert not others, [u for u in asked if urlsplit(u).netloc != site_host]
        if path in ("/map/", "/explorer/"):
            expect(page.locator("[data-basemap]")).to_have_attribute(
                "data-basemap", "natural-earth"
            )
            expect(page.locator(".briefing-map-credit")).to_contain_text("Natural Earth")
    assert any(url.startswith(site_url + path.split("?")[0]) for url in asked)


SITEMAP_PAGES = ["home", "brief", "profile", "timeline", "search"]
SMALL = 4096
"""Bytes: the sitemap index is a few hundred; a file of URLs is tens of KB per thousand pages."""


@pytest.mark.parametrize("name", SITEMAP_PAGES)
def test_no_page_downloads_the_sitemap(browser: Browser, site_url: str, name: str) -> None:
    """Material's bundle fetches ``sitemap.xml`` (with instant navigation, on every first page
    view; and beside each ``<link rel=alternate>``, such as the feeds'). Whatever it fetches must
    stay small however large the site: the index at most, never a file of the site's URLs."""
    path, ready = PAGE_TYPES[name]
    fetched: list[tuple[str, int]] = []

    def record(response: Response) -> None:
        url = urlsplit(response.url).path
        if response.ok and "sitemap" in url and url.endswith(".xml"):
            fetched.append((url, len(response.body())))

    with open_page(browser, site_url) as page:
        page.on("response", record)
        page.goto(site_url + path)
        page.locator(ready).first.wait_for()
        page.wait_for_load_state("networkidle")
    large = [(url, size) for url, size in fetched if size > SMALL or "/sitemaps/" in url]
    assert not large, f"{path} downloaded {large}"


def test_brief_prints_source_addresses_without_navigation(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}{BRIEF_PATH}")
    page.emulate_media(media="print")
    for selector in [".md-header", ".md-tabs", ".md-sidebar--primary", ".brief-nav"]:
        hidden = page.locator(selector).first.evaluate("e => getComputedStyle(e).display")
        assert hidden == "none", selector
    # (No footer to hide: the site writes none, templates/overrides/partials/footer.html.)
    expect(page.locator(".md-footer")).to_have_count(0)
    source = page.locator(
        "xpath=//h2[@id='sources']/following::ol[1]//a[starts-with(@href, 'http')]"
    )
    assert source.count() > 0
    href = source.first.get_attribute("href")
    after = source.first.evaluate("a => getComputedStyle(a, '::after').content")
    assert after == f'" ({href})"'
    expect(page.locator("article h1")).to_be_visible()
    _screenshot(page, "brief-print")


SCREEN_VIEWS = {"brief": BRIEF_PATH, "404": "/404.html"}
VIEWPORTS: dict[str, dict[str, Any]] = {
    "1280": {"viewport": {"width": 1280, "height": 900}},
    "390": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("view", list(SCREEN_VIEWS))
def test_changed_views_screenshots(
    browser: Browser, site_url: str, view: str, width: str, scheme: str
) -> None:
    options: dict[str, Any] = {**VIEWPORTS[width], "color_scheme": scheme}
    with open_page(browser, site_url, **options) as page:
        page.goto(site_url + SCREEN_VIEWS[view])
        expected = {"light": "default", "dark": "slate"}[scheme]
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected)
        if view == "brief":
            expect(page.locator(".brief-meta .brief-updated")).to_contain_text(
                re.compile(r"^Updated \d{1,2} \w+ \d{4}$")
            )
        else:
            expect(page.locator("article h1")).to_have_text("Page not found")
            expect(
                page.get_by_role("search").get_by_label("Search briefs and actors").last
            ).to_be_visible()
        sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1] + 1, f"{sizes[0]}px wide in a {sizes[1]}px viewport"
        no_transitions(page)
        _screenshot(page, f"readers-{view}-{width}-{scheme}")
