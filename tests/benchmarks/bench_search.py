"""Benchmark: a reader's first search on a 10,000-event site, Pagefind vs Material's search.

Builds the same synthetic site twice (ours with Pagefind; the baseline with Material's
built-in lunr search and no Pagefind) and serves both on 127.0.0.1 the way a static host such
as GitHub Pages does: text files (HTML, JS, JSON, CSS) gzip-compressed, Pagefind's own files
(already compressed) as they are. Then, in headless Chromium, each from a cold browser profile,
it searches for one common term and measures the bytes the search downloads and the time from
entering the term to the first results on screen:

- "pasted": the whole word arrives at once (the strict case: the page gets no head start);
- "typed": one key every 120 ms, timed from the last key (the page may fetch as the reader
  types, which every reader gets too);
- for Material (lunr), pasted into its search box, which must first fetch and index everything.

Time "from opening the page" is also given. Bytes count every search file from opening the
page until the results show (Pagefind's are broken down by kind); the filter lists the
search page loads after showing results are counted separately. The share of indexed pages
that contain the term is printed too, since it decides how much Pagefind must fetch.

Run with `make bench-search` or `python -m tests.benchmarks.bench_search [EVENTS]`.
"""

from __future__ import annotations

import functools
import gzip
import json
import mimetypes
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from playwright.sync_api import Browser, Page, Request, sync_playwright

from generator.synth import generate
from tests.browser_support import CHROMIUM_ARGS as ARGS
from tests.browser_support import open_page
from tests.sitebuild import config_for, mkdocs_build

TERM = "missile"
KEY_DELAY_MS = 120
COMPRESSED_TYPES = {".html", ".js", ".json", ".css", ".xml", ".svg"}


class StaticHost(SimpleHTTPRequestHandler):
    """A static file server that gzips text, as GitHub Pages does (compressed copies cached)."""

    cache: ClassVar[dict[Path, bytes]] = {}
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:
        pass

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
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            requests.append((request.timing["startTime"], kind(request.url), size))

    with open_page(browser, url) as page:
        page.add_init_script(MARKS.replace("SELECTOR", json.dumps(selector)))
        page.on("requestfinished", finished)
        page.goto(f"{url}{path}")
        enter(page)
        page.wait_for_function("window.__bench.results !== null", timeout=timeout)
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


def is_pagefind(url: str) -> bool:
    return "/pagefind/" in url


def is_lunr(url: str) -> bool:
    """Material's search: its index and its search worker (not our theme's search scripts)."""
    path = url.split("?")[0]
    return "/assets/search/" not in path and ("search_index" in path or "/workers/search" in path)


def pagefind_run(browser: Browser, url: str, typed: bool) -> dict[str, Any]:
    def enter(page: Page) -> None:
        page.wait_for_selector("#briefing-search[data-ready=true]")
        box = page.locator("#briefing-search-input")
        if typed:
            box.press_sequentially(TERM, delay=KEY_DELAY_MS)
        else:
            box.fill(TERM)

    return run(browser, url, "/search/", ".briefing-search__result", is_pagefind, enter, 60_000)


def material_run(browser: Browser, url: str) -> dict[str, Any]:
    def enter(page: Page) -> None:
        page.fill("input.md-search__input", TERM)  # the header's search box (desktop layout)

    return run(browser, url, "/", ".md-search-result__item", is_lunr, enter, 300_000)


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root / "content", events=events, actors=events // 10, seed=1)
        ours, base = root / "ours", root / "material"
        ours.mkdir()
        base.mkdir()
        started = time.perf_counter()
        result = mkdocs_build(config_for(ours, root / "content"), ours / "site")
        assert result.returncode == 0, result.stderr
        print(f"built with Pagefind in {time.perf_counter() - started:.0f} s")
        config = config_for(base, root / "content", pagefind=False)
        text = config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n- search\n", 1)
        config.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        result = mkdocs_build(config, base / "site")
        assert result.returncode == 0, result.stderr
        print(f"built with Material search in {time.perf_counter() - started:.0f} s")
        index = base / "site" / "search" / "search_index.json"
        print(f"Material search_index.json: {index.stat().st_size / 1e6:.1f} MB")
        compressed(index)  # the host's compressed copy exists before anyone asks for it
        entry = json.loads((ours / "site" / "pagefind" / "pagefind-entry.json").read_text())
        pages = sum(language["page_count"] for language in entry["languages"].values())
        (ours_server, ours_url), (base_server, base_url) = (
            serve(ours / "site"),
            serve(base / "site"),
        )
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            pasted = pagefind_run(browser, ours_url, typed=False)
            typed = pagefind_run(browser, ours_url, typed=True)
            lunr = material_run(browser, base_url)
            browser.close()
        ours_server.shutdown()
        base_server.shutdown()

    print(f"\nfirst search for '{TERM}' on {events:,} events (headless Chromium, 127.0.0.1, gzip)")
    print(
        f"'{TERM}' is on {pasted['found']:,} of {pages:,} indexed pages "
        f"({pasted['found'] / pages:.0%})"
    )
    print(f"{'search':<28}{'transferred':>14}{'entered→results':>18}{'page open→results':>20}")
    for name, row in (
        ("Pagefind, pasted", pasted),
        (f"Pagefind, typed ({KEY_DELAY_MS} ms/key)", typed),
        ("Material (lunr), pasted", lunr),
    ):
        size = sum(row["bytes"].values()) / 1024
        print(f"{name:<28}{size:>11,.0f} KB{row['ms']:>15,.0f} ms{row['open_ms']:>17,.0f} ms")
    print("targets for Pagefind: <= 300 KB and <= 500 ms")
    for name, row in (("pasted", pasted), ("typed", typed)):
        parts = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(row["bytes"].items()))
        after = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(row["after"].items()))
        print(f"Pagefind {name}, KB until results: {parts}")
        print(f"Pagefind {name}, KB after results (filter lists): {after or 'none'}")


if __name__ == "__main__":
    main()
