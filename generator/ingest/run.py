"""`briefing import`, top to bottom: read the mapping, read the rows, make the events, plan the
changes, check every file to write, and only then write them (or, for a dry run, nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.content.errors import ContentError, ContentErrors, display_path
from generator.ingest import mapping as mappings
from generator.ingest.convert import convert
from generator.ingest.merge import Plan, reconcile, validate, write
from generator.ingest.table import read_table


def run(source: Path, mapping_file: Path, content: Path, *, dry_run: bool = False) -> Plan:
    """Import ``source`` into ``content``; raise ``ContentErrors`` (and write nothing) on any
    problem."""
    vocabulary = content / "vocabulary.yaml"
    if not vocabulary.is_file():
        message = "no vocabulary.yaml here: give the content folder with --content"
        raise ContentErrors([ContentError(display_path(content), 1, 1, "", message)])
    mapping = mappings.load(mapping_file)
    table = read_table(source, mapping.rows)
    events = convert(table, mapping)
    result = reconcile(content, mapping, events, dt.date.today())
    validate(result, table, events, content)
    if not dry_run:
        write(result)
    return result


def report(result: Plan, dry_run: bool) -> str:
    """What the import did (or would do), one line per record changed, then the counts."""
    lines = [f"added {i}" for i in result.added]
    lines += [f"changed {i}" for i in result.changed]
    lines += [
        f"matched {i} (a curated brief: the data set is cited, its facts added)"
        for i in result.matched
    ]
    lines += [
        f"gone {i} (its rows are no longer in the data set; the record is kept)"
        for i in result.gone
    ]
    counts = (
        f"{len(result.added)} added, {len(result.changed)} changed, {len(result.matched)} "
        f"matched, {len(result.kept)} kept, {len(result.gone)} gone"
    )
    lines.append(f"{'dry run, nothing written: ' if dry_run else ''}{counts}")
    return "\n".join(lines) + "\n"
