"""Pagefind search in a real browser: queries, facets, native names, the header box."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from generator.site.link import build_site
from tests.browser_support import _screenshot, _serious_violations, open_page
from tests.sitebuild import ROOT

pytestmark = pytest.mark.browser
BRIEF = "2024-06-26-suspected-ballistic-missile-launch"


def _results(page: Page) -> list[str]:
    """Every result's address, "Show more results" pressed until all the status counts are
    shown (five come at first)."""
    status = page.locator(".briefing-search__status")
    expect(status).to_have_text(re.compile(r"^\d+ results?"))
    total = int(status.inner_text().split()[0])
    shown = page.locator(".briefing-search__result")
    if total:
        expect(shown.first).to_be_visible()
    while shown.count() < total:
        count = shown.count()
        page.get_by_role("button", name="Show more results").click()
        expect(shown).not_to_have_count(count)
    return shown.locator("h2 a").evaluate_all("links => links.map((a) => a.pathname)")  # type: ignore[no-any-return]


def _facet(page: Page, legend: str) -> Any:
    """The filter whose legend is ``legend``, among those shown."""
    return page.locator(
        ".briefing-search__facet", has=page.locator("legend", has_text=re.compile(f"^{legend}$"))
    )


def _search(page: Page, site_url: str, query: str) -> None:
    page.goto(f"{site_url}/search/?q={query}")
    expect(page.locator("#briefing-search")).to_have_attribute("data-ready", "true")
    expect(page.locator(".briefing-search__status")).to_have_text(re.compile(r"^\d+ results?"))


def test_searching_missile_lists_the_lead_brief(page: Page, site_url: str) -> None:
    _search(page, site_url, "missile")
    found = _results(page)
    assert f"/briefs/{BRIEF}/" in found
    first = page.locator(".briefing-search__result").first
    expect(first.locator(".briefing-search__meta")).to_have_text(re.compile(r".+ · .*\d{4}"))
    expect(first.locator(".briefing-search__summary")).not_to_be_empty()
    _screenshot(page, "search-missile")


def test_type_facet_narrows_results_and_counts_agree_with_the_records(
    page: Page, site_url: str
) -> None:
    model = build_site(ROOT / "content")
    label = model.term("event_types", "missile-launch").label
    launches = {f"/briefs/{e.id}/" for e in model.events if e.record.type == "missile-launch"}
    _search(page, site_url, "missile")
    before = _results(page)
    option = _facet(page, "Event type").locator("label", has_text=label)
    count = int(re.search(r"\((\d+)\)", option.inner_text())[1])  # type: ignore[index]
    option.locator("input").check()
    expect(page.locator(".briefing-search__status")).to_have_text(re.compile(rf"^{count} results?"))
    after = _results(page)
    assert set(after) <= launches
    assert len(after) == count < len(before)
    # Filters alone (no words): every missile launch in the records.
    page.fill("#briefing-search-input", "")
    expect(page.locator(".briefing-search__status")).to_have_text(
        re.compile(rf"^{len(launches)} results?")
    )
    assert set(_results(page)) == launches


@pytest.mark.parametrize("query", ["김정은", "Kim Jong-un"])
def test_native_names_and_aliases_find_the_actor(page: Page, site_url: str, query: str) -> None:
    _search(page, site_url, query)
    assert "/actors/kim-jong-un/" in _results(page)[:3]


def test_header_search_box_opens_results(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/")
    box = page.locator(".md-header__inner .briefing-header-search input")
    expect(box).to_be_visible()
    box.fill("balloons")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=balloons"))
    expect(page.locator(".briefing-search__status")).to_have_text(re.compile(r"^\d+ results?"))
    assert any("balloon" in path for path in _results(page))


def test_search_is_usable_by_keyboard_alone(page: Page, site_url: str) -> None:
    _search(page, site_url, "treaty")
    page.focus("#briefing-search-input")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.briefing-search__result') !== null"):
            break
    else:
        pytest.fail("Tab never reached a result link")
    href = page.evaluate("document.activeElement.pathname")
    page.keyboard.press("Enter")
    # The brief opens with the searched word in its address, and marked in its text.
    page.wait_for_url(re.compile(re.escape(href) + r"\?highlight=treaty$"))
    expect(page.locator("article mark.briefing-highlight").first).to_have_text(
        re.compile(r"^treat", re.IGNORECASE)
    )


def test_search_downloads_wait_for_the_reader_and_filters_wait_for_results(
    page: Page, site_url: str
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site_url}/search/")
    expect(page.locator("#briefing-search")).to_have_attribute("data-ready", "true")
    page.wait_for_load_state("networkidle")
    # Opening the page fetches Pagefind's script only; the index waits for the reader.
    assert [u.split("/pagefind/")[1] for u in requested if "/pagefind/" in u] == ["pagefind.js"]
    with page.expect_request(lambda request: ".pf_meta" in request.url):
        page.focus("#briefing-search-input")
    page.keyboard.type("missile")
    expect(page.locator(".briefing-search__facet").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert not any("pagefind-worker" in u for u in requested)  # no second copy of Pagefind
    timing = page.evaluate(
        """() => performance.getEntriesByType("resource").map(
            (e) => [e.name, e.startTime, e.responseEnd])"""
    )
    fragments = [end for name, _, end in timing if "/fragment/" in name]
    filters = [start for name, start, _ in timing if "/filter/" in name]
    assert fragments and filters
    # The filter lists are fetched only once the first results are on screen.
    assert min(filters) > max(fragments[:10])


def test_search_page_accessibility(page: Page, site_url: str) -> None:
    _search(page, site_url, "missile")
    violations = _serious_violations(page)
    assert not violations, "\n".join(violations)


def test_only_briefs_and_profiles_are_indexed(page: Page, site_url: str) -> None:
    _search(page, site_url, "timeline")
    assert all(re.fullmatch(r"/(briefs|actors)/[a-z0-9-]+/", p) for p in _results(page))


def test_timeline_filters_hide_and_show_entries(page: Page, site_url: str) -> None:
    model = build_site(ROOT / "content")
    year = [e for e in model.events if e.record.date.start.year == 2024]
    page.goto(f"{site_url}/timeline/2024/")
    entries = page.locator(".md-content .entry")
    expect(entries).to_have_count(len(year))
    bar = page.locator("[data-timeline-filters]")
    expect(bar).to_be_visible()
    page.select_option("select[name=type]", "missile-launch")
    launches = [e for e in year if e.record.type == "missile-launch"]
    expect(page.locator(".md-content .entry:visible")).to_have_count(len(launches))
    expect(page.locator(".timeline-filters__count")).to_have_text(
        f"{len(launches)} of {len(year)} events shown"
    )
    page.select_option("select[name=actors]", "kim-jong-un")
    both = [e for e in launches if any(i.actor.id == "kim-jong-un" for i in e.actors)]
    expect(page.locator(".md-content .entry:visible")).to_have_count(len(both))
    page.select_option("select[name=type]", "")
    page.select_option("select[name=actors]", "")
    page.select_option("select[name=tags]", "balloons")
    tagged = [e for e in year if "balloons" in e.record.tags]
    expect(page.locator(".md-content .entry:visible")).to_have_count(len(tagged))
    page.select_option("select[name=tags]", "")
    page.select_option("select[name=status]", "disputed")
    disputed = [e for e in year if e.record.status == "disputed"]
    expect(page.locator(".md-content .entry:visible")).to_have_count(len(disputed))
    page.select_option("select[name=status]", "")
    expect(page.locator(".md-content .entry:visible")).to_have_count(len(year))
    _screenshot(page, "timeline-filters")


def test_timeline_without_javascript_shows_everything(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/timeline/2024/")
        count = len(
            [e for e in build_site(ROOT / "content").events if e.record.date.start.year == 2024]
        )
        expect(page.locator(".md-content .entry:visible")).to_have_count(count)
        expect(page.locator("[data-timeline-filters]")).to_be_hidden()
    finally:
        context.close()


def _facet_options(page: Page) -> list[tuple[str, int]]:
    expect(page.locator(".briefing-search__facet").first).to_be_visible()
    found = []
    for label in page.locator(".briefing-search__option").all():
        text = label.inner_text()
        count = re.search(r"\((\d+)\)\s*$", text)
        assert count, text
        found.append((text, int(count[1])))
    return found


def test_options_without_results_are_hidden(page: Page, site_url: str) -> None:
    _search(page, site_url, "balloons")
    options = _facet_options(page)
    assert options and all(count > 0 for _, count in options), options
    total = int(re.match(r"\d+", page.inner_text(".briefing-search__status"))[0])  # type: ignore[index]
    assert all(count <= total for _, count in options)


def test_query_and_filters_live_in_the_address(page: Page, site_url: str) -> None:
    _search(page, site_url, "missile")
    everything = page.inner_text(".briefing-search__status")
    _facet_options(page)
    option = _facet(page, "Event type").locator("input").first
    value = option.get_attribute("value") or ""
    option.check()
    page.wait_for_url(re.compile(r"[?&]type="))
    narrowed = page.locator(".briefing-search__status")
    expect(narrowed).not_to_have_text(everything)
    status = narrowed.inner_text()
    assert page.evaluate("new URLSearchParams(location.search).getAll('type')") == [value]
    assert page.evaluate("new URLSearchParams(location.search).get('q')") == "missile"
    # A reload (or the address shared) shows the same results with the same boxes ticked.
    page.reload()
    expect(page.locator(".briefing-search__status")).to_have_text(status)
    expect(page.locator(f"input[data-facet=type][value='{value}']")).to_be_checked()
    expect(page.locator("#briefing-search-input")).to_have_value("missile")
    # Back: the filter is off again.
    page.go_back()
    page.wait_for_url(re.compile(r"/search/\?q=missile$"))
    expect(page.locator(".briefing-search__status")).to_have_text(everything)
    expect(page.locator(f"input[data-facet=type][value='{value}']")).not_to_be_checked()


def test_excerpts_mark_the_words_found(page: Page, site_url: str) -> None:
    _search(page, site_url, "missile")
    marks = page.locator(".briefing-search__result .briefing-search__summary mark")
    expect(marks.first).to_be_visible()
    assert all(re.match(r"(?i)missile", m) for m in marks.all_inner_texts())
    # Pagefind's excerpt is never read as HTML: its marks become <mark>s, the rest stays text.
    made = page.evaluate(
        """async () => {
            const { excerptNodes } = await import("/assets/search/search.js");
            const box = document.createElement("p");
            box.append(...excerptNodes(
                'a <img src=x onerror="alert(1)"> <mark>b</mark> &lt;i&gt; &amp;'));
            return [[...box.querySelectorAll("*")].map((e) => e.outerHTML), box.textContent];
        }"""
    )
    assert made == [["<mark>b</mark>"], 'a <img src=x onerror="alert(1)"> b <i> &amp;']


def test_show_more_at_the_end_of_the_list(page: Page, site_url: str) -> None:
    _search(page, site_url, "korea")
    total = int(re.match(r"\d+", page.inner_text(".briefing-search__status"))[0])  # type: ignore[index]
    results = page.locator(".briefing-search__result")
    assert total > 5
    expect(results).to_have_count(5)
    more = page.get_by_role("button", name="Show more results")
    assert more.evaluate("b => b.previousElementSibling.matches('.briefing-search__results')")
    more.click()
    expect(results).to_have_count(min(total, 15))


VIEWPORTS: dict[str, dict[str, Any]] = {
    "1280": {"viewport": {"width": 1280, "height": 900}},
    "390": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_search_page_layout_palettes_and_accessibility(
    browser: Any, site_url: str, width: str, scheme: str
) -> None:
    """Facets beside the results from 1220 px, on a phone under their switch above the results;
    axe finds nothing serious in either palette (the filters open); screenshots for a human."""
    with open_page(browser, site_url, **VIEWPORTS[width], color_scheme=scheme) as page:
        _search(page, site_url, "missile")
        if width == "390":  # (the filters open under their switch, above the results)
            page.get_by_role("button", name="Filters").click()
        expect(page.locator(".briefing-search__facet").first).to_be_visible()
        tools = page.locator(".briefing-search__tools").bounding_box()
        results = page.locator(".briefing-search__results").bounding_box()
        facets = page.locator(".briefing-search__facets").bounding_box()
        assert tools and results and facets
        if width == "1280":
            assert facets["x"] >= results["x"] + results["width"]
            assert abs(facets["y"] - tools["y"]) < 20  # side by side, tops level
            assert results["y"] < tools["y"] + tools["height"] + 60
        else:
            assert tools["y"] + tools["height"] <= facets["y"] < results["y"]
        sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1] + 1, f"{sizes[0]}px wide in a {sizes[1]}px viewport"
        violations = _serious_violations(page)
        assert not violations, "\n".join(violations)
        _screenshot(page, f"search-{width}-{scheme}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_accessibility_in_both_palettes(browser: Any, site_url: str, scheme: str) -> None:
    with open_page(browser, site_url, color_scheme=scheme) as page:
        page.goto(f"{site_url}/")
        expect(page.get_by_role("group", name=re.compile(r"^Events per month"))).to_be_visible()
        violations = _serious_violations(page)
        assert not violations, "\n".join(violations)
        _screenshot(page, f"home-{scheme}")


def test_header_box_prefetches_the_first_search_only_when_focused(
    page: Page, site_url: str
) -> None:
    """Focus fetches Pagefind's script, metadata and WebAssembly; typing, the index for the word
    so far; the search page then finds them in the browser's cache."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site_url}/")
    page.wait_for_load_state("networkidle")
    assert not any("/pagefind/" in url for url in requested)
    with page.expect_request(lambda request: "/pagefind/wasm." in request.url):
        page.focus(".md-header__inner .briefing-header-search input")
    page.wait_for_timeout(300)
    fetched = {url.split("/pagefind/")[1] for url in requested if "/pagefind/" in url}
    assert "pagefind.js" in fetched
    assert any(name.endswith(".pf_meta") for name in fetched)
    assert any(name.startswith("wasm.") for name in fetched)
    assert not any(name.startswith(("index/", "fragment/", "filter/")) for name in fetched)
    with page.expect_request(lambda request: "/pagefind/index/" in request.url):
        page.keyboard.type("missile", delay=30)
    assert not any("/pagefind/fragment/" in url for url in requested)


PHONE: dict[str, Any] = VIEWPORTS["390"]


def test_on_a_phone_the_filters_open_from_the_first_screen(browser: Any, site_url: str) -> None:
    """For "north" the filters came after 56 results and "Show more", 1,600 px down. Now a
    "Filters" switch sits above the results, within the first screen; it opens them under it,
    counts the ticked ones, and "Show the results" closes them."""
    with open_page(browser, site_url, **PHONE) as page:
        _search(page, site_url, "north")
        toggle = page.get_by_role("button", name="Filters")
        box = toggle.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(page.locator(".briefing-search__facets")).to_be_hidden()
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        facets = page.locator(".briefing-search__facets")
        expect(facets.locator(".briefing-search__facet").first).to_be_visible()
        first = page.locator(".briefing-search__result").first.bounding_box()
        panel = facets.bounding_box()
        assert panel and first and panel["y"] < first["y"]
        _screenshot(page, "search-filters-390", full_page=False)
        _facet(page, "Event type").locator("input").first.check()
        expect(toggle).to_have_text("Filters (1)")
        page.wait_for_url(re.compile(r"[?&]type="))
        page.get_by_role("button", name="Show the results").click()
        expect(facets).to_be_hidden()
        expect(toggle).to_be_focused()
        # The count follows the address too.
        page.reload()
        expect(page.get_by_role("button", name="Filters (1)")).to_be_visible()


def test_event_types_and_actor_kinds_are_two_filters(page: Page, site_url: str) -> None:
    model = build_site(ROOT / "content")
    _search(page, site_url, "north")
    _facet_options(page)
    labels = {
        legend: {
            re.sub(r"\s*\(\d+\)\s*$", "", text).strip()
            for text in _facet(page, legend).locator("label").all_inner_texts()
        }
        for legend in ("Event type", "Actor kind")
    }
    assert labels["Event type"] and labels["Event type"] <= {
        t.label for t in model.vocabulary.event_types
    }
    assert labels["Actor kind"] and labels["Actor kind"] <= {
        k.label for k in model.vocabulary.actor_kinds
    }
    # Ticking an actor kind leaves profiles of that kind only.
    person = _facet(page, "Actor kind").locator("label", has_text="Person")
    count = int(re.findall(r"\((\d+)\)", person.inner_text())[-1])
    person.locator("input").check()
    expect(page.locator(".briefing-search__status")).to_have_text(re.compile(rf"^{count} results?"))
    paths = _results(page)
    people = {f"/actors/{a.id}/" for a in model.actors if a.record.kind == "person"}
    assert paths and set(paths) <= people


def test_countries_are_named(page: Page, site_url: str) -> None:
    _search(page, site_url, "north")
    _facet_options(page)
    names = [
        re.sub(r"\s*\(\d+\)\s*$", "", text).strip()
        for text in _facet(page, "Country").locator("label").all_inner_texts()
    ]
    assert {"North Korea", "South Korea", "United States", "Japan"} <= set(names), names
    assert not [name for name in names if re.fullmatch(r"[A-Z]{2}", name)]


def test_nothing_found_suggests_the_closest_words_and_the_hubs(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/search/?q=misile")
    none = page.locator(".briefing-search__none")
    expect(none).to_contain_text("Nothing matches “misile”. Did you mean")
    expect(page.locator(".briefing-search__status")).to_have_text("0 results")
    suggested = none.get_by_role("link", name="missile", exact=True)
    expect(suggested).to_be_visible()
    for name in ("the latest briefs", "the timeline", "the actors", "the tags", "the map"):
        expect(none.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert none.get_by_role("link", name="the timeline").evaluate("a => a.pathname") == "/timeline/"
    expect(page.get_by_role("button", name=re.compile("^Filters"))).to_be_hidden()
    _screenshot(page, "search-nothing-found")
    suggested.click()
    page.wait_for_url(re.compile(r"/search/\?q=missile$"))
    expect(page.locator(".briefing-search__status")).to_have_text(re.compile(r"^[1-9]\d* results?"))
    expect(none).to_have_count(0)
    page.go_back()
    page.wait_for_url(re.compile(r"/search/\?q=misile$"))
    expect(page.locator(".briefing-search__none")).to_contain_text("Did you mean")


def test_nothing_found_with_filters_offers_the_search_without_them(
    page: Page, site_url: str
) -> None:
    page.goto(f"{site_url}/search/?q=balloons&section=Actor&type=Treaty+or+agreement")
    none = page.locator(".briefing-search__none")
    expect(none).to_be_visible()
    none.get_by_role("button", name="Search without the filters").click()
    page.wait_for_url(re.compile(r"/search/\?q=balloons$"))
    expect(page.locator(".briefing-search__status")).to_have_text(re.compile(r"^[1-9]\d* results?"))


def test_suggestions_by_edit_distance(page: Page, site_url: str) -> None:
    """The search page's own functions, in the page: distances (a swap of two neighbouring
    letters is one edit), and suggestions from a word list, the more common first."""
    page.goto(f"{site_url}/search/")
    found = page.evaluate(
        """async () => {
            const { distance, suggestions } = await import("/assets/search/search.js");
            const words = ["north", "korea", "missile", "missiles", "middle", "launch", "sea"];
            return {
                swap: distance("msisile", "missile", 2),
                far: distance("rocket", "missile", 2),
                misile: suggestions("misile", words),
                two: suggestions("nroth misile", words),
                known: suggestions("north korea", words),
                short: suggestions("sae", words),
            };
        }"""
    )
    assert found == {
        "swap": 1,
        "far": 3,
        "misile": ["missile", "missiles", "middle"],
        "two": ["north missile"],
        "known": [],
        "short": ["sea"],
    }


def test_newest_first_is_kept_in_the_address(page: Page, site_url: str) -> None:
    model = build_site(ROOT / "content")
    first_day = {f"/briefs/{e.id}/": e.record.date.first for e in model.events}
    _search(page, site_url, "missile")
    best = _results(page)
    page.select_option("#briefing-search-sort", "newest")
    page.wait_for_url(re.compile(r"[?&]sort=newest"))
    expect(page.locator(".briefing-search__status")).to_have_text(
        re.compile(r"^\d+ results?, newest first")
    )
    total = int(re.match(r"\d+", page.inner_text(".briefing-search__status"))[0])  # type: ignore[index]
    page.get_by_role("button", name="Show more results").click()
    expect(page.locator(".briefing-search__result")).to_have_count(min(total, 15))
    newest = _results(page)
    days = [first_day[path] for path in newest if path in first_day]
    assert len(days) >= 5 and days == sorted(days, reverse=True)
    assert newest[:5] != best[:5]
    page.reload()
    expect(page.locator("#briefing-search-sort")).to_have_value("newest")
    expect(page.locator(".briefing-search__status")).to_have_text(re.compile(r"newest first$"))
    page.go_back()
    page.wait_for_url(re.compile(r"/search/\?q=missile$"))
    expect(page.locator("#briefing-search-sort")).to_have_value("")
