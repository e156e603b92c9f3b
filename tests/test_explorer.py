"""The explorer's data (generator/publish/explorer.py): a small index (vocabularies and one row
a month) and one file a month, which together say of every event what the records say, each
event once, numbered by first day; the index's months agree with their files."""

from __future__ import annotations

import datetime as dt
import json

from generator.publish import explorer
from generator.site.link import build_site
from tests.sitebuild import ROOT


def test_each_month_file_says_what_the_records_say() -> None:
    site = build_site(ROOT / "content")
    ours = {k: json.loads(v) for k, v in explorer.explorer_data(site).items()}
    index = ours.pop("data/explorer/index.json")
    by_id = {e.id: e for e in site.events}
    seen: list[str] = []
    firsts: list[int] = []
    located = 0
    origin = index["origin"]
    assert origin == f"{min(e.record.date.first for e in site.events).year}-01-01"
    assert [f"data/explorer/{p[0]}.json" for p in index["periods"]] == list(ours)
    for key, start, count, first, reach in index["periods"]:
        month = ours[f"data/explorer/{key}.json"]
        assert month["start"] == start == len(seen) and len(month["id"]) == count
        assert first == month["first"][0]
        assert reach == max(f + d - 1 for f, d in zip(month["first"], month["days"], strict=True))
        for k, event_id in enumerate(month["id"]):
            entry = by_id[event_id]
            record = entry.record
            assert record.date.first.isoformat()[:7] == key
            day = month["first"][k]
            assert day == (record.date.first - dt.date.fromisoformat(origin)).days
            assert month["days"][k] == (record.date.last - record.date.first).days + 1
            assert month["title"][k] == record.title and month["date"][k] == record.date.display()
            assert month["summary"][k] == record.summary
            assert index["types"][month["type"][k]][0] == record.type
            assert index["statuses"][month["status"][k]][0] == record.status
            assert [index["actors"][a][0] for a in month["actor"][k]] == [
                i.actor.id for i in entry.actors
            ]
            assert [index["tags"][t] for t in month["tag"][k]] == list(record.tags)
            where = record.location
            has_point = where is not None and where.lat is not None and where.lon is not None
            assert (month["point"][k] is not None) == has_point
            located += has_point
            assert month["place"][k] == (where.name if where else "")
            country = month["country"][k]
            expected = where.country if where and where.country else None
            assert (index["countries"][country] if country >= 0 else None) == expected
            seen.append(event_id)
            firsts.append(day)
    assert sorted(seen) == sorted(by_id) and len(seen) == len(set(seen))
    assert firsts == sorted(firsts)
    assert located > 0
