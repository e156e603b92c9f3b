"""Benchmark: a reader's first search on a 10,000-event site, Pagefind vs Material's search.

Builds the synthetic site (ours with Pagefind; with ``--material``, also a baseline with
Material's built-in lunr search and no Pagefind) and serves it on 127.0.0.1 the way a static
host such as GitHub Pages does: text files (HTML, JS, JSON, CSS) gzip-compressed, Pagefind's own
files (already compressed) as they are. Then, in headless Chromium, each from a cold browser
profile, it searches for the word readers of the site type most ("north": on a Korea site it is
on nearly every page, the worst case for Pagefind) and measures the bytes the search downloads
and the time from entering the term to the first results on screen:

- "pasted": the whole word arrives at once on /search/ (the page gets no head start);
- "typed": one key every 120 ms on /search/, timed from the last key (the page may fetch as the
  reader types, which every reader gets too);
- "landing": typed into the header box of the home page, then Enter: timed from Enter to the
  results on /search/?q=north, which the browser opens cold;
- with ``--material``, Material (lunr), pasted into its search box, which must first fetch and
  index everything.

Time "from opening the page" is also given. Bytes count every search file from opening the
page until the results show (Pagefind's are broken down by kind); the filter lists the
search page loads after showing results are counted separately. The share of indexed pages
that contain the term is printed too, since it decides how much Pagefind must fetch.

Building 10,000 events takes minutes: ``--site DIR`` builds into DIR once and reuses it after
(DIR/content, DIR/ours/site: `bench_parts` leaves its builds that way). ``--part-pages N`` builds
the search index in parts of at most N pages (`generator.site.parts`): the first search searches the
first part, and every request under /pagefind/ counts, so a fetch of another part would show.

Run with `make bench-search` or `python -m tests.benchmarks.bench_search [EVENTS] [--site DIR]
[--part-pages N] [--material] [--term WORD]`.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import json
import mimetypes
import re
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from playwright.sync_api import Browser, Page, Request, sync_playwright

from generator.commands.synth import generate
from tests.browser_support import CHROMIUM_ARGS as ARGS
from tests.sitebuild import config_for, mkdocs_build

TERM = "north"
KEY_DELAY_MS = 120
COMPRESSED_TYPES = {".html", ".js", ".json", ".css", ".xml", ".svg"}


class StaticHost(SimpleHTTPRequestHandler):
    """A static file server that gzips text and lets browsers keep files for 10 minutes, as
    GitHub Pages does (compressed copies cached)."""

    cache: ClassVar[dict[Path, bytes]] = {}
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")  # as GitHub Pages sends
        super().end_headers()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in COMPRESSED_TYPES and path.is_file()):
            super().do_GET()
            return
        body = compressed(path)
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "text/plain")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


def compressed(path: Path) -> bytes:
    with StaticHost.lock:
        if path not in StaticHost.cache:
            StaticHost.cache[path] = gzip.compress(path.read_bytes(), compresslevel=6)
        return StaticHost.cache[path]


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(StaticHost, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def kind(url: str) -> str:
    """What a Pagefind request is, for the byte breakdown."""
    path = url.split("?")[0]
    for part, name in (
        ("/fragment/", "fragments"),
        ("/index/", "index chunks"),
        ("/filter/", "filters"),
        (".pf_meta", "pf_meta"),
        ("wasm.", "wasm"),
        ("pagefind-worker.js", "worker"),
        ("pagefind.js", "pagefind.js"),
        ("pagefind-entry.json", "entry"),
    ):
        if part in path:
            return name
    return "other"


# Clock marks taken inside the page (epoch milliseconds): every input event (a key or the
# pasted word), and every change to the page while results are in it, with the next animation
# frame (when the change shows). Results count from the first change after the last input, so
# results shown early for part of the word do not count as the answer to the whole word.
MARKS = """
window.__bench = { inputs: [], changes: [], results: null };
const now = () => performance.timeOrigin + performance.now();
document.addEventListener("input", () => window.__bench.inputs.push(now()), true);
// Enter in another page's box: the search page counts from it (same tab, so same storage).
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter") sessionStorage.setItem("bench-enter", String(now()));
}, true);
const entered = sessionStorage.getItem("bench-enter");
if (entered && location.pathname.endsWith("/search/")) window.__bench.inputs.push(Number(entered));
new MutationObserver(() => {
  const bench = window.__bench;
  const last = bench.inputs[bench.inputs.length - 1];
  if (last === undefined || !document.querySelector(SELECTOR)) return;
  const inserted = now();
  requestAnimationFrame(() => {
    bench.changes.push([inserted, now()]);
    if (bench.results === null && inserted >= bench.inputs[bench.inputs.length - 1]) {
      bench.results = [inserted, now()];
    }
  });
}).observe(document, { childList: true, subtree: true });
"""


def run(
    browser: Browser,
    url: str,
    path: str,
    selector: str,
    is_search: Callable[[str], bool],
    enter: Callable[[Page], None],
    timeout: float,
) -> dict[str, Any]:
    """Open ``path`` cold, enter the term, and wait for the first result (and then for quiet)."""
    requests: list[tuple[float, str, int]] = []

    def finished(request: Request) -> None:
        if is_search(request.url):
            sizes = request.sizes()  # (nothing for a file the browser had in its cache)
            size = max(0, sizes["responseBodySize"]) + max(0, sizes["responseHeadersSize"])
            requests.append((request.timing["startTime"], kind(request.url), size))

    with cold_page(browser) as page:
        page.add_init_script(MARKS.replace("SELECTOR", json.dumps(selector)))
        page.on("requestfinished", finished)
        page.goto(f"{url}{path}")
        enter(page)
        # (Polled from here: the page's Content-Security-Policy refuses wait_for_function's eval.)
        deadline = time.monotonic() + timeout / 1000
        while page.evaluate("window.__bench.results === null"):
            assert time.monotonic() < deadline, "no results in time"
            page.wait_for_timeout(20)
        page.wait_for_load_state("networkidle")
        if "briefing-search" in selector:
            page.wait_for_selector(".briefing-search__facet", timeout=timeout)
            page.wait_for_load_state("networkidle")
        marks = page.evaluate("window.__bench")
        opened = page.evaluate("performance.timeOrigin")
        status = page.inner_text(".briefing-search__status") if "briefing" in selector else ""
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    for start, name, size in requests:
        (before if start < marks["results"][0] else after)[name] += size
    found = re.match(r"\d+", status)
    return {
        "bytes": before,
        "after": after,
        "ms": marks["results"][1] - marks["inputs"][-1],
        "open_ms": marks["results"][1] - opened,
        "found": int(found[0]) if found else 0,
    }


@contextlib.contextmanager
def cold_page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context (empty cache), failing on uncaught errors. Not the tests'
    `open_page`: its routing (which keeps tests off other hosts) turns the browser's HTTP
    cache off, and what a reader's cache keeps is part of what is measured here."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, errors


def is_pagefind(url: str) -> bool:
    return "/pagefind/" in url


def is_lunr(url: str) -> bool:
    """Material's search: its index and its search worker (not our theme's search scripts)."""
    path = url.split("?")[0]
    return "/assets/search/" not in path and ("search_index" in path or "/workers/search" in path)


def pagefind_run(browser: Browser, url: str, way: str, term: str) -> dict[str, Any]:
    """One cold first search for ``term``: "pasted" or "typed" on /search/, or "landing" there
    from the header box of the home page."""

    def enter(page: Page) -> None:
        if way == "landing":
            box = page.locator(".md-header__inner .briefing-header-search input")
            box.press_sequentially(term, delay=KEY_DELAY_MS)
            box.press("Enter")
            return
        page.wait_for_selector("#briefing-search[data-ready=true]")
        box = page.locator("#briefing-search-input")
        if way == "typed":
            box.press_sequentially(term, delay=KEY_DELAY_MS)
        else:
            box.fill(term)

    path = "/" if way == "landing" else "/search/"
    return run(browser, url, path, ".briefing-search__result", is_pagefind, enter, 60_000)


def widen_run(browser: Browser, url: str, term: str) -> dict[str, Any] | None:
    """On a site whose index is in parts: after a first search for ``term`` on /search/, the
    reader asks for the earlier years. The bytes fetched from the click until the results of
    every part show, and the time (None: the index is one bundle)."""
    fetched: list[tuple[str, int]] = []

    def finished(request: Request) -> None:
        if is_pagefind(request.url):
            sizes = request.sizes()
            size = max(0, sizes["responseBodySize"]) + max(0, sizes["responseHeadersSize"])
            fetched.append((kind(request.url), size))

    with cold_page(browser) as page:
        page.goto(f"{url}/search/?q={term}")
        page.wait_for_selector(".briefing-search__result", timeout=60_000)
        page.wait_for_load_state("networkidle")
        button = page.locator(".briefing-search__earlier")
        if not button.count():
            return None
        status = page.locator(".briefing-search__status")
        page.on("requestfinished", finished)
        started = time.monotonic()
        button.click()
        while "every brief" not in status.inner_text():
            page.wait_for_timeout(10)
        ms = (time.monotonic() - started) * 1000
        page.wait_for_load_state("networkidle")
        page.wait_for_selector(".briefing-search__facet", timeout=60_000)
        page.wait_for_load_state("networkidle")
        text = status.inner_text()
    found = re.match(r"\d+", text)
    return {
        "bytes": sum((Counter({k: v}) for k, v in fetched), Counter()),
        "ms": ms,
        "found": int(found[0]) if found else 0,
    }


def material_run(browser: Browser, url: str, term: str) -> dict[str, Any]:
    def enter(page: Page) -> None:
        page.fill("input.md-search__input", term)  # the header's search box (desktop layout)

    return run(browser, url, "/", ".md-search-result__item", is_lunr, enter, 300_000)


def build(folder: Path, events: int, material: bool, part_pages: int | None = None) -> None:
    """The synthetic site in ``folder/ours/site`` (and ``folder/material/site``), built unless
    it is there already."""
    content = folder / "content"
    if not content.is_dir():
        generate(content, events=events, actors=events // 10, seed=1)
    ours, base = folder / "ours", folder / "material"
    if not (ours / "site" / "pagefind" / "pagefind-entry.json").is_file():
        started = time.perf_counter()
        options = {} if part_pages is None else {"search_part_pages": part_pages}
        result = mkdocs_build(config_for(ours, content, **options), ours / "site")
        assert result.returncode == 0, result.stderr
        print(f"built with Pagefind in {time.perf_counter() - started:.0f} s")
    if material and not (base / "site" / "search" / "search_index.json").is_file():
        config = config_for(base, content, pagefind=False)
        text = config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n- search\n", 1)
        config.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        result = mkdocs_build(config, base / "site")
        assert result.returncode == 0, result.stderr
        print(f"built with Material search in {time.perf_counter() - started:.0f} s")


def measure(folder: Path, term: str, material: bool) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    servers = [serve(folder / "ours" / "site")]
    if material:
        index = folder / "material" / "site" / "search" / "search_index.json"
        print(f"Material search_index.json: {index.stat().st_size / 1e6:.1f} MB")
        compressed(index)  # the host's compressed copy exists before anyone asks for it
        servers.append(serve(folder / "material" / "site"))
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for way in ("pasted", "typed", "landing"):
            rows[way] = pagefind_run(browser, servers[0][1], way, term)
        if (widened := widen_run(browser, servers[0][1], term)) is not None:
            rows["earlier"] = widened
        if material:
            rows["lunr"] = material_run(browser, servers[1][1], term)
        browser.close()
    for server, _ in servers:
        server.shutdown()
    return rows


def report(rows: dict[str, dict[str, Any]], term: str, events: int, pages: int) -> None:
    pasted = rows["pasted"]
    print(f"\nfirst search for '{term}' on {events:,} events (headless Chromium, 127.0.0.1, gzip)")
    print(
        f"'{term}' is on {pasted['found']:,} of {pages:,} pages of the (first) bundle "
        f"({pasted['found'] / pages:.0%})"
    )
    print(f"{'search':<34}{'transferred':>14}{'entered→results':>18}{'page open→results':>20}")
    names = {
        "pasted": "Pagefind, pasted on /search/",
        "typed": f"Pagefind, typed ({KEY_DELAY_MS} ms/key)",
        "landing": "Pagefind, header box → /search/",
        "lunr": "Material (lunr), pasted",
    }
    for key, row in rows.items():
        if key == "earlier":
            continue
        size = sum(row["bytes"].values()) / 1024
        print(f"{names[key]:<34}{size:>11,.0f} KB{row['ms']:>15,.0f} ms{row['open_ms']:>17,.0f} ms")
    print("targets for Pagefind: <= 300 KB and <= 500 ms")
    if "earlier" in rows:
        row = rows["earlier"]
        parts = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(row["bytes"].items()))
        print(
            f"then the earlier years (every part merged): {sum(row['bytes'].values()) / 1024:,.0f}"
            f" KB, {row['ms']:,.0f} ms from the click to {row['found']:,} results; KB: {parts}"
        )
    for name in ("pasted", "typed", "landing"):
        row = rows[name]
        parts = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(row["bytes"].items()))
        after = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(row["after"].items()))
        print(f"Pagefind {name}, KB until results: {parts}")
        print(f"Pagefind {name}, KB after results (filter lists): {after or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("events", nargs="?", type=int, default=10_000)
    parser.add_argument("--site", type=Path, help="build here once, and reuse the build after")
    parser.add_argument("--part-pages", type=int, help="the search index in parts of N pages")
    parser.add_argument("--material", action="store_true", help="compare with Material's search")
    parser.add_argument("--term", default=TERM)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.site or Path(tmp)
        build(folder, args.events, args.material, args.part_pages)
        entry = folder / "ours" / "site" / "pagefind" / "pagefind-entry.json"
        languages = json.loads(entry.read_text())["languages"]
        pages = sum(language["page_count"] for language in languages.values())
        rows = measure(folder, args.term, args.material)
    report(rows, args.term, args.events, pages)


if __name__ == "__main__":
    main()
