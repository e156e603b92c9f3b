"""The map's ground (templates/overrides/assets/map/basemap.js) and the briefs' links to their
place on the explorer.

- tools/basemap.py, which cuts the detailed files out of world-atlas: on a small topology of
  our own, and the files it wrote into the vendor folder.
- In Chromium, on the shipped site: no page (home, a brief, the timeline, the map) asks any host
  but the site; the map draws Natural Earth's land, coasts and borders and names the countries,
  readable in both palettes, at 390 and 1280 px. With ``map_tiles`` set, tiles come from that
  host and no other, the basemap's files are not fetched, and the tiles are credited.
- Every brief with coordinates links to ``explorer/?event=<id>``; a brief without none.

Screenshots: ``test-artifacts/screenshots/basemap-*.png``.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, Request, Route, expect

from generator.publish import csp
from tests.browser_support import SCREENSHOTS, _screenshot, open_page, serve
from tests.conftest import FIXTURE
from tests.sitebuild import ROOT, config_for, mkdocs_build
from tools import basemap

VENDOR = ROOT / "templates/overrides/assets/vendor"
ATLAS = VENDOR / "world-atlas"
MAP_READY = '#map[data-basemap="natural-earth"]'


# --------------------------------------------------------------------------- tools/basemap.py


def _topology() -> dict[str, Any]:
    """Three countries: A and B share arc 1, B and C share arc 3; arcs 0, 2, 4 are coasts."""
    arcs = [
        [[0, 0], [1, 0]],
        [[1, 0], [0, 1]],
        [[1, 1], [1, 0]],
        [[2, 1], [0, 1]],
        [[5, 5], [1, 1]],
    ]

    def country(name: str, rings: list[list[int]]) -> dict[str, Any]:
        return {"type": "Polygon", "arcs": rings, "properties": {"name": name}}

    return {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    country("A", [[0, 1]]),
                    country("B", [[~1, 2, 3]]),
                    country("C", [[~3, 4]]),
                ],
            }
        },
        "arcs": arcs,
    }


def test_subset_keeps_the_named_countries_and_only_their_arcs() -> None:
    cut = basemap.subset(_topology(), ("B", "C"))
    geometries = cut["objects"]["countries"]["geometries"]
    assert [g["properties"]["name"] for g in geometries] == ["B", "C"]
    # Arcs 1, 2, 3, 4 of the source, in order of first use, renumbered 0..3; reversals kept.
    assert cut["arcs"] == [_topology()["arcs"][i] for i in (1, 2, 3, 4)]
    assert [g["arcs"] for g in geometries] == [[[~0, 1, 2]], [[~2, 3]]]
    assert cut["transform"] == _topology()["transform"]
    # Coasts: arcs of one country in the whole atlas (2, 4); borders: shared (A|B: 1, B|C: 3).
    assert cut["objects"]["coast"]["arcs"] == [[1], [3]]
    assert cut["objects"]["borders"]["arcs"] == [[0], [2]]


def test_a_border_with_a_finer_file_is_left_to_that_file() -> None:
    cut = basemap.subset(_topology(), ("B",), finer=("C",))
    assert cut["objects"]["borders"]["arcs"] == [[0]]  # (A|B only: B|C is C's file's)


def test_an_unknown_country_is_an_error() -> None:
    with pytest.raises(ValueError, match="not in the atlas: Atlantis"):
        basemap.subset(_topology(), ("B", "Atlantis"))


def test_a_tarball_other_than_the_pinned_one_is_refused(tmp_path: Path) -> None:
    tarball = tmp_path / "world-atlas-2.0.2.tgz"
    tarball.write_bytes(b"not the package")
    with pytest.raises(ValueError, match="sha256"):
        basemap.write(tarball, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [tarball.name]


def test_the_vendored_files_are_what_tools_basemap_writes() -> None:
    """Each detail file holds exactly its `DETAIL` countries with their coasts and borders; no
    country is in two of them; the README gives each file's true size."""
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    seen: list[str] = []
    for resolution, names in basemap.DETAIL.items():
        path = ATLAS / basemap.detail_name(resolution)
        topology = json.loads(path.read_text(encoding="utf-8"))
        countries = [
            g["properties"]["name"] for g in topology["objects"]["countries"]["geometries"]
        ]
        assert sorted(countries) == sorted(names), path.name
        assert topology["objects"]["coast"]["arcs"], path.name
        assert topology["objects"]["borders"]["arcs"], path.name
        seen += countries
        assert f"`{path.name}`" in readme
        assert f"{path.stat().st_size:,}" in readme, f"{path.name}: size in the README"
    assert len(seen) == len(set(seen))
    world = json.loads((ATLAS / basemap.WORLD).read_text(encoding="utf-8"))
    in_world = {g["properties"]["name"] for g in world["objects"]["countries"]["geometries"]}
    assert set(seen) <= in_world
    assert f"{(ATLAS / basemap.WORLD).stat().st_size:,}" in readme
    assert basemap.SHA256 in readme


# --------------------------------------------------------------------------- in the browser


def _record_requests(page: Page, site_url: str, tiles: str = "") -> list[str]:
    """Every URL ``page`` asks; the site's go through, ``tiles``'s host gets a small PNG, and
    any other host is refused (after being recorded)."""
    asked: list[str] = []
    site_host = urlsplit(site_url).netloc

    def answer(route: Route, request: Request) -> None:
        asked.append(request.url)
        host = urlsplit(request.url).netloc
        if host == site_host:
            route.fallback()
        elif tiles and host == tiles:
            route.fulfill(status=200, content_type="image/png", body=PNG)
        else:
            route.abort()

    page.route("**/*", answer)
    return asked


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _others(asked: list[str], site_url: str) -> list[str]:
    site_host = urlsplit(site_url).netloc
    return [
        u for u in asked if not u.startswith(("data:", "blob:")) and urlsplit(u).netloc != site_host
    ]


PAGES = {
    "home": ("/", "article h1"),
    "brief": ("/briefs/2024-06-19-putin-visits-pyongyang/", ".key-facts table"),
    "timeline": ("/timeline/", "article h1"),
    "map": ("/map/", MAP_READY),
}


@pytest.mark.browser
@pytest.mark.parametrize("path, ready", PAGES.values(), ids=PAGES.keys())
def test_no_page_asks_another_host(browser: Browser, site_url: str, path: str, ready: str) -> None:
    """By default (no ``map_tiles``) no request leaves the site, the map's included."""
    with open_page(browser, site_url) as page:
        asked = _record_requests(page, site_url)
        page.goto(site_url + path)
        page.locator(ready).first.wait_for()
        page.wait_for_load_state("networkidle")
        assert not _others(asked, site_url)
    assert any(u.startswith(site_url + path) for u in asked)
    if path == "/map/":
        fetched = {u.rsplit("/", 1)[1] for u in asked if "/vendor/world-atlas/" in u}
        assert fetched == {
            basemap.WORLD,
            *(basemap.detail_name(r) for r in basemap.DETAIL),
        }
        assert any(u.endswith("/vendor/topojson-client/topojson-client.min.js") for u in asked)


def _luminance(colour: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", colour)[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    light, dark = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _drawn(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        """() => {
      const paths = (name) => [...document.querySelectorAll(`#map path.${name}`)]
        .filter((p) => (p.getAttribute("d") || "").length > 20);
      const land = paths("briefing-basemap-land");
      const style = (node, name) => node ? getComputedStyle(node)[name] : "";
      const box = document.getElementById("map").getBoundingClientRect();
      const labels = [...document.querySelectorAll("#map .briefing-basemap-label span")]
        .filter((s) => {
          const r = s.getBoundingClientRect();
          return r.width > 0 && r.left >= box.left && r.right <= box.right
            && r.top >= box.top && r.bottom <= box.bottom;
        });
      return {
        land: land.length,
        coast: paths("briefing-basemap-coast").length,
        borders: paths("briefing-basemap-border").length,
        labels: labels.map((s) => s.textContent),
        markerLike: document.querySelectorAll(".leaflet-marker-icon.briefing-basemap-label").length,
        landFill: style(land[0], "fill"),
        sea: style(document.getElementById("map"), "backgroundColor"),
        labelColour: style(labels[0], "color"),
        scrollWidth: document.documentElement.scrollWidth,
        attribution: document.querySelector(".leaflet-control-attribution").textContent,
      };
    }"""
    )
    return result


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_map_draws_natural_earth(
    browser: Browser, site_url: str, scheme: str, width: int
) -> None:
    """Land, coasts and borders are drawn, the peninsula's countries are named within the map,
    the names and the land stand out (WCAG contrast: 4.5 for text, 1.2 between land and sea),
    the credit names Natural Earth, and nothing overflows the page."""
    options = {"viewport": {"width": width, "height": 844}, "color_scheme": scheme}
    with open_page(browser, site_url, **options) as page:
        page.goto(site_url + "/map/")
        page.locator(MAP_READY).wait_for()
        page.locator("#map").scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        drawn = _drawn(page)
        _screenshot(page, f"basemap-{scheme}-{width}", full_page=True)
        page.locator("#map").screenshot(path=str(SCREENSHOTS / f"basemap-map-{scheme}-{width}.png"))
    assert drawn["land"] >= 2 and drawn["coast"] >= 1 and drawn["borders"] >= 1, drawn
    assert {"North Korea", "South Korea"} & set(drawn["labels"]), drawn
    assert drawn["markerLike"] == 0, "a name must not pass for an event's marker"
    assert _contrast(drawn["labelColour"], drawn["landFill"]) >= 4.5, drawn
    assert _contrast(drawn["landFill"], drawn["sea"]) >= 1.2, drawn
    assert "Natural Earth" in drawn["attribution"]
    assert drawn["scrollWidth"] <= width


TILE_HOST = "tiles.example.org"


@pytest.fixture(scope="module")
def tiled_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture content built with ``map_tiles`` naming a tile server, served."""
    folder = tmp_path_factory.mktemp("tiled")
    config = config_for(folder, FIXTURE, map_tiles=f"https://{TILE_HOST}/{{z}}/{{x}}/{{y}}.png")
    result = mkdocs_build(config, folder / "site")
    assert result.returncode == 0, result.stderr
    html = (folder / "site/map/index.html").read_text(encoding="utf-8")
    policy = BeautifulSoup(html, "html.parser").find("meta", attrs={"http-equiv": True})
    assert policy is not None
    assert policy["content"] == csp.policy(images=[f"https://{TILE_HOST}"])
    with serve(folder / "site") as url:
        yield url


@pytest.mark.slow
@pytest.mark.browser
def test_with_map_tiles_the_tiles_come_from_that_host_only(
    browser: Browser, tiled_site: str
) -> None:
    with open_page(browser, tiled_site) as page:
        asked = _record_requests(page, tiled_site, tiles=TILE_HOST)
        page.goto(tiled_site + "/map/")
        page.locator('#map[data-basemap="tiles"] .leaflet-tile-loaded').first.wait_for()
        page.wait_for_load_state("networkidle")
        others = _others(asked, tiled_site)
        assert others and {urlsplit(u).netloc for u in others} == {TILE_HOST}
        assert all(re.fullmatch(rf"https://{TILE_HOST}/\d+/\d+/\d+\.png", u) for u in others)
        assert not [u for u in asked if "/vendor/world-atlas/" in u]
        assert page.locator(".briefing-basemap-land").count() == 0
        expect(page.locator(".leaflet-control-attribution")).to_contain_text("OpenStreetMap")
        expect(page.locator(".briefing-map-credit")).to_contain_text(f"loaded from {TILE_HOST}")
        _screenshot(page, "basemap-tiles", full_page=False)


# --------------------------------------------------------------------------- briefs


def _events() -> dict[str, bool]:
    """Each shipped event's id -> whether it has coordinates."""
    out = {}
    for path in sorted((ROOT / "content/events").rglob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[path.stem] = (record.get("location") or {}).get("lat") is not None
    return out


@pytest.mark.browser
def test_every_brief_with_a_place_links_to_it_on_the_explorer(site_url: str) -> None:
    """A brief with coordinates links to ``/explorer/?event=<id>`` (a relative link, as the
    site's others are); one without, to nothing of the kind."""
    events = _events()
    assert any(events.values()) and not all(events.values())
    for event_id, located in events.items():
        address = f"{site_url}/briefs/{event_id}/"
        with urllib.request.urlopen(address) as response:
            soup = BeautifulSoup(response.read().decode("utf-8"), "html.parser")
        links = soup.select("a.brief-on-map")
        if not located:
            assert not links, event_id
            assert "explorer/" not in str(soup.select_one(".key-facts")), event_id
            continue
        assert len(links) == 1, event_id
        href = str(links[0]["href"])
        assert not href.startswith(("/", "http")), href
        assert urljoin(address, href) == f"{site_url}/explorer/?event={event_id}"
        assert links[0].get_text() == "On the map"
        assert links[0].find_parent(class_="key-facts") is not None
