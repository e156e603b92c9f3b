"""Benchmark (`make bench-import`): `briefing import` (issue #30), every figure from one run.

Each import is a process of its own, `briefing import` as editors run it, timed from start to
exit; its CPU time and peak resident memory are the child's own (``os.wait4``). The rows:

- the CNS missile tests (the 339 rows of ``../shared/reference/nk-missile-tests/test.en.json``)
  into an empty content folder (the shipped vocabulary and actors, no events): target at most
  2 s;
- the same import again, unchanged: the files it wrote (new, or with a new modification time)
  must be none;
- an ACLED-shaped CSV of 100,000 rows (``briefing synth --acled``) into a copy of the shipped
  content: target at most 60 s and 1 GB; then again, unchanged, writing no file;
- `make site` (``mkdocs build --strict``) of the shipped content without the CNS import's data
  records (as before the import), and of the shipped content as it is, one after the other.

Without the shared reference data set (``../shared``, next to the repository) the CNS rows and
the site builds are skipped with a message, and the ACLED rows still run. Options: ``--rows N``
(the ACLED rows, default 100,000) and ``--no-site`` (no site builds).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.sitebuild import ROOT, config_for

REFERENCE = ROOT.parent / "shared" / "reference" / "nk-missile-tests"
CNS = ROOT / "mappings" / "cns-missile-tests.yaml"
ACLED = ROOT / "mappings" / "acled.yaml"
BRIEFING = str(Path(sys.executable).with_name("briefing"))
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
STATUS = "  - id: data-record\n    label: Data record\n    description: Imported from a data set.\n"
"""The status both shipped mappings give their records, added to a copy of the content that
lacks it."""


@dataclass
class Run:
    """One child process: seconds from start to exit, CPU seconds (its children's included),
    its own peak RSS in MB, its output."""

    wall: float
    cpu: float
    rss: float
    output: str


def child(command: list[str], log: Path) -> Run:
    """Run ``command``, its output into ``log``; raise if it fails."""
    started, spent = time.perf_counter(), _children_cpu()
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=ENV)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    output = log.read_text(encoding="utf-8")
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output[-3000:]}")
    return Run(wall, _children_cpu() - spent, usage.ru_maxrss / 1024, output)


def _children_cpu() -> float:
    """CPU seconds of every ended child so far, theirs included (a build's rendering child and
    Pagefind's service)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def content_copy(folder: Path, *, events: bool) -> Path:
    """A copy of the shipped content (its events left out unless ``events``), with the
    data-record status."""
    shutil.copytree(ROOT / "content", folder, ignore=None if events else _no_events)
    vocabulary = folder / "vocabulary.yaml"
    text = vocabulary.read_text(encoding="utf-8")
    if "id: data-record" not in text:
        vocabulary.write_text(text.replace("statuses:\n", "statuses:\n" + STATUS, 1), "utf-8")
    return folder


def without_data_records(folder: Path) -> Path:
    """``folder`` without the records the shipped CNS import added (its data records): the
    shipped content as it was before the import, but for the facts and sources the curated
    briefs it matched gained."""
    for path in folder.glob("events/*/*.yaml"):
        if "\nstatus: data-record\n" in path.read_text(encoding="utf-8"):
            path.unlink()
    return folder


def _no_events(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if Path(folder).name == "events" and name[:1].isdigit()]


def files(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def written(before: dict[Path, int], folder: Path) -> int:
    """Files new since ``before``, or whose modification time changed."""
    return sum(1 for p, mtime in files(folder).items() if before.get(p) != mtime)


def import_twice(source: Path, mapping: Path, content: Path, tmp: Path, name: str) -> list[str]:
    command = [
        BRIEFING,
        "import",
        str(source),
        "--mapping",
        str(mapping),
        "--content",
        str(content),
    ]
    before = files(content)
    first = child(command, tmp / f"{name}-1.log")
    count = written(before, content)
    before = files(content)
    again = child(command, tmp / f"{name}-2.log")
    return [
        _row(name, first, count),
        _row(f"{name}, again unchanged", again, written(before, content)),
    ]


def _row(name: str, run: Run, count: int) -> str:
    summary = run.output.strip().splitlines()[-1]
    return f"{name:<44} {run.wall:>7.2f} {run.cpu:>7.2f} {run.rss:>7.0f} {count:>7}  {summary}"


def build(content: Path, tmp: Path, name: str) -> str:
    config = config_for(tmp / f"{name}-config", content)
    site = tmp / f"{name}-site"
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(config)]
    run = child([*command, "-d", str(site)], tmp / f"{name}-build.log")
    pages = sum(1 for _ in site.rglob("*.html"))
    return f"{name:<44} {run.wall:>7.2f} {run.cpu:>7.2f} {run.rss:>7.0f} {pages:>7}  pages"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=100_000, help="ACLED-shaped rows")
    parser.add_argument("--no-site", action="store_true", help="no site builds")
    args = parser.parse_args()
    found = REFERENCE.is_dir()
    if not found:
        print(f"{REFERENCE} not found: the CNS rows and the site builds are skipped")
    print(f"{'':<44} {'wall s':>7} {'CPU s':>7} {'RSS MB':>7} {'files':>7}  briefing's summary")
    with tempfile.TemporaryDirectory(prefix="bench-import-") as name:
        tmp = Path(name)
        if found:
            empty = content_copy(tmp / "cns", events=False)
            source = REFERENCE / "test.en.json"
            for line in import_twice(source, CNS, empty, tmp, "CNS, 339 rows, empty content"):
                print(line, flush=True)
        csv = tmp / "acled.csv"
        child([BRIEFING, "synth", "--acled", "--events", str(args.rows), str(csv)], tmp / "s.log")
        shipped = content_copy(tmp / "acled", events=True)
        for line in import_twice(csv, ACLED, shipped, tmp, f"ACLED-shaped, {args.rows:,} rows"):
            print(line, flush=True)
        shutil.rmtree(shipped)
        if found and not args.no_site:
            before = without_data_records(content_copy(tmp / "before", events=True))
            print(build(before, tmp, "make site, before the CNS import"), flush=True)
            after = content_copy(tmp / "after", events=True)
            print(build(after, tmp, "make site, shipped (CNS imported)"), flush=True)
    print(
        "files: written by the import (new or touched); for a build, its pages. Targets: CNS "
        "<= 2 s; 100,000 rows <= 60 s and <= 1,024 MB; again unchanged: 0 files"
    )


if __name__ == "__main__":
    main()
