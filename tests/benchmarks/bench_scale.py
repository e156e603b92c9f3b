"""Scale benchmark (`make bench`): 1k, 3k and 10k synthetic events, measured side by side.

For each size (actors = events / 10) it prints one row: `briefing check` and a bare
yaml.CSafeLoader loop over the same files; page generation (render to Markdown); the full
`mkdocs build` with Pagefind and a baseline `mkdocs build` of the very same Markdown as plain
pages with the same theme and nav (no plugin, no search), alternated, best of three each; the
build's peak memory; the site's size and largest page; and the time from saving one record to
its rebuilt page under `mkdocs serve --dirty` (the median of five edits). Sizes can be given:
`python -m tests.benchmarks.bench_scale 1000 3000`. `make bench-50k` is the 50,000-event,
5,000-actor row alone, with one build of each (a 50k build takes 20 minutes or more on 2 cores).
The peak memory is that of all the build's processes together, and the site's size is given by
contributor (`generator.publish.budget`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from generator.commands.synth import generate
from generator.publish import budget
from generator.render.output import write_pages
from generator.session.build import render_site
from generator.settings import Settings
from generator.site.link import build_site
from tests.benchmarks.bench_check import bare_loop
from tests.sitebuild import ROOT, config_for, free_port, mkdocs_serve

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
BUILDS = 3
UNLIMITED = 10**15
"""The benchmark's size budget: none (the default budget's verdict is printed instead)."""
"""Timings of the full build and of the plain baseline, alternated; the best of each is shown."""


def _tree(root: int) -> list[int]:
    """``root`` and its descendants (from /proc: Linux only)."""
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                queue += [int(child) for child in task.read_text().split()]
    return found


def _memory(pid: int) -> tuple[int, int]:
    """Resident and proportional set size of process ``pid`` in kB (0 once it has ended)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    fields = dict(line.split(":", 1) for line in rollup.splitlines()[1:] if ":" in line)
    return int(fields["Rss"].split()[0]), int(fields["Pss"].split()[0])


def timed_build(config: Path, site: Path) -> tuple[float, float, float]:
    """Seconds of one `mkdocs build`, and the peak memory (MB) of all its processes together
    (MkDocs, the rendering child, Pagefind's service), sampled five times a second: the sum of
    their resident sizes (pages shared after the fork counted in each) and of their proportional
    sizes (shared pages divided among the processes sharing them)."""
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    peak_rss = peak_pss = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, env=ENV)
    while process.poll() is None:
        sizes = [_memory(pid) for pid in _tree(process.pid)]
        peak_rss = max(peak_rss, sum(rss for rss, _ in sizes))
        peak_pss = max(peak_pss, sum(pss for _, pss in sizes))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command)
    return seconds, peak_rss / 1024, peak_pss / 1024


def plain_config(folder: Path, pages: Path) -> Path:
    """The same theme and hub-only nav, but the generated Markdown as ordinary pages."""
    config = config_for(folder, pages.parent / "unused-content")
    text = config.read_text(encoding="utf-8")
    head, _, rest = text.partition("plugins:\n")
    _, _, tail = rest.partition("nav:\n")
    text = f"{head}plugins: []\nnav:\n{tail}".replace(
        f"docs_dir: {(pages.parent / 'unused-content' / 'pages').resolve()}", f"docs_dir: {pages}"
    )
    config.write_text(text, encoding="utf-8")
    return config


def _wait_for(url: str, text: str, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} never showed {text!r}")


def edit_latency(folder: Path, content: Path, edits: int = 5) -> float:
    """Seconds from saving one record to the new text on its page under `mkdocs serve --dirty`:
    the median of ``edits`` edits of different records, one after the other."""
    port = free_port()
    log = (folder / "serve.log").open("w")
    server = mkdocs_serve(config_for(folder / "serve", content), port, log)
    try:
        records = sorted((content / "events").rglob("*.yaml"))
        picked = [records[len(records) * (n + 1) // (edits + 1)] for n in range(edits)]
        # (The first build: 10-15 minutes at 50,000 events, over 15 on a busy machine.)
        _wait_for(f"http://127.0.0.1:{port}/briefs/{picked[0].stem}/", "<h1", 3600)
        times = []
        for record in picked:
            time.sleep(2)
            text = record.read_text(encoding="utf-8")
            title = next(line for line in text.splitlines() if line.startswith("title:"))
            edited = f"Edited for the benchmark {time.time_ns()}"
            record.write_text(text.replace(title, f"title: {edited}"), encoding="utf-8")
            url = f"http://127.0.0.1:{port}/briefs/{record.stem}/"
            times.append(_wait_for(url, edited, 300))
        print("  edits under serve:", ", ".join(f"{t:.2f} s" for t in times), flush=True)
        return statistics.median(times)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def run(events: int, tmp: Path, builds: int = BUILDS, edit: bool = True) -> dict[str, float]:
    folder = tmp / str(events)
    content = folder / "content"
    if not (content / "events").is_dir():  # (kept from an earlier run with --keep)
        generate(content, events=events, actors=events // 10, seed=1)
    row: dict[str, float] = {}
    bare_loop(content)
    started = time.perf_counter()
    bare_loop(content)
    row["bare"] = time.perf_counter() - started
    started = time.perf_counter()
    site = build_site(content)
    row["check"] = time.perf_counter() - started
    started = time.perf_counter()
    pages = render_site(site, Settings(templates_dir=ROOT / "templates"))
    row["render"] = time.perf_counter() - started
    plain = folder / "plain" / "docs"
    write_pages(pages, plain)
    row["pages"] = len(pages)
    del site, pages  # (not to be held in this process's memory during the builds)
    # The two builds alternate, best of three each: one timing of either swings by a fifth on a
    # shared machine. Each of ours starts cold, without the plugin's page cache.
    # The size budget would fail a build over 1 GB: measured here, not enforced (the site's
    # size against the budget is printed below).
    ours = config_for(folder / "ours", content, size_budget=UNLIMITED)
    baseline = plain_config(folder / "plain", plain)
    times, plains, rss, pss = [], [], [], []
    # Each build starts as one in CI does, from a clean checkout: no site folder (emptying the
    # last build's would be timed, and at 50,000 events take ours 14 s more than the plain
    # one's, which the last run removed) and, for ours, no page cache.
    for _ in range(builds):
        for built in ("ours/site", "ours/cache", "plain/site"):
            shutil.rmtree(folder / built, ignore_errors=True)
        seconds, peak_rss, peak_pss = timed_build(ours, folder / "ours" / "site")
        times.append(seconds)
        rss.append(peak_rss)
        pss.append(peak_pss)
        plains.append(timed_build(baseline, folder / "plain" / "site")[0])
    row["build"], row["plain"] = min(times), min(plains)
    row["memory"], row["pss"] = max(rss), max(pss)
    print(  # (before the edit timing, which at 50,000 events means another whole build)
        f"  {events} events: check {row['check']:.2f} s against {row['bare']:.2f} s, build "
        f"{row['build']:.1f} s against {row['plain']:.1f} s plain "
        f"({row['build'] / row['plain']:.2f}), peak {row['memory']:,.0f} MB ({row['pss']:,.0f} PSS)",
        flush=True,
    )
    out = folder / "ours" / "site"
    row["largest"] = max(p.stat().st_size for p in out.rglob("*.html")) / 1024
    contributors = budget.sizes(out)
    row["size"] = sum(contributors.values()) / 1e6
    share = sum(contributors.values()) / Settings().size_budget
    print(f"  {events} events: {share:.0%} of the default size budget; largest:", flush=True)
    for name, size in contributors.most_common(8):
        print(f"    {name}: {size / 1e6:,.1f} MB ({size / events / 1024:.1f} KB per event)")
    shutil.rmtree(folder / "plain" / "site")
    row["edit"] = edit_latency(folder, content) if edit else float("nan")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 3_000, 10_000])
    parser.add_argument("--builds", type=int, default=BUILDS, help="builds of each, alternated")
    parser.add_argument("--no-edit", action="store_true", help="skip the serve edit timing")
    parser.add_argument(
        "--keep", type=Path, help="work in this folder and keep the synthetic content for reruns"
    )
    options = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    header = (
        f"{'events':>7} {'check s':>8} {'bare s':>7} {'ratio':>6} {'render s':>9} {'build s':>8} {'plain s':>8} "
        f"{'ratio':>6} {'ms/event':>9} {'peak MB':>8} {'pss MB':>7} {'site MB':>8} {'KB/event':>9} "
        f"{'largest KB':>11} {'edit s':>7}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        tmp = options.keep or Path(scratch)
        for events in options.sizes:
            r = run(events, tmp, options.builds, not options.no_edit)
            print(header)
            print(
                f"{events:>7} {r['check']:>8.2f} {r['bare']:>7.2f} {r['check'] / r['bare']:>6.2f} {r['render']:>9.2f} "
                f"{r['build']:>8.1f} {r['plain']:>8.1f} {r['build'] / r['plain']:>6.2f} {1000 * r['build'] / events:>9.1f} "
                f"{r['memory']:>8.0f} {r['pss']:>7.0f} {r['size']:>8.1f} {1e3 * r['size'] / events:>9.1f} "
                f"{r['largest']:>11.1f} {r['edit']:>7.2f}",
                flush=True,
            )
            if not options.keep:
                shutil.rmtree(tmp / str(events))
    print("peak MB: the sum of the resident sizes of all the build's processes (pss: proportional)")
    print(
        "targets at 10k: check ratio <= 1.5, build ratio <= 1.3, peak <= 1500 MB, largest <= 500 KB, site <= 500 MB, edit <= 3 s"
    )
    print(
        "targets at 50k: build ratio <= 1.25, peak <= 4096 MB (16 GB runner), site <= 1000 MB (18 KB/event)"
    )


if __name__ == "__main__":
    main()
