"""Benchmark: /explorer/ on a synthetic site (10,000 events by default), opened cold in
headless Chromium.

Builds the site (or reuses ``--site DIR``, the layout bench_search and bench_timeline use),
serves it as a static host does (text gzip-compressed) and opens /explorer/ from a cold browser
profile. It prints the bytes transferred until the explorer is interactive (by kind) and the
time from navigation until then (its data loaded, the first view drawn, ``data-ready`` set),
then 50 steps of zooming and panning by the timeline's buttons, each timed from the click to
the view drawn again (timeline, list, map and caption), as the median and the 95th percentile.
Targets (issue 31): <= 300 KB, <= 1 s, and <= 50 ms a step at the 95th percentile.

Run with `make bench-explore` or
`python -m tests.benchmarks.bench_explore [EVENTS] [--site DIR]`.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from playwright.sync_api import Page, Request, sync_playwright

from tests.benchmarks.bench_search import build, serve
from tests.browser_support import CHROMIUM_ARGS, open_page

READY = """
window.__ready = null;
new MutationObserver(() => {
  const box = document.querySelector("[data-explorer][data-ready=true]");
  if (box && window.__ready === null) window.__ready = performance.now();
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
"""

STEP = """async (name) => {
  const box = document.querySelector("[data-explorer]");
  const button = box.querySelector(`.bx-tools [data-act="${name}"]`);
  const started = performance.now();
  const done = new Promise((resolve) => {
    const watch = new MutationObserver(() => {
      if (box.dataset.ready === "true") { watch.disconnect(); resolve(); }
    });
    watch.observe(box, { attributes: true, attributeFilter: ["data-ready"] });
  });
  button.click();
  await done;
  return performance.now() - started;
}"""

STEPS = ["in", "in", "earlier", "later", "later", "earlier", "out", "in", "earlier", "later"] * 5
"""50 steps: zooms and pans about the first view."""


def kind(url: str) -> str:
    path = url.split("?")[0]
    if "/data/timeline/" in path:
        return "timeline data"
    if "/data/explorer/" in path:
        return "explorer data"
    for suffix, name in ((".js", "scripts"), (".css", "styles"), (".html", "page"), ("/", "page")):
        if path.endswith(suffix):
            return name
    return "other"


def _wait_ready(page: Page) -> float:
    # (Polled: the page's Content-Security-Policy refuses wait_for_function's eval.)
    deadline = time.monotonic() + 60
    while (ready := page.evaluate("window.__ready")) is None:
        assert time.monotonic() < deadline, "the explorer was not ready in time"
        page.wait_for_timeout(20)
    return float(ready)


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
            page.goto(f"{url}/explorer/")
            ready = _wait_ready(page)
            before = Counter(sizes)
            state = page.evaluate("window.briefingExplorer.state()")
            page.wait_for_load_state("networkidle")
            steps = [float(page.evaluate(STEP, name)) for name in STEPS]
        browser.close()
    total = sum(before.values()) / 1024
    steps.sort()
    p95 = steps[int(len(steps) * 0.95) - 1]
    print(
        f"/explorer/ cold: {total:,.0f} KB transferred, interactive after {ready:,.0f} ms "
        f"({state['count']:,} events in the first view, {state['from']} to {state['to']})"
    )
    print("  KB by kind: " + ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(before.items())))
    print(
        f"zoom/pan, {len(steps)} steps: median {statistics.median(steps):.1f} ms, "
        f"95th percentile {p95:.1f} ms, slowest {steps[-1]:.1f} ms"
    )
    print("targets: <= 300 KB, <= 1000 ms, <= 50 ms (95th percentile)")


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
