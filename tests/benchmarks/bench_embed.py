"""What the audit of record text costs a build (`make bench-embed`, issue #28).

One `mkdocs build` of synthetic content (10,000 events and 1,000 actors by default), run in this
process so that the steps of `generator.render.embed` that MkDocs' process runs for each generated page
can be timed as they run: the audit of the converted page (`embed.audit`, plain text that came out
as markup), the allow-list check of its fragments (`embed.audit_fragments`), and the fragments put
in place (`embed.fill`). It prints the build's wall time and each step's total, side by side,
with the audit's share of the build (the issue's target: at most 5%).

`python -m tests.benchmarks.bench_embed [EVENTS]`.
"""

from __future__ import annotations

import argparse
import functools
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.commands.synth import generate
from generator.render import embed
from tests.sitebuild import config_for


def _timed(module: Any, name: str, totals: dict[str, float]) -> None:
    """``module.name`` replaced by itself, timed into ``totals[name]``."""
    original: Callable[..., Any] = getattr(module, name)

    @functools.wraps(original)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - started

    totals[name] = 0.0
    setattr(module, name, timed)


def run(events: int, tmp: Path) -> dict[str, float]:
    content = tmp / "content"
    generate(content, events=events, actors=events // 10, seed=1)
    config = load_config(str(config_for(tmp / "config", content)), site_dir=str(tmp / "site"))
    totals: dict[str, float] = {}
    for name in ("audit", "audit_fragments", "fill"):
        _timed(embed, name, totals)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    started = time.perf_counter()
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    totals["build"] = time.perf_counter() - started
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("events", nargs="?", type=int, default=10_000)
    events = parser.parse_args().events
    with tempfile.TemporaryDirectory() as tmp:
        totals = run(events, Path(tmp))
    audit = totals["audit"] + totals["audit_fragments"]
    print(f"{events:,} events, {events // 10:,} actors: mkdocs build {totals['build']:.1f} s")
    print(f"  audit of plain text     {totals['audit']:7.2f} s")
    print(f"  allow-list of fragments {totals['audit_fragments']:7.2f} s")
    print(f"  fragments put in place  {totals['fill']:7.2f} s")
    print(f"  the audit: {audit:.2f} s, {100 * audit / totals['build']:.1f}% of the build")


if __name__ == "__main__":
    main()
