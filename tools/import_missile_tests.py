"""Import the reference data set of North Korean missile tests into briefing records.

    python -m tools.import_missile_tests SOURCE_DIR OUT_CONTENT_DIR

(for example SOURCE_DIR ../shared/reference/nk-missile-tests). tests/test_real_data.py imports
it and builds the result.

The data set gives one entry per missile, with UTC dates and times. A brief is one launch
event on its LOCAL date (Asia/Seoul): all missiles of a salvo become one record. "unknown" is
absence of data, so such values are left out; month-only dates stay month-precision dates.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import zoneinfo
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
UNKNOWN = {"unknown", "na", "", None}
SOURCE_URL = "http://www.nti.org/analysis/articles/cns-north-korea-missile-test-database/"


def known(value: Any) -> bool:
    return not (value in UNKNOWN or (isinstance(value, str) and value.strip().lower() in UNKNOWN))


def local_moment(entry: dict[str, Any]) -> tuple[str, str | None]:
    """The local date (EDTF) and local time of one missile entry."""
    date = entry["date"]
    match = re.fullmatch(r"(\d\d):(\d\d) \(UTC\)", str(entry.get("time", "")))
    if len(date) != 10 or match is None:
        return date, None  # month-only, or no time: the date cannot be shifted
    utc = dt.datetime.fromisoformat(f"{date}T{match[1]}:{match[2]}:00+00:00")
    local = utc.astimezone(SEOUL)
    return local.date().isoformat(), f"{local:%H:%M}"


def _km(values: list[Any]) -> str | None:
    numbers = sorted({float(v) for v in values if known(v)})
    if not numbers:
        return None
    text = [f"{n:g}" for n in numbers]
    return f"{text[0]} km" if len(text) == 1 else f"{text[0]}–{text[-1]} km"


def records(source: Path) -> dict[str, dict[str, Any]]:
    tests = json.loads((source / "test.en.json").read_text(encoding="utf-8"))
    missiles = json.loads((source / "missile.en.json").read_text(encoding="utf-8"))
    facilities = json.loads((source / "facility.en.json").read_text(encoding="utf-8"))["facilities"]
    labels = json.loads((source / "dict.en.json").read_text(encoding="utf-8"))
    groups: dict[str, list[tuple[str | None, dict[str, Any]]]] = defaultdict(list)
    for bin_ in tests["timeBins"]:
        for entry in bin_["data"]:
            date, time = local_moment(entry)
            groups[date].append((time, entry))

    out = {}
    for date, items in sorted(groups.items()):
        entries = [entry for _, entry in items]
        times = sorted(t for t, _ in items if t is not None)
        names = sorted(
            {
                missiles.get(e["missile"], {}).get("name", e["missile"])
                for e in entries
                if known(e["missile"])
            }
        )
        places = sorted(
            {e["facility"] for e in entries if known(e["facility"]) and e["facility"] in facilities}
        )
        outcomes = sorted({e["outcome"] for e in entries if known(e["outcome"])})
        count = len(entries)
        what = f"{count} missile{'s' if count > 1 else ''}"
        where = facilities[places[0]]["name"] if places else None
        record: dict[str, Any] = {
            "title": f"North Korea launches {what}" + (f" from {where}" if where else ""),
            "date": date,
            **({"time": times[0]} if times and len(date) == 10 else {}),
            "type": "missile-launch",
            "status": "confirmed",
            "summary": f"North Korea launched {what}"
            + (f" ({', '.join(names)})" if names else "")
            + ".",
            "actors": [{"id": "north-korea", "role": "launched"}],
            "facts": {"Missiles": str(count)},
            "sources": [
                {
                    "key": "cns",
                    "publisher": "James Martin Center for Nonproliferation Studies",
                    "title": "CNS North Korea Missile Test Database",
                    "url": SOURCE_URL,
                }
            ],
            "tags": ["missile"],
            "published": f"{date[:7]}-01" if len(date) == 7 else date,
        }
        facts = record["facts"]
        if names:
            facts["Missile types"] = ", ".join(names)
        if outcomes:
            facts["Outcome"] = ", ".join(labels.get(o, o) for o in outcomes)
        for key, label in (("apogee", "Apogee"), ("distance", "Distance")):
            value = _km([e[key] for e in entries])
            if value:
                facts[label] = value
        landings = sorted(
            {labels.get(e["landing"], e["landing"]) for e in entries if known(e["landing"])}
        )
        if landings:
            facts["Landing"] = ", ".join(landings)
        if places:
            facility = facilities[places[0]]
            record["location"] = {
                "name": facility["name"],
                "country": "KP",
                "lat": str(facility["lat"]),
                "lon": str(facility["lon"]),
                "precision": "approximate",
            }
        descriptions = list(
            dict.fromkeys(e["description"] for e in entries if known(e.get("description")))
        )
        if descriptions:
            # Source text is plain text: keep Markdown and HTML from acting on it.
            record["body"] = "\n\n".join(
                re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", d) for d in descriptions
            )
        out[f"{date}-missile-test"] = record
    return out


VOCABULARY = {
    "event_types": [
        {
            "id": "missile-launch",
            "label": "Missile launch",
            "description": "A launch of one or more missiles.",
        }
    ],
    "actor_kinds": [{"id": "state", "label": "State", "description": "A country."}],
    "statuses": [
        {"id": "confirmed", "label": "Confirmed", "description": "Recorded in the data set."}
    ],
    "confidence": [{"id": "high", "label": "High", "description": "Well supported."}],
    "relations": [{"id": "context", "label": "Context", "inverse_label": "Context"}],
}
NORTH_KOREA = {
    "name": "North Korea",
    "kind": "state",
    "country": "KP",
    "summary": "The Democratic People's Republic of Korea.",
}


def write(source: Path, out: Path) -> int:
    def dump(path: Path, data: dict[str, Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    dump(out / "vocabulary.yaml", VOCABULARY)
    dump(out / "actors" / "north-korea.yaml", NORTH_KOREA)
    found = records(source)
    for record_id, record in found.items():
        dump(out / "events" / record_id[:4] / f"{record_id}.yaml", record)
    return len(found)


if __name__ == "__main__":
    print(f"wrote {write(Path(sys.argv[1]), Path(sys.argv[2]))} events")
