"""A deleted record leaves nothing behind: dirty builds and `mkdocs serve --dirty` remove the HTML
of its brief and of pages no longer generated (a tag only it carried), and search and the sitemap
forget it."""

from __future__ import annotations

import json
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator import settings
from tests.conftest import FIXTURE
from tests.sitebuild import ROOT, config_for, mkdocs_build, mkdocs_dirty_build, sitemap
from tests.test_site import _fetch, search_fragments, serving

pytestmark = pytest.mark.slow

SITE_URL = settings.load_settings(ROOT / "mkdocs.yml").site_url


def test_a_dirty_build_removes_the_pages_of_a_deleted_record(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    record = content / "events" / "2024" / "balloons.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("tags: [failure]", "tags: [failure, leaflets]"),
        encoding="utf-8",
    )
    config, site = config_for(tmp_path, content), tmp_path / "site"
    assert mkdocs_build(config, site).returncode == 0
    assert (site / "briefs" / "balloons" / "index.html").is_file()
    assert (site / "tags" / "leaflets" / "index.html").is_file()
    assert "/briefs/balloons/" in search_fragments(site)
    assert any(loc.endswith("/briefs/balloons/") for loc, _ in sitemap(site, SITE_URL))
    # A file of pages from an earlier, larger site, which the sitemap index no longer names.
    shutil.copy(site / "sitemaps" / "1.xml", site / "sitemaps" / "2.xml")
    record.unlink()
    result = mkdocs_dirty_build(config, site)
    assert result.returncode == 0, result.stderr
    assert not (site / "briefs" / "balloons").exists()
    assert not (site / "tags" / "leaflets").exists()
    assert (site / "tags" / "failure" / "index.html").is_file()  # (still carried by another)
    assert not (tmp_path / "cache" / "briefs" / "balloons.md").exists()
    fragments = search_fragments(site)
    assert "/briefs/balloons/" not in fragments
    assert "/briefs/launch/" in fragments
    assert not any("balloons" in str(path) for path in site.rglob("*"))
    listed = [loc for loc, _ in sitemap(site, SITE_URL)]
    assert any(loc.endswith("/briefs/launch/") for loc in listed)
    assert not [loc for loc in listed if "balloons" in loc or "leaflets" in loc]
    assert sorted(p.name for p in (site / "sitemaps").iterdir()) == ["1.xml"]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _indexed(url: str) -> int:
    entry = json.loads(_fetch(f"{url}/pagefind/pagefind-entry.json", "page_count"))
    return sum(int(language["page_count"]) for language in entry["languages"].values())


def test_serve_removes_the_page_of_a_deleted_record_and_its_search_entry(tmp_path: Path) -> None:
    with serving(tmp_path) as (url, content):
        _fetch(f"{url}/briefs/balloons/", "Balloon campaign")
        before = _indexed(url)
        (content / "events" / "2024" / "balloons.yaml").unlink()
        deadline = time.monotonic() + 60
        while _status(f"{url}/briefs/balloons/") != 404:
            assert time.monotonic() < deadline, "the deleted brief is still served"
            time.sleep(0.3)
        assert _indexed(url) == before - 1
        assert "Balloon campaign" not in _fetch(f"{url}/briefs/launch/", "</html>")
