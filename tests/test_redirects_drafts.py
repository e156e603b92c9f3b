"""Renamed records keep their old addresses; drafts are checked but published nowhere, except
under `mkdocs serve`, with a banner. Real builds of the fixture with a renamed brief and
profile, a draft brief and a draft profile."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from generator import settings
from tests.browser_support import open_page, serve
from tests.conftest import FIXTURE
from tests.sitebuild import ROOT, config_for, free_port, mkdocs_build, mkdocs_serve, sitemap
from tests.test_site import _fetch

pytestmark = pytest.mark.slow

DRAFT_EVENT = "quokka-drill"
DRAFT_EVENT_TITLE = "Zanzibar harbour drill"
DRAFT_ACTOR = "wombat-unit"
DRAFT_ACTOR_NAME = "Xylophone Brigade"

DRAFT_EVENT_TEXT = f"""\
title: {DRAFT_EVENT_TITLE}
date: "2024-07-02"
type: statement
status: developing
summary: A drill nobody should see yet.
actors: [kcna, {DRAFT_ACTOR}]
related:
  - id: launch
    relation: response-to
tags: [only-in-drafts]
sources:
  - key: a
    publisher: KCNA
    title: Report
published: "2024-07-02"
draft: true
"""
DRAFT_ACTOR_TEXT = f"""\
name: {DRAFT_ACTOR_NAME}
kind: military
summary: A unit not yet published.
affiliation: north-korea
draft: true
"""


def _content(folder: Path) -> Path:
    """The fixture, with ``launch`` once called ``old-launch`` and ``kcna`` once ``kcna-old``,
    a link to the old brief from another record, and the drafts."""
    content = folder / "content"
    shutil.copytree(FIXTURE, content)
    launch = content / "events" / "2024" / "launch.yaml"
    launch.write_text(launch.read_text(encoding="utf-8") + "former_ids: [old-launch]\n", "utf-8")
    kcna = content / "actors" / "kcna.yaml"
    kcna.write_text(kcna.read_text(encoding="utf-8") + "former_ids: [kcna-old]\n", "utf-8")
    claim = content / "events" / "2024" / "claim.yaml"
    claim.write_text(
        claim.read_text(encoding="utf-8") + "body: After [the launch](briefs/old-launch.md).\n",
        "utf-8",
    )
    (content / "events" / "2024" / f"{DRAFT_EVENT}.yaml").write_text(DRAFT_EVENT_TEXT, "utf-8")
    (content / "actors" / f"{DRAFT_ACTOR}.yaml").write_text(DRAFT_ACTOR_TEXT, "utf-8")
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("renamed")
    result = mkdocs_build(config_for(folder, _content(folder)), folder / "site")
    assert result.returncode == 0, result.stderr
    return folder / "site"


def _text(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # Pagefind's bundle is gzipped
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def test_a_build_has_no_trace_of_the_drafts(built: Path) -> None:
    needles = [DRAFT_EVENT, DRAFT_EVENT_TITLE, DRAFT_ACTOR, DRAFT_ACTOR_NAME, "only-in-drafts"]
    files = [path for path in built.rglob("*") if path.is_file()]
    assert len(files) > 50
    found = {
        (path.relative_to(built).as_posix(), needle)
        for path in files
        for needle in needles
        if needle in _text(path)
    }
    assert found == set()


def test_an_old_address_leads_to_the_new_page(built: Path) -> None:
    page = built / "briefs" / "old-launch" / "index.html"
    html = page.read_text(encoding="utf-8")
    tree = BeautifulSoup(html, "html.parser")
    refresh = tree.select_one('meta[http-equiv="refresh"]')
    assert refresh is not None and refresh["content"] == "0; url=../launch/"
    canonical = tree.select_one('link[rel="canonical"]')
    assert canonical is not None and str(canonical["href"]).endswith("/briefs/launch/")
    assert "<script" not in html and "data-pagefind-body" not in html
    actor = BeautifulSoup(
        (built / "actors" / "kcna-old" / "index.html").read_text("utf-8"), "html.parser"
    )
    assert actor.select_one('meta[http-equiv="refresh"]')["content"] == "0; url=../kcna/"  # type: ignore[index]
    listed = [
        loc for loc, _ in sitemap(built, settings.load_settings(ROOT / "mkdocs.yml").site_url)
    ]
    assert any(loc.endswith("/briefs/launch/") for loc in listed)
    assert not [loc for loc in listed if "old-launch" in loc or "kcna-old" in loc]
    index = "".join(_text(p) for p in (built / "pagefind").rglob("*.pf_fragment"))
    assert "/briefs/launch/" in index and "old-launch" not in index


def test_a_link_to_the_old_id_goes_to_the_new_page(built: Path) -> None:
    tree = BeautifulSoup(
        (built / "briefs" / "claim" / "index.html").read_text("utf-8"), "html.parser"
    )
    hrefs = [str(a["href"]) for a in tree.select(".record-text a[href]")]
    assert hrefs == ["../../briefs/launch/"]


@pytest.mark.browser
def test_the_browser_follows_an_old_address_to_the_brief(built: Path, browser: Browser) -> None:
    with serve(built) as url, open_page(browser, url) as page:
        page.goto(f"{url}/briefs/old-launch/")
        page.wait_for_url(f"{url}/briefs/launch/")
        assert "Suspected ballistic missile launch" in (
            page.locator("h1").first.text_content() or ""
        )


@pytest.fixture
def served_with_drafts(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    config = config_for(tmp_path, _content(tmp_path))
    with (tmp_path / "serve.log").open("w", encoding="utf-8") as log:
        server = mkdocs_serve(config, port, log)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=20)


def test_serve_shows_a_draft_with_its_banner(served_with_drafts: str) -> None:
    html = _fetch(f"{served_with_drafts}/briefs/{DRAFT_EVENT}/", "draft-banner")
    assert DRAFT_EVENT_TITLE in html
    profile = _fetch(f"{served_with_drafts}/actors/{DRAFT_ACTOR}/", "draft-banner")
    assert DRAFT_ACTOR_NAME in profile
    published = _fetch(f"{served_with_drafts}/briefs/launch/", "Suspected ballistic")
    assert "draft-banner" not in published
