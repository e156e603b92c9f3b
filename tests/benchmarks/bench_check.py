"""Benchmark: `briefing check` against a bare yaml.CSafeLoader loop over the same files.

Run with `make bench-check` (or `python -m tests.benchmarks.bench_check [EVENTS ...]`, by default
10,000 and 50,000 events, actors = events / 10). Measured both ways, side by side in one run,
alternating, best of three each:

- **as processes**, as editors run it: `briefing check --content DIR` from start to exit (imports
  and the interpreter's exit included) against a process that imports PyYAML and loads every file
  with `yaml.CSafeLoader`; this is the ratio the target (≤ 1.5) is about;
- **in-process**: `generator.site.link.build_site` against the bare loop, both in this process.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from generator.commands.synth import generate
from generator.site.link import build_site

BARE = (
    "import sys, yaml\n"
    "from pathlib import Path\n"
    "for path in sorted(Path(sys.argv[1]).rglob('*.yaml')):\n"
    "    with path.open('rb') as handle:\n"
    "        yaml.load(handle, Loader=yaml.CSafeLoader)\n"
)
"""The bare loop as a program of its own (the same loop as `bare_loop`)."""


def bare_loop(content: Path) -> int:
    count = 0
    for path in sorted(content.rglob("*.yaml")):
        with path.open("rb") as handle:
            yaml.load(handle, Loader=yaml.CSafeLoader)
        count += 1
    return count


def check(content: Path) -> int:
    site = build_site(content)
    return len(site.events) + len(site.actors) + 1


def _process(command: list[str]) -> Callable[[Path], int]:
    def run(content: Path) -> int:
        subprocess.run([*command, str(content)], check=True, capture_output=True)
        return 0

    return run


BRIEFING = [str(Path(sys.executable).with_name("briefing")), "check", "--content"]


def best_of(
    runs: dict[str, Callable[[Path], int]], content: Path, times: int = 3
) -> dict[str, float]:
    """The best time of each of ``runs`` over ``content``, alternating."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(times):
        for name, run in runs.items():
            started = time.perf_counter()
            run(content)
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def measure(events: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        generate(content, events=events, actors=events // 10, seed=1)
        bare_loop(content)  # warm the page cache for both
        processes = best_of(
            {"bare": _process([sys.executable, "-c", BARE]), "check": _process(BRIEFING)}, content
        )
        here = best_of({"bare": bare_loop, "check": check}, content)
    return {
        "process bare": processes["bare"],
        "process check": processes["check"],
        "in-process bare": here["bare"],
        "in-process check": here["check"],
    }


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 50_000]
    print("events  actors  bare proc s  check proc s  ratio  bare in s  check in s  ratio")
    for events in sizes:
        r = measure(events)
        print(
            f"{events:>6} {events // 10:>7} {r['process bare']:>12.2f} {r['process check']:>13.2f}"
            f" {r['process check'] / r['process bare']:>6.2f} {r['in-process bare']:>10.2f}"
            f" {r['in-process check']:>11.2f} {r['in-process check'] / r['in-process bare']:>6.2f}",
            flush=True,
        )
    print("best of 3 each, alternating; target: process ratio <= 1.5 at 10k and 50k")


if __name__ == "__main__":
    main()
