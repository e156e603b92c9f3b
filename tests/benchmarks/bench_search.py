"""Benchmark: a reader's first search on a 10,000-event site, Pagefind vs Material's search.

Builds the same synthetic site twice (ours with Pagefind; the baseline with Material's
built-in lunr search and no Pagefind), serves both on 127.0.0.1 and, in headless Chromium,
measures for one common term: the bytes the search downloads, and the time from typing the
query to the first result on screen (and from opening the page, since lunr must first fetch
and index everything). Run with `make bench-search` or
`python -m tests.benchmarks.bench_search [EVENTS]`.
"""

from __future__ import annotations

import functools
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Request, sync_playwright

from generator.synth import generate
from tests.browser_support import CHROMIUM_ARGS as ARGS
from tests.sitebuild import config_for, mkdocs_build

TERM = "missile"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def measure(
    page: Page, url: str, run: Callable[[Page], None], is_search: Callable[[str], bool]
) -> tuple[int, float, float]:
    sizes: list[int] = []

    def finished(request: Request) -> None:
        if is_search(request.url):
            sizes.append(
                request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
            )

    page.on("requestfinished", finished)
    opened = time.perf_counter()
    page.goto(url)
    typed = time.perf_counter()
    run(page)
    done = time.perf_counter()
    page.remove_listener("requestfinished", finished)
    return sum(sizes), (done - typed) * 1000, (done - opened) * 1000


def pagefind(page: Page) -> None:
    page.wait_for_selector("#briefing-search[data-ready=true]")
    page.fill("#briefing-search-input", TERM)
    page.wait_for_selector(".briefing-search__result")


def material(page: Page) -> None:
    page.fill("input.md-search__input", TERM)  # the header's search box (desktop layout)
    page.wait_for_selector(".md-search-result__item", timeout=120_000)


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root / "content", events=events, actors=events // 10, seed=1)
        ours, base = root / "ours", root / "material"
        ours.mkdir()
        base.mkdir()
        started = time.perf_counter()
        assert mkdocs_build(config_for(ours, root / "content"), ours / "site").returncode == 0
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
        (ours_server, ours_url), (base_server, base_url) = (
            serve(ours / "site"),
            serve(base / "site"),
        )
        rows = []
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for name, url, run, is_search in (
                ("Pagefind", f"{ours_url}/search/", pagefind, lambda u: "/pagefind/" in u),
                (
                    "Material (lunr)",
                    f"{base_url}/",
                    material,
                    lambda u: "/search/" in u or "search_index" in u,
                ),
            ):
                context = browser.new_context()
                context.route(
                    "**/*",
                    lambda route: (
                        route.abort() if "127.0.0.1" not in route.request.url else route.continue_()
                    ),
                )
                page = context.new_page()
                rows.append((name, *measure(page, url, run, is_search)))
                context.close()
            browser.close()
        ours_server.shutdown()
        base_server.shutdown()
    print(f"\nfirst search for '{TERM}' on {events} events (headless Chromium, 127.0.0.1)")
    print(f"{'search':<18}{'transferred':>14}{'typing→results':>17}{'page open→results':>20}")
    for name, size, after_typing, after_open in rows:
        print(f"{name:<18}{size / 1024:>11.0f} KB{after_typing:>14.0f} ms{after_open:>17.0f} ms")
    print("targets for Pagefind: <= 300 KB and <= 500 ms")


if __name__ == "__main__":
    main()
