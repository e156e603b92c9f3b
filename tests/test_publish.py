"""Feeds, open data and reproducible builds, checked on a real build of the shipped content."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import shutil
import zlib
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest
from bs4 import BeautifulSoup

from generator.content.model import Actor, Event
from generator.publish import exports
from generator.site.entries import Site
from generator.site.link import build_site
from tests.browser_support import BRIEF_ID
from tests.conftest import FIXTURE
from tests.sitebuild import ROOT, config_for, mkdocs_build

pytestmark = pytest.mark.slow
EPOCH = "1719360000"


@pytest.fixture(scope="module")
def model() -> Site:
    return build_site(ROOT / "content")


def _build(folder: Path) -> Path:
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        result = mkdocs_build(config_for(folder, ROOT / "content"), folder / "site")
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert result.returncode == 0, result.stderr
    return folder / "site"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _build(tmp_path_factory.mktemp("one")), _build(tmp_path_factory.mktemp("two"))


def test_same_content_same_epoch_gives_a_byte_identical_site(builds: tuple[Path, Path]) -> None:
    one, two = builds

    def files(site: Path) -> list[Path]:
        # Pagefind (1.6.0) writes its filter and metadata chunks in hash-map order, which changes
        # from run to run (file names included), so its bundle is compared by what it finds
        # (tests/test_search.py), not byte for byte. Everything else must be identical.
        return sorted(
            p.relative_to(site)
            for p in site.rglob("*")
            if p.is_file() and p.parts[len(site.parts)] != "pagefind"
        )

    files_one, files_two = files(one), files(two)
    assert files_one == files_two
    assert len(files_one) > 100
    different = [p for p in files_one if (one / p).read_bytes() != (two / p).read_bytes()]
    assert different == []
    assert (one / "pagefind" / "pagefind.js").read_bytes() == (
        two / "pagefind" / "pagefind.js"
    ).read_bytes()


def test_feeds_are_written_without_indentation(builds: tuple[Path, Path]) -> None:
    # (Feed readers need none: 8% of the topic feeds' bytes at 10,000 events.)
    paths = [builds[0] / "feed.xml", builds[0] / "updates.xml"]
    # (Not the copies of the sitemap index beside the topic feeds: generator/publish/sitemap.py.)
    paths += sorted(p for p in (builds[0] / "feeds").rglob("*.xml") if p.name != "sitemap.xml")
    assert len(paths) > 10
    for path in paths:
        raw = path.read_bytes()
        assert b"<entry>" in raw and b"\n  <" not in raw, path


def test_briefs_feed(builds: tuple[Path, Path], model: Site) -> None:
    one, two = builds
    feed = feedparser.parse((one / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title.endswith(": briefs")
    expected = sorted(model.events, key=lambda e: (e.record.published, e.sort_key), reverse=True)[
        :50
    ]
    assert [entry.title for entry in feed.entries] == [e.record.title for e in expected]
    for entry, event in zip(feed.entries, expected, strict=True):
        assert entry.link.endswith(f"/briefs/{event.id}/")
        assert entry.published.startswith(event.record.published.isoformat())
        assert entry.updated.startswith(event.last_updated.isoformat())
        assert entry.summary
        assert {t.term for t in entry.tags} >= set(event.record.tags)
    ids_again = [e.id for e in feedparser.parse((two / "feed.xml").read_bytes()).entries]
    assert [e.id for e in feed.entries] == ids_again


def test_updates_feed_lists_change_log_entries(builds: tuple[Path, Path], model: Site) -> None:
    feed = feedparser.parse((builds[0] / "updates.xml").read_bytes())
    assert not feed.bozo
    updates = sum(len(e.record.updates) for e in model.events)
    assert len(feed.entries) == min(50, updates) > 0
    days = [entry.updated[:10] for entry in feed.entries]
    assert days == sorted(days, reverse=True)
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)


def test_every_link_in_the_updates_feed_lands_on_an_element_of_its_brief(
    builds: tuple[Path, Path], model: Site
) -> None:
    site = builds[0]
    feed = feedparser.parse((site / "updates.xml").read_bytes())
    site_url = feed.feed.link  # (the alternate link: the site's address)
    targets = [(entry.link, entry.id) for entry in feed.entries]
    assert len(targets) == min(50, sum(len(e.record.updates) for e in model.events)) > 0
    for link, entry_id in targets:
        for url in (link, entry_id):
            address, _, anchor = url.partition("#")
            assert address.startswith(site_url) and anchor.startswith("update-"), url
            page = site / address.removeprefix(site_url) / "index.html"
            html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            element = html.find(id=anchor)
            assert element is not None, url
            # ... on the update's own line, under the Updates heading.
            item = element.find_parent("li")
            assert item is not None and item.find_previous("h2", id="updates") is not None, url
            number = int(anchor.removeprefix("update-"))
            event = model.event_by_id[address.removeprefix(site_url).split("/")[1]]
            day = event.record.updates[number - 1].date
            assert f"{day.day} {day:%B %Y}" in item.get_text(), url


def test_every_page_announces_the_feeds_and_sharing_metadata(builds: tuple[Path, Path]) -> None:
    site = builds[0]
    for page in [site / "index.html", *sorted((site / "briefs").glob("*/index.html"))]:
        head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
        assert head is not None
        feeds = {
            str(link["href"]).rsplit("/", 1)[-1]
            for link in head.select('link[rel=alternate][type="application/atom+xml"]')
        }
        assert feeds == {"feed.xml", "updates.xml"}, page
        assert head.select_one('meta[property="og:title"]') is not None
        assert head.select_one('meta[name="twitter:card"]') is not None
    brief = BeautifulSoup(
        (site / "briefs/2024-06-26-suspected-ballistic-missile-launch/index.html").read_text(
            encoding="utf-8"
        ),
        "html.parser",
    )
    og_type = brief.select_one('meta[property="og:type"]')
    description = brief.select_one('meta[property="og:description"]')
    assert og_type is not None and og_type["content"] == "article"
    assert description is not None and str(description["content"]).startswith(
        "North Korea launched one ballistic missile"
    )
    cite = brief.select_one(".cite")
    assert cite is not None
    record = build_site(ROOT / "content").event_by_id[BRIEF_ID].record
    latest = max(u.date for u in record.updates)
    assert f"Version of {latest.day} {latest:%B %Y}" in cite.get_text()
    assert "/briefs/2024-06-26-suspected-ballistic-missile-launch/" in cite.get_text()


def _gunzipped(data: str | bytes) -> str:
    """A compressed download read back: one gzip member, as every reader takes it."""
    assert isinstance(data, bytes)
    reader = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)  # (gzip)
    text = reader.decompress(data)
    assert reader.eof and reader.unused_data == b""
    assert text == gzip.decompress(data)
    return text.decode("utf-8")


def _download(data: Path, name: str) -> str:
    """The text of ``name`` in the site's data folder, published gzip-compressed only."""
    assert not (data / name).exists()
    return _gunzipped((data / f"{name}.gz").read_bytes())


def test_the_large_downloads_are_gzip_compressed(builds: tuple[Path, Path]) -> None:
    data = builds[0] / "data"
    for name in ("events.json", "events.csv", "actors.json"):
        assert not (data / name).exists(), name
        raw = (data / f"{name}.gz").read_bytes()
        # No modification time and no file name in the header: the same text, the same bytes.
        assert raw[:10] == bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255])
        assert len(raw) < len(_download(data, name).encode("utf-8")) / 2


def test_json_exports_match_the_records(builds: tuple[Path, Path], model: Site) -> None:
    data = builds[0] / "data"
    events = json.loads(_download(data, "events.json"))
    actors = json.loads(_download(data, "actors.json"))
    assert [e["id"] for e in events] == [e.id for e in model.events]
    assert [a["id"] for a in actors] == [a.id for a in model.actors]
    first = model.events[0]
    assert events[0]["title"] == first.record.title
    assert events[0]["date"] == str(first.record.date)
    assert len(events[0]["sources"]) == len(first.record.sources)
    # Every field of the model is exported (none re-listed by hand).
    assert set(Event.model_fields) >= {k for e in events for k in e} - {
        "id",
        "url",
        "timezone",
        "first_day",
        "last_day",
        "related_both_ways",
    }
    assert any(set(e) >= {"claims", "assessment", "facts", "updates"} for e in events)
    assert all(
        set(Actor.model_fields) >= set(a) - {"id", "url", "members", "events"} for a in actors
    )


def test_csv_has_one_flat_row_per_event(builds: tuple[Path, Path], model: Site) -> None:
    text = _download(builds[0] / "data", "events.csv")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(model.events)
    by_id = {row["id"]: row for row in rows}
    for event in model.events:
        row = by_id[event.id]
        assert row["title"] == event.record.title
        assert row["actors"] == "; ".join(a.id for a in event.record.actors)
        if event.record.location:
            assert row["location.name"] == event.record.location.name


def test_geojson_has_every_located_event(builds: tuple[Path, Path], model: Site) -> None:
    text = (builds[0] / "data" / "events.geojson").read_text(encoding="utf-8")
    collection = json.loads(text)
    # Written without spaces after separators (the map page fetches it as it is), one feature a
    # line.
    lines = text.splitlines()
    assert lines[0] == '{"type":"FeatureCollection","features":['
    for line in lines[1:-1]:
        item = line.removesuffix(",")
        assert item == json.dumps(json.loads(item), ensure_ascii=False, separators=(",", ":"))
    located = [e for e in model.events if e.record.location and e.record.location.lat is not None]
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == [e.id for e in located]
    for feature, event in zip(collection["features"], located, strict=True):
        assert event.record.location is not None
        assert feature["geometry"]["coordinates"] == [
            event.record.location.lon,
            event.record.location.lat,
        ]


def test_published_schemas_validate_every_shipped_record(
    builds: tuple[Path, Path], model: Site
) -> None:
    schemas = builds[0] / "schema"
    event_schema = json.loads((schemas / "event.schema.json").read_text(encoding="utf-8"))
    actor_schema = json.loads((schemas / "actor.schema.json").read_text(encoding="utf-8"))
    vocabulary_schema = json.loads((schemas / "vocabulary.schema.json").read_text(encoding="utf-8"))
    for event in model.events:
        jsonschema.validate(event.record.model_dump(mode="json", exclude_none=True), event_schema)
    for actor in model.actors:
        jsonschema.validate(actor.record.model_dump(mode="json", exclude_none=True), actor_schema)
    jsonschema.validate(
        model.vocabulary.model_dump(mode="json", exclude_none=True), vocabulary_schema
    )
    bad = model.events[0].record.model_dump(mode="json", exclude_none=True) | {
        "type": "no-such-type"
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, event_schema)


def test_data_page_documents_every_field_and_the_licence(builds: tuple[Path, Path]) -> None:
    page = BeautifulSoup(
        (builds[0] / "data" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    text = page.get_text(" ")
    assert "Licence: CC BY 4.0" in text
    documented = {code.get_text() for code in page.select("table td:first-child code")}
    assert set(Event.model_fields) | set(Actor.model_fields) <= documented
    linked = {str(a["href"]) for a in page.select("article a[href]")}
    for name in ("events.json.gz", "actors.json.gz", "events.csv.gz", "events.geojson"):
        assert f"../data/{name}" in linked
        assert (builds[0] / "data" / name).is_file()


# -- events.csv: every field recoverable, no cell a spreadsheet would run ----------------------


# Values a spreadsheet would take for formulas, in every kind of column (text, dotted, joined
# actors' roles, JSON lists and mappings), and separators that must not split a value.
HOSTILE_EVENT = """\
title: "=HYPERLINK(\\"https://example.com\\", \\"click\\")"
date: "2024-06-28"
time: "09:15"
timezone: Asia/Tokyo
type: statement
status: developing
summary: "-1 is what @kcna said; +2 = three, 'quoted'"
location:
  name: "@sea, east of the peninsula"
  country: KP
  lat: "-12.5"
  lon: "+130.25"
  precision: approximate
actors:
  - id: north-korea
    role: "=cmd|' /C calc'!A0; and more"
  - rok-jcs
claims:
  - by: rok-jcs
    said: "=1+1, said the JCS; \\"quoted\\""
    date: "2024-06-28"
    sources: [s1]
assessment:
  text: "'=already quoted"
  confidence: high
facts:
  "=Apogee": "+100 km"
  "Range; about": "''-3 quotes first"
tags: [missile, failure]
related:
  - id: launch
    relation: response-to
sources:
  - key: s1
    publisher: "@Yonhap"
    title: "-Dash first"
    date: "2024-06"
    url: https://example.com/a?b=c,d
updates:
  - date: "2024-06-29"
    note: "=Corrected the apogee."
body: |
  - a list item first

  +plus
published: "2024-06-28"
former_ids: [hostile-first-name, hostile-second-name]
"""


def _recovered(row: dict[str, str]) -> dict[str, Any]:
    """One events.csv row read back as docs/publishing.md says: one leading ' stripped from a cell that
    starts with quotes and then =, +, -, @, a tab or a carriage return; JSON columns parsed;
    actors' ids split on "; "; dotted columns nested."""
    forms = {column.name: column.form for column in exports.csv_columns()}
    out: dict[str, Any] = {}
    ids = row["actors"].split("; ")
    out["actors"] = [{"id": actor_id} for actor_id in ids]
    for name, cell in row.items():
        if name == "actors" or cell == "":
            if cell == "" and forms.get(name) == "joined" and name != "actors":
                out[name] = []  # (an empty list of ids, such as no former_ids)
            continue
        if name.startswith("actors."):
            for ref, item in zip(out["actors"], json.loads(cell), strict=True):
                if item is not None:
                    ref[name.removeprefix("actors.")] = item
            continue
        value: Any = exports.csv_value(cell)
        if forms[name] == "json":
            value = json.loads(cell)
        elif forms[name] == "joined":
            value = cell.split("; ")
        *parents, key = name.split(".")
        target = out
        for parent in parents:
            target = target.setdefault(parent, {})
        target[key] = value
    out.setdefault("tags", [])
    return out


def _as_text(value: Any) -> Any:
    """events.json's numbers as the text a CSV cell holds."""
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    return str(value) if isinstance(value, int | float) else value


def _assert_round_trip(csv_text: str, json_text: str, every_column: bool = True) -> int:
    rows = list(csv.DictReader(io.StringIO(csv_text, newline="")))
    events = json.loads(json_text)
    assert len(rows) == len(events)
    columns = [column.name for column in exports.csv_columns()]
    assert list(rows[0]) == columns
    # Every column holds something in some row: none is written under another name. (The
    # fixture uses every field; the shipped content need not.)
    if every_column:
        assert [c for c in columns if all(row[c] == "" for row in rows)] == []
    for row, event in zip(rows, events, strict=True):
        computed = {"first_day", "last_day", "related_both_ways"}  # (JSON-only extras)
        expected = {k: _as_text(v) for k, v in event.items() if k not in computed}
        assert _recovered(row) == expected, event["id"]
    return len(rows)


def test_every_field_of_every_event_comes_back_from_the_csv(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "events" / "2024" / "hostile.yaml").write_text(HOSTILE_EVENT, encoding="utf-8")
    site = build_site(content)
    out = exports.export_files(site, "https://example.org/")
    csv_text = _gunzipped(out["data/events.csv.gz"])
    assert _assert_round_trip(csv_text, _gunzipped(out["data/events.json.gz"])) == 5
    row = next(r for r in csv.DictReader(io.StringIO(csv_text)) if "=" in r["title"])
    # Neutralised, as OWASP recommends: no cell starts with a formula character.
    assert row["title"] == '\'=HYPERLINK("https://example.com", "click")'
    assert row["summary"].startswith("'-1")
    assert row["location.name"] == "'@sea, east of the peninsula"
    assert row["location.lat"] == "'-12.5"
    assert row["assessment.text"] == "''=already quoted"
    assert row["timezone"] == "Asia/Tokyo"
    for cells in csv.reader(io.StringIO(csv_text)):
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells


def test_the_built_csv_holds_what_the_built_json_holds(builds: tuple[Path, Path]) -> None:
    data = builds[0] / "data"
    csv_text, json_text = _download(data, "events.csv"), _download(data, "events.json")
    assert _assert_round_trip(csv_text, json_text, every_column=False) > 10


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # (so that reading back gives "'=x")
        ("'quoted", "'quoted"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_cells_are_neutralised_and_read_back(value: str, cell: str) -> None:
    assert exports.csv_cell(value) == cell
    assert exports.csv_value(cell) == value
