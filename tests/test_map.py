"""The map page (/map/) in a real browser: markers, popups, filters, reached from another
page, axe.

Also the timeline and search pages reached by links from other pages, on this module's site.

The shipped site is built once for this module and served on an ephemeral port of 127.0.0.1;
every other request is aborted (none is made: the map's ground is Natural Earth from the site,
see tests/test_basemap.py): the tests look at markers, popups and links. Chromium, its skip rule (a loud skip, or a failure when
``BRIEFING_REQUIRE_BROWSER=1``) and the session's browser come from tests/browser_support.py.

Each scenario saves a screenshot to ``test-artifacts/screenshots/map-*.png``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from generator.site.link import build_site
from tests.browser_support import (
    SCREENSHOTS,
    _heading,
    _QuietHandler,
    _serious_violations,
    no_transitions,
    open_page,
)
from tests.conftest import EVENT, write_tree
from tests.sitebuild import ROOT, config_for, mkdocs_build

pytestmark = pytest.mark.browser

# A title that is also HTML: on the map it must stay text.
HOSTILE_TITLE = '<img src="x" onerror="window.mapInjected = 1"> Launch & <b>test</b>'


# --------------------------------------------------------------------------- the site


@dataclass(frozen=True)
class ServedSite:
    url: str
    """http://127.0.0.1:<port>, without a trailing slash."""
    folder: Path
    """The built site."""

    def features(self) -> list[dict[str, Any]]:
        data = json.loads((self.folder / "data" / "events.geojson").read_text(encoding="utf-8"))
        assert data["type"] == "FeatureCollection"
        features: list[dict[str, Any]] = data["features"]
        return features


@contextlib.contextmanager
def _built_and_served(folder: Path, content: Path) -> Iterator[ServedSite]:
    """Build ``content`` with the shipped configuration, served at its own ``site_url``.

    The port is taken first and the site is built for it, so that the addresses the pages
    give in full (canonical links, the sitemap) lead back to this site.
    """
    site = folder / "site"
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        config = config_for(folder, content)
        settings = yaml.safe_load(config.read_text(encoding="utf-8"))
        settings["site_url"] = f"{url}/"
        config.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), "utf-8")
        result = mkdocs_build(config, site)
        assert result.returncode == 0, result.stderr
        # (The one warning: its site_url is the test server's, a local address.)
        warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
        assert len(warnings) == 1 and "a local address" in warnings[0], result.stderr
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield ServedSite(url, site)
        finally:
            server.shutdown()
            thread.join(timeout=5)
    finally:
        server.server_close()


@pytest.fixture(scope="module")
def shipped(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The shipped content, built once for this module (without Chromium: skipped first)."""
    with _built_and_served(tmp_path_factory.mktemp("map-site"), ROOT / "content") as site:
        yield site


@functools.cache
def _located_in_content() -> dict[str, str]:
    """Event id -> title, for every event of the shipped content with lat and lon."""
    site = build_site(ROOT / "content")
    return {
        event.id: event.record.title
        for event in site.events
        if event.record.location is not None
        and event.record.location.lat is not None
        and event.record.location.lon is not None
    }


def _sample() -> list[tuple[str, str]]:
    """Located events to open one by one: every brief the editors wrote, and every 20th data
    record (the data records are alike, and those of one facility may share a title: only
    events whose title is theirs alone can be found by it)."""
    located = _located_in_content()
    shared = Counter(located.values())
    unique = [(i, t) for i, t in sorted(located.items()) if shared[t] == 1]
    data = {e.id for e in build_site(ROOT / "content").events if e.record.status == "data-record"}
    return [x for x in unique if x[0] not in data] + [x for x in unique if x[0] in data][::20]


# --------------------------------------------------------------------------- the browser


def _page(
    browser: Browser, site: ServedSite, **options: Any
) -> contextlib.AbstractContextManager[Page]:
    """A fresh page in its own context that reaches ``site`` only; fails on uncaught errors."""
    return open_page(browser, site.url, **{"color_scheme": "light", **options})


# --------------------------------------------------------------------------- page helpers


def _screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"map-{name}.png"), full_page=full_page)


def _open_map(page: Page, site: ServedSite) -> None:
    page.goto(f"{site.url}/map/")
    expect(page.locator("#map")).to_have_attribute("data-ready", "true")


def _visible_ids(page: Page) -> list[str]:
    ids = page.evaluate("() => window.briefingMap.visibleIds()")
    assert isinstance(ids, list)
    return sorted(str(i) for i in ids)


def _count_text(count: int) -> str:
    return f"{count} event{'' if count == 1 else 's'} shown"


# Events drawn on the map, counted in the page: single markers plus the numbers on the clusters.
_DRAWN = """() => {
  const pane = document.querySelector(".leaflet-marker-pane");
  if (!pane) return -1;
  let drawn = pane.querySelectorAll(".leaflet-marker-icon:not(.marker-cluster)").length;
  for (const cluster of pane.querySelectorAll(".marker-cluster")) {
    drawn += Number.parseInt(cluster.textContent, 10) || 0;
  }
  return drawn;
}"""


def _markers_on_map(page: Page) -> int:
    """Events drawn on the map: single markers plus the numbers on the cluster icons."""
    pane = page.locator(".leaflet-marker-pane")
    singles = pane.locator(".leaflet-marker-icon:not(.marker-cluster)").count()
    clustered = 0
    for text in pane.locator(".marker-cluster").all_text_contents():
        number = re.match(r"\s*(\d+)", text)
        assert number, f"a cluster icon without a number: {text!r}"
        clustered += int(number.group(1))
    return singles + clustered


def _assert_shown(page: Page, expected: list[str]) -> None:
    """The map shows exactly ``expected`` (ids), in the hook, the count, the list and the DOM."""
    assert _visible_ids(page) == sorted(expected)
    expect(page.locator("#map-count")).to_have_text(_count_text(len(expected)))
    expect(page.locator("#map-list li")).to_have_count(len(expected))
    # Markercluster redraws after its animations: wait (checking on every animation frame) until
    # the page draws as many as expected, then count again here for a readable failure.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            f"expected => ({_DRAWN})() === expected",
            arg=len(expected),
            polling="raf",
            timeout=5000,
        )
    drawn = _markers_on_map(page)
    assert drawn == len(expected), (
        f"{len(expected)} events drawn on the map (single markers plus cluster numbers), not {drawn}"
    )


def _reveal(page: Page, event_id: str) -> None:
    """Zoom (and spiderfy) until the event's marker is on screen."""
    revealed = page.evaluate("id => window.briefingMap.reveal(id)", event_id)
    assert revealed is True, f"could not bring {event_id} into view"


# True once no Leaflet zoom or markercluster animation has run for three animation frames in a
# row. One frame is not enough: Leaflet starts its zoom animation a frame after the click, and
# markercluster starts its own a frame after the zoom ends.
_SETTLED = """() => {
  const moving = document.querySelector(".leaflet-zoom-anim, .leaflet-cluster-anim");
  window.briefingTestStillFrames = moving ? 0 : (window.briefingTestStillFrames || 0) + 1;
  return window.briefingTestStillFrames >= 3;
}"""


def _wait_for_animations(page: Page) -> None:
    page.evaluate("() => { window.briefingTestStillFrames = 0; }")
    page.wait_for_function(_SETTLED, polling="raf")


# --------------------------------------------------------------------------- scenarios


def test_one_marker_per_located_event(browser: Browser, shipped: ServedSite) -> None:
    located = sorted(_located_in_content())
    in_data = sorted(str(f["id"]) for f in shipped.features())
    assert in_data == located
    assert len(located) >= 3, "the shipped content should have several events with coordinates"

    with _page(browser, shipped) as page:
        _open_map(page, shipped)
        _assert_shown(page, located)
        expect(page.locator("#map")).to_have_attribute("aria-label", re.compile(r"\S"))
        expect(page.locator("#map-filters")).to_be_visible()
        attribution = page.locator(".leaflet-control-attribution")
        expect(attribution).to_contain_text("Natural Earth")
        expect(attribution.locator("a[href='https://www.naturalearthdata.com/']")).to_be_visible()
        expect(page.locator(".briefing-map-credit")).to_contain_text("Natural Earth")
        data_link = page.locator("article a[href$='data/events.geojson']").first
        assert data_link.evaluate("a => a.pathname") == "/data/events.geojson"
        box = page.locator("#map").bounding_box()
        assert box is not None and box["width"] > 600 and box["height"] > 250
        # Drawn with Leaflet's stylesheet (panes stacked, not a page of unstyled images), and
        # clipped so that a focused marker cannot scroll the map (see map.css).
        pane = page.locator("#map .leaflet-map-pane")
        assert pane.evaluate("p => getComputedStyle(p).position") == "absolute"
        assert page.locator("#map").evaluate("m => getComputedStyle(m).overflow") == "clip"
        _screenshot(page, "all")


def _tab(page: Page, name: str) -> None:
    if name in ("Map", "Timeline"):  # (no tabs of their own: the explorer links to them)
        _tab(page, "Explorer")
        link = "the map of every located event" if name == "Map" else "timeline"
        page.locator("article").get_by_role("link", name=link, exact=True).click()
        return
    page.locator(".md-tabs__link", has_text=re.compile(rf"^\s*{name}\s*$")).click()


def test_map_tab_from_another_page(browser: Browser, shipped: ServedSite) -> None:
    """The Map tab is a plain link (no instant navigation: see mkdocs.yml): the map page loads
    whole and sets itself up, on the second visit as on the first."""
    located = sorted(_located_in_content())

    with _page(browser, shipped) as page:
        page.goto(f"{shipped.url}/")
        for visit in range(2):  # there and back again: the second map starts afresh
            page.evaluate("() => { window.mapTestEarlierPage = true }")
            _tab(page, "Map")
            page.wait_for_url("**/map/")
            expect(page.locator("#map")).to_have_attribute("data-ready", "true")
            assert page.evaluate("() => window.mapTestEarlierPage") is None, (
                "the Map tab was expected to load the page as a link does"
            )
            _assert_shown(page, located)
            expect(page.locator(".leaflet-container")).to_have_count(1)
            if visit == 0:
                _screenshot(page, "from-home")
                _tab(page, "Home")
                page.wait_for_url(f"{shipped.url}/")
                expect(page.locator("#map")).to_have_count(0)


def test_timeline_and_search_reached_by_links(browser: Browser, shipped: ServedSite) -> None:
    """The other page scripts (ES modules, run once per document) set up the page they load
    with, reached by a link from another page, and again on a second visit (from the browser's
    cache); the back button returns to a working page."""
    with _page(browser, shipped) as page:
        page.goto(f"{shipped.url}/")
        for _visit in range(2):
            _tab(page, "Timeline")
            page.wait_for_url("**/timeline/")
            expect(page.locator("[data-timeline-lanes]")).to_have_attribute("data-ready", "true")
            page.locator("article a[href$='2024/']").first.click()
            page.wait_for_url("**/timeline/2024/")
            expect(page.locator("[data-timeline-filters]")).to_be_visible()
            expect(page.locator(".timeline-filters__count")).to_contain_text("events shown")
            _tab(page, "Search")
            page.wait_for_url("**/search/")
            expect(page.locator("#briefing-search")).to_have_attribute("data-ready", "true")
            page.fill("#briefing-search-input", "missile")
            expect(page.locator(".briefing-search__result").first).to_be_visible()
            page.go_back()
            page.wait_for_url("**/timeline/2024/")
            expect(page.locator(".timeline-filters__count")).to_contain_text("events shown")
            _tab(page, "Home")
            page.wait_for_url(f"{shipped.url}/")
        expect(page.locator(".briefing-header-search--in-bar")).to_have_count(1)


def test_marker_popup_links_to_brief(browser: Browser, shipped: ServedSite) -> None:
    features = {str(f["id"]): f["properties"] for f in shipped.features()}

    with _page(browser, shipped) as page:
        for number, (event_id, title) in enumerate(_sample()):
            properties = features[event_id]
            _open_map(page, shipped)
            _reveal(page, event_id)
            marker = page.get_by_role("button", name=title, exact=True)
            expect(marker).to_be_visible()
            marker.click()
            popup = page.locator(".leaflet-popup")
            expect(popup).to_be_visible()
            link = popup.get_by_role("link", name=title, exact=True)
            expect(link).to_be_visible()
            expect(popup).to_contain_text(properties["date_display"])
            expect(popup).to_contain_text(properties["type_label"])
            assert link.evaluate("a => a.pathname") == f"/briefs/{event_id}/"
            if number == 0:
                expect(popup).to_have_css("opacity", "1")  # faded in
                _screenshot(page, "popup", full_page=False)
            link.click()
            page.wait_for_url(f"**/briefs/{event_id}/")
            expect(page.locator("article h1")).to_have_text(_heading(title))


def test_clicking_clusters_zooms_in_to_markers(browser: Browser, shipped: ServedSite) -> None:
    """A reader's way in, without the test hook: click a cluster until its markers show."""
    titles = set(_located_in_content().values())

    with _page(browser, shipped) as page:
        _open_map(page, shipped)
        pane = page.locator(".leaflet-marker-pane")
        clusters = pane.locator(".marker-cluster")
        singles = pane.locator(".leaflet-marker-icon:not(.marker-cluster)")

        def single_titles() -> Counter[str]:  # (data records of one place may share a title)
            return Counter(str(singles.nth(i).get_attribute("alt")) for i in range(singles.count()))

        assert clusters.count() >= 1, "the shipped events at one place start as a cluster"
        expect(clusters.first).to_have_attribute("role", "button")
        expect(clusters.first).to_have_accessible_name(re.compile(r"^\d+ events$"))
        before = single_titles()
        size = min(int(text.split()[0]) for text in clusters.all_inner_texts())
        for _ in range(8):  # zoom in (markercluster zooms to the cluster), then spiderfy
            numbers = [int(text.split()[0]) for text in clusters.all_inner_texts()]
            clusters.nth(numbers.index(min(numbers))).click()
            _wait_for_animations(page)
            if (single_titles() - before).total() >= size:
                break
        opened = single_titles() - before
        assert opened.total() >= size, f"expected the {size} markers of the cluster, found {opened}"
        assert set(opened) <= titles
        _screenshot(page, "cluster-opened", full_page=False)


def test_filters(browser: Browser, shipped: ServedSite) -> None:
    features = [f["properties"] for f in shipped.features()]
    every = sorted(str(p["id"]) for p in features)
    per_type = Counter(str(p["type"]) for p in features)
    site = build_site(ROOT / "content")
    types = [
        t for t in site.vocabulary.event_types if any(e.record.type == t.id for e in site.events)
    ]
    years = sorted({e.record.date.start.year for e in site.events}, reverse=True)

    with _page(browser, shipped) as page:
        _open_map(page, shipped)
        _assert_shown(page, every)
        boxes = page.locator("#map-filters input[type=checkbox][name=type]")
        expect(boxes).to_have_count(len(types))
        for term in types:
            # Labelled, with how many located events have the type.
            box = page.get_by_role(
                "checkbox", name=f"{term.label} ({per_type[term.id]})", exact=True
            )
            expect(box).to_be_checked()
            box.uncheck()
            _assert_shown(page, [str(p["id"]) for p in features if p["type"] != term.id])
            if per_type[term.id]:
                _screenshot(page, "filtered-type", full_page=False)
            box.check()
            _assert_shown(page, every)

        # Only one type: exactly its events.
        only = next(t for t in types if per_type[t.id])
        for term in types:
            if term.id != only.id:
                page.locator(f"#map-filters input[name=type][value='{term.id}']").uncheck()
        _assert_shown(page, [str(p["id"]) for p in features if p["type"] == only.id])
        page.get_by_role("button", name="Show all").click()
        _assert_shown(page, every)

        year = page.get_by_label("Year")
        options = year.locator("option")
        assert options.all_inner_texts() == ["All years", *map(str, years)]
        for value in years:
            year.select_option(str(value))
            _assert_shown(page, [str(p["id"]) for p in features if p["year"] == value])
            _screenshot(page, f"year-{value}", full_page=False)
        year.select_option("")
        _assert_shown(page, every)

        # Both filters at once, then nothing matching, then back to everything.
        year.select_option(str(years[0]))
        page.locator(f"#map-filters input[name=type][value='{only.id}']").uncheck()
        _assert_shown(
            page,
            [str(p["id"]) for p in features if p["year"] == years[0] and p["type"] != only.id],
        )
        for term in types:
            page.locator(f"#map-filters input[name=type][value='{term.id}']").uncheck()
        _assert_shown(page, [])
        page.get_by_role("button", name="Show all").click()
        _assert_shown(page, every)
        expect(year).to_have_value("")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_accessibility(browser: Browser, shipped: ServedSite, scheme: str) -> None:
    event_id, title = sorted(_located_in_content().items())[-1]

    with _page(browser, shipped, color_scheme=scheme) as page:
        _open_map(page, shipped)
        expected_scheme = {"light": "default", "dark": "slate"}[scheme]
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected_scheme)
        # The form, the map, its controls and an open popup are all checked.
        _reveal(page, event_id)
        page.get_by_role("button", name=title, exact=True).click()
        expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
        no_transitions(page)
        violations = _serious_violations(page)
        _screenshot(page, f"a11y-{scheme}", full_page=False)
    assert not violations, "\n".join(violations)


def test_mobile_has_no_horizontal_overflow(browser: Browser, shipped: ServedSite) -> None:
    with _page(
        browser,
        shipped,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    ) as page:
        _open_map(page, shipped)
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[1] == 390
        assert width[0] <= width[1] + 1, f"page is {width[0]}px wide in a {width[1]}px viewport"
        box = page.locator("#map").bounding_box()
        assert box is not None and box["height"] > 200
        _screenshot(page, "mobile")


def test_without_javascript_points_to_the_data(browser: Browser, shipped: ServedSite) -> None:
    """No script: no empty map or dead controls, and a way to the same events instead."""
    with _page(browser, shipped, java_script_enabled=False) as page:
        page.goto(f"{shipped.url}/map/")
        for hidden in ("#map", "#map-filters", "#map-count", "#map-list"):
            expect(page.locator(hidden)).to_be_hidden()
        fallback = page.locator(".briefing-map p").filter(has_text="needs JavaScript")
        expect(fallback).to_be_visible()
        data = fallback.locator("a[href$='data/events.geojson']")
        assert data.evaluate("a => a.pathname") == "/data/events.geojson"
        assert fallback.locator("a[href*='timeline']").evaluate("a => a.pathname") == "/timeline/"
        _screenshot(page, "no-javascript")


def test_record_text_stays_text(browser: Browser, tmp_path: Path) -> None:
    """A title that looks like HTML shows as text, in the marker, the popup and the list."""
    event = EVENT.replace("title: Suspected ballistic missile launch", f"title: '{HOSTILE_TITLE}'")
    assert HOSTILE_TITLE in event
    content = write_tree(tmp_path / "content", {"launch": event})
    with _built_and_served(tmp_path, content) as site:
        assert [f["properties"]["title"] for f in site.features()] == [HOSTILE_TITLE]

        with _page(browser, site) as page:
            _open_map(page, site)
            _assert_shown(page, ["launch"])
            marker = page.get_by_role("button", name=HOSTILE_TITLE, exact=True)
            marker.click()
            popup = page.locator(".leaflet-popup")
            expect(popup.get_by_role("link", name=HOSTILE_TITLE, exact=True)).to_be_visible()
            expect(page.locator("#map-list li a")).to_have_text(HOSTILE_TITLE)
            assert popup.locator("img, b").count() == 0
            assert page.locator("#map-list img, #map-list b").count() == 0
            assert page.evaluate("() => window.mapInjected") is None
            expect(popup).to_have_css("opacity", "1")
            _screenshot(page, "hostile-title", full_page=False)
