"""Safe-output benchmark (`make bench-safe`, also run by `make bench`), measured side by side.

1. Markdown's worst cases: for each construct that was slow to convert (`tests.worst.SHAPES`,
   and a few more), a field at its size limit, the time `check` spends on it (`safe.problems`)
   and the time the build spends converting it (`safe.to_html`), in CPU seconds (the machine is
   shared).
2. Records at every limit (`tests.worst`: the file at its largest, an event with every list at
   its longest and one of Markdown only, and an actor; their Markdown one shape, or all of them):
   for each, the time the three add to `briefing check` (as a process, against the same content
   without them: the fixture and the 100 records they refer to; target: one record at most 1 s),
   then the time each of them adds to a real `mkdocs build`, alone, in the mixed Markdown and the
   slowest shape's (target: at most 2 s). Best of two each, alternated; the
   CPU seconds of the processes beside the wall-clock ones, which a shared machine inflates (the
   load average is printed).
3. The cost of sanitizing: the full `mkdocs build` (with Pagefind) of N synthetic events
   (default 10,000), alternately as shipped and with the nh3 pass switched off in the build's
   process (`generator.content.safe.sanitize` replaced by the identity: for this measurement only; the
   product has no such switch). Best of two each; the target is at most 5% slower.

`python -m tests.benchmarks.bench_safe [EVENTS]` (0 leaves out the third part).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from generator.commands.synth import generate
from generator.content import safe
from generator.content.model import MARKDOWN_LIMIT, Event
from tests import worst
from tests.benchmarks.bench_scale import ENV
from tests.conftest import FIXTURE
from tests.sitebuild import config_for

LIMIT = MARKDOWN_LIMIT
"""The size limit of a Markdown field (`body`, `assessment.text`)."""

WORST = {
    **{name: shape(LIMIT) for name, shape in worst.SHAPES.items()},
    "unclosed [ then text": "[" * 2_000 + "x" * (LIMIT - 2_000),
    "![ runs": "![" * (LIMIT // 2),
    "[a]( runs, at the link limit": "[a](" * safe.MAX_LINKS + "x" * (LIMIT - 4 * safe.MAX_LINKS),
    "<a runs": "<a" * (LIMIT // 2),
    "block quotes, at the nesting limit": ("> " * safe.MAX_NESTING + "x\n") * 2_000,
    "lists, at the nesting limit": "".join(
        "    " * (i % safe.MAX_NESTING) + "- x\n" for i in range(LIMIT // 50)
    ),
}
WORST = {name: text[:LIMIT].strip() for name, text in WORST.items()}

OFF = (
    "import sys, generator.content.safe as s\n"
    "s.sanitize = lambda fragment: fragment  # (measurement only)\n"
    "from mkdocs.__main__ import cli\n"
    "sys.argv = ['mkdocs', *sys.argv[1:]]\n"
    "cli()\n"
)


def build(config: Path, site: Path, sanitize: bool) -> float:
    return timed_build(config, site, sanitize)[0]


def timed_build(config: Path, site: Path, sanitize: bool = True) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one `mkdocs build` (CPU: every process of it)."""
    shutil.rmtree(site, ignore_errors=True)
    command = ["-m", "mkdocs"] if sanitize else ["-c", OFF]
    return _timed([sys.executable, *command, "build", "-q", "-f", str(config), "-d", str(site)])


def _timed(command: list[str]) -> tuple[float, float]:
    def cpu() -> float:
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        return used.ru_utime + used.ru_stime

    cpu_before, started = cpu(), time.perf_counter()
    subprocess.run(command, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - started, cpu() - cpu_before


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


def worst_cases() -> None:
    print(f"\nMarkdown's worst cases, one field of {LIMIT:,} characters (CPU seconds)")
    print(f"  {'construct':40} {'check':>7} {'build':>7}  refused")
    for name, text in WORST.items():
        started = time.process_time()
        found = safe.problems(text)
        checked = time.process_time() - started
        started = time.process_time()
        safe.to_html(text)
        converted = time.process_time() - started
        print(f"  {name:40} {checked:7.3f} {converted:7.3f}  {'yes' if found else 'no'}")


def _check(content: Path) -> tuple[float, float]:
    return _timed(
        [str(Path(sys.executable).with_name("briefing")), "check", "--content", str(content)]
    )


def _best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(wall for wall, _ in runs), min(cpu for _, cpu in runs)


def _converting(content: Path) -> float:
    """CPU seconds converting every Markdown field of the worst events, as the build does (to
    HTML and to plain text)."""
    fields: list[str | None] = []
    for name in ("worst", "worst-text"):
        record = (content / "events" / "2024" / f"{name}.yaml").read_text(encoding="utf-8")
        event = Event.model_validate(yaml.load(record, Loader=yaml.CBaseLoader))
        fields += [event.summary, event.body, event.assessment.text if event.assessment else None]
        fields += [claim.said for claim in event.claims] + [u.note for u in event.updates]
    safe.to_html.cache_clear()
    safe.to_text.cache_clear()
    started = time.process_time()
    for text in filter(None, fields):
        safe.to_html(text)
        safe.to_text(text)
    return time.process_time() - started


def _with_worst(tmp: Path, base: Path, markdown: worst.Markdown) -> Path:
    content = tmp / "records-with"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(base, content)
    worst.write_worst(content, markdown)
    return content


def records(tmp: Path) -> None:
    base = tmp / "records-base"
    shutil.copytree(FIXTURE, base)
    worst.write_fillers(base)
    shapes: dict[str, worst.Markdown] = {"all shapes (mixed)": worst.mixed, **worst.SHAPES}
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("the two worst events and the worst actor, one shape of Markdown each: `briefing check`")
    print(
        f"  {'Markdown':28} {'without':>8} {'with':>7} {'added':>7}  {'CPU added':>9}"
        "  convert (CPU)  target 1 s"
    )
    converting = {}
    for name, markdown in shapes.items():
        content = _with_worst(tmp, base, markdown)
        without, with_them = [], []
        for _ in range(2):
            without.append(_check(base))
            with_them.append(_check(content))
        converting[name] = _converting(content)
        (wall, cpu), (wall_with, cpu_with) = _best(without), _best(with_them)
        print(
            f"  {name:28} {wall:8.2f} {wall_with:7.2f} {wall_with - wall:7.2f}  "
            f"{cpu_with - cpu:9.2f}  {converting[name]:13.2f}  "
            f"{'ok' if min(wall_with - wall, cpu_with - cpu) <= 1 else 'OVER'}"
        )
    slowest = max(worst.SHAPES, key=lambda name: converting[name])
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("one worst record in a real `mkdocs build`, best of two (seconds; target 2 s)")
    kinds = {
        "event, lists at limits": {"lists": True, "text": False, "actor_too": False},
        "event, Markdown only": {"lists": False, "text": True, "actor_too": False},
        "actor": {"lists": False, "text": False, "actor_too": True},
    }
    for name in ("all shapes (mixed)", slowest):
        for kind, flags in kinds.items():
            content = tmp / "records-with"
            shutil.rmtree(content, ignore_errors=True)
            shutil.copytree(base, content)
            worst.write_worst(content, shapes[name], **flags)
            times: dict[str, list[tuple[float, float]]] = {"without": [], "with": []}
            for _ in range(2):
                for label, tree in (("without", base), ("with", content)):
                    config = config_for(tmp / f"build-{label}", tree)
                    times[label].append(timed_build(config, tmp / f"site-{label}"))
            (wall, cpu), (wall_with, cpu_with) = _best(times["without"]), _best(times["with"])
            added, cpu_added = wall_with - wall, cpu_with - cpu
            print(
                f"  {name[:20]:20} {kind:22} without {wall:5.2f}, with {wall_with:5.2f}: "
                f"added {added:5.2f}, CPU {cpu_added:5.2f}  "
                f"{'ok' if min(added, cpu_added) <= 2 else 'OVER'}"
            )


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        worst_cases()
        records(tmp)
        if events:
            sanitizing(events, tmp)


if __name__ == "__main__":
    main()
