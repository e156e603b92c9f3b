"""What readers and their tools get besides the pages' text: JSON-LD, sharing cards, per-actor and
per-tag feeds, robots.txt, the sitemap's dates, the 404 page and the home page's title.

Each test reads a real `mkdocs build --strict`: parsed HTML, real PNG and Atom files.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup, Tag
from mkdocs.utils.yaml import yaml_load
from PIL import Image

from generator import settings as settings_module
from generator.publish import cards, csp, feeds
from generator.render import chart, embed
from generator.settings import Settings
from generator.site.entries import EventEntry, Site
from generator.site.link import build_site
from tests.conftest import ACTORS, EVENT, FIXTURE, write_tree
from tests.sitebuild import ROOT, config_for, mkdocs_build, sitemap

pytestmark = pytest.mark.slow

SITE_URL = settings_module.load_settings(ROOT / "mkdocs.yml").site_url
SITE_NAME = settings_module.load_settings(ROOT / "mkdocs.yml").site_name
HOSTILE = "</script><script>alert(1)</script> & <b>bold</b> 'quoted'"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readers")
    result = mkdocs_build(config_for(folder, ROOT / "content"), folder / "site")
    assert result.returncode == 0, result.stderr
    return folder / "site"


@pytest.fixture(scope="module")
def model() -> Site:
    return build_site(ROOT / "content")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small site whose brief title, actor name and summary carry markup and a script."""
    folder = tmp_path_factory.mktemp("hostile-readers")
    title = HOSTILE.replace("'", "''")
    launch = EVENT.replace(
        "title: Suspected ballistic missile launch", f"title: '{title}'"
    ).replace(
        "summary: North Korea fired what appeared to be a ballistic missile.",
        "summary: 'Fired a **missile** at `</script><script>alert(2)</script>` & co.'",
    )
    launch += 'updates:\n  - date: "2024-07-01"\n    note: A correction.\n'
    actors = {"rok-jcs": ACTORS["rok-jcs"].replace("Joint Chiefs of Staff", f"'{title}'")}
    content = write_tree(folder / "content", {"launch": launch}, actors)
    result = mkdocs_build(config_for(folder, content, pagefind=False), folder / "site")
    assert result.returncode == 0, result.stderr
    return folder / "site"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page_file(site: Path, path: str) -> Path:
    return site / path.strip("/") / "index.html" if not path.endswith(".html") else site / path


def one(page: Tag, selector: str) -> Tag:
    found = page.select_one(selector)
    assert found is not None, selector
    return found


def attr(page: Tag, selector: str, name: str) -> str:
    return str(one(page, selector)[name])


def site_file(site: Path, url: str) -> Path:
    """The file in the built site that an absolute URL of the site names."""
    assert url.startswith(SITE_URL), url
    return site / url.removeprefix(SITE_URL)


def json_ld(page: BeautifulSoup) -> tuple[str, dict[str, object]]:
    scripts = page.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    text = scripts[0].string or ""
    return text, json.loads(text)


# --------------------------------------------------------------------------- the brief page


def test_brief_json_ld_is_a_news_article_about_the_event(shipped: Path, model: Site) -> None:
    for event in model.events[:20]:
        page = soup(shipped / "briefs" / event.id / "index.html")
        _, data = json_ld(page)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == event.record.title
        assert data["datePublished"] == event.record.published.isoformat()
        assert data["dateModified"] == event.last_updated.isoformat()
        assert data["publisher"] == {"@type": "Organization", "name": SITE_NAME, "url": SITE_URL}
        about = data["about"]
        assert isinstance(about, dict) and about["@type"] == "Event"
        assert about["startDate"] == str(event.record.date.start).rstrip("~?")
        assert data["mainEntityOfPage"] == f"{SITE_URL}briefs/{event.id}/"
        # What the head says already is not repeated (the description, the address as `url`,
        # the language).
        assert not {"description", "url", "inLanguage", "keywords"} & set(data), event.id
        canonical = attr(page, 'link[rel="canonical"]', "href")
        assert canonical == data["mainEntityOfPage"]
        assert attr(page, 'meta[name="description"]', "content") == (
            attr(page, 'meta[property="og:description"]', "content")
        )


def test_json_ld_is_written_without_spaces(shipped: Path, hostile: Path, model: Site) -> None:
    """Jinja's `tojson`, with its escapes of <, >, & and ', and no space after a separator."""
    pages = [shipped / "briefs" / e.id / "index.html" for e in model.events[:5]]
    for path in [*pages, hostile / "briefs" / "launch" / "index.html"]:
        text, data = json_ld(soup(path))
        compact = json.dumps(data, sort_keys=True, separators=(",", ":"))
        for char in "<>&'":
            compact = compact.replace(char, f"\\u{ord(char):04x}")
        assert text == compact


def test_json_ld_cannot_close_its_script(hostile: Path) -> None:
    """A title holding `</script><script>…` stays data: `<`, `>` and `&` are written as
    \\u003c, \\u003e and \\u0026, so the only script element is the JSON-LD one, and it reads
    back as the title exactly. The policy is not widened for it (it is never run)."""
    raw = (hostile / "briefs" / "launch" / "index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(raw, "html.parser")
    text, data = json_ld(page)
    assert not re.search(r"[<>&]", text)
    assert "\\u003c/script\\u003e" in text
    assert data["headline"] == HOSTILE
    about = data["about"]
    assert isinstance(about, dict) and about["name"] == HOSTILE
    # (The summary is the page's description: a meta tag, not the JSON-LD.)
    summary = "Fired a missile at </script><script>alert(2)</script> & co."
    assert attr(page, 'meta[name="description"]', "content") == summary
    # Minified, a `<` inside a quoted attribute is written as itself (generator/publish/minify.py):
    # outside attribute values, no tag of the record's text is left.
    outside = re.sub(r'"[^"]*"', '""', raw)
    assert "<script>alert(1)" not in outside and "<script>alert(2)" not in outside
    assert "<title>&lt;/script>&lt;script>alert(1)&lt;/script>" in raw
    scripts = [s for s in page.find_all("script") if "alert" in s.decode_contents()]
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    assert not page.find("b", string="bold")
    assert one(page, "article h1").get_text().startswith(HOSTILE)
    policy = attr(page, 'meta[http-equiv="Content-Security-Policy"]', "content")
    assert csp.script_hashes([text])[0] not in policy


def test_updated_date_beside_the_date_line(shipped: Path, model: Site, hostile: Path) -> None:
    updated = next(e for e in model.events if e.record.updates)
    line = soup(shipped / "briefs" / updated.id / "index.html").select_one(".brief-meta")
    assert line is not None and line.select_one(".brief-date")
    stamp = line.select_one(".brief-updated time")
    assert stamp is not None and stamp["datetime"] == updated.last_updated.isoformat()
    day = updated.last_updated
    assert one(line, ".brief-updated").get_text(" ", strip=True) == (
        f"Updated {day.day} {day:%B %Y}"
    )
    plain = next(e for e in model.events if not e.record.updates)
    assert not soup(shipped / "briefs" / plain.id / "index.html").select(".brief-updated")
    hostile_line = soup(hostile / "briefs" / "launch" / "index.html").select_one(".brief-meta")
    assert hostile_line is not None
    assert "Updated 1 July 2024" in " ".join(hostile_line.get_text(" ").split())


def test_update_entries_have_anchors(shipped: Path, model: Site) -> None:
    updated = next(e for e in model.events if len(e.record.updates) > 1)
    page = soup(shipped / "briefs" / updated.id / "index.html")
    for number in range(1, len(updated.record.updates) + 1):
        assert page.select_one(f"#update-{number}") is not None


def test_print_stylesheet_is_linked(shipped: Path, model: Site) -> None:
    page = soup(shipped / "briefs" / model.events[0].id / "index.html")
    hrefs = [str(link["href"]) for link in page.select('link[rel="stylesheet"]')]
    assert any(h.endswith("assets/print.css") for h in hrefs), hrefs
    css = (shipped / "assets" / "print.css").read_text(encoding="utf-8")
    assert '#sources + ol a[href^="http"]::after' in css and "attr(href)" in css


# --------------------------------------------------------------------------- sharing cards

CARD_PAGES = ["", "briefs/", "actors/rok-jcs/", "tags/", "timeline/2024/", "map/", "search/"]


def test_og_image_tags_resolve_to_real_pngs(shipped: Path, model: Site) -> None:
    pages = [*CARD_PAGES, *(f"briefs/{e.id}/" for e in model.events)]
    seen = set()
    for path in pages:
        head = soup(page_file(shipped, path))
        url = attr(head, 'meta[property="og:image"]', "content")
        width = int(attr(head, 'meta[property="og:image:width"]', "content"))
        height = int(attr(head, 'meta[property="og:image:height"]', "content"))
        with Image.open(site_file(shipped, url)) as image:
            assert image.format == "PNG"
            assert image.size == (width, height) == (cards.CARD_WIDTH, cards.CARD_HEIGHT)
        seen.add(urlsplit(url).path)
    # One card per event type in use, and the site's own for every other page.
    used = {e.record.type for e in model.events}
    assert seen == {"/assets/cards/site.png", *(f"/assets/cards/{t}.png" for t in used)}
    brief = model.events[0]
    head = soup(shipped / "briefs" / brief.id / "index.html")
    assert attr(head, 'meta[property="og:image"]', "content").endswith(
        f"/assets/cards/{brief.record.type}.png"
    )


def test_sharing_tags_are_written_once(shipped: Path, model: Site) -> None:
    """X (Twitter) takes the title, description and image from the og: tags when its own are
    absent: only its card's kind is written."""
    for path in [*CARD_PAGES, *(f"briefs/{e.id}/" for e in model.events)]:
        head = soup(page_file(shipped, path)).head
        assert head is not None
        twitter = {str(m["name"]): str(m["content"]) for m in head.select('meta[name^="twitter:"]')}
        assert twitter == {"twitter:card": "summary_large_image"}, path
        for tag in ("title", "description", "image"):
            assert len(head.select(f'meta[property="og:{tag}"]')) == 1, (path, tag)


def test_a_card_per_event_type_and_no_more(shipped: Path, model: Site) -> None:
    names = sorted(p.name for p in (shipped / "assets" / "cards").iterdir())
    expected = ["site.png", *(f"{t.id}.png" for t in model.vocabulary.event_types)]
    assert names == sorted(expected)
    first = (shipped / "assets" / "cards" / "site.png").read_bytes()
    assert first == cards.card(SITE_NAME, "Briefs · Actors · Timeline · Map")  # deterministic
    assert cards.card(SITE_NAME, "Missile launch") != first


# --------------------------------------------------------------------------- feeds


def _discovered(page: Path) -> list[str]:
    """The page's own feed (not the site-wide ones), from its auto-discovery links."""
    links = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(
        'head link[rel="alternate"][type="application/atom+xml"]'
    )
    return [str(a["href"]) for a in links if "feeds/" in str(a["href"])]


def test_actor_and_tag_pages_link_their_feeds(shipped: Path, model: Site) -> None:
    checked = 0
    for actor in model.actors[:15]:
        page = shipped / "actors" / actor.id / "index.html"
        [href] = _discovered(page)
        feed = feedparser.parse((page.parent / href).resolve().read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.title == f"{SITE_NAME}: {actor.record.name}"
        expected = {f"{SITE_URL}briefs/{i.event.id}/" for i in actor.involvement}
        links = {entry.link for entry in feed.entries}
        assert links and links <= expected
        assert len(links) == min(len(expected), feeds.TOPIC_LIMIT)
        visible = soup(page).select_one(f'.briefing-feed a[href="{href}"]')
        assert visible is not None
        checked += 1
    for tag, events in list(model.tags.items())[:15]:
        page = shipped / "tags" / tag / "index.html"
        [href] = _discovered(page)
        feed = feedparser.parse((page.parent / href).resolve().read_bytes())
        assert not feed.bozo, feed.bozo_exception
        newest = sorted(events, key=lambda e: (e.record.published, e.sort_key), reverse=True)
        limit = feeds.TOPIC_LIMIT
        assert {e.link for e in feed.entries} == {
            f"{SITE_URL}briefs/{e.id}/" for e in newest[:limit]
        }
        assert all(tag in {t.term for t in e.tags} for e in feed.entries)
        checked += 1
    assert checked > 10
    # Only actor and tag pages have one.
    assert _discovered(shipped / "index.html") == []
    assert _discovered(shipped / "briefs" / model.events[0].id / "index.html") == []


def test_feed_text_is_plain(hostile: Path) -> None:
    """Record text reaches feeds as plain text (escaped by the XML writer), never as HTML."""
    raw = (hostile / "feeds" / "actors" / "rok-jcs.xml").read_bytes()
    assert b"<script" not in raw
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == f"{SITE_NAME}: {HOSTILE}"
    # The hostile launch, and the fixture's exercise (the joint chiefs are its actor too).
    [entry] = [e for e in feed.entries if e.link == f"{SITE_URL}briefs/launch/"]
    assert [e.title for e in feed.entries if e is not entry] == ["Exercise over several days"]
    assert entry.title == HOSTILE
    assert entry.summary == "Fired a missile at </script><script>alert(2)</script> & co."
    tag_feed = feedparser.parse((hostile / "feeds" / "tags" / "missile.xml").read_bytes())
    assert [e.link for e in tag_feed.entries] == [f"{SITE_URL}briefs/launch/"]


# --------------------------------------------------------------------------- small things


def test_robots_txt_names_the_sitemap(shipped: Path) -> None:
    lines = (shipped / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {SITE_URL}sitemap.xml" in lines
    assert (shipped / "sitemap.xml").exists()


def test_the_sitemap_is_an_index_of_every_page_once(shipped: Path) -> None:
    """A few hundred bytes, naming one file of pages at this size; every page MkDocs built is
    in it once (not the 404 page, nor the old addresses of renamed records, nor the editing
    form at /admin/, which is no page for readers)."""
    assert (shipped / "sitemap.xml").stat().st_size < 400
    assert sorted(p.name for p in (shipped / "sitemaps").iterdir()) == ["1.xml"]
    assert not (shipped / "sitemap.xml.gz").exists()
    listed = [loc.removeprefix(SITE_URL) for loc, _ in sitemap(shipped, SITE_URL)]
    assert len(listed) == len(set(listed))
    folders = (
        path.parent.relative_to(shipped).as_posix()
        for path in shipped.rglob("index.html")
        if '<meta http-equiv="refresh"' not in path.read_text(encoding="utf-8")
        and path.parent.name != "admin"
    )
    assert set(listed) == {"" if folder == "." else f"{folder}/" for folder in folders}


def _lastmods(site: Path) -> dict[str, str | None]:
    return {loc.removeprefix(SITE_URL): lastmod for loc, lastmod in sitemap(site, SITE_URL)}


def test_sitemap_dates_come_from_the_records(shipped: Path, model: Site) -> None:
    dates = _lastmods(shipped)
    for event in model.events:
        assert dates[f"briefs/{event.id}/"] == event.last_updated.isoformat()
    for actor in model.actors:
        newest = max(i.event.last_updated for i in actor.involvement)
        assert dates[f"actors/{actor.id}/"] == newest.isoformat(), actor.id
    for tag, events in model.tags.items():
        assert dates[f"tags/{tag}/"] == max(e.last_updated for e in events[:100]).isoformat()
    latest = max(e.last_updated for e in model.events).isoformat()
    assert dates[""] == dates["briefs/"] == dates["timeline/"] == latest
    # Hand-written pages have no record: no date rather than the build's.
    assert dates["about/"] is None


def test_404_page_has_search_and_the_hubs(shipped: Path) -> None:
    page = soup(shipped / "404.html")
    form = page.select_one("article form.briefing-404-search")
    assert form is not None and form["action"] == "/search/"
    assert form.get("method", "get") == "get"  # (get is the default: minified away)
    field = form.select_one("input[name=q]")
    assert field is not None and form.select_one(f'label[for="{field["id"]}"]') is not None
    hubs = {
        a.get_text(strip=True): str(a["href"]) for a in page.select("article .briefing-404-hubs a")
    }
    assert hubs == {
        "Home": "/.",
        "Briefs": "/briefs/",
        "Explorer": "/explorer/",
        "Actors": "/actors/",
        "Tags": "/tags/",
    }
    for href in hubs.values():
        if href != "/.":
            assert (shipped / href.strip("/") / "index.html").exists()


def test_home_page_title_is_not_doubled(shipped: Path) -> None:
    titles = soup(shipped / "index.html").select("head title")
    assert [t.get_text() for t in titles] == [SITE_NAME]
    brief = soup(shipped / "briefs" / "index.html").select_one("head title")
    assert brief is not None and brief.get_text() == f"Briefs - {SITE_NAME}"


def test_materials_configuration_holds_only_what_its_script_reads(shipped: Path) -> None:
    """Material's `__config`: the base address, the features and the copy button's labels. Not
    the search worker, nor labels of the search and version selector (its search is off)."""
    features = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]["features"]
    for path, base in [("index.html", "."), ("briefs/index.html", ".."), ("404.html", "/")]:
        script = soup(shipped / path).select_one("script#__config")
        assert script is not None and script["type"] == "application/json"
        config = json.loads(script.get_text())
        assert config == {
            "base": base,
            "features": features,
            "translations": {
                "clipboard.copied": "Copied to clipboard",
                "clipboard.copy": "Copy to clipboard",
            },
        }, path


def test_pages_leave_out_what_no_reader_uses(shipped: Path) -> None:
    """No inline script: Material's content-tabs script is gone (no page has tabs), its storage
    helpers and palette script come from files every page shares, and the policy lists no
    hashes. Nor Material's "Made with" line; nor the data attributes listing entries once
    carried (the timeline's filters read its JSON)."""
    for path in ["index.html", "briefs/index.html", "tags/missile/index.html", "404.html"]:
        page = soup(shipped / path)
        assert page.select("script:not([src]):not([type])") == [], path
        sources = [str(s["src"]).rsplit("/", 1)[-1] for s in page.select("script[src]")]
        assert sources[:2] == ["theme-storage.js", "theme-palette.js"], path
        policy = attr(page, 'meta[http-equiv="Content-Security-Policy"]', "content")
        assert "'sha256-" not in policy, path
        assert page.select_one(".md-footer a[href*='squidfunk']") is None, path
        # No footer at all: Material's held only its copyright line, which is not set.
        assert page.select(".md-footer, .md-footer-meta") == [], path
    entries = [*soup(shipped / "tags/missile/index.html").select(".entry")]
    entries += soup(shipped / "timeline/2024/index.html").select(".entry")
    assert len(entries) > 5
    assert all(list(entry.attrs) == ["class"] for entry in entries)


def test_no_google_fonts(shipped: Path) -> None:
    for path in ["index.html", "404.html", "briefs/index.html"]:
        text = (shipped / path).read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text


def test_topic_feeds_are_made_again_only_for_changed_records(tmp_path: Path) -> None:
    """Serve: a feed whose records are the same objects is reused; an edited record's feeds are
    made again (and then say so)."""
    from generator.content.records import RecordCache
    from generator.publish import feeds

    content = write_tree(tmp_path / "content")
    records = RecordCache()
    settings = Settings(site_name="S", site_url="https://example.org/")
    first = feeds.topic_feeds(build_site(content, cache=records), settings)
    again = feeds.topic_feeds(build_site(content, cache=records), settings)
    assert all(again[path] is first[path] for path in first)
    launch = content / "events" / "2024" / "launch.yaml"
    launch.write_text(launch.read_text().replace("Suspected", "Confirmed"), encoding="utf-8")
    edited = feeds.topic_feeds(build_site(content, cache=records), settings)
    assert b"Confirmed ballistic" in edited["feeds/tags/missile.xml"]
    assert edited["feeds/actors/kim-jong-un.xml"] is first["feeds/actors/kim-jong-un.xml"]


# --------------------------------------------------------------------------- the home chart

SVG = "{http://www.w3.org/2000/svg}"


def _svg_texts(svg: ET.Element, group: str) -> list[str]:
    found = svg.find(f".//{SVG}g[@class='{group}']")
    assert found is not None, group
    return [t.text or "" for t in found.iter(f"{SVG}text")]


def _charted(model: Site) -> list[EventEntry]:
    """The dated events of the chart's 24 months: those up to the last dated event's month."""
    dated = [e for e in model.events if e.record.date.precision != "year"]
    last = dated[-1].record.date.first
    first = (last.year * 12 + last.month - 1) - 23
    return [
        e for e in dated if e.record.date.first.year * 12 + e.record.date.first.month - 1 >= first
    ]


def test_home_chart_reads_as_the_records_say(shipped: Path, model: Site) -> None:
    """The SVG, parsed: month and count axes, legend and text alternative match the records."""
    home = soup(shipped / "index.html")
    svg = ET.fromstring(str(one(home, "figure.chart svg")))
    dated = _charted(model)
    per_month: dict[str, dict[str, int]] = {}
    for event in dated:
        month = f"{event.record.date.first:%b %Y}"
        by_type = per_month.setdefault(month, {})
        label = model.term("event_types", event.record.type).label
        by_type[label] = by_type.get(label, 0) + 1
    first, last = dated[0].record.date.first, dated[-1].record.date.first
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    assert span <= 24  # (the chart's window: its last 24 months)
    months = sorted(per_month, key=lambda m: dt.datetime.strptime(m, "%b %Y"))
    # Only the months in range: the first month label is the first month with events.
    month_axis = _svg_texts(svg, "chart-axis chart-axis--month")
    assert month_axis[-1] == "Month"
    assert month_axis[0] == months[0] and set(month_axis[:-1]) <= {
        f"{dt.date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1):%b %Y}"
        for n in range(span)
    }
    count_axis = _svg_texts(svg, "chart-axis chart-axis--count")
    assert count_axis[-1] == "Events"
    counts = [int(t) for t in count_axis[:-1]]
    peak = max(sum(t.values()) for t in per_month.values())
    assert counts[0] == 0 and counts == sorted(counts) and counts[-1] >= peak > counts[-2]
    # The legend, a list under the drawing: each type shown, in the vocabulary's order, with its
    # colour (the type's, as on the timeline: chart.colours).
    shown = {label for by_type in per_month.values() for label in by_type}
    order = [t.label for t in model.vocabulary.event_types if t.label in shown]
    legend = home.select("figure.chart ul.chart-legend li")
    assert [li.get_text(strip=True) for li in legend] == order
    colour = chart.colours(model.vocabulary)
    by_label = {t.label: t.id for t in model.vocabulary.event_types}
    assert [li.span["class"] for li in legend if li.span] == [
        [f"chart-type-{colour[by_label[label]]}"] for label in order
    ]
    # The bars: each segment's count, per month and type.
    segments: dict[str, dict[str, int]] = {}
    for rect in svg.iter(f"{SVG}rect"):
        title = rect.find(f"{SVG}title")
        if title is not None and title.text:
            month, what = title.text.split(": ", 1)
            count, label = what.split(" × ")
            segments.setdefault(month, {})[label] = int(count)
    assert segments == per_month
    # The text alternative: a group of the months' links, named by its title and described, and
    # a table of every month; the axes are hidden from assistive technology (the description
    # and the table say them).
    assert svg.get("role") == "group"
    named = {el.get("id"): el.text or "" for el in svg if el.get("id")}
    name = named[svg.get("aria-labelledby")]
    description = named[svg.get("aria-describedby")]
    assert name == f"Events per month by type, {months[0]} to {months[-1]}"
    for label in order:
        total = sum(by_type.get(label, 0) for by_type in per_month.values())
        assert f"{label} {total}" in description
    for group in svg.iter(f"{SVG}g"):
        assert group.get("aria-hidden") == "true", group.get("class")
    table = one(home, "table.chart-table")
    header = [th.get_text() for th in table.select("thead th")]
    assert header == ["Month", *order, "All"]
    rows = {
        tr.th.get_text(): [int(td.get_text()) for td in tr.select("td")]
        for tr in table.select("tbody tr")
        if tr.th
    }
    listed = list(rows)
    assert listed[0] == months[0] and listed[-1] == months[-1]
    for month, values in rows.items():
        by_type = per_month.get(month, {})
        assert values == [by_type.get(label, 0) for label in order] + [sum(by_type.values())]


def test_each_bar_links_to_its_month(shipped: Path, model: Site) -> None:
    """Each month's bar links to the month's heading on its year's page, named by the month and
    its counts; the page it opens lists that month's briefs right after the heading."""
    home = soup(shipped / "index.html")
    bars = home.select("figure.chart svg a.chart-month")
    months = {(e.record.date.first.year, e.record.date.first.month) for e in _charted(model)}
    assert len(bars) == len(months) >= 3
    for bar in bars:
        href = str(bar.get("xlink:href"))
        path, _, anchor = href.partition("#")
        assert re.fullmatch(r"timeline/\d{4}/(page/\d+/)?", path), href
        year = int(path.split("/")[1])
        heading = one(soup(shipped / path / "index.html"), f"h2#{anchor}")
        month_name = heading.get_text(strip=True)
        assert month_name.endswith(str(year)) and anchor == month_name.lower().replace(" ", "-")
        entry = heading.find_next_sibling("div", class_="entry")
        assert entry is not None and entry.find("a") is not None
        count = sum(
            1
            for e in model.events
            if f"{e.record.date.first:%B %Y}" == month_name and e.record.date.precision != "year"
        )
        label = str(bar.get("aria-label"))
        assert label.startswith(f"{month_name}: {count} event"), label
        assert len(bar.find_all("rect")) >= 1


def test_a_month_on_a_later_page_is_linked_there() -> None:
    """In a paginated year, the bar links to the page where its month's briefs start."""
    from generator.session.build import render_site

    site = build_site(FIXTURE)
    pages = render_site(site, Settings(templates_dir=ROOT / "templates", page_size=1))
    pages = {path: embed.unmark(text) for path, text in pages.items()}
    home = BeautifulSoup(pages["index.md"], "html.parser")
    links = {
        str(a["aria-label"]).split(":")[0]: a["xlink:href"] for a in home.select("a.chart-month")
    }
    # 2024: balloons (c. May), then launch and claim (26 and 27 June): June starts on page 2.
    assert links["May 2024"] == "timeline/2024/#may-2024"
    assert links["June 2024"] == "timeline/2024/page/2/#june-2024"
    assert "## June 2024 { #june-2024 }" in pages["timeline/2024/page/2.md"]
    assert "## June 2024 { #june-2024 }" in pages["timeline/2024/page/3.md"]


def test_home_lists_each_brief_once(shipped: Path, model: Site) -> None:
    """The developing stories, then the latest of the other briefs: none twice."""
    home = soup(shipped / "index.html")
    listed = [str(a["href"]) for a in home.select(".entry p:first-child a[href*='briefs/']")]
    assert len(listed) == len(set(listed)) > 10
    developing = [e for e in reversed(model.events) if e.record.status == "developing"][:10]
    others = [e for e in reversed(model.events) if e not in developing][:10]
    assert [href.strip("/").split("/")[-1] for href in listed] == [
        e.id for e in [*developing, *others]
    ]


# Machado, Oliveira and Fernandes (2009): full protanopia, deuteranopia and tritanopia, on
# linear RGB.
DEFICIENCIES = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _linear(hex_colour: str) -> list[float]:
    values = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values]


def _lab(linear: list[float]) -> tuple[float, float, float]:
    """CIELAB (D65) of a linear RGB colour."""
    r, g, b = (min(max(v, 0.0), 1.0) for v in linear)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_the_type_colours_stay_apart_for_colour_blind_readers(scheme: str) -> None:
    """The event types' colours in briefing.css, one palette per scheme: under each common
    colour-vision deficiency, simulated, every two colours stay at least 10 apart (CIE76 ΔE;
    the palette before Paul Tol's had pairs 4.6 apart for protanopes and 5.1 for deuteranopes)."""
    css = (ROOT / "templates" / "overrides" / "assets" / "briefing.css").read_text(encoding="utf-8")
    prefix = r'\[data-md-color-scheme="slate"\] ' if scheme == "slate" else r"^"
    found = re.findall(
        prefix + r"\.chart-type-(\d) \{ --chart-colour: (#[0-9a-f]{6}); \}", css, re.M
    )
    colours = [colour for _, colour in sorted(found)]
    assert len(colours) == chart.PALETTE == 9
    for name, matrix in {"normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)), **DEFICIENCIES}.items():
        seen = [
            _lab([sum(row[i] * value[i] for i in range(3)) for row in matrix])
            for value in map(_linear, colours)
        ]
        closest = min(
            (math.dist(seen[i], seen[j]), colours[i], colours[j])
            for i in range(len(seen))
            for j in range(i + 1, len(seen))
        )
        assert closest[0] >= 10, f"{scheme}, {name}: {closest}"


# --------------------------------------------------------------------------- bytes per event


def test_tag_and_year_pages_list_each_brief_on_one_line(shipped: Path, model: Site) -> None:
    """A tag's or a year's page lists a brief by its date, type, title (the link) and status, and
    not its summary or actors, which it would repeat once per tag and once in its year; the
    list of all briefs and the home page keep them."""
    pages = [*shipped.glob("tags/*/index.html"), *shipped.glob("timeline/[0-9]*/index.html")]
    assert len(pages) > 10
    by_url = {f"briefs/{e.id}/": e for e in model.events}
    for path in pages:
        for entry in soup(path).select("article .entry"):
            assert [p.name for p in entry.find_all(recursive=False)] == ["p"], path
            links = entry.select("a")
            assert len(links) == 1, path
            event = by_url[str(links[0]["href"]).removeprefix("../").removeprefix("../")]
            assert links[0].get_text() == event.record.title
            assert entry.select(".entry-actors") == []
            label = model.term("event_types", event.record.type).label
            assert entry.get_text().startswith(f"{event.record.date.display()} · {label} · ")
    full = soup(shipped / "briefs" / "index.html").select("article .entry")
    assert full and all(e.select_one(".entry-actors") for e in full)


def test_the_drawer_is_one_link_per_section(shipped: Path) -> None:
    """The mobile drawer (Material's primary navigation) on a page in no section is one link per
    tab, to where the tab goes, with no icons, toggles or logo; on a page in a section, that
    section keeps its own pages."""
    for path in [
        f"briefs/{sorted(p.name for p in (shipped / 'briefs').iterdir() if p.is_dir())[5]}/",
        "tags/missile/",
        "actors/kim-jong-un/",
    ]:
        page = soup(page_file(shipped, path))
        drawer = one(page, "nav.md-nav--primary")
        tabs = [(a.get_text(strip=True), a["href"]) for a in page.select("nav.md-tabs a")]
        links = [(a.get_text(strip=True), a["href"]) for a in drawer.select("a")]
        assert links == tabs, path
        assert drawer.select("input, svg, .md-logo, .md-ellipsis, a[class]") == [], path
        assert one(drawer, "label.md-nav__title")["for"] == "__drawer"
        raw = page_file(shipped, path).read_text(encoding="utf-8")
        start = raw.index("<nav", raw.index("md-sidebar--primary"))
        assert raw.index("</nav>", start) - start < 700, path  # (Material's: 2.2 KB)
    about = one(soup(page_file(shipped, "about/")), "nav.md-nav--primary")
    assert about.select_one("a[href='../methodology/']") is not None
    assert about.select_one(".md-nav__item--active") is not None


def test_headings_carry_no_permalink_sign(shipped: Path, model: Site) -> None:
    """No ¶ link after each heading (0.5 KB of a brief): headings keep their ids, and the table
    of contents of a long page links to them."""
    for event in model.events:
        page = soup(shipped / "briefs" / event.id / "index.html")
        assert page.select(".headerlink") == [], event.id
        assert page.select_one("article h1#brief") is not None
        ids = {h["id"] for h in page.select("article h2[id], article h3[id]")}
        assert {"actors", "sources"} <= ids, event.id
        toc = [str(a["href"]) for a in page.select("nav.md-nav--secondary a")]
        assert {href.removeprefix("#") for href in toc} <= ids, event.id


def test_the_head_says_each_thing_once(shipped: Path, model: Site) -> None:
    """No generator line (MkDocs' and Material's versions), no og:image:type (the card's address
    ends in .png); what Material's head writes and the site uses is kept."""
    for path in ["index.html", "tags/missile/index.html", "404.html"] + [
        f"briefs/{e.id}/index.html" for e in model.events[:5]
    ]:
        head = soup(shipped / path).head
        assert head is not None
        assert head.select('meta[name="generator"], meta[property="og:image:type"]') == [], path
        assert head.select_one('meta[name="viewport"]') is not None, path
        assert head.select_one('meta[name="description"]') is not None, path
        assert head.select_one('link[rel="icon"]') is not None, path
        assert head.select_one("meta[charset]") is not None, path
        if path != "404.html":
            assert head.select_one('link[rel="canonical"]') is not None, path
        page = soup(shipped / path)
        # The site's modules through one (assets/site.js imports the others).
        modules = [str(s["src"]) for s in page.select('script[type="module"]')]
        assert [m.rsplit("/", 1)[-1] for m in modules] == ["site.js"], path
        # The header's search box is named by its aria-label, not a hidden label of its own.
        box = one(page, "form.briefing-header-search input[name=q]")
        assert box["aria-label"] == "Search briefs and actors"
        assert not page.select("form.briefing-header-search label"), path
    site_js = (ROOT / "templates/overrides/assets/site.js").read_text(encoding="utf-8")
    imports = re.findall(r'^import "(\./[^"]+)";$', site_js, re.M)
    assert imports == ["./search/header.js", "./timeline.js", "./highlight.js"]


def test_the_palette_toggle_is_one_button(shipped: Path) -> None:
    """One button in the header (templates/overrides/partials/palette.html), hidden until its
    script shows it, in place of Material's form of radio buttons and labels; its script knows
    the palettes of mkdocs.yml, in their order, with their schemes, names and icons."""
    for path in ["index.html", "tags/missile/index.html", "404.html"]:
        header = one(soup(shipped / path), "header")
        assert header.select("form, input") == [], path
        button = one(header, "button#__palette")
        assert button["type"] == "button" and button.has_attr("hidden"), path
        assert button["title"] == button["aria-label"] == "Switch to dark mode"
        assert str(one(button, "use")["href"]).endswith("icons.svg#night")
        loader = one(header, "button#__palette + script")
        assert str(loader["src"]).endswith("assets/theme-palette.js")
    script = (ROOT / "templates/overrides/assets/theme-palette.js").read_text(encoding="utf-8")
    palettes = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]["palette"]
    table = script[script.index("const PALETTES") : script.index("];")]
    found = re.findall(
        r'media: "([^"]+)",\s*scheme: "([^"]+)",\s*name: "([^"]+)",\s*icon: "([^"]+)"', table
    )
    assert found == [
        (p["media"], p["scheme"], p["toggle"]["name"], p["toggle"]["icon"].split("/")[-1])
        for p in palettes
    ]
    assert {p["primary"] for p in palettes} == {p["accent"] for p in palettes} == {"indigo"}


def test_topic_feeds_hold_the_newest_twenty(tmp_path: Path) -> None:
    """An actor's or a tag's feed holds its newest `TOPIC_LIMIT` briefs (a reader polling it needs
    no more; the profile or tag page lists them all); the site's own feed keeps `LIMIT`."""
    from generator.commands.synth import generate
    from generator.publish import feeds

    generate(tmp_path, events=400, actors=12, seed=3)
    site = build_site(tmp_path)
    settings = Settings(site_url=SITE_URL)
    made = feeds.topic_feeds(site, settings)
    longer = 0
    for actor in site.actors:
        entries = feedparser.parse(made[f"feeds/actors/{actor.id}.xml"]).entries
        events = sorted(
            (i.event for i in actor.involvement),
            key=lambda e: (e.record.published, e.sort_key),
            reverse=True,
        )
        assert len(entries) == min(len(events), feeds.TOPIC_LIMIT) == min(len(events), 20)
        assert [e.link for e in entries] == [f"{SITE_URL}briefs/{e.id}/" for e in events[:20]]
        longer += len(events) > 20
    assert longer >= 3
    for tag, events in site.tags.items():
        entries = feedparser.parse(made[f"feeds/tags/{tag}.xml"]).entries
        assert len(entries) == min(len(events), 20), tag
    assert (
        len(feedparser.parse(feeds.briefs_feed(site, settings)).entries) == feeds.FEED_LIMIT == 50
    )


def test_a_profile_lists_its_latest_ten_claims(tmp_path: Path) -> None:
    """A profile's "Claims made" holds the latest ten claims (each brief gives all of its own),
    saying how many there are when there are more."""
    from generator.commands.synth import generate

    generate(tmp_path / "content", events=300, actors=8, seed=5)
    site = build_site(tmp_path / "content")
    quoted = max(site.actors, key=lambda a: len(a.claims))
    assert len(quoted.claims) > 10
    result = mkdocs_build(config_for(tmp_path, tmp_path / "content"), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = soup(tmp_path / "site" / "actors" / quoted.id / "index.html")
    heading = one(page, "h2#claims-made")
    items = heading.find_next("ul")
    assert items is not None and len(items.find_all("li", recursive=False)) == 10
    note = heading.find_next("p")
    assert note is not None and note.get_text() == (
        f"The latest 10 of {len(quoted.claims)}; each brief gives the claims made on it."
    )
    first = items.find("li")
    assert first is not None and f"briefs/{quoted.claims[0][0].id}/" in str(first)
