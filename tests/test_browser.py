"""Real-browser tests: the shipped site, built once, served over HTTP and driven in Chromium.

The pages' scripts are ES modules and fetch their data, which browsers refuse from file://
addresses, so the site is served from 127.0.0.1 rather than opened from disk. Chromium is
Debian's (``apt-get install chromium``); Playwright's own browser download is not used.
Without Chromium these tests skip, loudly, unless ``BRIEFING_REQUIRE_BROWSER=1`` (set in CI),
in which case they fail.

Each scenario saves a screenshot to ``test-artifacts/screenshots/`` for a human to look at.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from generator import settings
from generator.site.link import build_site
from tests.browser_support import (
    ACTOR_ID,
    BRIEF_ID,
    BRIEF_PATH,
    MONTHS,
    PAGE_TYPES,
    PHONE,
    WIDER_THAN_THE_SCREEN,
    _brief_record,
    _heading,
    _read_yaml,
    _screenshot,
    _serious_violations,
    no_transitions,
)
from tests.sitebuild import ROOT

pytestmark = pytest.mark.browser

# --------------------------------------------------------------------------- scenarios


def test_home_page(page: Page, site_url: str) -> None:
    site_name = settings.load_settings(ROOT / "mkdocs.yml").site_name
    page.goto(f"{site_url}/")
    assert site_name in page.title()
    expect(page.locator("article h1")).to_have_text(_heading(site_name))

    latest = page.locator("h2#latest-briefs ~ .entry")
    expect(latest.first).to_be_visible()
    # Material's script rewrites links to absolute URLs, so compare resolved paths.
    links = page.locator("h2#latest-briefs ~ .entry p:first-child a[href*='briefs/']")
    paths = [link.evaluate("a => a.pathname") for link in links.all()]
    assert len(paths) == latest.count(), "each latest entry links to its brief"
    assert len(set(paths)) == len(paths) >= 3
    assert all(re.fullmatch(r"/briefs/\d{4}-\d\d-\d\d-[a-z0-9-]+/", p) for p in paths), paths

    expect(page.locator("article h2#events-per-month")).to_be_visible()
    chart = page.get_by_role("group", name=re.compile(r"^Events per month"))
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 50
    bars = chart.locator("rect")
    assert bars.count() > 0
    assert bars.first.evaluate("r => getComputedStyle(r).fill") not in ("", "none", "rgb(0, 0, 0)")
    _screenshot(page, "home")
    # A month's bar opens the month on its year's page. (An SVG link is no link to Playwright's
    # role selectors, which look for `href`: Chromium exposes it as one, named by its label.)
    june = chart.locator("a.chart-month[aria-label^='June 2024: ']")
    expect(june).to_have_attribute("aria-label", re.compile(r"^June 2024: \d+ events \(.+\)$"))
    june.click()
    page.wait_for_url("**/timeline/2024/#june-2024")
    expect(page.locator("h2#june-2024")).to_be_in_viewport()


def test_brief_page(page: Page, site_url: str) -> None:
    record = _brief_record()
    vocabulary = _read_yaml(ROOT / "content" / "vocabulary.yaml")
    status = next(s["label"] for s in vocabulary["statuses"] if s["id"] == record["status"])

    page.goto(f"{site_url}{BRIEF_PATH}")
    expect(page.locator("article h1")).to_have_text(_heading(record["title"]))
    badge = page.locator(".brief-meta .badge")
    expect(badge).to_be_visible()
    expect(badge).to_have_text(status)
    expect(badge).to_have_class(re.compile(rf"\bbadge--{record['status']}\b"))
    date = page.locator(".brief-meta .brief-date")
    expect(date).to_contain_text("05:30 KST")
    expect(date).to_contain_text("20:30 UTC on 25 June")

    claims = page.locator("xpath=//h2[@id='claims']/following::table[1]")
    expect(claims.locator("thead th").first).to_have_text("Who")
    rows = claims.locator("tbody tr")
    assert rows.count() == len(record["claims"]) > 0

    sources = page.locator("xpath=//h2[@id='sources']/following::ol[1]/li")
    assert sources.count() == len(record["sources"]) > 0
    assert sources.first.evaluate("li => getComputedStyle(li).listStyleType") == "decimal"

    # A claim's numbered source link jumps to that source, and the number matches its place.
    link = claims.locator("a[href*='#source-']").first
    assert link.evaluate("a => a.pathname") == BRIEF_PATH
    fragment: str = link.evaluate("a => a.hash")
    number = int(link.inner_text())
    target = page.locator(fragment)
    expect(target).to_have_count(1)
    link.click()
    page.wait_for_function("hash => location.hash === hash", arg=fragment)
    expect(target).to_be_in_viewport()
    position = target.evaluate("t => [...t.closest('ol').children].indexOf(t.closest('li')) + 1")
    assert position == number
    _screenshot(page, "brief")


def test_actor_link_and_back(page: Page, site_url: str) -> None:
    record = _brief_record()
    name = _read_yaml(ROOT / "content" / "actors" / f"{ACTOR_ID}.yaml")["name"]
    page.goto(f"{site_url}{BRIEF_PATH}")

    link = page.locator(f"h2#actors + .brief-actors ul a[href$='actors/{ACTOR_ID}/']")
    expect(link).to_have_text(name)
    link.click()
    page.wait_for_url(f"**/actors/{ACTOR_ID}/")
    expect(page.locator("article h1")).to_have_text(_heading(name))
    expect(page).to_have_title(re.compile(re.escape(name)))
    back_link = page.locator(f"article a[href$='/briefs/{BRIEF_ID}/']")
    expect(back_link.first).to_be_visible()
    _screenshot(page, "actor")

    page.go_back()
    page.wait_for_url(f"**{BRIEF_PATH}")
    expect(page.locator("article h1")).to_have_text(_heading(record["title"]))
    expect(
        page.locator(f"h2#actors + .brief-actors ul a[href$='actors/{ACTOR_ID}/']")
    ).to_be_visible()


def test_dark_mode_toggle(page: Page, site_url: str) -> None:
    body = page.locator("body")
    page.goto(f"{site_url}/")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light_background = body.evaluate("b => getComputedStyle(b).backgroundColor")

    # One button (templates/overrides/partials/palette.html), named for what it does next.
    toggle = page.get_by_role("button", name="Switch to dark mode")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("title", "Switch to dark mode")
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    expect(body).to_have_attribute("data-md-color-primary", "indigo")
    dark_background = body.evaluate("b => getComputedStyle(b).backgroundColor")
    assert dark_background != light_background
    toggle = page.get_by_role("button", name="Switch to light mode")
    expect(toggle.locator("use")).to_have_attribute("href", re.compile(r"icons\.svg#sunny$"))
    # The choice is remembered across pages, as Material saves it.
    page.reload()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert page.evaluate("() => __md_get('__palette').color.scheme") == "slate"
    _screenshot(page, "home-dark")
    page.goto(f"{site_url}{BRIEF_PATH}")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")

    # By keyboard too: it is a button.
    page.get_by_role("button", name="Switch to light mode").focus()
    page.keyboard.press("Enter")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    expect(page.get_by_role("button", name="Switch to dark mode")).to_be_focused()


@pytest.mark.parametrize("context_options", [{"color_scheme": "dark"}], ids=["dark"])
def test_the_palette_follows_the_system_until_chosen(page: Page, site_url: str) -> None:
    """With no choice saved, a reader whose system is dark gets the dark palette (the toggle's
    script asks the system, as Material's palette form did), and can switch to light."""
    body = page.locator("body")
    page.goto(f"{site_url}/")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.get_by_role("button", name="Switch to light mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.reload()
    expect(body).to_have_attribute("data-md-color-scheme", "default")


def test_materials_script_works_from_its_short_configuration(page: Page, site_url: str) -> None:
    """Material's script reads its base address, features and copy-button labels from the
    `__config` block templates/overrides/main.html writes (and no more): the code copy button,
    its label and message, and the back-to-top button, with no error in the page."""
    page.goto(f"{site_url}/contributing/")
    button = page.locator("pre button[data-md-type=copy]").first
    expect(button).to_have_attribute("title", "Copy to clipboard")
    button.click()
    expect(page.locator(".md-dialog")).to_contain_text("Copied to clipboard")

    top = page.locator("button.md-top")  # (hidden: moved out of view, not display: none)
    expect(top).to_have_attribute("hidden", "")
    page.evaluate("() => scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(300)
    page.evaluate("() => scrollBy(0, -200)")  # (Material shows it on the way back up)
    expect(top).not_to_have_attribute("hidden", "")
    top.click()
    expect(page.locator("article h1")).to_be_in_viewport()


def test_the_saved_palette_is_applied_without_materials_script(page: Page, site_url: str) -> None:
    """Material's storage helpers and the palette a reader saved come from the site's own files
    (assets/theme-storage.js, assets/theme-palette.js), not inline scripts: the page is dark
    before Material's script runs (here it never does), and choices are stored under the site's
    root wherever they were made."""
    page.route(re.compile(r"/bundle\.[0-9a-f]+\.min\.js$"), lambda route: route.abort())
    page.goto(f"{site_url}{BRIEF_PATH}")
    assert page.evaluate("() => __md_scope.pathname") == "/"
    dark = {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo"}
    page.evaluate("color => __md_set('__palette', {index: 1, color})", {**dark, "accent": "indigo"})
    assert page.evaluate("() => localStorage.getItem('/.__palette')") is not None
    assert page.evaluate("() => __md_get('__palette').color.scheme") == "slate"
    page.goto(f"{site_url}/")
    expect(page.locator("html")).to_have_class(re.compile(r"\bno-js\b"))  # (no bundle)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


def test_timeline(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/timeline/")
    years = page.locator("article ul > li > a").filter(has_text=re.compile(r"^\d{4}$"))
    assert "2024" in years.all_inner_texts()

    years.filter(has_text="2024").click()
    page.wait_for_url("**/timeline/2024/")
    expect(page.locator("article h1")).to_have_text(re.compile(r"2024"))
    months = page.locator("article h2").filter(has_text=re.compile(rf"^\s*({MONTHS}) 2024\b"))
    expect(months.first).to_be_visible()
    assert "June 2024" in [m.strip(" ¶\n") for m in months.all_text_contents()]
    june = page.locator(
        "xpath=//article//div[contains(@class, 'entry')]"
        "[preceding-sibling::h2[1][starts-with(normalize-space(.), 'June 2024')]]"
    )
    assert june.count() > 0
    expect(june.first.locator("a[href*='/briefs/']").first).to_be_visible()
    assert june.locator(f"a[href$='briefs/{BRIEF_ID}/']").count() == 1
    _screenshot(page, "timeline-2024")


@pytest.mark.parametrize(
    ("name", "path"), [("mobile-brief", BRIEF_PATH), ("mobile-home", "/")], ids=["brief", "home"]
)
@pytest.mark.parametrize(
    "context_options",
    [{"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}],
    ids=["390x844"],
)
def test_mobile_has_no_horizontal_overflow(page: Page, site_url: str, name: str, path: str) -> None:
    page.goto(f"{site_url}{path}")
    expect(page.locator("article h1")).to_be_visible()
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[1] == 390
    assert width[0] <= width[1] + 1, f"page is {width[0]}px wide in a {width[1]}px viewport"
    _screenshot(page, name)


CLAIMS_BRIEF = "/briefs/2024-06-27-kcna-claims-multiple-warhead-test/"


@pytest.mark.parametrize(
    "context_options",
    [{**PHONE, "color_scheme": scheme} for scheme in ("light", "dark")],
    ids=["390-light", "390-dark"],
)
def test_on_a_phone_each_claim_is_a_block_and_nothing_is_wider_than_the_screen(
    page: Page, site_url: str, context_options: dict[str, Any]
) -> None:
    """Up to 600 px a claim is a block: who and when first (on one line when they fit), then
    the claim across
    the block's width, then its sources; no element of the brief reaches past the screen."""
    page.goto(f"{site_url}{CLAIMS_BRIEF}")
    claims = page.locator(".claims table")
    expect(claims.locator("thead")).to_be_hidden()
    rows = claims.locator("tbody tr")
    assert rows.count() >= 3
    for row in rows.all():
        box = row.bounding_box()
        who, said, when, sources = (row.locator("td").nth(n).bounding_box() for n in range(4))
        assert box and who and said and when and sources
        beside = when["y"] == pytest.approx(who["y"], abs=2) and when["x"] > who["x"] + who["width"]
        assert beside or when["y"] >= who["y"] + who["height"] - 1, "when follows who"
        top = max(who["y"] + who["height"], when["y"] + when["height"])
        assert said["y"] >= top - 1, "the claim comes under who and when"
        assert said["width"] >= box["width"] - 40, "the claim takes the block's width"
        assert sources["y"] >= said["y"] + said["height"] - 1, "the sources come last"
    expect(rows.first.locator("td").nth(2)).to_have_text(re.compile(r"^\d{1,2} \w+ \d{4}$"))
    assert (
        rows.first.locator("td").nth(2).evaluate("td => getComputedStyle(td, '::before').content")
        == '"said on "'
    )
    assert page.evaluate(WIDER_THAN_THE_SCREEN) == []
    _screenshot(page, f"claims-390-{context_options['color_scheme']}")
    # Every brief: nothing reaches past the screen or scrolls sideways.
    for event in build_site(ROOT / "content").events:
        page.goto(f"{site_url}/briefs/{event.id}/")
        expect(page.locator("article h1")).to_be_visible()
        assert page.evaluate(WIDER_THAN_THE_SCREEN) == [], event.id


def test_on_a_wide_screen_claims_stay_a_table(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}{CLAIMS_BRIEF}")
    claims = page.locator(".claims table")
    expect(claims.locator("thead")).to_be_visible()
    assert claims.evaluate("t => getComputedStyle(t.querySelector('tbody tr')).display") == (
        "table-row"
    )


@pytest.mark.parametrize(
    "context_options",
    [{"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}],
    ids=["390x844"],
)
def test_the_drawer_lists_every_section_on_a_phone(page: Page, site_url: str) -> None:
    """On a phone the tabs are hidden and the header's menu button opens the drawer: one link
    per section (templates/overrides/partials/nav.html), each where its tab goes; its title closes
    it. On a page of a section, the drawer keeps that section's own pages."""
    page.goto(f"{site_url}{BRIEF_PATH}")
    expect(page.locator("nav.md-tabs")).to_be_hidden()
    drawer = page.locator("nav.md-nav--primary")
    expect(drawer).not_to_be_in_viewport()
    page.locator("header label[for=__drawer]").click()
    expect(drawer).to_be_in_viewport()
    links = drawer.locator(":scope > ul > li > a")
    tabs = page.locator("nav.md-tabs a")
    assert links.all_inner_texts() == [t.strip() for t in tabs.all_inner_texts()]
    assert [a.get_attribute("href") for a in links.all()] == [
        a.get_attribute("href") for a in tabs.all()
    ]
    for link in links.all():
        expect(link).to_be_visible()
    _screenshot(page, "mobile-drawer", full_page=False)
    drawer.locator("label.md-nav__title").click()
    expect(drawer).not_to_be_in_viewport()

    page.locator("header label[for=__drawer]").click()
    links.filter(has_text="About").click()
    page.wait_for_url("**/about/")
    page.locator("header label[for=__drawer]").click()
    expect(drawer.locator("a[href$='methodology/']")).to_be_visible()


A11Y_PAGES = {
    "home": "/",
    "brief": BRIEF_PATH,
    "actor": f"/actors/{ACTOR_ID}/",
    "timeline-2024": "/timeline/2024/",
    "briefs": "/briefs/",
    "actors": "/actors/",
    "timeline": "/timeline/",
    "tags": "/tags/",
    "tag": "/tags/balloons/",
    "search": "/search/?q=launch",
    "map": "/map/",
    "explorer": "/explorer/",
    "404": "/404.html",
}
# Pages that fill themselves in: checked once they have.
A11Y_READY = {
    "search": ".briefing-search__result",
    "map": ".leaflet-marker-icon, .marker-cluster",
    "explorer": "[data-explorer][data-ready=true] .bx-map .leaflet-marker-icon",
}


@pytest.mark.parametrize(
    "context_options", [{"color_scheme": "light"}, {"color_scheme": "dark"}], ids=["light", "dark"]
)
@pytest.mark.parametrize("name", list(A11Y_PAGES))
def test_accessibility(
    page: Page, site_url: str, name: str, context_options: dict[str, Any]
) -> None:
    scheme = {"light": "default", "dark": "slate"}[context_options["color_scheme"]]
    page.goto(f"{site_url}{A11Y_PAGES[name]}")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
    if name in A11Y_READY:
        page.locator(A11Y_READY[name]).first.wait_for()
    # Colours are measured as they end, not halfway through one of Material's transitions.
    no_transitions(page)
    violations = _serious_violations(page)
    # The viewport only: the scenarios above keep full-page shots, and those cost a second each.
    _screenshot(page, f"a11y-{name}-{context_options['color_scheme']}", full_page=False)
    assert not violations, "\n".join(violations)


# --------------------------------------------------------------------------- the second wall


@pytest.mark.parametrize("path, ready", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_every_page_type_works_under_the_policy(
    page: Page, site_url: str, path: str, ready: str
) -> None:
    """Each kind of page carries the policy, and works under it: `open_page` fails the test on
    anything the policy refused (Material's inline scripts are files of the site, or gone)."""
    page.goto(site_url + path)
    page.locator(ready).first.wait_for()
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert policy is not None and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "object-src 'none'" in policy
    assert "base-uri 'self'" in policy
    # Material's JavaScript ran: it replaces the `no-js` class on <html>.
    assert "no-js" not in (page.locator("html").get_attribute("class") or "")


def test_the_policy_refuses_inline_script(browser: Any, site_url: str) -> None:
    """What the second wall is for: an inline script or handler that got into a page is refused
    and reported (the report is how every browser test notices a refusal)."""
    from tests.browser_support import CSP_REPORTER, _open_context

    context = _open_context(browser, site_url)
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    reports: list[str] = []
    page.on("console", lambda message: reports.append(message.text))
    page.goto(f"{site_url}/")
    refused = page.expect_console_message(
        lambda m: m.text.startswith("CSP violation: script-src-attr")
    )
    with refused:
        page.evaluate(
            """() => {
            const script = document.createElement("script");
            script.textContent = "window.ran = true";
            document.body.append(script);
            const img = document.createElement("img");
            img.setAttribute("onerror", "window.ran = true");
            img.src = "data:,x";
            document.body.append(img);
        }"""
        )
    assert page.evaluate("window.ran === undefined")
    assert any(r.startswith("CSP violation: script-src-elem") for r in reports), reports
    context.close()
