"""Benchmark: the search page's word list (generator/publish/words.py) at scale.

Run with `make bench-words` (or `python -m tests.benchmarks.bench_words [EVENTS ...]`, by
default 50,000 events and 5,000 actors; `--keep DIR` keeps the synthetic content for a rerun).
Prints, for each size: the words listed, the file's size as written and gzip-compressed (what a
reader whose search finds nothing downloads), the time to make the list from a Site already
built (wall and CPU: the machine is shared), and the time again with the words of every record
kept (`mkdocs serve` after an edit).
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import tempfile
import time
from pathlib import Path

from generator.commands.synth import generate
from generator.publish import words
from generator.site.link import build_site


def measure(content: Path) -> dict[str, float]:
    site = build_site(content)
    gc.freeze()  # (as a build does once it has read the records: `tuning.Collector`)
    tally = words.Tally()
    started, cpu = time.perf_counter(), time.process_time()
    text = words.word_files(site, tally)[words.PATH]
    cold, cold_cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    words.word_files(site, tally)
    kept = time.perf_counter() - started
    raw = text.encode("utf-8")
    return {
        "words": len(json.loads(text)),
        "bytes": len(raw),
        "gzip": len(gzip.compress(raw, 9)),
        "cold": cold,
        "cold_cpu": cold_cpu,
        "kept": kept,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", nargs="*", type=int, default=[50_000])
    parser.add_argument("--keep", type=Path, help="write (or reuse) the content here")
    args = parser.parse_args()
    print("| events | words | bytes | gzip bytes | made in s (CPU s) | again, records kept, s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for events in args.events:
        with tempfile.TemporaryDirectory() as tmp:
            content = (args.keep or Path(tmp)) / f"content-{events}"
            if not (content / "vocabulary.yaml").exists():
                generate(content, events=events, actors=events // 10, seed=1)
            row = measure(content)
        print(
            f"| {events:,} | {row['words']:,} | {row['bytes']:,} | {row['gzip']:,} "
            f"| {row['cold']:.2f} ({row['cold_cpu']:.2f}) | {row['kept']:.2f} |"
        )


if __name__ == "__main__":
    main()
