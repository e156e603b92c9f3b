"""Records at every limit: the worst a contributor can send within the rules.

Every list at its longest (`generator.content.model`), or none, the file at its largest
(`generator.content.load.MAX_BYTES`), and what room is left filled with record Markdown of one of the
shapes that cost Python-Markdown the most (`SHAPES`), or of all of them in turn (`mixed`). Used by the slow test that builds them
(tests/test_limits.py) and by the benchmark that times them (tests/benchmarks/bench_safe.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from generator.content.bounded import MAX_LINKS
from generator.content.load import MAX_BYTES
from generator.content.model import MARKDOWN_LIMIT


def _repeat(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


def _links(piece: str, size: int) -> str:
    """``piece`` (one link) repeated up to half the links a field may hold (two shapes make
    links), then words."""
    links = piece * min(size // len(piece), MAX_LINKS // 2)
    return links + _repeat("word ", size - len(links))


SHAPES: dict[str, Callable[[int], str]] = {
    "words": lambda n: _repeat("word ", n),
    "inline links": lambda n: _links("[a](https://x.example/) ", n),
    "links by reference": lambda n: "[r]: https://x.example/\n\n" + _links("[r], ", n - 25),
    "unclosed brackets": lambda n: "[" * n,
    "nested brackets": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "emphasis": lambda n: _repeat("*a_", n),
    "strong emphasis": lambda n: _repeat("**a", n),
    "code spans": lambda n: _repeat("`a", n),
    "entities": lambda n: _repeat("&amp;", n),
    "autolinks": lambda n: _repeat("<https://a.example> ", n),
    "escapes": lambda n: _repeat("\\*", n),
    "table cells": lambda n: "a|b\n-|-\n" + _repeat("*x*|[y]\n", n - 8),
    "list items": lambda n: _repeat("- *x*\n", n),
    "headings": lambda n: _repeat("# *x*\n", n),
    "setext headings": lambda n: _repeat("x\n-\n", n),
    "rules after text": lambda n: _repeat("x\n***\n", n),
    "quotes after headings": lambda n: _repeat("> x\n# y\n", n),
    "definitions between lines": lambda n: _repeat("[a]: https://x.example/\nx\n", n),
    "one-column tables": lambda n: (
        _repeat("|a|\n|-|\nz\n# x|\n", n // 4) + _repeat("|x|\n", n - n // 4)
    ),
}
"""Record Markdown of ``n`` characters (about), for every shape that was slow to convert."""


def mixed(n: int, paragraph: int = 0) -> str:
    """Every shape in turn, in blocks of their own; a paragraph (the ``paragraph``-th of a
    record) holds one shape only."""
    if paragraph:
        return list(SHAPES.values())[paragraph % len(SHAPES)](n)
    part = n // len(SHAPES)
    return "\n\n".join(shape(part).strip() for shape in SHAPES.values())


def _paragraph(text: str, size: int) -> str:
    """``text`` cut to ``size`` characters, as one paragraph (no blank line)."""
    lines = [line for line in text[:size].split("\n") if line.strip()]
    return "\n".join(lines).strip() or "x"


def _block(text: str, indent: int) -> str:
    """A YAML literal block holding ``text`` exactly, indented by ``indent`` spaces (two more
    than its key's)."""
    pad = " " * indent
    return "|2-\n" + "\n".join(pad + line if line else "" for line in text.split("\n"))


def _quoted(text: str) -> str:
    return json.dumps(text)


def _fit(make: Callable[[int], str], size: int = MAX_BYTES) -> str:
    """The largest ``make(room)`` that is at most ``size`` bytes (``room``: the characters of
    Markdown it may hold)."""
    low, high = 0, size
    while low < high:
        middle = (low + high + 1) // 2
        if len(make(middle).encode()) <= size:
            low = middle
        else:
            high = middle - 1
    return make(low)


Markdown = Callable[..., str]
"""Record Markdown of about ``n`` characters, and of one paragraph when given its number
(`mixed`, or a shape of `SHAPES`)."""


def event(markdown: Markdown, actors: list[str], related: list[str], lists: bool = True) -> str:
    """An event as large as a record file may be, its Markdown fields of ``markdown``: with every
    list at its limit (``actors``: 50 actor ids, ``related``: 50 event ids), the Markdown in what
    room they leave; or, ``lists`` false, with one actor and one source, and Markdown only."""

    def count(limit: int) -> int:
        return limit if lists else min(limit, 1)

    claims, updates = (50, 100) if lists else (0, 0)

    def make(room: int) -> str:
        said, note = min(2_000, room // 200), min(2_000, room // 400)
        text = room // 8 if lists else max(0, room - MARKDOWN_LIMIT)
        body = min(MARKDOWN_LIMIT, room - text - claims * said - updates * note)
        lines = [
            f"title: {_quoted('Worst ' + 'x' * 144)}",
            'date: "2024-06-01"',
            'time: "05:30"',
            "type: missile-launch",
            "status: developing",
            f"summary: {_block(_paragraph(_one(markdown, 600, 1), 600), 2)}",
            "location:",
            f"  name: {_quoted('Place ' + 'y' * 294)}",
            "  country: KP",
            "  lat: 39.03",
            "  lon: 125.75",
            "  precision: region",
            "  source: s0",
            "actors:",
            *[f"  - id: {a}\n    role: role {n}" for n, a in enumerate(actors[: count(50)])],
            f"claims:{'' if claims else ' []'}",
            *[
                f"  - by: {actors[n]}\n"
                f"    said: {_block(_paragraph(_one(markdown, said, n + 2), said), 6)}\n"
                f'    date: "2024-06-01"\n    sources: [{", ".join(f"s{k}" for k in range(20))}]'
                for n in range(claims)
            ],
            f"assessment:\n  text: {_block(markdown(text).strip() or 'x', 4)}\n  confidence: high",
            f"facts:{'' if lists else ' {}'}",
            *[f"  Fact {n}: value {n}" for n in range(50 if lists else 0)],
            f"tags: [{', '.join(f'tag-{n}' for n in range(30 if lists else 0))}]",
            f"related:{'' if lists else ' []'}",
            *[f"  - id: {r}\n    relation: context" for r in related[: 50 if lists else 0]],
            "sources:",
            *[
                f"  - key: s{n}\n    publisher: P{n}\n    title: T{n}\n"
                f"    url: https://s.example/{n}"
                for n in range(count(100))
            ],
            f"body: {_block(markdown(body).strip() or 'x', 2)}",
            f"updates:{'' if updates else ' []'}",
            *[
                f'  - date: "2024-06-{n % 28 + 2:02d}"\n'
                f"    note: {_block(_paragraph(_one(markdown, note, n + 52), note), 6)}"
                for n in range(updates)
            ],
            'published: "2024-06-01"',
            f"former_ids: [{', '.join(f'old-worst-{n}' for n in range(20 if lists else 0))}]",
        ]
        return "\n".join(lines) + "\n"

    return _fit(make)


def actor(markdown: Markdown) -> str:
    """An actor with every list at its limit, its Markdown as large as a record file may be."""

    def make(room: int) -> str:
        lines = [
            f"name: {_quoted('Worst actor ' + 'x' * 288)}",
            "kind: state",
            f"summary: {_block(_paragraph(_one(markdown, 600, 1), 600), 2)}",
            f"native_name: {_quoted('최악' * 150)}",
            "aliases:",
            *[f"  - {_quoted(f'Alias {n} ' + 'z' * 200)}" for n in range(30)],
            "country: KP",
            "affiliation: north-korea",
            f"title: {_quoted('Title ' + 't' * 294)}",
            "links:",
            *[f"  - label: Link {n}\n    url: https://l.example/{n}" for n in range(30)],
            "wikidata: Q1",
            f"body: {_block(markdown(min(room, MARKDOWN_LIMIT)).strip() or 'x', 2)}",
            f"former_ids: [{', '.join(f'old-worst-actor-{n}' for n in range(20))}]",
        ]
        return "\n".join(lines) + "\n"

    return _fit(make)


FILLER_EVENT = """\
title: Filler {n}
date: "2024-05-{day:02d}"
type: statement
status: confirmed
summary: A filler event.
actors: [north-korea]
sources:
  - key: s
    publisher: Example
    title: Example
published: "2024-05-{day:02d}"
"""
FILLER_ACTOR = "name: Filler {n}\nkind: person\nsummary: A filler actor.\n"


def write_fillers(content: Path) -> tuple[list[str], list[str]]:
    """50 events and 50 actors for the worst records to refer to; their ids."""
    events, actors = [f"filler-{n}" for n in range(50)], [f"filler-actor-{n}" for n in range(50)]
    (content / "events" / "fillers").mkdir(parents=True, exist_ok=True)
    for n, event_id in enumerate(events):
        text = FILLER_EVENT.format(n=n, day=n % 28 + 1)
        (content / "events" / "fillers" / f"{event_id}.yaml").write_text(text, encoding="utf-8")
    for n, actor_id in enumerate(actors):
        text = FILLER_ACTOR.format(n=n)
        (content / "actors" / f"{actor_id}.yaml").write_text(text, encoding="utf-8")
    return events, actors


def _one(markdown: Markdown, size: int, paragraph: int) -> str:
    return markdown(size, paragraph) if markdown is mixed else markdown(size)


def write_worst(
    content: Path, markdown: Markdown, lists: bool = True, text: bool = True, actor_too: bool = True
) -> None:
    """The worst records (`event`, `actor`) in ``content``, which holds the fillers: the event
    with every list at its limit (``worst``), the event that is Markdown only (``worst-text``),
    and the actor (``worst-actor``)."""
    events = sorted(p.stem for p in (content / "events" / "fillers").glob("*.yaml"))
    actors = sorted(p.stem for p in (content / "actors").glob("filler-actor-*.yaml"))
    folder = content / "events" / "2024"
    if lists:
        (folder / "worst.yaml").write_text(event(markdown, actors, events), encoding="utf-8")
    if text:
        record = event(markdown, actors, events, lists=False)
        (folder / "worst-text.yaml").write_text(record, encoding="utf-8")
    if actor_too:
        (content / "actors" / "worst-actor.yaml").write_text(actor(markdown), encoding="utf-8")
