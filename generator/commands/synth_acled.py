"""``briefing synth --acled``: a synthetic export in the shape of ACLED's CSV, for the import's
benchmark (`make bench-import`) and tests.

The columns are ACLED's published ones, in their order; the values that the shipped mapping
(``mappings/acled.yaml``) translates (event types, actors, countries, geo precision) are drawn
from those its lookup tables list, so that every row imports; the rest varies as an export does:
sub-event types, places with their provinces and coordinates, a few rows without coordinates,
dates in both of ACLED's spellings, several sources, and notes with commas and quotes (which the
import ignores: they are ACLED's prose). The same seed gives the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
"""ACLED's export columns, in the order of its CSV."""

SUB_EVENTS = {
    "Strategic developments": [
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Other",
    ],
    "Explosions/Remote violence": [
        "Shelling/artillery/missile attack",
        "Air/drone strike",
        "Remote explosive/landmine/IED",
    ],
}
"""ACLED's event types the shipped mapping maps, with some of their sub-event types."""
ACTORS = {
    "North Korea": ["Military Forces of North Korea (2011-)"],
    "South Korea": ["Government of South Korea (2022-)", "Military Forces of South Korea (2022-)"],
}
COUNTRIES = {"North Korea": ("PRK", 408), "South Korea": ("KOR", 410)}
ACLED_PLACES = {
    "North Korea": [
        ("Pyongyang", "Sunan", "Sunan", 39.2, 125.67),
        ("North Pyongan", "Cholsan", "Sohae", 39.6596, 124.7057),
        ("Kangwon", "Wonsan", "Wonsan", 39.1528, 127.4436),
        ("South Hwanghae", "Jangyon", "Jangyon", 38.24, 125.11),
        ("South Hamgyong", "Sinpo", "Sinpo", 40.0333, 128.1833),
        ("North Hamgyong", "Hwadae", "Musudan-ri", 40.8558, 129.6664),
    ],
    "South Korea": [
        ("Seoul", "Yongsan", "Seoul", 37.5326, 126.99),
        ("Gyeonggi", "Paju", "Paju", 37.76, 126.78),
        ("Incheon", "Ongjin", "Yeonpyeong Island", 37.6667, 125.7),
        ("Gangwon", "Cheorwon", "Cheorwon", 38.1467, 127.3133),
        ("Busan", "Nam-gu", "Busan", 35.1, 129.04),
    ],
}
SOURCES = ["Yonhap", "KCNA", "NK News", "Korea Herald", "NHK", "Yonhap; KCNA", "Daily NK"]
WEEK = 7 * 86400
"""ACLED publishes an event about a week after it (the ``timestamp`` column)."""
SCALES = ["National", "International", "National-International", "Other"]


def _row(rng: random.Random, number: int, day: dt.date) -> list[str]:
    country = rng.choices(list(COUNTRIES), [3, 2])[0]
    iso3, iso = COUNTRIES[country]
    event_type = rng.choices(list(SUB_EVENTS), [4, 1])[0]
    sub = rng.choice(SUB_EVENTS[event_type])
    actor1 = rng.choice(ACTORS[country])
    other = "South Korea" if country == "North Korea" else "North Korea"
    actor2 = rng.choice(ACTORS[other]) if rng.random() < 0.2 else ""
    admin1, admin2, location, lat, lon = rng.choice(ACLED_PLACES[country])
    located = rng.random() > 0.02
    when = f"{day:%d %B %Y}" if rng.random() < 0.05 else day.isoformat()
    source = rng.choice(SOURCES)
    notes = (
        f'On {day:%d %B %Y}, {actor1} was reported at {location} ({admin1}); "{sub.lower()}", '
        f"according to {source}."
    )
    values = {
        "event_id_cnty": f"{iso3}{number}",
        "event_date": when,
        "year": str(day.year),
        "time_precision": str(rng.choice((1, 1, 1, 2, 3))),
        "disorder_type": (
            "Political violence" if event_type != "Strategic developments" else event_type
        ),
        "event_type": event_type,
        "sub_event_type": sub,
        "actor1": actor1,
        "inter1": "State forces",
        "actor2": actor2,
        "inter2": "State forces" if actor2 else "",
        "interaction": "State forces-State forces" if actor2 else "State forces only",
        "iso": str(iso),
        "region": "East Asia",
        "country": country,
        "admin1": admin1,
        "admin2": admin2,
        "location": location,
        "latitude": f"{lat + rng.uniform(-0.05, 0.05):.4f}" if located else "",
        "longitude": f"{lon + rng.uniform(-0.05, 0.05):.4f}" if located else "",
        "geo_precision": str(rng.choice((1, 1, 2, 3))) if located else "3",
        "source": source,
        "source_scale": rng.choice(SCALES),
        "notes": notes,
        "fatalities": str(rng.choices((0, 1, 2, 5), [40, 3, 2, 1])[0]),
        "timestamp": str(int(dt.datetime(*day.timetuple()[:3], tzinfo=dt.UTC).timestamp()) + WEEK),
    }
    return [values.get(column, "") for column in COLUMNS]


def generate_acled(out: Path, *, rows: int, seed: int) -> None:
    """Write an ACLED-shaped CSV of ``rows`` events (1 January 2018 on, about 30 a day at
    100,000 rows) to the file ``out``."""
    rng = random.Random(seed)
    start = dt.date(2018, 1, 1)
    span = (dt.date(2026, 6, 30) - start).days
    days = sorted(start + dt.timedelta(days=rng.randrange(span)) for _ in range(rows))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number, day in enumerate(days, start=1001):
            writer.writerow(_row(rng, number, day))
