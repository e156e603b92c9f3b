"""``briefing synth``: a valid, varied synthetic content tree for benchmarks and scale tests.

Actor involvement follows a Zipf law (a few actors appear in most events, most in few), and
records vary: month-only and approximate dates, intervals, local times, claims, sources,
relations, short and long bodies. The same seed gives the same tree.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

EVENT_TYPES = [
    "missile-launch",
    "statement",
    "military-exercise",
    "diplomatic-meeting",
    "incident",
    "sanctions",
]
ACTOR_KINDS = ["state", "person", "organization", "military", "media", "vessel"]
STATUSES = ["developing", "confirmed", "disputed", "retracted"]
CONFIDENCE = ["low", "moderate", "high"]
RELATIONS = [
    ("response-to", "In response to", "Prompted"),
    ("part-of", "Part of", "Includes"),
    ("precedes", "Precedes", "Follows"),
    ("context", "Context", "Context"),
]
WORDS = [
    "launch",
    "missile",
    "coast",
    "statement",
    "ministry",
    "exercise",
    "naval",
    "drill",
    "border",
    "balloon",
    "satellite",
    "engine",
    "warhead",
    "salvo",
    "radar",
    "patrol",
    "summit",
    "treaty",
    "sanction",
    "vessel",
    "aircraft",
    "island",
    "range",
    "apogee",
    "carrier",
    "envoy",
    "talks",
    "protest",
    "agency",
    "spokesperson",
    "footage",
    "analysis",
    "estimate",
]
TAGS = [f"tag-{w}" for w in WORDS[:40]]
PLACES = [
    ("Pyongyang area", "KP", 39.03, 125.75),
    ("Sohae", "KP", 39.66, 124.705),
    ("Wonsan", "KP", 39.15, 127.44),
    ("Busan", "KR", 35.1, 129.04),
    ("Sea of Japan", None, 40.0, 134.0),
]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(6, 14)) for _ in range(sentences))


def _vocabulary() -> dict[str, Any]:
    def terms(ids: list[str]) -> list[dict[str, str]]:
        return [
            {"id": i, "label": i.replace("-", " ").capitalize(), "description": f"Synthetic {i}."}
            for i in ids
        ]

    return {
        "event_types": terms(EVENT_TYPES),
        "actor_kinds": terms(ACTOR_KINDS),
        "statuses": terms(STATUSES),
        "confidence": terms(CONFIDENCE),
        "relations": [
            {"id": i, "label": label, "inverse_label": inv} for i, label, inv in RELATIONS
        ],
    }


def _date(rng: random.Random, day: dt.date) -> tuple[str, str | None]:
    roll = rng.random()
    if roll < 0.05:
        return f"{day:%Y-%m}", None
    if roll < 0.08:
        return f"{day:%Y-%m}~", None
    if roll < 0.11:
        end = day + dt.timedelta(days=rng.randint(1, 5))
        return f"{day.isoformat()}/{end.isoformat()}", None
    if roll < 0.13:
        return f"{day.isoformat()}?", None
    time = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}" if roll < 0.6 else None
    return day.isoformat(), time


def _dump(path: Path, data: dict[str, Any], schema: str) -> None:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"# yaml-language-server: $schema={schema}\n{text}", encoding="utf-8")


def generate(out: Path, *, events: int, actors: int, seed: int) -> None:
    """Write ``content/``-shaped records into ``out``."""
    rng = random.Random(seed)
    (out / "events").mkdir(parents=True, exist_ok=True)
    (out / "actors").mkdir(parents=True, exist_ok=True)
    _dump(out / "vocabulary.yaml", _vocabulary(), "schema/vocabulary.schema.json")

    actor_ids = [f"actor-{i:05d}" for i in range(actors)]
    for i, actor_id in enumerate(actor_ids):
        record: dict[str, Any] = {
            "name": f"Actor {i} {rng.choice(WORDS).capitalize()}",
            "kind": ACTOR_KINDS[i % len(ACTOR_KINDS)],
            "summary": _paragraph(rng, 2),
            "aliases": [f"Alias {i}-{k}" for k in range(rng.randint(0, 3))],
        }
        if i % 3 == 0:
            record["native_name"] = f"행위자 {i}"
        if i >= 10 and rng.random() < 0.3:
            record["affiliation"] = actor_ids[rng.randrange(0, min(i, 10))]
        if rng.random() < 0.2:
            record["body"] = "\n\n".join(_paragraph(rng, 4) for _ in range(rng.randint(1, 4)))
        _dump(out / "actors" / f"{actor_id}.yaml", record, "../schema/actor.schema.json")

    weights = [1 / (rank + 1) ** 1.1 for rank in range(actors)]
    start = dt.date(2000, 1, 1)
    span = (dt.date(2026, 6, 30) - start).days
    days = sorted(start + dt.timedelta(days=rng.randrange(span)) for _ in range(events))
    ids: list[str] = []
    for n, day in enumerate(days):
        event_id = f"{day.isoformat()}-{rng.choice(WORDS)}-{rng.choice(WORDS)}-{n:05d}"
        date, time = _date(rng, day)
        involved = list(dict.fromkeys(rng.choices(actor_ids, weights, k=rng.randint(1, 6))))
        sources = [
            {
                "key": f"s{k + 1}",
                "publisher": rng.choice(["Yonhap", "KCNA", "Reuters", "NHK", "KBS World"]),
                "title": _sentence(rng, 8),
                "date": day.isoformat(),
                "url": f"https://news.example.org/{event_id}/{k}",
                "language": rng.choice(["en", "ko", "ja"]),
            }
            for k in range(rng.randint(1, 4))
        ]
        record = {
            "title": _sentence(rng, rng.randint(4, 12))[:150].rstrip("."),
            "date": date,
            **({"time": time} if time else {}),
            "type": rng.choice(EVENT_TYPES),
            "status": rng.choices(STATUSES, [3, 10, 2, 0.2])[0],
            "summary": _paragraph(rng, 2)[:600],
            "actors": [
                {"id": a, "role": _sentence(rng, 3)} if rng.random() < 0.7 else a for a in involved
            ],
            "claims": [
                {
                    "by": rng.choice(involved),
                    "said": _paragraph(rng, 2),
                    "date": day.isoformat(),
                    "sources": [rng.choice(sources)["key"]],
                }
                for _ in range(rng.choice([0, 0, 1, 2, 3]))
            ],
            "facts": {f"Fact {k}": f"{rng.randint(1, 999)} km" for k in range(rng.randint(0, 4))},
            "tags": sorted(set(rng.choices(TAGS, k=rng.randint(0, 4)))),
            "sources": sources,
            "published": (day + dt.timedelta(days=1)).isoformat(),
        }
        if rng.random() < 0.5:
            name, country, lat, lon = rng.choice(PLACES)
            record["location"] = {
                "name": name,
                "lat": str(lat),
                "lon": str(lon),
                "precision": "approximate",
                **({"country": country} if country else {}),
            }
        if rng.random() < 0.6:
            record["assessment"] = {
                "text": _paragraph(rng, 2),
                "confidence": rng.choice(CONFIDENCE),
            }
        if ids and rng.random() < 0.5:
            targets = {rng.choice(ids[-50:]) for _ in range(rng.randint(1, 2))}
            record["related"] = [
                {"id": t, "relation": rng.choice(RELATIONS)[0]} for t in sorted(targets)
            ]
        if rng.random() < 0.7:
            long = rng.random() < 0.2
            record["body"] = "\n\n".join(
                _paragraph(rng, 5) for _ in range(rng.randint(6, 14) if long else 1)
            )
        if rng.random() < 0.2:
            record["updates"] = [
                {"date": (day + dt.timedelta(days=2)).isoformat(), "note": _sentence(rng, 10)}
            ]
        folder = out / "events" / str(day.year)
        folder.mkdir(exist_ok=True)
        _dump(folder / f"{event_id}.yaml", record, "../../schema/event.schema.json")
        ids.append(event_id)
