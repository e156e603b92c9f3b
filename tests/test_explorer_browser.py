"""The explorer (/explorer/) in a real browser: the counts agree at every zoom, by buttons and
by URL; an event chosen anywhere is chosen everywhere, with its card; back and forward; the
keyboard; the table's order; the downloads, neutralised as the site's CSV is; axe and the
screenshots at 390 and 1280 px, light and dark."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from generator.commands.synth import generate
from generator.publish.exports import csv_cell
from generator.site.link import build_site
from tests.browser_support import (
    BRIEF_ID,
    _screenshot,
    _serious_violations,
    open_page,
    serve,
)
from tests.sitebuild import ROOT, config_for, mkdocs_build

pytestmark = pytest.mark.browser

READY = "[data-explorer][data-ready=true]"


def _ready(page: Page) -> dict[str, Any]:
    expect(page.locator(READY)).to_have_count(1)
    state: dict[str, Any] = page.evaluate("window.briefingExplorer.state()")
    return state


def _in_window(start: str, end: str, type_: str = "", content: Path = ROOT / "content") -> set[str]:
    """The events of ``content`` between two days (an event counts when any of its days falls
    in them): worked out here, from the records, not from the page."""
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return {
        e.id
        for e in build_site(content).events
        if e.record.date.first <= last
        and e.record.date.last >= first
        and (not type_ or e.record.type == type_)
    }


def _assert_counts_agree(
    page: Page, type_: str = "", content: Path = ROOT / "content"
) -> dict[str, Any]:
    state = _ready(page)
    expected = _in_window(state["from"], state["to"], type_, content)
    caption = page.locator(".bx-caption").inner_text()
    said = int(re.findall(r"^(\d+) events?", caption)[0])
    marks = page.locator(".bx-lanes .bx-mark").count()
    grouped = sum(
        int(n)
        for n in page.locator(".bx-lanes .bx-group").evaluate_all(
            "els => els.map(e => e.dataset.count)"
        )
    )
    rows = page.locator(".bx-table tbody tr").evaluate_all("els => els.map(e => e.dataset.id)")
    # The list shows 500 rows at a time, and offers the rest.
    rest = len(expected) - len(rows)
    more = page.locator(".bx-more")
    if rest:
        expect(more).to_have_text(f"Show {min(rest, 500)} more of {rest}")
    else:
        expect(more).to_be_hidden()
    assert said == marks + grouped == len(rows) + rest == len(expected), (state, caption)
    assert set(rows) <= expected and len(rows) == min(500, len(expected))
    assert state["count"] == state["drawn"] == state["listed"] == len(expected)
    return state


def test_counts_agree_at_every_zoom_by_buttons_and_by_url(browser: Browser, site_url: str) -> None:
    seen_units = set()
    with open_page(browser, site_url) as page:
        page.goto(f"{site_url}/explorer/")
        steps = ["Show all", "Zoom in", "Zoom in", "Zoom in", "Earlier", "Later", "Zoom in"]
        urls = []
        for step in steps + ["Zoom in"] * 12:
            if step == "Zoom in" and "day" in seen_units:
                break  # zoomed in as far as days: the finest ticks
            page.locator(".bx-tools").get_by_role("button", name=step, exact=True).click()
            state = _assert_counts_agree(page)
            seen_units.add(state["unit"])
            urls.append((page.url, state))
        page.select_option(".bx-filters select[name=type]", "missile-launch")
        expect(page).to_have_url(re.compile(r"type=missile-launch"))
        _assert_counts_agree(page, "missile-launch")
    assert "day" in seen_units and len(seen_units) >= 2, seen_units
    # The same views, from their URLs alone (a shared link).
    with open_page(browser, site_url) as page:
        for url, state in urls:
            page.goto(url)
            again = _assert_counts_agree(page)
            assert (again["from"], again["to"], again["count"]) == (
                state["from"],
                state["to"],
                state["count"],
            )


def test_an_event_alone_in_the_url_is_centred_chosen_and_carded(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/explorer/?event={BRIEF_ID}")
    state = _assert_counts_agree(page)
    assert state["event"] == BRIEF_ID
    record = next(e for e in build_site(ROOT / "content").events if e.id == BRIEF_ID).record
    assert state["from"] <= record.date.first.isoformat() <= state["to"]
    card = page.locator(".bx-card")
    expect(card).to_be_visible()
    expect(card.locator("h2")).to_have_text(record.title)
    expect(card.locator(".bx-card-facts")).to_contain_text(record.date.display())
    expect(card.locator(".bx-card-summary")).to_have_text(record.summary)
    expect(card.get_by_role("link", name="Read the brief")).to_have_attribute(
        "href", re.compile(rf"/briefs/{BRIEF_ID}/$")
    )
    mark = page.locator(f'.bx-mark[data-id="{BRIEF_ID}"]')
    expect(mark).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f'.bx-table tr[data-id="{BRIEF_ID}"]')).to_have_class("bx-chosen")
    # Choosing another event in the list chooses it on the timeline, in the URL and the card.
    other = page.locator(".bx-table .bx-pick").first
    other_id = other.get_attribute("data-id")
    assert other_id and other_id != BRIEF_ID
    other.click()
    expect(page).to_have_url(re.compile(rf"event={other_id}"))
    expect(page.locator(f'.bx-mark[data-id="{other_id}"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(card).to_have_attribute("data-id", other_id)
    # Back: the first event again; forward: the second.
    page.go_back()
    expect(page).to_have_url(re.compile(rf"event={BRIEF_ID}"))
    expect(card).to_have_attribute("data-id", BRIEF_ID)
    page.go_forward()
    expect(card).to_have_attribute("data-id", other_id)


def test_the_map_chooses_and_shows_the_window(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/explorer/?event={BRIEF_ID}")
    _ready(page)
    expect(page.locator(".bx-map[data-ready=true]")).to_have_count(1)
    state = page.evaluate("window.briefingExplorer.state()")
    assert state["mapped"] == state["located"] > 0
    page.locator(".bx-tools").get_by_role("button", name="Zoom in", exact=True).click()
    state = _ready(page)
    assert page.evaluate("window.briefingExplorer.state()")["mapped"] == state["located"]


def test_every_event_by_keyboard_card_on_focus(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/explorer/")
    _ready(page)
    mark = page.locator(".bx-lanes .bx-mark").first
    mark.focus()
    expect(page.locator(".bx-card")).to_be_visible()
    expect(page.locator(".bx-card")).to_have_attribute("data-id", mark.get_attribute("data-id"))
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)] }"
    )
    assert outline[0] != "none" and outline[1] >= 2
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"event="))
    # Every event has a button in the list, reached by Tab like any button.
    picks = page.locator(".bx-table .bx-pick").evaluate_all("els => els.map(e => e.dataset.id)")
    assert set(picks) == {e.id for e in build_site(ROOT / "content").events}
    # Targets are at least 24 px square.
    small = page.evaluate(
        """() => [...document.querySelectorAll('.bx button')]
          .filter(b => b.offsetParent)
          .map(b => [b.textContent.trim().slice(0, 30), b.getBoundingClientRect()])
          .filter(([, r]) => r.width < 24 || r.height < 24)
          .map(([t, r]) => `${t}: ${r.width}x${r.height}`)"""
    )
    assert small == []


def test_table_sorts_by_each_column(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/explorer/")
    _ready(page)
    header = page.locator(".bx-table th", has_text="Title")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    titles = page.locator(".bx-table .bx-pick").all_inner_texts()
    assert titles == sorted(titles, key=str.lower)
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert page.locator(".bx-table .bx-pick").all_inner_texts() == sorted(
        titles, key=str.lower, reverse=True
    )


NEUTRALISED = [
    "=1+1",
    "+SUM(A1)",
    "-2",
    "@cmd",
    "\tx",
    "\rx",
    "'=1",
    "''+x",
    "'plain",
    "plain",
    "",
    "a=b",
    " =x",
]


def test_downloads_neutralise_as_the_site_csv(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/explorer/")
    _ready(page)
    cells = page.evaluate(
        """async (values) => {
          const m = await import(new URL('../assets/explorer/explorer-csv.js', location.href));
          return values.map((v) => m.csvCell(v));
        }""",
        NEUTRALISED,
    )
    assert cells == [csv_cell(v) for v in NEUTRALISED]
    with page.expect_download() as got:
        page.get_by_role("button", name="Download this selection (CSV)").click()
    text = Path(got.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    state = page.evaluate("window.briefingExplorer.state()")
    assert len(rows) == state["count"]
    records = {e.id: e.record for e in build_site(ROOT / "content").events}
    for row in rows:
        record = records[row["id"]]
        assert row["title"] == csv_cell(record.title)
        assert row["summary"] == csv_cell(record.summary)
    with page.expect_download() as got:
        page.get_by_role("button", name="Download this selection (JSON)").click()
    data = json.loads(Path(got.value.path()).read_text(encoding="utf-8"))
    assert [d["id"] for d in data] == [r["id"] for r in rows]


@pytest.mark.parametrize(
    "width, scheme", [(1280, "light"), (1280, "dark"), (390, "light"), (390, "dark")]
)
def test_looks_and_axe(browser: Browser, site_url: str, width: int, scheme: str) -> None:
    options = {"viewport": {"width": width, "height": 900}, "color_scheme": scheme}
    with open_page(browser, site_url, **options) as page:
        page.goto(f"{site_url}/explorer/?event={BRIEF_ID}")
        _ready(page)
        expect(page.locator(".bx-map[data-ready=true]")).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width < 600:  # stacked: the map under the timeline
            tl = page.locator(".bx-timeline").bounding_box()
            map_box = page.locator(".bx-map-box").bounding_box()
            assert tl and map_box and map_box["y"] >= tl["y"] + tl["height"]
        assert _serious_violations(page) == []
        _screenshot(page, f"explorer-{width}-{scheme}")


def test_spans_keep_their_days_and_ticks_fit_the_zoom(page: Page, site_url: str) -> None:
    """A month-precision date is a bar over its month, an interval over its days, a day a dot;
    the axis ticks days, weeks, months or years as the window widens."""
    page.goto(f"{site_url}/explorer/")
    _ready(page)
    found = page.evaluate(
        """async () => {
          const t = await import(new URL('../assets/explorer/explorer-time.js', location.href));
          const month = t.layout([{ i: 0, first: 31, days: 30, title: "June" }], 0, 119, 1200);
          const day = t.layout([{ i: 1, first: 31, days: 1, title: "A day" }], 0, 119, 1200);
          const units = [[0, 9], [0, 90], [0, 700], [0, 7000]].map(
            ([a, b]) => t.ticks("2024-01-01", a, b, 1000).unit);
          return { month: month.marks[0], day: day.marks[0], units };
        }"""
    )
    assert found["month"]["bar"] == pytest.approx(300) and found["month"]["x"] == pytest.approx(310)
    assert found["day"]["bar"] == 0
    assert found["units"] == ["day", "week", "month", "year"]
    # In the page: the three-day interval's bar spans three days of the window.
    interval = next(
        e.id
        for e in build_site(ROOT / "content").events
        if (e.record.date.last - e.record.date.first).days == 2
    )
    page.goto(f"{site_url}/explorer/?from=2024-06-20&to=2024-07-09&event={interval}")
    state = _ready(page)
    width = page.locator(".bx-lanes").evaluate("e => e.clientWidth")
    days = (dt.date.fromisoformat(state["to"]) - dt.date.fromisoformat(state["from"])).days + 1
    bar = page.locator(f'.bx-mark[data-id="{interval}"] .bx-bar').evaluate(
        "e => e.getBoundingClientRect().width"
    )
    assert bar == pytest.approx(3 * width / days, abs=1.5)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 2,400-event synthetic site (decades of events, windows of over 300 events, where every
    mark is grouped; over 2,000, so the first view is the latest events, not all): its content
    and its built site."""
    folder = tmp_path_factory.mktemp("explorer-synthetic")
    content = folder / "content"
    generate(content, events=2400, actors=240, seed=31)
    result = mkdocs_build(config_for(folder / "cfg", content, pagefind=False), folder / "site")
    assert result.returncode == 0, result.stderr
    return content, folder / "site"


def test_counts_agree_on_a_large_site_grouped_or_not(
    browser: Browser, synthetic: tuple[Path, Path]
) -> None:
    content, site = synthetic
    with serve(site) as url, open_page(browser, url) as page:
        page.goto(f"{url}/explorer/")
        groups = 0
        for step in ["Show all", "Zoom in", "Zoom in", "Zoom in", "Zoom in", "Zoom in", "Later"]:
            page.locator(".bx-tools").get_by_role("button", name=step, exact=True).click()
            state = _assert_counts_agree(page, content=content)
            groups += page.locator(".bx-lanes .bx-group").count()
            page.goto(page.url)  # the same view from its URL alone
            assert _assert_counts_agree(page, content=content)["count"] == state["count"]
        assert groups > 0


def test_data_loads_by_period_as_the_window_moves(
    browser: Browser, synthetic: tuple[Path, Path]
) -> None:
    """The first view fetches the explorer's small index and the months its window touches, not
    every month; panning into months not yet fetched fetches them, and the counts still agree
    (also for the same view from its URL)."""
    content, site = synthetic
    index = json.loads((site / "data" / "explorer" / "index.json").read_text(encoding="utf-8"))
    months = {p[0] for p in index["periods"]}
    with serve(site) as url, open_page(browser, url) as page:
        fetched: list[str] = []
        page.on(
            "requestfinished",
            lambda r: fetched.append(r.url.rsplit("/", 1)[1]) if "/data/" in r.url else None,
        )
        page.goto(f"{url}/explorer/")
        first = _assert_counts_agree(page, content=content)
        assert not any("timeline" in u for u in fetched)
        opened = {u.removesuffix(".json") for u in fetched} - {"index"}
        assert opened and opened < months and len(opened) <= len(months) // 10, opened
        window = {m for m in months if first["from"][:7] <= m <= first["to"][:7]}
        assert window <= opened
        for _ in range(20):
            page.locator(".bx-tools").get_by_role("button", name="Earlier", exact=True).click()
            state = _assert_counts_agree(page, content=content)
            later = {u.removesuffix(".json") for u in fetched} - {"index"}
            if later - opened:
                break
        assert later - opened, "panning earlier fetched no new month"
        assert state["from"] < first["from"] and state["count"] > 0
        assert len(fetched) == len(set(fetched)), "a file fetched twice"
        page.goto(page.url)  # the same view from its URL alone
        assert _assert_counts_agree(page, content=content)["count"] == state["count"]
