"""Every page type a reader meets, in Chromium, from `mkdocs build` and under `mkdocs serve`:
real titles in every link and heading (the navigation, the drawer, the header), and nothing
wrong in the console: no error, no failed request to the site itself.

The build is the session's (`site_url` in browser_support). Under serve, the shipped content is
served by `mkdocs serve --dirty`, as `make serve` runs it, once for this module: the server adds
its own script to every page (the content's errors, assets/briefing-serve.js) and MkDocs' live
reload, whose long poll is always open, so a page is left to settle on its own requests.
"""

from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response

from tests.browser_support import ACTOR_ID, BRIEF_PATH, open_page
from tests.sitebuild import ROOT, config_for, free_port, mkdocs_serve

pytestmark = pytest.mark.browser

# Every page type (the list), and what shows it has finished filling itself in.
EVERY_PAGE = {
    "home": ("/", "article h1"),
    "brief": (BRIEF_PATH, ".key-facts table"),
    "profile": (f"/actors/{ACTOR_ID}/", "article h1"),
    "briefs": ("/briefs/", ".entry"),
    "actors": ("/actors/", "article h1"),
    "timeline": ("/timeline/", ".tl[data-ready]"),
    "timeline-year": ("/timeline/2024/", ".entry"),
    "tags": ("/tags/", "article h1"),
    "tag": ("/tags/balloons/", ".entry"),
    "search": ("/search/?q=launch", ".briefing-search__result"),
    "search-none": ("/search/?q=misile", ".briefing-search__none"),
    "map": ("/map/", ".leaflet-marker-icon, .marker-cluster"),
    "explorer": ("/explorer/", "[data-explorer][data-ready=true] .bx-mark"),
    "about": ("/about/", "article h1"),
    "methodology": ("/methodology/", "article h1"),
    "contributing": ("/contributing/", "article h1"),
    "editing": ("/editing/", "article h1"),
    "importing": ("/importing/", "article h1"),
    "reference": ("/reference/", "article h1"),
    "problems": ("/problems/", "article h1"),
    "data": ("/data/", "article h1"),
    "404": ("/404.html", "form.briefing-404-search"),
}

# What a link or a heading must never read.
NAMES = """() => {
  const WRONG = /^(none|null|undefined|nan)$/i;
  const FILE = /^(index|[\\w.-]+\\.(md|html?|ya?ml|j2|json))$/i;
  const found = [];
  const selector = [
    "a[href]", "a[*|href]", "h1", "h2", "h3", "h4", "h5", "h6",
    ".md-header__topic .md-ellipsis", ".md-nav__title", ".md-nav__link", ".md-tabs__link",
  ].join(", ");
  for (const node of document.querySelectorAll(selector)) {
    const text = (node.textContent || "").replace(/\\s+/g, " ").trim();
    const name = text || node.getAttribute("aria-label") || node.getAttribute("title") || "";
    if (!name || WRONG.test(name) || FILE.test(name)) {
      found.push(`${name || "(empty)"}: ${node.outerHTML.slice(0, 160)}`);
    }
  }
  return found;
}"""


class Watch:
    """What a page does that a reader would see in the console: errors, and requests to the
    site that fail or answer with an error status. MkDocs' live reload (a long poll, cut when
    the page closes) is no request of the site's pages."""

    def __init__(self, page: Page, site: str) -> None:
        self.host = urlsplit(site).netloc
        self.problems: list[str] = []
        self.open: set[Request] = set()
        page.on("console", self.console)
        page.on("request", self.started)
        page.on("requestfinished", self.finished)
        page.on("requestfailed", self.failed)
        page.on("response", self.answered)

    def ours(self, request: Request) -> bool:
        url = urlsplit(request.url)
        return url.netloc == self.host and not url.path.startswith("/livereload/")

    def console(self, message: ConsoleMessage) -> None:
        # (The test context refuses every other host, should a page ask one.)
        elsewhere = urlsplit(message.location.get("url", "")).netloc not in ("", self.host)
        if message.type == "error" and not elsewhere:
            self.problems.append(f"console: {message.text} ({message.location.get('url')})")

    def started(self, request: Request) -> None:
        if self.ours(request):
            self.open.add(request)

    def finished(self, request: Request) -> None:
        self.open.discard(request)

    def failed(self, request: Request) -> None:
        self.open.discard(request)
        if self.ours(request):
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def answered(self, response: Response) -> None:
        if self.ours(response.request) and response.status >= 400:
            self.problems.append(f"{response.status}: {response.url}")

    def settle(self, page: Page, quiet: float = 0.5, timeout: float = 15) -> None:
        """Until no request of the site's has been open for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        calm_since = time.monotonic()
        while time.monotonic() - calm_since < quiet:
            assert time.monotonic() < deadline, [r.url for r in self.open]
            page.wait_for_timeout(100)
            if self.open:
                calm_since = time.monotonic()


def _visit(browser: Browser, site: str, name: str) -> None:
    path, ready = EVERY_PAGE[name]
    with open_page(browser, site) as page:
        watch = Watch(page, site)
        page.goto(site + path)
        page.locator(ready).first.wait_for()
        watch.settle(page)
        wrong = page.evaluate(NAMES)
        topic = page.locator(".md-header__topic[data-md-component=header-topic] .md-ellipsis")
        title = topic.text_content() or ""
        head = page.title()
    assert watch.problems == [], f"{path}: {watch.problems}"
    if name == "404":
        # A theme template, rendered for any address: MkDocs gives it no page, so the header
        # has no page title to show (Material leaves its second line empty); the tab says it.
        wrong = [w for w in wrong if not w.startswith('(empty): <span class="md-ellipsis">')]
        assert head.startswith("Page not found - "), head
    else:
        # The header's second line, shown once the page scrolls: the page's own title.
        assert title.strip() and title.strip() != "None", f"{path}: header reads {title!r}"
    assert wrong == [], f"{path}: links or headings without a real name: {wrong}"


@pytest.mark.parametrize("name", list(EVERY_PAGE))
def test_every_page_type_built(browser: Browser, site_url: str, name: str) -> None:
    _visit(browser, site_url, name)


@pytest.fixture(scope="module")
def serve_url(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`mkdocs serve --dirty` of the shipped content (`make serve`), on a free port."""
    folder = tmp_path_factory.mktemp("served")
    port = free_port()
    log_path = folder / "serve.log"
    with log_path.open("w", encoding="utf-8") as log:
        server = mkdocs_serve(config_for(folder, ROOT / "content"), port, log)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_served(url, server.poll, log_path)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)
    # The terminal: MkDocs logs a warning for each request it answered with a 404.
    said = log_path.read_text(encoding="utf-8")
    assert not re.search(r"WARNING.*404|ERROR", said), said


def _wait_until_served(url: str, exited: object, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert callable(exited) and exited() is None, log.read_text(encoding="utf-8")
        try:
            with urllib.request.urlopen(f"{url}/search/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"mkdocs serve never answered:\n{log.read_text(encoding='utf-8')}")


@pytest.mark.slow
@pytest.mark.parametrize("name", list(EVERY_PAGE))
def test_every_page_type_under_serve(browser: Browser, serve_url: str, name: str) -> None:
    _visit(browser, serve_url, name)
