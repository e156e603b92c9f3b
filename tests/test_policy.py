"""The Content-Security-Policy: what it allows, where it stands in a page, the map's tiles, and
`mkdocs serve` under the same policy (a header, with a nonce for MkDocs' live-reload script)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from mkdocs.config.base import ValidationError
from playwright.sync_api import Browser

from generator import safe, settings
from tests.browser_support import open_page, serve
from tests.conftest import FIXTURE
from tests.sitebuild import ROOT, config_for, mkdocs_build

TILES = "https://tile.openstreetmap.org"
HOSTILE_PAGE = """\
# Inline

<p id="marker">before</p>

<script>window.ran = true; alert(document.domain)</script>

<img src="x" onerror="window.ran = true">
"""


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        out[name] = sources
    return out


def test_the_policy_allows_the_site_and_nothing_else() -> None:
    assert directives(safe.POLICY) == {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'none'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    more = directives(safe.policy(["x = 1"], [TILES]))
    assert more["img-src"] == ["'self'", "data:", TILES]
    assert more["script-src"] == ["'self'", "'wasm-unsafe-eval'", *safe.script_hashes(["x = 1"])]
    assert {k: v for k, v in more.items() if k not in ("img-src", "script-src")} == {
        k: v for k, v in directives(safe.POLICY).items() if k not in ("img-src", "script-src")
    }


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", TILES),
        (
            "https://{s}.tiles.example.org:8443/{z}/{x}/{y}@2x.png?key=1",
            "https://*.tiles.example.org:8443",
        ),
        ("", None),
    ],
)
def test_map_tiles_name_one_origin(value: str, origin: str | None) -> None:
    assert settings.TileAddress("").run_validation(value) == value
    assert settings.tile_origin(value) == origin


@pytest.mark.parametrize(
    "value",
    [
        "http://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://tile.openstreetmap.org/tiles.png",
        "https://tile.example.org/{z}/{x}/{y}.png; script-src *",
        "https://tile.example.org/{z}/{x}/{y}.png 'unsafe-inline'",
        "//tile.example.org/{z}/{x}/{y}.png",
    ],
)
def test_map_tiles_refuse_what_would_widen_the_policy(value: str) -> None:
    with pytest.raises(ValidationError, match="Expected an https address with"):
        settings.TileAddress("").run_validation(value)


# -- the policy in built pages ---


def _head(page: Path) -> list[Tag]:
    head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
    assert head is not None, page
    return [child for child in head.children if isinstance(child, Tag)]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("policy")
    result = mkdocs_build(config_for(folder, ROOT / "content"), folder / "site")
    assert result.returncode == 0, result.stderr
    return folder / "site"


@pytest.mark.slow
def test_every_page_starts_with_its_policy(shipped: Path) -> None:
    """In every page MkDocs built, the policy is the element right after the charset, so it
    governs everything else; the map page's alone allows the tiles' host."""
    pages = sorted(shipped.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        rel = page.relative_to(shipped).as_posix()
        head = _head(page)
        if rel.startswith(("briefs/", "actors/")) and head[2:3] and head[2].name == "title":
            continue  # (an old address of a renamed record: generator/redirects.py)
        assert head[0].name == "meta" and head[0].get("charset") == "utf-8", rel
        assert head[1].name == "meta", rel
        assert head[1].get("http-equiv") == "Content-Security-Policy", rel
        expected = safe.policy(images=[TILES] if rel == "map/index.html" else [])
        assert head[1].get("content") == expected, rel
    assert (shipped / "map/index.html") in pages


@pytest.mark.slow
@pytest.mark.browser
def test_without_tiles_the_map_works_and_asks_no_other_host(
    tmp_path: Path, browser: Browser
) -> None:
    """``map_tiles: ""``: no tile layer, no credit for tiles, and no host in the policy."""
    config = config_for(tmp_path, FIXTURE, map_tiles="")
    site = tmp_path / "site"
    result = mkdocs_build(config, site)
    assert result.returncode == 0, result.stderr
    head = _head(site / "map/index.html")
    assert head[1].get("content") == safe.POLICY
    html = (site / "map/index.html").read_text(encoding="utf-8")
    assert "data-tiles" in html and "tile.openstreetmap.org" not in html
    with serve(site) as url, open_page(browser, url) as page:
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"{url}/map/")
        page.locator(".leaflet-marker-icon, .marker-cluster").first.wait_for()
        page.wait_for_load_state("networkidle")
        assert page.locator(".leaflet-tile").count() == 0
        assert all(a.startswith(url) or a.startswith("data:") for a in asked), asked
