"""The explorer's data (generator/publish/explorer.py): one file a year beside the timeline's,
row for row, with what the explorer's card, list and table show; the countries in an index."""

from __future__ import annotations

import json

from generator.publish import explorer
from generator.render import timeline
from generator.site.link import build_site
from tests.sitebuild import ROOT


def test_each_year_lines_up_with_the_timelines_rows() -> None:
    site = build_site(ROOT / "content")
    ours = {k: json.loads(v) for k, v in explorer.explorer_data(site).items()}
    theirs = {k: json.loads(v) for k, v in timeline.data(site).items()}
    index = ours.pop("data/explorer/index.json")
    assert len(index["country"]) == len(theirs["data/timeline/index.json"]["first"])
    by_id = {e.id: e.record for e in site.events}
    years = {k.rsplit("/", 1)[1] for k in theirs} - {"index.json"}
    assert {k.rsplit("/", 1)[1] for k in ours} == years
    located = 0
    for name in years:
        mine, tl = ours[f"data/explorer/{name}"], theirs[f"data/timeline/{name}"]
        assert mine["start"] == tl["start"]
        for k, event_id in enumerate(tl["id"]):
            record = by_id[event_id]
            assert mine["summary"][k] == record.summary
            where = record.location
            has_point = where is not None and where.lat is not None and where.lon is not None
            assert (mine["point"][k] is not None) == has_point
            located += has_point
            assert mine["place"][k] == (where.name if where else "")
            country = index["country"][tl["start"] + k]
            expected = where.country if where and where.country else None
            assert (index["countries"][country] if country >= 0 else None) == expected
    assert located > 0
