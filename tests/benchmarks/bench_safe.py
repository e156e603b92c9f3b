"""Safe-output benchmark (`make bench-safe`, also run by `make bench`), measured side by side.

1. The cost of sanitizing: the full `mkdocs build` (with Pagefind) of N synthetic events
   (default 10,000), alternately as shipped and with the nh3 pass switched off in the build's
   process (`generator.safe.sanitize` replaced by the identity: for this measurement only; the
   product has no such switch). Best of two each; the target is at most 5% slower.
2. Markdown's worst cases: for each pathological construct, a field at its size limit, the time
   `check` spends on it (`safe.problems`) and the time the build spends converting it
   (`safe.to_html`); and the fixture site built with and without a record holding the worst of
   them (target: at most 2 s more).

`python -m tests.benchmarks.bench_safe [EVENTS]`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator import safe
from generator.synth import generate
from tests.benchmarks.bench_scale import ENV
from tests.conftest import EVENT
from tests.sitebuild import ROOT, config_for

LIMIT = 100_000
"""The size limit of a Markdown field (`body`, `assessment.text`)."""

WORST = {
    "unclosed [": "[" * LIMIT,
    "unclosed [ then text": "[" * 2_000 + "x" * (LIMIT - 2_000),
    "![ runs": "![" * (LIMIT // 2),
    "[a]( runs, at the link limit": "[a](" * safe.MAX_LINKS + "x" * (LIMIT - 4 * safe.MAX_LINKS),
    "nested brackets": "[" * (LIMIT // 2) + "]" * (LIMIT // 2),
    "<a runs": "<a" * (LIMIT // 2),
    "emphasis runs": "*a_" * (LIMIT // 3),
    "backtick runs": "`a" * (LIMIT // 2),
    "entity runs": "&#1;" * (LIMIT // 4),
    "block quotes, at the nesting limit": ("> " * safe.MAX_NESTING + "x\n") * 2_000,
    "lists, at the nesting limit": "".join(
        "    " * (i % safe.MAX_NESTING) + "- x\n" for i in range(LIMIT // 50)
    ),
    "table rows": "a|b\n-|-\n" + "x|y\n" * (LIMIT // 4),
    "one paragraph of words": "word " * (LIMIT // 5),
}
WORST = {name: text[:LIMIT].strip() for name, text in WORST.items()}

OFF = (
    "import sys, generator.safe as s\n"
    "s.sanitize = lambda fragment: fragment  # (measurement only)\n"
    "from mkdocs.__main__ import cli\n"
    "sys.argv = ['mkdocs', *sys.argv[1:]]\n"
    "cli()\n"
)


def build(config: Path, site: Path, sanitize: bool) -> float:
    shutil.rmtree(site, ignore_errors=True)
    command = ["-m", "mkdocs"] if sanitize else ["-c", OFF]
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, *command, "build", "-q", "-f", str(config), "-d", str(site)],
        env=ENV,
        check=True,
    )
    return time.perf_counter() - started


def sanitizing(events: int, tmp: Path) -> None:
    content = tmp / "content"
    generate(content, events=events, actors=max(events // 10, 20), seed=1)
    config = config_for(tmp / "build", content)
    on: list[float] = []
    off: list[float] = []
    for _ in range(2):
        on.append(build(config, tmp / "site", sanitize=True))
        off.append(build(config, tmp / "site", sanitize=False))
    print(f"\nfull build of {events:,} events, best of two each (alternated)")
    print(f"  sanitizing on:  {min(on):7.1f} s   (runs: {', '.join(f'{t:.1f}' for t in on)})")
    print(f"  sanitizing off: {min(off):7.1f} s   (runs: {', '.join(f'{t:.1f}' for t in off)})")
    print(f"  on / off:       {min(on) / min(off):7.3f}   (target: at most 1.05)")


def worst_cases(tmp: Path) -> str:
    print(f"\nMarkdown's worst cases, one field of {LIMIT:,} characters")
    print(f"  {'construct':40} {'check s':>8} {'build s':>8}  refused")
    slowest, slowest_time = "", -1.0
    for name, text in WORST.items():
        started = time.perf_counter()
        found = safe.problems(text)
        checked = time.perf_counter() - started
        started = time.perf_counter()
        safe.to_html(text)
        converted = time.perf_counter() - started
        print(f"  {name:40} {checked:8.3f} {converted:8.3f}  {'yes' if found else 'no'}")
        if not found and converted > slowest_time:
            slowest, slowest_time = name, converted
    return slowest


def with_worst(tmp: Path, name: str) -> None:
    fixture = ROOT / "tests" / "fixtures" / "content"
    times = {}
    for label, extra in (("without", None), ("with", WORST[name])):
        content = tmp / f"fixture-{label}"
        shutil.copytree(fixture, content)
        if extra is not None:
            record = EVENT.replace(
                "summary: North Korea", "body: |-\n" + _indent(extra) + "\nsummary: North Korea"
            )
            (content / "events" / "2024" / "worst.yaml").write_text(record, encoding="utf-8")
        times[label] = min(
            build(config_for(tmp / f"b-{label}", content), tmp / f"s-{label}", True)
            for _ in range(2)
        )
    print(f"\nfixture site with a body of {name!r} ({LIMIT:,} characters), best of two")
    print(f"  without: {times['without']:.2f} s, with: {times['with']:.2f} s, ")
    print(f"  added: {times['with'] - times['without']:.2f} s (target: at most 2 s)")


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.split("\n"))


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        slowest = worst_cases(tmp)
        with_worst(tmp, slowest)
        sanitizing(events, tmp)


if __name__ == "__main__":
    main()
