"""A record at every limit builds, and its pages hold all of it: the worst events and the worst
actor a contributor can send (tests/worst.py: every list at its longest, or Markdown only, the
file at its largest, its Markdown every shape that was slow to convert), in a real
`mkdocs build --strict`.
How long they take is tests/benchmarks/bench_safe.py's to say."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.content.load import MAX_BYTES
from tests import worst
from tests.conftest import FIXTURE
from tests.sitebuild import config_for, mkdocs_build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("limits")
    content = folder / "content"
    shutil.copytree(FIXTURE, content)
    worst.write_fillers(content)
    worst.write_worst(content, worst.mixed)
    for record in (
        "events/2024/worst.yaml",
        "events/2024/worst-text.yaml",
        "actors/worst-actor.yaml",
    ):
        assert MAX_BYTES - 100 < (content / record).stat().st_size <= MAX_BYTES
    result = mkdocs_build(config_for(folder, content), folder / "site")
    assert result.returncode == 0, result.stderr
    return folder / "site"


def _page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_worst_brief_holds_every_item(built: Path) -> None:
    page = _page(built, "briefs/worst")
    content = page.select_one("article") or page
    assert len(content.select(".claims > table > tbody > tr")) == 50
    assert len(content.select('a[href^="../../tags/tag-"]')) == 30
    rows = content.select(".key-facts > table > tbody > tr")
    facts = [row.select("td")[0].get_text() for row in rows]
    assert [f for f in facts if f.startswith("Fact ")] == [f"Fact {n}" for n in range(50)]
    assert len(content.select('[id^="source-s"]')) == 100
    assert len(content.select('[id^="update-"]')) == 100
    related = {a["href"] for a in content.select('a[href^="../filler-"]')}
    assert related == {f"../filler-{n}/" for n in range(50)}
    actors = {a["href"] for a in content.select('.brief-actors a[href*="/filler-actor-"]')}
    assert len(actors) == 50


def test_its_markdown_is_converted_in_every_shape(built: Path) -> None:
    body = _page(built, "briefs/worst-text").select_one("article")
    assert body is not None
    html = str(body)
    # (Every shape has a share of the body: the two shapes of links, 150 and more.)
    assert len(body.select('a[href="https://x.example/"]')) >= 150
    assert body.select("em") and body.select("strong") and body.select("code")
    assert body.select("blockquote") and body.select("hr") and body.select("li")
    assert body.select("table td em") and body.select('a[href="https://a.example"]')
    assert "[[[[" in body.get_text() and "]]]]" in body.get_text()
    assert not re.search(r"<(?:script|img|iframe)\b", html)


def test_every_page_it_touches_is_built(built: Path) -> None:
    for n in range(50):
        other = _page(built, f"briefs/filler-{n}")
        assert other.select_one('a[href="../worst/"]') is not None, n
        assert (built / "actors" / f"filler-actor-{n}" / "index.html").exists()
    for n in range(30):
        assert (built / "tags" / f"tag-{n}" / "index.html").exists()
        assert "worst" in (built / "feeds" / "tags" / f"tag-{n}.xml").read_text(encoding="utf-8")
    for n in range(20):
        assert (built / "briefs" / f"old-worst-{n}" / "index.html").exists()
        assert (built / "actors" / f"old-worst-actor-{n}" / "index.html").exists()


def test_the_worst_profile_holds_every_item(built: Path) -> None:
    page = _page(built, "actors/worst-actor")
    text = page.get_text()
    assert all(f"Alias {n} " in text for n in range(30))
    links = {a["href"] for a in page.select('a[href^="https://l.example/"]')}
    assert links == {f"https://l.example/{n}" for n in range(30)}
    assert page.select("article table td em") and page.select("article blockquote")
