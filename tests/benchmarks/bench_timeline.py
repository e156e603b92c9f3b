"""Benchmark: /timeline/ on a 10,000-event site, opened cold in headless Chromium.

Builds a synthetic site, serves it as a static host does (text gzip-compressed, see
bench_search) and opens /timeline/ from a cold browser profile. It prints the bytes
transferred (every request, by kind) and the time from navigation until the timeline is
interactive (the script has loaded its data, drawn the view and set ``data-ready``), then the
same after zooming in to single events (the year files fetched then). Targets: <= 300 KB and
<= 500 ms.

Building 10,000 events takes minutes: ``--site DIR`` builds into DIR once and reuses it after
(the same layout as bench_search, so one folder serves both).

Run with `make bench-timeline` or
`python -m tests.benchmarks.bench_timeline [EVENTS] [--site DIR]`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from playwright.sync_api import Request, sync_playwright

from tests.benchmarks.bench_search import build, serve
from tests.browser_support import CHROMIUM_ARGS, open_page

READY = """
window.__ready = null;
new MutationObserver(() => {
  const figure = document.querySelector("[data-timeline-lanes][data-ready=true]");
  if (figure && window.__ready === null) window.__ready = performance.now();
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
"""


def kind(url: str) -> str:
    path = url.split("?")[0]
    if "/data/timeline/" in path:
        return "timeline data"
    if "sitemap" in path and path.endswith(".xml"):  # what Material's bundle fetches
        return "sitemap"
    for suffix, name in ((".js", "scripts"), (".css", "styles"), (".html", "page"), ("/", "page")):
        if path.endswith(suffix):
            return name
    return "other"


def measure(url: str) -> None:
    sizes: Counter[str] = Counter()

    def finished(request: Request) -> None:
        got = request.sizes()
        sizes[kind(request.url)] += got["responseBodySize"] + got["responseHeadersSize"]

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        with open_page(browser, url) as page:
            page.add_init_script(READY)
            page.on("requestfinished", finished)
            page.goto(f"{url}/timeline/")
            # (Polled: the page's Content-Security-Policy refuses wait_for_function's eval.)
            deadline = time.monotonic() + 60
            while (ready := page.evaluate("window.__ready")) is None:
                assert time.monotonic() < deadline, "the timeline was not ready in time"
                page.wait_for_timeout(20)
            page.wait_for_load_state("networkidle")
            before = Counter(sizes)
            mode = page.get_attribute("[data-timeline-lanes]", "data-mode")
            started = time.perf_counter()
            page.goto(f"{url}/timeline/?at=2024-06-15&span=90")
            page.wait_for_selector("[data-timeline-lanes][data-mode=marks]", timeout=60_000)
            zoomed = (time.perf_counter() - started) * 1000
            marks = page.locator(".tl-svg a.tl-mark").count()
        browser.close()
    total = sum(before.values()) / 1024
    print(
        f"/timeline/ cold: {total:,.0f} KB transferred, interactive after {ready:,.0f} ms ({mode})"
    )
    print("  KB by kind: " + ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(before.items())))
    print(
        f"opened at a 90-day view: {marks} single events in {zoomed:,.0f} ms (page load included)"
    )
    print("targets: <= 300 KB and <= 500 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("events", nargs="?", type=int, default=10_000)
    parser.add_argument("--site", type=Path, help="build here once, and reuse the build after")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.site or Path(tmp)
        build(folder, args.events, material=False)
        server, url = serve(folder / "ours" / "site")
        try:
            measure(url)
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
