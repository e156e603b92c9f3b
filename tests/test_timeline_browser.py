"""The visual timeline in a real browser: zoom, pan, filter and follow an event to its brief,
by mouse and by keyboard; the year filters across pages and in the URL; axe in both palettes;
screenshots at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from playwright.sync_api import Browser, Page, expect

from generator.site.entries import EventEntry
from generator.site.link import build_site
from tests.browser_support import (
    BRIEF_ID,
    BRIEF_PATH,
    PHONE,
    _screenshot,
    _serious_violations,
    open_page,
)
from tests.sitebuild import ROOT

pytestmark = pytest.mark.browser


def _ready(page: Page) -> None:
    expect(page.locator("[data-timeline-lanes][data-ready=true]")).to_have_count(1)


def _span(page: Page) -> int:
    return int(re.findall(r"span=(\d+)", page.url)[0])


def _counts(page: Page) -> Counter[str]:
    """Zoomed out (the shipped content spans 42 years), the lanes draw counts, not events: the
    events each lane's bars count, by the lane's type."""
    expect(page.locator("[data-timeline-lanes]")).to_have_attribute("data-mode", "bars")
    bars = page.locator(".tl-svg .tl-lane").evaluate_all(
        """lanes => lanes.flatMap((lane) => [...lane.querySelectorAll("rect.tl-bar title")]
             .map((title) => [lane.dataset.type, title.textContent]))"""
    )
    counts = Counter[str]()
    for lane, title in bars:
        count = re.fullmatch(r"\S+ to \S+: (\d+) × .+", title)
        assert count, title
        counts[lane] += int(count[1])
    return counts


def _in_view(page: Page, events: list[EventEntry]) -> list[str]:
    """The ids of ``events`` that overlap the days the status line says are in view."""
    status = page.locator(".tl-status")
    expect(status).not_to_contain_text("counts")
    first, last = re.findall(r"from (\S+) to (\S+)$", status.inner_text())[0]
    a, b = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return sorted(e.id for e in events if e.record.date.first <= b and e.record.date.last >= a)


def _axis_is_legible(page: Page) -> None:
    """At least two labels on the lanes' axis (a scale to read the dates by), none over another
    and none cut off at the drawing's right edge."""
    axis = page.locator(".tl-svg .tl-axis text").evaluate_all(
        """texts => texts.map((text) => {
          const box = text.getBoundingClientRect();
          return { left: box.left, right: box.right, top: box.top, bottom: box.bottom };
        })"""
    )
    assert len(axis) >= 2 and _apart(axis) == [], axis
    edge = page.locator(".tl-svg").evaluate("s => s.getBoundingClientRect().right")
    assert max(text["right"] for text in axis) <= edge, axis


def _until_single_events(page: Page) -> None:
    """With the chart focused, + until the lanes draw single events, then the right arrow until
    one is in view."""
    figure = page.locator("[data-timeline-lanes]")
    status = page.locator(".tl-status")
    for key in ["+"] * 8 + ["ArrowRight"] * 40:
        if key == "+" and figure.get_attribute("data-mode") == "marks":
            continue
        if key != "+" and page.locator(".tl-svg a.tl-mark").count():
            return
        before = status.inner_text()
        page.keyboard.press(key)
        expect(status).not_to_have_text(before)
    raise AssertionError(f"no single event in sight: {status.inner_text()}")


def test_zoom_pan_filter_and_follow_by_mouse(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/timeline/")
    _ready(page)
    model = build_site(ROOT / "content")
    assert _counts(page) == Counter(e.record.type for e in model.events)
    _axis_is_legible(page)
    page.get_by_role("button", name="Zoom in").click()
    wide = _span(page)
    chart = page.locator(".tl-svg")
    chart.hover()
    page.mouse.wheel(0, -300)
    expect(page).not_to_have_url(re.compile(rf"span={wide}\b"))
    assert _span(page) < wide
    at = re.findall(r"at=([\d-]+)", page.url)[0]
    box = chart.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + 10, steps=5)
    page.mouse.up()
    expect(page).not_to_have_url(re.compile(rf"at={at}\b"))
    page.get_by_role("button", name="Show all").click()
    page.select_option(".tl-filters select[name=type]", "missile-launch")
    expect(page).to_have_url(re.compile(r"type=missile-launch"))
    launches = [e for e in model.events if e.record.type == "missile-launch"]
    expect(page.locator(".tl-status")).to_contain_text(f"{len(launches)} events from")
    assert _counts(page) == {"missile-launch": len(launches)}
    page.reload()
    _ready(page)
    expect(page.locator(".tl-filters select[name=type]")).to_have_value("missile-launch")
    # A bar zooms in on its days: the brief's bar, to where each launch is its own mark.
    brief = next(e for e in launches if e.id == BRIEF_ID).record.date.first.isoformat()
    bars = page.locator(".tl-svg rect.tl-bar")
    titles = bars.evaluate_all("rects => rects.map(r => r.textContent)")
    bars.nth(next(n for n, t in enumerate(titles) if t[:10] <= brief <= t[14:24])).click()
    expect(page.locator("[data-timeline-lanes]")).to_have_attribute("data-mode", "marks")
    marks = page.locator(".tl-svg a.tl-mark")
    expect(marks.first).to_be_visible()
    ids = marks.evaluate_all("els => els.map(e => e.dataset.id)")
    assert BRIEF_ID in ids
    assert sorted(ids) == _in_view(page, launches)
    _screenshot(page, "timeline-lanes-1280")
    page.locator(f".tl-svg a.tl-mark[data-id='{BRIEF_ID}']").click()
    page.wait_for_url(f"**{BRIEF_PATH}")


def test_the_timeline_data_is_fetched_with_the_page_and_once(page: Page, site_url: str) -> None:
    """The head preloads the lanes' module and data: they are asked for before the page's own
    scripts at the end of the body run, and the script's fetch takes the preloaded response
    (a preload it could not use would show as a second request)."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url.split("?")[0]))
    page.goto(f"{site_url}/timeline/")
    _ready(page)
    data = [n for n, url in enumerate(requested) if url.endswith("/data/timeline/index.json")]
    assert len(data) == 1, requested
    script = next(n for n, url in enumerate(requested) if url.endswith("/assets/timeline.js"))
    lanes = next(n for n, url in enumerate(requested) if url.endswith("/timeline-lanes.js"))
    assert data[0] < script and lanes < script


def test_zoom_pan_filter_and_follow_by_keyboard(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/timeline/")
    _ready(page)
    chart = page.locator(".tl-svg")
    chart.focus()
    page.keyboard.press("+")
    expect(page).to_have_url(re.compile(r"span=\d+"))
    first = _span(page)
    page.keyboard.press("+")
    expect(page).not_to_have_url(re.compile(rf"span={first}\b"))
    at = re.findall(r"at=([\d-]+)", page.url)[0]
    page.keyboard.press("ArrowLeft")
    expect(page).not_to_have_url(re.compile(rf"at={at}\b"))
    page.keyboard.press("Home")
    expect(page).not_to_have_url(re.compile(r"span="))
    page.locator(".tl-filters select[name=status]").focus()
    page.keyboard.press("ArrowDown")  # the first status
    expect(page).to_have_url(re.compile(r"status="))
    page.locator(".tl-filters select[name=status]").select_option("")
    chart.focus()
    _until_single_events(page)
    page.keyboard.press("Tab")  # the first event
    focused = page.evaluate("document.activeElement.dataset.id")
    assert focused
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/briefs/{focused}/")


@pytest.mark.parametrize(
    "path, script",
    [("/timeline/", True), ("/timeline/", False), (BRIEF_PATH, True)],
    ids=["timeline", "timeline-no-script", "brief"],
)
def test_a_phone_never_scrolls_the_page_sideways(
    browser: Browser, site_url: str, path: str, script: bool
) -> None:
    with open_page(browser, site_url, **PHONE, java_script_enabled=script) as page:
        page.goto(site_url + path)
        if path == "/timeline/" and script:
            _ready(page)
        expect(page.locator(".tl-svg, .tl-strip svg").first).to_be_visible()
        sizes = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert sizes[1] == 390
        assert sizes[0] <= sizes[1], f"{path} is {sizes[0]}px wide in a {sizes[1]}px viewport"


def test_on_a_phone_the_lanes_fit_their_frame_at_full_size(browser: Browser, site_url: str) -> None:
    """The script draws the lanes at the frame's width, one SVG unit a CSS pixel: every event in
    sight without scrolling the frame, labels at their size; zooming and dragging still work."""
    with open_page(browser, site_url, **PHONE) as page:
        page.goto(f"{site_url}/timeline/")
        _ready(page)
        frame = page.locator(".tl-frame")
        scrolls, shows = frame.evaluate("f => [f.scrollWidth, f.clientWidth]")
        assert scrolls <= shows, f"the lanes are {scrolls}px wide in a frame of {shows}px"
        scale = page.locator(".tl-svg").evaluate(
            "s => s.getBoundingClientRect().width / s.viewBox.baseVal.width"
        )
        assert scale == pytest.approx(1, abs=0.01)
        box = frame.bounding_box()
        assert box is not None
        events = build_site(ROOT / "content").events
        assert _counts(page).total() == len(events)
        rights = page.locator(".tl-svg rect.tl-bar").evaluate_all(
            "rects => rects.map(r => r.getBoundingClientRect().right)"
        )
        assert max(rights) <= box["x"] + box["width"]
        _axis_is_legible(page)
        page.get_by_role("button", name="Zoom in").click()
        wide = _span(page)
        at = re.findall(r"at=([\d-]+)", page.url)[0]
        chart = page.locator(".tl-svg").bounding_box()
        assert chart is not None
        y = chart["y"] + 10
        page.mouse.move(chart["x"] + chart["width"] * 0.8, y)
        page.mouse.down()
        page.mouse.move(chart["x"] + chart["width"] * 0.5, y, steps=5)
        page.mouse.up()
        expect(page).not_to_have_url(re.compile(rf"at={at}\b"))
        assert _span(page) == wide
        # Single events, each in sight in the frame, at the brief's date.
        page.goto(f"{site_url}/timeline/?at={BRIEF_ID[:10]}&span=92")
        _ready(page)
        marks = page.locator(".tl-svg a.tl-mark")
        expect(marks.first).to_be_visible()
        rights = marks.locator("rect").evaluate_all(
            "rects => rects.map(r => r.getBoundingClientRect().right)"
        )
        assert len(rights) == len(_in_view(page, events)) > 1
        assert max(rights) <= box["x"] + box["width"]
        _screenshot(page, "timeline-lanes-phone")


def test_a_brief_strip_opens_the_timeline_at_its_date(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}{BRIEF_PATH}")
    strip = page.locator(".tl-strip")
    expect(strip.locator("a[aria-current=page]")).to_have_count(1)
    _screenshot(page, "brief-strip-1280", full_page=False)
    strip.get_by_role("link", name=re.compile("Open the timeline")).click()
    page.wait_for_url("**/timeline/?at=2024-06-26*")
    _ready(page)
    expect(page.locator(f".tl-svg a.tl-mark[data-id='{BRIEF_ID}']")).to_have_count(1)


STRIP_LAYOUT = """strip => {
  const boxes = (selector) => [...strip.querySelectorAll(selector)].map((node) => {
    const box = node.getBoundingClientRect();
    return { left: box.left, right: box.right, top: box.top, bottom: box.bottom };
  });
  return { marks: boxes("svg rect"), labels: boxes("svg text"), figure: boxes("svg")[0] };
}"""


def _apart(boxes: list[dict[str, float]]) -> list[tuple[int, int]]:
    """The pairs of ``boxes`` that overlap (by more than a rounding error)."""
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[i + 1 :], i + 1)
        if a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and a["top"] < b["bottom"] - 0.5
        and b["top"] < a["bottom"] - 0.5
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_brief_strip_is_legible_on_a_phone(browser: Browser, site_url: str, scheme: str) -> None:
    """At 390 px the strip's labels are at reading size (not a drawing scaled down), no two
    labels and no two marks overlap, and it fits the screen; its link names the brief's date as
    the brief gives it."""
    phone = {**PHONE, "color_scheme": scheme}
    briefs = [e for e in build_site(ROOT / "content").events]
    with open_page(browser, site_url, **phone) as page:
        for event in briefs:
            page.goto(f"{site_url}/briefs/{event.id}/")
            strip = page.locator(".tl-strip")
            layout = strip.evaluate(STRIP_LAYOUT)
            # (As drawn: a drawing scaled to a phone's width had its 11 px labels 6 px tall.)
            assert min(b["bottom"] - b["top"] for b in layout["labels"]) >= 11, event.id
            assert _apart(layout["marks"]) == [], event.id
            assert _apart(layout["labels"]) == [], event.id
            assert len(layout["labels"]) >= 2, event.id
            right = max(box["right"] for box in layout["marks"] + layout["labels"])
            assert layout["figure"]["left"] >= 0 and right <= 390, event.id
            link = strip.get_by_role("link", name=re.compile("^Open the timeline at "))
            expect(link).to_have_text(f"Open the timeline at {event.record.date.display()}")
            if event.id == BRIEF_ID:
                strip.scroll_into_view_if_needed()
                _screenshot(page, f"brief-strip-390-{scheme}", full_page=False)


def test_year_filters_cover_every_page_and_stay_in_the_url(page: Page, site_url: str) -> None:
    year = [e for e in build_site(ROOT / "content").events if e.record.date.start.year == 2024]
    page.goto(f"{site_url}/timeline/2024/?status=disputed")
    disputed = [e for e in year if e.record.status == "disputed"]
    expect(page.locator(".md-content .entry:visible")).to_have_count(len(disputed))
    expect(page.locator("select[name=status]")).to_have_value("disputed")
    page.select_option("select[name=status]", "")
    expect(page.locator(".md-content .entry:visible")).to_have_count(len(year))
    page.go_back()
    expect(page.locator("select[name=status]")).to_have_value("disputed")
    expect(page.locator(".md-content .entry:visible")).to_have_count(len(disputed))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_timeline_accessibility_and_screenshots(
    browser: Browser, site_url: str, scheme: str, width: int
) -> None:
    options = {"color_scheme": scheme, "viewport": {"width": width, "height": 900}}
    with open_page(browser, site_url, **options) as page:
        page.goto(f"{site_url}/timeline/")
        _ready(page)
        violations = _serious_violations(page)
        assert not violations, "\n".join(violations)
        _screenshot(page, f"timeline-lanes-{width}-{scheme}")
        page.goto(f"{site_url}{BRIEF_PATH}")
        violations = _serious_violations(page)
        assert not violations, "\n".join(violations)
        page.locator(".tl-strip").scroll_into_view_if_needed()
        _screenshot(page, f"brief-strip-{width}-{scheme}", full_page=False)
