"""Browser test support, shared by every browser test module (registered in conftest.py).

The shipped site is built once per session and served over HTTP from 127.0.0.1 (the pages'
scripts are ES modules that fetch their data, which browsers refuse from file:// addresses).
Chromium is Debian's (``apt-get install chromium``); Playwright's own browser download is not
used. Without Chromium the browser tests skip, loudly, unless ``BRIEFING_REQUIRE_BROWSER=1``
(set in CI), in which case they fail.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Dialog,
    Page,
    Playwright,
    sync_playwright,
)

from tests.sitebuild import ROOT, config_for, mkdocs_build

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

BRIEF_ID = "2024-06-26-suspected-ballistic-missile-launch"
BRIEF_PATH = f"/briefs/{BRIEF_ID}/"
ACTOR_ID = "rok-jcs"
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"

# Findings that come from Material's own markup, which our CSS and page templates cannot
# reach. Each entry is (axe rule id, CSS selector axe reports for the node).
THEME_EXCLUSIONS = {
    # Material's search overlay is `<div class="md-search" role="dialog">` with no accessible
    # name (partials/search.html in the theme). Only a theme override of that partial could name
    # it; the search input inside it is labelled.
    ("aria-dialog-name", ".md-search"),
}


def _read_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def _brief_record() -> dict[str, Any]:
    return _read_yaml(ROOT / "content" / "events" / "2024" / f"{BRIEF_ID}.yaml")


def _heading(text: str) -> re.Pattern[str]:
    """A heading's text content: ``text`` and the permalink sign Material's toc adds."""
    return re.compile(rf"^\s*{re.escape(text)}\s*¶?\s*$")


def _screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a Chromium executable, or a loud skip (a failure when CI requires a browser)."""
    path = "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None
    path = path or shutil.which("chromium")
    if path is None:
        reason = "Chromium not found: apt-get install chromium; browser tests skipped"
        if os.environ.get("BRIEFING_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason} (but BRIEFING_REQUIRE_BROWSER=1 requires them)")
        pytest.skip(reason)
    return path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the shipped site once and serve it on an ephemeral port of 127.0.0.1."""
    folder = tmp_path_factory.mktemp("browser-site")
    site = folder / "site"
    result = mkdocs_build(config_for(folder, ROOT / "content"), site)
    assert result.returncode == 0, result.stderr
    with serve(site) as url:
        yield url


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """A built site served over HTTP on an ephemeral port of 127.0.0.1; its address."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def playwright_driver(chromium: str) -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright, chromium: str) -> Iterator[Browser]:
    instance = playwright_driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
    try:
        yield instance
    finally:
        instance.close()


def _open_context(browser: Browser, site_url: str, **options: Any) -> BrowserContext:
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    context.set_default_timeout(10_000)
    # Offline and deterministic: nothing but our own server (Material asks Google for fonts).
    context.route(re.compile(rf"^(?!{re.escape(site_url)}/)"), lambda route: route.abort())
    return context


@pytest.fixture
def context_options() -> dict[str, Any]:
    """Overridden by parametrised tests that need another viewport or colour scheme."""
    return {"color_scheme": "light"}


@contextlib.contextmanager
def open_page(browser: Browser, site_url: str, **options: Any) -> Iterator[Page]:
    """A fresh page in its own context (no shared storage); fails on uncaught script errors,
    on anything the Content-Security-Policy refused and on any dialog (alert, confirm, prompt)."""
    context = _open_context(browser, site_url, **options)
    # (Init scripts come from the browser's driver: the page's policy does not apply to them.)
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    errors: list[str] = []
    refused: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: _refused(message.text, refused))
    page.on("dialog", lambda dialog: _dismissed(dialog, dialogs))
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"uncaught errors in the page: {errors}"
    assert not refused, f"the Content-Security-Policy refused: {refused}"
    assert not dialogs, f"dialogs opened: {dialogs}"


CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


def _dismissed(dialog: Dialog, found: list[str]) -> None:
    found.append(dialog.message)
    dialog.dismiss()


def _refused(text: str, found: list[str]) -> None:
    if text.startswith("CSP violation") or "Content Security Policy" in text:
        found.append(text)


@pytest.fixture
def page(browser: Browser, site_url: str, context_options: dict[str, Any]) -> Iterator[Page]:
    with open_page(browser, site_url, **context_options) as opened:
        yield opened


def no_transitions(page: Page) -> None:
    """Colours measured as they end, not halfway through one of Material's transitions: a style
    sheet made in the page's script (the pages' policy refuses a `<style>` element, which is
    what Playwright's ``add_style_tag`` adds)."""
    page.evaluate(
        """() => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync("*, *::before, *::after { transition: none !important; }");
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    }"""
    )


def _serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    found = []
    for violation in violations:
        if violation["impact"] not in ("serious", "critical"):
            continue
        nodes = [
            node
            for node in violation["nodes"]
            if (violation["id"], " ".join(map(str, node["target"]))) not in THEME_EXCLUSIONS
        ]
        for node in nodes:
            summary = " ".join(node.get("failureSummary", "").split())
            found.append(f"{violation['id']} ({violation['impact']}) {node['target']}: {summary}")
    return found


# Each page type the browser tests open, and what shows it has finished loading what it loads.
PAGE_TYPES = {
    "home": ("/", "article h1"),
    "brief": (BRIEF_PATH, ".key-facts table"),
    "profile": (f"/actors/{ACTOR_ID}/", "article h1"),
    "briefs": ("/briefs/", ".entry"),
    "actors": ("/actors/", "article h1"),
    "timeline": ("/timeline/", "article h1"),
    "timeline-year": ("/timeline/2024/", ".entry"),
    "tags": ("/tags/", "article h1"),
    "tag": ("/tags/balloons/", ".entry"),
    "search": ("/search/?q=launch", ".briefing-search__result"),
    "map": ("/map/", ".leaflet-marker-icon, .marker-cluster"),
    "explorer": ("/explorer/", "[data-explorer][data-ready=true] .bx-mark"),
    "data": ("/data/", "article h1"),
    "page": ("/about/", "article h1"),  # (hand-written, from content/pages/)
    # (The test server answers unknown addresses with its own page; a host serves this one.)
    "404": ("/404.html", "form.briefing-404-search"),
}


WIDER_THAN_THE_SCREEN = """() => {
  const width = innerWidth, found = [];
  for (const node of document.querySelectorAll(".md-header *, .md-main *")) {
    const box = node.getBoundingClientRect();
    if (!box.width || node.closest(".md-sidebar, .briefing-visually-hidden, [hidden]")) continue;
    const name = `${node.tagName.toLowerCase()}.${String(node.className).trim().replace(/ +/g, ".")}`;
    if (box.right > width + 1 || box.left < -1) found.push(`${name}: ${box.left}..${box.right}`);
    const scrolls = ["auto", "scroll"].includes(getComputedStyle(node).overflowX);
    if (scrolls && node.scrollWidth > node.clientWidth + 1) {
      found.push(`${name} scrolls sideways: ${node.scrollWidth} > ${node.clientWidth}`);
    }
  }
  return found;
}"""
"""Elements of the header and the page (the sidebars and drawer apart, which slide in from off
screen) that reach past either side of the screen, or scroll sideways inside it."""

PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
}
