"""Real `mkdocs build` runs, asserting on the parsed HTML they produce."""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from generator import settings
from generator.publish import words
from generator.render.jinja import country_name
from generator.site.link import build_site
from tests.conftest import FIXTURE
from tests.sitebuild import (
    ROOT,
    config_for,
    failing_templates,
    free_port,
    mkdocs_build,
    mkdocs_dirty_build,
    mkdocs_serve,
)

BUDGET = 500 * 1024

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shipped")
    result = mkdocs_build(config_for(folder, ROOT / "content"), folder / "site")
    assert result.returncode == 0, result.stderr
    # Built at mkdocs.yml's default address (`make serve`'s): said once, as a warning that
    # --strict lets through, and the only one.
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert warnings == [f"WARNING -  briefing: {settings.address_warning(LOCAL)}"], result.stderr
    return folder / "site"


LOCAL = "http://127.0.0.1:8000/"


@pytest.mark.parametrize(
    "site_url, said",
    [
        ("", "site_url is not set"),
        (LOCAL, f"site_url is {LOCAL}, a local address"),
        ("http://localhost:8000/", "a local address"),
        ("http://[::1]/", "a local address"),
        ("http://0.0.0.0:8000/", "a local address"),
        ("http://192.168.1.20/briefing/", "a local address"),
        ("http://briefing.local/", "a local address"),
        ("https://example.github.io/briefing/", None),
        ("https://briefing.example.org/", None),
        ("http://93.184.216.34/", None),
    ],
)
def test_a_local_or_missing_site_url_is_said(site_url: str, said: str | None) -> None:
    warning = settings.address_warning(site_url)
    if said is None:
        assert warning is None
    else:
        assert warning is not None and said in warning
        assert warning.endswith(
            "set BRIEFING_SITE_URL (or site_url in mkdocs.yml) to the address it is published at"
        )


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def links(path: Path) -> set[str]:
    """Every link target on a page, resolved to a site path like `actors/kcna/`."""
    base = path.parent
    site_root = next(p for p in path.parents if (p / "sitemap.xml").exists())
    out = set()
    for a in soup(path).select("article a[href]"):
        href = str(a["href"]).split("#")[0]
        if not href or "://" in href:
            continue
        target = (base / href).resolve()
        if target.is_relative_to(site_root.resolve()):
            out.add(
                target.relative_to(site_root.resolve())
                .as_posix()
                .removesuffix("index.html")
                .rstrip("/")
                + "/"
            )
    return out


def actor_pages(site: Path, actor_id: str) -> list[Path]:
    first = site / "actors" / actor_id / "index.html"
    return [first, *sorted((site / "actors" / actor_id / "page").glob("*/index.html"))]


def test_briefs_and_actors_link_both_ways(shipped: Path) -> None:
    model = build_site(ROOT / "content")
    assert model.events
    for event in model.events:
        page = shipped / "briefs" / event.id / "index.html"
        found = links(page)
        for involvement in event.actors:
            actor = involvement.actor.id
            assert f"actors/{actor}/" in found, f"{event.id} does not link to {actor}"
            back = set().union(*(links(p) for p in actor_pages(shipped, actor)))
            assert f"briefs/{event.id}/" in back, f"{actor} does not link back to {event.id}"


def test_inverse_relations_appear_on_the_other_brief(shipped: Path) -> None:
    model = build_site(ROOT / "content")
    labels = {r.id: r for r in model.vocabulary.relations}
    checked = 0
    for event in model.events:
        for rel in event.record.related:
            page = soup(shipped / "briefs" / rel.id / "index.html")
            label = labels[rel.relation].inverse_label
            heading = next(
                (h for h in page.select("article h3") if h.get_text().rstrip("¶").strip() == label),
                None,
            )
            assert heading is not None, f"{rel.id} lacks '{label}'"
            items = heading.find_next("ul")
            assert items is not None
            assert any(f"/{event.id}/" in str(a["href"]) for a in items.select("a[href]"))
            checked += 1
    assert checked >= 10


def test_brief_page_shows_the_record(shipped: Path) -> None:
    page = soup(shipped / "briefs" / "2024-06-26-suspected-ballistic-missile-launch" / "index.html")
    text = page.get_text(" ")
    assert "26 June 2024, about 05:30 KST (20:30 UTC on 25 June)" in text
    assert page.select_one(".badge") is not None
    claims = page.find("h2", id="claims")
    assert claims is not None and claims.find_next("table") is not None
    assert page.select("ol li strong[id^=source-]")
    nav = [a.get_text(strip=True) for a in page.select("nav.md-tabs a, nav.md-nav a")]
    assert "Explorer" in nav
    assert not any("suspected" in n.lower() for n in nav), "briefs must stay out of the nav"


def search_fragments(site: Path) -> dict[str, dict[str, Any]]:
    """Pagefind's stored text of every indexed page, by URL (each file is gzipped JSON)."""
    out = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        out[data["url"]] = data
    return out


def test_search_indexes_a_briefs_own_words_not_its_links_and_apparatus(shipped: Path) -> None:
    model = build_site(ROOT / "content")
    fragments = search_fragments(shipped)
    checked = kept_out = 0
    for event in model.events:
        text = fragments[f"/briefs/{event.id}/"]["content"]
        record = event.record
        assert record.title in text
        for claim in record.claims:
            assert claim.said.split()[0] in text
        # The actors, and who made each claim, are found through the actor filter instead:
        # their names are in the text only where the brief's own words name them.
        own = " ".join(
            [record.title, record.summary, record.body or "", *record.facts.values()]
            + [record.assessment.text if record.assessment else ""]
            + [claim.said for claim in record.claims]
            + ([record.location.name] if record.location else [])
            # (Where it happened is the brief's own: the key facts name the country.)
            + (
                [country_name(record.location.country)]
                if record.location and record.location.country
                else []
            )
        )
        named = {i.actor.record.name for i in event.actors}
        named |= {model.actor_by_id[claim.by].record.name for claim in record.claims}
        for name in named:
            assert name in own or name not in text, (event.id, name)
            kept_out += name not in own
        # Other briefs' titles (related, previous, next), sources, citation and change log are
        # not this brief's words.
        others = [o for g in event.related for o in g.events] + [event.previous, event.next]
        for other in others:
            if other is not None and other.record.title not in record.title:
                assert other.record.title not in text, (event.id, other.id)
        for source in record.sources:  # (unless the brief's own words name it)
            assert source.title in own or source.title not in text, (event.id, source.title)
        assert "Cite this brief" not in text and "First published" not in text
        assert "claims are not established facts" not in text
        checked += bool(others)
    assert checked >= 10 and kept_out >= 10


def test_search_indexes_an_actors_names_not_its_involvement(shipped: Path) -> None:
    model = build_site(ROOT / "content")
    fragments = search_fragments(shipped)
    actor = model.actor_by_id["kim-jong-un"]
    text = fragments["/actors/kim-jong-un/"]["content"]
    assert actor.record.native_name and actor.record.native_name in text
    assert all(alias in text for alias in actor.record.aliases)
    assert actor.record.summary.split()[0] in text
    assert actor.involvement
    for involvement in actor.involvement:
        assert involvement.event.record.title not in text


def test_published_pages_leave_out_the_search_data(shipped: Path) -> None:
    # Filters, metadata, the sort key and an actor's aliases are for Pagefind alone, which is
    # handed each page with them (the index has them: see the next test).
    pages = [*shipped.glob("briefs/*/index.html"), *shipped.glob("actors/*/index.html")]
    assert len(pages) > 40
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for mark in ("data-pagefind-filter", "data-pagefind-meta", "data-pagefind-sort"):
            assert mark not in html, (page, mark)
        assert "search-data" not in html and "data-pagefind-body" in html, page
    fragment = search_fragments(shipped)["/briefs/2024-06-26-suspected-ballistic-missile-launch/"]
    assert fragment["filters"]["section"] == ["Brief"] and fragment["meta"]["date"]


def test_search_index_streamed_during_the_build_equals_a_dirty_builds(
    shipped: Path, tmp_path: Path
) -> None:
    # The build hands each page to Pagefind's service as it is written, trimmed to its head and
    # search body; a dirty build, which skips unchanged pages, runs the Pagefind CLI over copies
    # of the finished files, their search data put back from the pages' Markdown. Every page must
    # come out the same: words, metadata, filters, anchors and language.
    copy = tmp_path / "site"
    shutil.copytree(shipped, copy, ignore=shutil.ignore_patterns("pagefind"))
    result = mkdocs_dirty_build(shipped.parent / "mkdocs.yml", copy)
    assert result.returncode == 0, result.stderr
    assert (copy / "index.html").read_bytes() == (shipped / "index.html").read_bytes()
    streamed, walked = search_fragments(shipped), search_fragments(copy)
    assert len(streamed) > 40
    assert streamed == walked

    def languages(site: Path) -> dict[str, int]:
        entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
        return {code: lang["page_count"] for code, lang in entry["languages"].items()}

    assert languages(shipped) == languages(copy) == {"en": len(streamed)}
    assert any(f["filters"].get("actor") for f in streamed.values())
    assert any(f["meta"].get("date") for f in streamed.values())


def test_no_page_over_budget_and_nav_holds_hubs_only(shipped: Path) -> None:
    sizes = {p: p.stat().st_size for p in shipped.rglob("*.html")}
    assert len(sizes) > 60
    assert max(sizes.values()) < BUDGET
    home = soup(shipped / "index.html")
    tabs = [a.get_text(strip=True) for a in home.select("nav.md-tabs a")]
    assert tabs == ["Home", "Briefs", "Explorer", "Actors", "Tags", "Search", "About"]
    assert home.select_one("figure.chart svg[role=group] a.chart-month") is not None


def test_pages_the_nav_does_not_title_keep_their_titles(tmp_path: Path) -> None:
    """A nav entry without a title takes the page's (its front matter's, or its first
    heading): the plugin lets a converted page's Markdown go, and MkDocs then answered None for
    the title, in every other page's navigation and drawer."""
    config = config_for(tmp_path, ROOT / "content")
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["nav"] = [
        {"About": ["about.md", "methodology.md", "contributing.md", "data.md"]}
        if isinstance(item, dict) and "About" in item
        else item
        for item in data["nav"]
    ]
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = soup(tmp_path / "site" / "methodology" / "index.html")
    drawer = page.select_one("nav.md-nav--primary")
    assert drawer is not None
    about = [link.get_text(" ", strip=True) for link in drawer.select("[data-md-level='1'] a")]
    assert about[:1] == ["About this briefing"] and "Data" in about, about
    topic = page.select_one(".md-header__topic[data-md-component]")
    assert topic is not None and "Methodology" in topic.get_text()
    assert "None" not in [t.get_text(strip=True) for t in page.select(".md-ellipsis")]


def test_bad_content_aborts_the_build_with_positions(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    path = content / "events" / "2024" / "claim.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("type: statement", "type: statment"),
        encoding="utf-8",
    )
    result = mkdocs_build(config_for(tmp_path, content), tmp_path / "site")
    assert result.returncode == 1
    assert (
        f"{path}:3:7: type: unknown event type 'statment' (did you mean 'statement'?)"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


@pytest.mark.parametrize("dirty", [False, True], ids=["rendered-aside", "rendered-in-line"])
def test_a_template_error_aborts_the_build_with_its_line(tmp_path: Path, dirty: bool) -> None:
    # A whole build renders pages in a forked process; a dirty build into a site folder that
    # has files renders them before MkDocs starts. Either way: one message, no traceback.
    event = build_site(FIXTURE).events[1].id
    templates = failing_templates(tmp_path, event)
    site = tmp_path / "site"
    if dirty:
        site.mkdir()
        (site / "old.html").write_text("from before\n", encoding="utf-8")
    config = config_for(tmp_path, FIXTURE, templates_dir=str(templates))
    result = mkdocs_build(config, site, *(["--dirty"] if dirty else []))
    assert result.returncode == 1
    message = f"{templates / 'brief.md.j2'}:2: UndefinedError: 'no_such' is undefined"
    assert f"{message} (page briefs/{event}.md)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "index.html").exists()


def test_deleted_record_loses_its_page(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    config = config_for(tmp_path, content)
    assert mkdocs_build(config, tmp_path / "site").returncode == 0
    assert (tmp_path / "site" / "briefs" / "balloons" / "index.html").exists()
    (content / "events" / "2024" / "balloons.yaml").unlink()
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "briefs" / "balloons").exists()
    assert not (tmp_path / "cache" / "briefs" / "balloons.md").exists()
    assert "balloons" not in (tmp_path / "site" / "briefs" / "launch" / "index.html").read_text(
        encoding="utf-8"
    )


def test_render_command_writes_the_markdown_tree(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "render",
            "--content",
            str(FIXTURE),
            "--config",
            str(ROOT / "mkdocs.yml"),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (
        (tmp_path / "out" / "briefs" / "launch.md")
        .read_text(encoding="utf-8")
        .startswith("---\ntitle:")
    )


@contextlib.contextmanager
def serving(folder: Path, **plugin: object) -> Iterator[tuple[str, Path]]:
    """`mkdocs serve --dirty` of a copy of the fixture in ``folder``: its address and content."""
    content = folder / "content"
    shutil.copytree(FIXTURE, content)
    port = free_port()
    log = (folder / "serve.log").open("w", encoding="utf-8")
    server = mkdocs_serve(config_for(folder, content, **plugin), port, log)
    try:
        yield f"http://127.0.0.1:{port}", content
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with serving(tmp_path) as (url, content):
        yield url, content


def _fetch(url: str, until: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text = str(response.read().decode("utf-8"))
            if until in text:
                return text
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {until!r}")


def _next_brief(content: Path) -> str:
    after = build_site(content).event_by_id["exercise"].next
    assert after is not None
    return after.id


def test_serve_refreshes_a_brief_when_its_record_is_saved(served: tuple[str, Path]) -> None:
    url, content = served
    _fetch(f"{url}/briefs/exercise/", "Exercise over several days")
    record = content / "events" / "2023" / "exercise.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace(
            "Exercise over several days", "Exercise, edited"
        ),
        encoding="utf-8",
    )
    _fetch(f"{url}/briefs/exercise/", "Exercise, edited")
    # The pages that show the brief's title are rendered again too, and nothing else is.
    _fetch(f"{url}/timeline/2023/", "Exercise, edited")
    _fetch(f"{url}/actors/rok-jcs/", "Exercise, edited")
    _fetch(f"{url}/briefs/{_next_brief(content)}/", "Exercise, edited")
    # Links from the rebuilt pages to pages MkDocs did not rebuild still resolve.
    for page in ("briefs/exercise/", "timeline/2023/", "actors/rok-jcs/"):
        html = _fetch(f"{url}/{page}", "Exercise, edited")
        assert not re.search(r'href="[^"]*\.md[#"]', html), page
    log = (content.parent / "serve.log").read_text(encoding="utf-8")
    assert "not found among documentation files" not in log
    counts = re.findall(r"briefing: (\d+) pages, (\d+) rendered", log)
    assert len(counts) >= 2, log
    (pages, first), (_, again) = (tuple(map(int, c)) for c in (counts[0], counts[-1]))
    assert first == pages > again
    _fetch(f"{url}/pagefind/pagefind-entry.json", "version")  # search still works after the rebuild
    # The open data and feeds, written once the pages show (Builder._publish_later), follow.
    for published in ("feed.xml", "data/timeline/2023.json", "feeds/actors/rok-jcs.xml"):
        _fetch(f"{url}/{published}", "Exercise, edited")
    with urllib.request.urlopen(f"{url}/data/events.json.gz", timeout=5) as response:
        assert "Exercise, edited" in gzip.decompress(response.read()).decode("utf-8")
    if sys.platform == "linux":
        assert "edits noticed through file notifications (InotifyObserver)" in log
    # One save, one rebuild: the rebuild reading the records is not taken for an edit. (Had it
    # been, its rebuild would be under way or done by the time a second save shows.)
    record.write_text(
        record.read_text(encoding="utf-8").replace("Exercise, edited", "Exercise, again"),
        encoding="utf-8",
    )
    _fetch(f"{url}/briefs/exercise/", "Exercise, again")
    _fetch(f"{url}/feeds/actors/rok-jcs.xml", "Exercise, again")
    log = (content.parent / "serve.log").read_text(encoding="utf-8")
    assert log.count("Detected file changes") == 2, log
    assert log.count("briefing: open data and feeds written in") == 2, log


def test_serve_polls_for_edits_when_asked(tmp_path: Path) -> None:
    # For folders where file notifications do not arrive: MkDocs' own polling watcher.
    with serving(tmp_path, poll=True) as (url, content):
        _fetch(f"{url}/briefs/exercise/", "Exercise over several days")
        record = content / "events" / "2023" / "exercise.yaml"
        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("over several days", "polled"), encoding="utf-8")
        _fetch(f"{url}/briefs/exercise/", "Exercise polled")
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "file notifications" not in log and "Detected file changes" in log


@pytest.mark.parametrize(
    ("option", "value"), [("search_part_pages", 0), ("page_size", -2), ("size_budget", True)]
)
def test_a_count_below_one_in_the_plugin_options_is_one_message(
    tmp_path: Path, option: str, value: object
) -> None:
    """A page size, a search part's pages or a size budget of zero or less would make no sense:
    the build stops before anything is written, with MkDocs' one-line message naming the option."""
    result = mkdocs_build(config_for(tmp_path, FIXTURE, **{option: value}), tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"Expected a whole number of at least 1, but received: {value!r}" in result.stderr
    assert option in result.stderr
    assert not (tmp_path / "site").exists()


def test_the_search_page_has_its_word_list(shipped: Path) -> None:
    """search/words.json, beside the search page, holds the records' words (for suggestions
    when a search finds nothing: generator/publish/words.py)."""
    listed = json.loads((shipped / "search" / "words.json").read_text(encoding="utf-8"))
    assert {"missile", "balloons", "treaty", "korea"} <= set(listed)
    assert listed == words.word_list(build_site(ROOT / "content"))
