"""The visual timeline's build-time SVG, read as XML: on the shipped content every brief is
one mark in its type's lane at its date, linking to its brief; at 10,000 events the overview
is aggregated and stays within the byte budget. Also each brief's strip and the JSON."""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from generator.commands.synth import generate
from generator.render import embed, timeline
from generator.session.build import render_site
from generator.settings import Settings
from generator.site import entries
from generator.site.entries import Site
from generator.site.link import build_site
from tests.conftest import FIXTURE

ROOT = Path(__file__).parent.parent
NS = {"svg": "http://www.w3.org/2000/svg"}
XLINK = "http://www.w3.org/1999/xlink"
BUDGET = 300 * 1024
"""Bytes a reader's browser may transfer for /timeline/ at 10,000 events (gzip)."""


def _svg(markdown: str, css_class: str = "tl") -> ET.Element:
    """The SVG inside the figure of ``css_class`` in a page's Markdown, parsed."""
    match = re.search(rf'<figure class="{css_class}"[^>]*>.*?(<svg .*?</svg>)', markdown, re.S)
    assert match, f"no {css_class} figure"
    return ET.fromstring(match[1])


def _strip_marks(markdown: str) -> list[Tag]:
    """The marks of a brief's strip in order, each a link (this brief, a related event) or a
    bare rect (a plain neighbour), parsed as the browser's HTML parser reads them (the SVG
    declares no namespaces)."""
    figure = BeautifulSoup(markdown, "html.parser").select_one("figure.tl-strip svg")
    assert figure is not None
    return figure.find_all(["a", "rect"], recursive=False)


def _x(day: dt.date, first: dt.date, last: dt.date, svg: ET.Element) -> float:
    left, right = float(svg.get("data-left", "")), float(svg.get("data-right", ""))
    return left + (right - left) * (day - first).days / ((last - first).days + 1)


@pytest.fixture(scope="module")
def shipped() -> tuple[dict[str, str], Site]:
    site = build_site(ROOT / "content")
    pages = render_site(site, Settings(templates_dir=ROOT / "templates"))
    return {path: embed.unmark(text) for path, text in pages.items()}, site


def test_every_brief_is_one_mark_in_its_lane_at_its_date(
    shipped: tuple[dict[str, str], Site],
) -> None:
    pages, site = shipped
    markdown = pages["timeline/index.md"]
    figure = re.search(r'<figure class="tl"[^>]*>', markdown)
    assert figure
    first = dt.date.fromisoformat(re.search(r'data-first="([^"]+)"', figure[0])[1])  # type: ignore[index]
    last = dt.date.fromisoformat(re.search(r'data-last="([^"]+)"', figure[0])[1])  # type: ignore[index]
    svg = _svg(markdown)
    assert svg.get("data-bin") == ""  # single events, not counts
    seen: dict[str, int] = {}
    for lane in svg.findall("svg:g[@class='tl-lane']", NS):
        for mark in lane.findall("svg:a[@class='tl-mark']", NS):
            event = site.event_by_id[mark.get("data-id", "")]
            seen[event.id] = seen.get(event.id, 0) + 1
            assert lane.get("data-type") == event.record.type, event.id
            assert mark.get(f"{{{XLINK}}}href") == f"../briefs/{event.id}/"
            rect = mark.find("svg:rect", NS)
            assert rect is not None
            x, width = float(rect.get("x", "")), float(rect.get("width", ""))
            lane_y = float(lane.find("svg:rect", NS).get("y", ""))  # type: ignore[union-attr]
            assert lane_y <= float(rect.get("y", "")) < lane_y + 26
            date = event.record.date
            start = _x(date.first, first, last, svg)
            if date.is_day:  # a point, centred on its day
                assert "tl-point" in rect.get("class", "")
                assert (
                    abs(
                        x
                        + width / 2
                        - (start + _x(date.first + dt.timedelta(1), first, last, svg)) / 2
                    )
                    < 2
                )
            else:  # a span from its first day to its last
                assert "tl-span" in rect.get("class", "")
                end = _x(date.last + dt.timedelta(1), first, last, svg)
                # (a span too short to see is drawn 2 units wide, from its first day)
                assert abs(x - start) < 0.1 and abs(x + width - max(end, start + 2)) < 0.6, event.id
            title = mark.find("svg:title", NS)
            assert title is not None and event.record.title in (title.text or "")
    assert seen == {e.id: 1 for e in site.events}


def test_a_month_only_event_is_a_span(tmp_path: Path) -> None:
    site = build_site(ROOT / "content")
    overview = timeline.overview(site)
    assert overview is not None
    months = [m for m in overview.marks if m.event.record.date.precision == "month"]
    days = [m for m in overview.marks if m.event.record.date.is_day]
    assert months and days
    scale = (overview.width - timeline.LABELS - 8) / ((overview.last - overview.first).days + 1)
    for mark in months:  # a span over its month's days (if wider than the 2 units of the least)
        days_in = (mark.event.record.date.last - mark.event.record.date.first).days + 1
        assert not mark.point and mark.width == pytest.approx(max(2.0, days_in * scale), abs=0.6)


def test_each_brief_has_a_strip_with_its_neighbours(shipped: tuple[dict[str, str], Site]) -> None:
    pages, site = shipped
    for event in site.events:
        markdown = pages[f"briefs/{event.id}.md"]
        marks = _strip_marks(markdown)
        shown = entries.neighbours(event)
        assert len(marks) == len(shown)
        related = {o.id for g in event.related for o in g.events}
        for mark, other in zip(marks, shown, strict=True):
            if other is not event and other.id not in related:
                # A plain neighbour is a bare mark: no link, no title (1 KB of every brief).
                assert mark.name == "rect" and mark.find("title") is None, other.id
                continue
            # This brief and its related events link to their briefs, named by date and title.
            assert mark.name == "a"
            assert mark.get("xlink:href") == (f"../{other.id}/" if other is not event else "./")
            title = mark.find("title")
            assert title is not None
            assert title.text.startswith(f"{other.record.date.display()}: {other.record.title}")
            kind = ["tl-strip-related"] if other is not event else None
            assert mark.get("class") == kind
            assert title.text.endswith(" (related)") == (kind is not None)
        selves = [m for m in marks if m.get("aria-current") == "page"]
        assert [m.get("xlink:href") for m in selves] == ["./"]
        assert len(selves) == 1
        # The figure is named by its caption: the SVG has no title of its own.
        svg = BeautifulSoup(markdown, "html.parser").select_one("figure.tl-strip svg")
        assert svg is not None and svg.find("title", recursive=False) is None
        at = event.record.date.first.isoformat()
        assert f'<a href="../../timeline/?at={at}#timeline-lanes">' in markdown


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """400 synthetic events: days, months, years, intervals, approximate and uncertain, often
    several on one day."""
    content = tmp_path_factory.mktemp("strips") / "content"
    generate(content, events=400, actors=40, seed=3)
    return build_site(content)


def test_strips_are_legible_on_a_phone(
    shipped: tuple[dict[str, str], Site], synthetic: Site
) -> None:
    """Laid out for a phone's column (`timeline.STRIP_NARROWEST` px): no two marks of a row
    touch, no two labels run into each other, every label ends inside the strip, and there
    are at least two of them (one label gives a phone reader no sense of the scale)."""
    _, site = shipped
    narrow = timeline.STRIP_NARROWEST
    kinds = Counter[str]()
    for event in [*site.events, *synthetic.events]:
        strip = timeline.strip(site if event in site.events else synthetic, event)
        kinds[event.record.date.precision + ("/" if event.record.date.is_interval else "")] += 1
        assert [m.event for m in strip.marks] == entries.neighbours(event)
        assert sum(m.role == "self" for m in strip.marks) == 1
        for row in range(strip.rows):
            spans = sorted(
                (
                    m.x * narrow / 100,
                    (m.x + m.width) * narrow / 100
                    if m.width
                    else m.x * narrow / 100 + timeline.STRIP_POINT,
                )
                for m in strip.marks
                if m.row == row
            )
            for (_, end), (start, _) in itertools.pairwise(spans):
                assert end < start, f"{event.id}: marks touch on row {row}: {spans}"
        assert len(strip.ticks) >= 2, f"{event.id}: {strip.ticks}"
        places = [(t.x * narrow / 100, timeline.label_width(t.label)) for t in strip.ticks]
        for (x, width), (next_x, _) in itertools.pairwise(places):
            assert x + width <= next_x, f"{event.id}: labels overlap: {strip.ticks}"
        assert places[-1][0] + places[-1][1] - 8 <= narrow, f"{event.id}: {strip.ticks}"
    assert {"day", "month", "day/"} <= set(kinds), kinds


def _shown(markdown: str) -> str:
    """A generated page's text as readers see it: not its front matter (machine dates: lastmod,
    JSON-LD) nor its search data (the sort key), nor attributes and addresses."""
    body = markdown.split("\n---\n", 1)[1] if markdown.startswith("---\n") else markdown
    page = BeautifulSoup(body, "html.parser")
    for hidden in page.select(".search-data"):
        hidden.decompose()
    return re.sub(r"\]\([^)]*\)", "]", page.get_text(" "))


def test_no_date_is_shown_finer_than_it_is() -> None:
    """A month, a year or an interval is never printed as a day, nor its first day shown (the
    strip's link opens the timeline at it, in its address only): not on the brief, its
    neighbours' strips, the lists and hubs."""
    site = build_site(FIXTURE)
    pages = render_site(site, Settings(templates_dir=ROOT / "templates"))
    pages = {path: embed.unmark(text) for path, text in pages.items()}
    balloons = site.event_by_id["balloons"].record.date
    assert balloons.precision == "month"
    exercise = site.event_by_id["exercise"].record.date
    assert exercise.is_interval
    shown = {path: _shown(text) for path, text in pages.items()}
    for wrong in ("1 May 2024", "2024-05-01", "2023-08-28"):
        assert [path for path, text in shown.items() if wrong in text] == [], wrong
    assert "Open the timeline at c. May 2024" in shown["briefs/balloons.md"]
    assert "Open the timeline at 28 August–1 September 2023" in shown["briefs/exercise.md"]
    assert "?at=2024-05-01#" in pages["briefs/balloons.md"]


def test_strip_links_without_directory_urls(shipped: tuple[dict[str, str], Site]) -> None:
    _, site = shipped
    settings = Settings(templates_dir=ROOT / "templates", directory_urls=False)
    pages = render_site(site, settings)
    for event in site.events:
        markdown = pages[f"briefs/{event.id}.md"]
        hrefs = [m.get("xlink:href") for m in _strip_marks(markdown)]
        related = {o.id for g in event.related for o in g.events} | {event.id}
        assert hrefs == [
            f"{e.id}.html" if e.id in related else None for e in entries.neighbours(event)
        ]
        at = event.record.date.first.isoformat()
        assert f'<a href="../timeline/index.html?at={at}#timeline-lanes">' in markdown


def test_the_json_holds_every_event_once(shipped: tuple[dict[str, str], Site]) -> None:
    _, site = shipped
    files = timeline.data(site)
    index = json.loads(files["data/timeline/index.json"])
    assert len(index["first"]) == len(site.events)
    ids = []
    for year, (start, count) in index["years"].items():
        data = json.loads(files[f"data/timeline/{year}.json"])
        assert data["start"] == start and len(data["id"]) == count
        ids += data["id"]
    assert ids == [e.id for e in site.events]


@pytest.mark.slow
def test_at_10000_events_the_overview_is_aggregated_and_small(tmp_path: Path) -> None:
    generate(tmp_path, events=10_000, actors=1_000, seed=3)
    site = build_site(tmp_path)
    overview = timeline.overview(site)
    assert overview is not None and overview.bin and not overview.marks
    pages = render_site(site, Settings(templates_dir=ROOT / "templates"))
    markdown = pages["timeline/index.md"]
    svg = _svg(markdown)
    assert not svg.findall(".//svg:a[@class='tl-mark']", NS)
    bars = svg.findall(".//svg:rect", NS)
    titles = [t.text or "" for t in svg.findall(".//svg:rect/svg:title", NS)]
    counted = sum(int(re.findall(r": (\d+) ×", text)[0]) for text in titles)
    assert counted == 10_000 and len(bars) < 2_000
    # What /timeline/ needs before it is interactive, compressed as a static host sends it:
    # the page's Markdown (its HTML adds the theme's shell) and index.json, and the scripts.
    index = timeline.data(site)["data/timeline/index.json"]
    scripts = sum(
        (ROOT / "templates/overrides/assets" / name).stat().st_size
        for name in ("timeline.js", "timeline-lanes.js", "dom.js")
    )
    sent = len(gzip.compress(markdown.encode())) + len(gzip.compress(index.encode())) + scripts
    assert sent < BUDGET, sent
