"""Benchmark: the search index in one bundle vs in parts, on the same synthetic site.

Builds the site (``EVENTS`` events, actors = events / 10) with the default part limit (one
bundle at 10,000 events) and with ``--part-pages`` (4,000: three parts at 10,000 events),
alternated, and samples five times a second the proportional set size (PSS, from
/proc/<pid>/smaps_rollup) of Pagefind's service processes and of the whole build. Prints, for
each build: its time, the peak PSS of one Pagefind service, of all Pagefind services together,
and of every process of the build, and the bundles written (with the time each appeared,
from the start of the build: an archive part written while MkDocs still builds pages shows
before the end).

Each layout is kept as ``DIR/one`` and ``DIR/parts`` (``DIR/<layout>/ours/site``), where
`python -m tests.benchmarks.bench_search --site DIR/parts --part-pages N` measures its first
search.

Run with `make bench-parts` or `python -m tests.benchmarks.bench_parts [EVENTS] [--site DIR]
[--part-pages N] [--builds N] [--only one|parts]`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.commands.synth import generate
from tests.benchmarks.bench_scale import ENV, UNLIMITED, _memory, _tree
from tests.sitebuild import config_for


def _is_service(pid: int) -> bool:
    try:
        return b"--service" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def build(folder: Path, content: Path, part_pages: int | None) -> dict[str, float]:
    """One `mkdocs build` into ``folder/ours/site``, sampled; its figures (MB, seconds)."""
    options: dict[str, object] = {"size_budget": UNLIMITED}  # (a 50,000-event site is over 1 GB)
    if part_pages is not None:
        options["search_part_pages"] = part_pages
    config = config_for(folder / "ours", content, **options)
    site = folder / "ours" / "site"
    shutil.rmtree(site, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    one = services = everything = 0
    written: dict[str, float] = {}  # bundle -> seconds from the start when it appeared
    started = time.perf_counter()
    process = subprocess.Popen(command, env=ENV)
    while process.poll() is None:
        pids = _tree(process.pid)
        sizes = {pid: _memory(pid)[1] for pid in pids}
        mine = [sizes[pid] for pid in pids if _is_service(pid)]
        one = max(one, *mine, 0)
        services = max(services, sum(mine))
        everything = max(everything, sum(sizes.values()))
        for entry in [site / "pagefind", *(site / "pagefind" / "parts").glob("*")]:
            name = entry.relative_to(site).as_posix()
            if (
                name not in written
                and (entry / "pagefind-entry.json").is_file()
                and entry.suffix != ".new"
            ):
                written[name] = time.perf_counter() - started
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command)
    bundles = {}
    for entry in sorted(site.rglob("pagefind-entry.json")):
        languages = json.loads(entry.read_text())["languages"]
        bundles[entry.parent.relative_to(site).as_posix()] = sum(
            language["page_count"] for language in languages.values()
        )
    return {
        "seconds": seconds,
        "one": one / 1024,
        "services": services / 1024,
        "all": everything / 1024,
        "bundles": bundles,  # type: ignore[dict-item]
        "written": written,  # type: ignore[dict-item]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("events", nargs="?", type=int, default=10_000)
    parser.add_argument("--site", type=Path, help="keep the content and builds here")
    parser.add_argument("--part-pages", type=int, default=4_000)
    parser.add_argument("--builds", type=int, default=1, help="builds of each layout")
    parser.add_argument("--only", choices=("one", "parts"), help="build one layout only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = args.site or Path(tmp)
        content = base / "content"
        if not content.is_dir():
            generate(content, events=args.events, actors=args.events // 10, seed=1)
        for layout in ("one", "parts"):
            (base / layout).mkdir(parents=True, exist_ok=True)
            link = base / layout / "content"
            if not link.exists():
                link.symlink_to(content.resolve())
        rows = []
        layouts = [("one", None), ("parts", args.part_pages)]
        layouts = [(name, limit) for name, limit in layouts if args.only in (None, name)]
        for _ in range(args.builds):
            for layout, limit in layouts:
                row = build(base / layout, content, limit)
                rows.append((layout, row))
                print(layout, json.dumps(row), flush=True)
    print(
        f"\n{args.events:,} events, {args.events // 10:,} actors; parts of <= {args.part_pages:,}"
    )
    print(f"{'layout':<8}{'build':>9}{'1 service':>12}{'services':>11}{'all':>10}  bundles")
    for layout, row in rows:
        bundles = ", ".join(
            f"{k} {v:,} pages (written at {row['written'].get(k, 0):.0f} s)"  # type: ignore[attr-defined]
            for k, v in row["bundles"].items()  # type: ignore[attr-defined]
        )
        print(
            f"{layout:<8}{row['seconds']:>7.0f} s{row['one']:>9,.0f} MB{row['services']:>8,.0f} MB"
            f"{row['all']:>7,.0f} MB  {bundles}"
        )


if __name__ == "__main__":
    main()
