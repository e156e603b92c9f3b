"""Benchmark: `briefing check` against a bare yaml.CSafeLoader loop over the same files.

Run with `make bench-check` (or `python -m tests.benchmarks.bench_check [EVENTS]`). Both are measured
side by side in one run, alternating, best of three each; the ratio is what the target is about.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

from generator.link import build_site
from generator.synth import generate


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


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    actors = events // 10
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        generate(content, events=events, actors=actors, seed=1)
        bare_loop(content)  # warm the page cache for both
        best = {"bare CSafeLoader loop": float("inf"), "briefing check": float("inf")}
        for _ in range(3):
            for name, run in (("bare CSafeLoader loop", bare_loop), ("briefing check", check)):
                started = time.perf_counter()
                files = run(content)
                best[name] = min(best[name], time.perf_counter() - started)
        bare, ours = best["bare CSafeLoader loop"], best["briefing check"]
        print(f"{events} events, {actors} actors ({files} files), best of 3")
        print(f"  bare CSafeLoader loop: {bare:6.2f} s")
        print(f"  briefing check:        {ours:6.2f} s")
        print(f"  ratio:                 {ours / bare:6.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
