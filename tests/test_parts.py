"""The search index in parts (generator.site.parts): real builds with a tiny part limit, their
bundles read back, the dirty build's parts, and the search page's earlier years in Chromium."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Request, expect

from generator.commands.synth import generate
from generator.publish import search
from generator.settings import Settings
from generator.site import parts
from generator.site.link import build_site
from tests.browser_support import _serious_violations, open_page, serve
from tests.sitebuild import config_for, free_port, mkdocs_build, mkdocs_dirty_build, mkdocs_serve
from tests.test_site import _fetch

LIMIT = 40
"""Pages a part may hold in these builds: 120 briefs and 12 actor profiles make four parts."""


def test_a_site_under_the_limit_is_one_bundle() -> None:
    assert parts.divide({2024: 30, 2023: 9}, 1, 40) == [parts.Part("pagefind", (2024, 2023), 40)]


def test_parts_are_whole_years_newest_first_the_first_with_the_actors() -> None:
    found = parts.divide({2026: 10, 2025: 15, 2024: 20, 2023: 5, 2022: 30, 2021: 1}, 12, 40)
    assert found == [
        parts.Part("pagefind", (2026, 2025), 37),
        parts.Part("pagefind/parts/2023-2024", (2024, 2023), 25),
        parts.Part("pagefind/parts/2021-2022", (2022, 2021), 31),
    ]
    assert found[1].label == "2023–2024"
    assert parts.part_for(found, 2021) == found[2]
    assert parts.part_for(found, None) == found[0]  # (actor profiles)
    assert parts.part_for(found, 1999) == found[0]  # (no such year: the first part)


def test_a_year_larger_than_the_limit_is_a_part_of_its_own() -> None:
    found = parts.divide({2025: 50, 2024: 60, 2023: 3}, 5, 40)
    assert [p.years for p in found] == [(2025,), (2024,), (2023,)]
    assert [p.pages for p in found] == [55, 60, 3]


def _bundle_urls(bundle: Path) -> set[str]:
    """The pages in a Pagefind bundle, read back from its fragments (one a page)."""
    urls = set()
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        urls.add(json.loads(data)["url"])
    return urls


def _expected(content: Path) -> dict[str, set[str]]:
    """Each part's pages, from the records."""
    site = build_site(content)
    plan = parts.of_site(site, Settings(search_part_pages=LIMIT))
    wanted: dict[str, set[str]] = {part.folder: set() for part in plan}
    for event in site.events:
        part = parts.part_for(plan, event.record.date.start.year)
        wanted[part.folder].add(f"/briefs/{event.id}/")
    wanted["pagefind"] |= {f"/actors/{actor.id}/" for actor in site.actors}
    return wanted


def _found(site: Path) -> dict[str, set[str]]:
    """Each bundle's pages, read back from the built site."""
    bundles = sorted(entry.parent for entry in site.rglob("pagefind-entry.json"))
    for bundle in bundles:
        search.check_bundle(bundle, len(_bundle_urls(bundle)))
    return {bundle.relative_to(site).as_posix(): _bundle_urls(bundle) for bundle in bundles}


@pytest.fixture(scope="module")
def parted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A synthetic site of 120 briefs and 12 actors, built with parts of at most 40 pages:
    its content and its site folder."""
    folder = tmp_path_factory.mktemp("parts")
    content = folder / "content"
    generate(content, events=120, actors=12, seed=1)
    config = config_for(folder, content, search_part_pages=LIMIT)
    result = mkdocs_build(config, folder / "site")
    assert result.returncode == 0, result.stderr
    yield content, folder / "site"


@pytest.mark.slow  # (builds a 120-brief site with MkDocs)
def test_a_large_site_is_indexed_in_complete_parts_of_whole_years(
    parted: tuple[Path, Path],
) -> None:
    content, site = parted
    wanted = _expected(content)
    assert len(wanted) == 4
    assert _found(site) == wanted
    assert all(0 < len(urls) <= LIMIT for urls in wanted.values())


@pytest.mark.slow  # (builds a 120-brief site with MkDocs, then again)
def test_a_dirty_build_writes_the_same_parts(parted: tuple[Path, Path], tmp_path: Path) -> None:
    content, built = parted
    site = tmp_path / "site"
    shutil.copytree(built, site)
    shutil.rmtree(site / "pagefind")
    config = config_for(tmp_path, content, search_part_pages=LIMIT)
    shutil.copytree(built.parent / "cache", tmp_path / "cache")
    result = mkdocs_dirty_build(config, site)
    assert result.returncode == 0, result.stderr
    assert _found(site) == _expected(content)


@pytest.mark.browser
def test_the_search_page_searches_earlier_years_only_on_request(
    parted: tuple[Path, Path], browser: Browser
) -> None:
    content, site = parted
    oldest = build_site(content).events[0]
    title = oldest.record.title
    with serve(site) as url, open_page(browser, url) as page:
        fetched: list[str] = []

        def finished(request: Request) -> None:
            fetched.append(request.url)

        page.on("requestfinished", finished)
        # The oldest brief's words, in its year: nothing in the first part.
        page.goto(f"{url}/search/?q={title}&year={oldest.record.date.start.year}")
        status = page.locator(".briefing-search__status")
        expect(status).to_have_text(
            re.compile(r"^\d+ results? in briefs from \d{4}–2026 and every actor profile$")
        )
        expect(status).to_have_text(re.compile(r"^0 results"))
        assert any("/pagefind/pagefind" in u for u in fetched)
        assert not [u for u in fetched if "/pagefind/parts/" in u]
        earlier = page.get_by_role(
            "button", name=re.compile(r"^Search briefs from 2000–\d{4} too$")
        )
        assert not _serious_violations(page)
        earlier.click()
        expect(status).to_have_text(re.compile(r"^\d+ results? in every brief and actor profile$"))
        found = page.locator(f'.briefing-search__result a[href^="/briefs/{oldest.id}/?highlight="]')
        expect(found).to_have_count(1)
        expect(earlier).to_have_count(0)
        assert [u for u in fetched if "/pagefind/parts/" in u]
        # The filters count every part's pages now.
        year = page.locator(
            f'.briefing-search__facet input[value="{oldest.record.date.start.year}"]'
        )
        expect(year.locator("xpath=..")).not_to_have_text(re.compile(r"\(0\)"))


@pytest.mark.slow
def test_serve_indexes_the_same_parts(parted: tuple[Path, Path], tmp_path: Path) -> None:
    """`mkdocs serve` (a dirty build into an empty folder, indexed by the services) writes the
    same parts, with the same pages, as `mkdocs build`."""
    content, built = parted
    config = config_for(tmp_path, content, search_part_pages=LIMIT)
    port = free_port()
    with (tmp_path / "serve.log").open("w", encoding="utf-8") as log:
        server = mkdocs_serve(config, port, log)
        try:
            for folder, urls in _found(built).items():
                entry = _fetch(
                    f"http://127.0.0.1:{port}/{folder}/pagefind-entry.json", "page_count"
                )
                counts = [lang["page_count"] for lang in json.loads(entry)["languages"].values()]
                assert sum(counts) == len(urls), folder
        finally:
            server.terminate()
            server.wait(timeout=20)
