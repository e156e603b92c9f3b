"""A real data set, imported with `briefing import` and the shipped mapping, and built: 339
North Korean missile tests (see shared/reference).

Checks what a faithful import must get right: UTC times become local dates, a salvo is one
brief, month-only dates stay months, and "unknown" shows as absent.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.commands.cli import main
from generator.site.entries import Site
from generator.site.link import build_site
from tests.sitebuild import ROOT, config_for, mkdocs_build

SOURCE = ROOT.parent / "shared" / "reference" / "nk-missile-tests"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SOURCE.is_dir(), reason=f"reference data not found at {SOURCE}"),
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path]:
    """The shipped content without its data records, imported again and built."""
    folder = tmp_path_factory.mktemp("nk")
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    for path in content.glob("events/*/*.yaml"):
        if "\nstatus: data-record\n" in path.read_text(encoding="utf-8"):
            path.unlink()
    mapping = ROOT / "mappings" / "cns-missile-tests.yaml"
    source = str(SOURCE / "test.en.json")
    code = main(["import", source, "--mapping", str(mapping), "--content", str(content)])
    assert code == 0
    result = mkdocs_build(config_for(folder, content), folder / "site")
    assert result.returncode == 0, result.stderr
    return build_site(content), folder / "site"


def _missiles() -> dict[str, dict[str, object]]:
    """Every missile of the data set, by its row key as the shipped mapping writes it."""
    data = json.loads((SOURCE / "test.en.json").read_text(encoding="utf-8"))
    return {
        f"{m['date']} {m['time']}{' #' + str(m['series']) if 'series' in m else ''} {m['missile']}": m
        for time_bin in data["timeBins"]
        for m in time_bin["data"]
    }


def _facts(page: Path) -> dict[str, str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    box = soup.select_one(".key-facts table")
    assert box is not None
    return {
        row.select("td")[0].get_text(strip=True): row.select("td")[1].get_text(strip=True)
        for row in box.select("tbody tr")
    }


def test_every_missile_is_in_exactly_one_brief_per_local_day(imported: tuple[Site, Path]) -> None:
    site, _ = imported
    rows = [key for e in site.events if e.record.imported for key in e.record.imported.rows]
    assert sorted(rows) == sorted(_missiles()) and len(rows) == 339
    days = [str(e.record.date) for e in site.events if e.record.imported]
    assert len(days) == len(set(days)), "two briefs on one day: a salvo was split"
    assert len(days) < 339


def test_utc_times_become_local_dates(imported: tuple[Site, Path]) -> None:
    site, html = imported
    assert "2024-09-11-missile-test" not in site.event_by_id
    event = site.event_by_id["2024-09-12-missile-test"]  # 22:10 UTC on 11 September
    assert (str(event.record.date), event.record.time) == ("2024-09-12", "07:10")
    text = (html / "briefs" / event.id / "index.html").read_text(encoding="utf-8")
    assert "12 September 2024, 07:10 KST (22:10 UTC on 11 September)" in text
    curated = site.event_by_id["2024-06-26-suspected-ballistic-missile-launch"]
    assert curated.record.imported is not None  # 20:28 UTC on 25 June: the curated brief
    assert curated.record.imported.rows == ["2024-06-25 20:28 (UTC) unknown"]
    salvo = site.event_by_id["2024-07-01-two-ballistic-missiles-hwasong-11da-4-5-claim"]
    assert salvo.record.facts["Missiles"] == "2 (CNS)"  # 20:05 and 20:15 UTC on 30 June
    assert "2024-06-30-missile-test" not in site.event_by_id
    assert "2024-07-01-missile-test" not in site.event_by_id


def test_month_only_dates_show_as_months(imported: tuple[Site, Path]) -> None:
    site, html = imported
    months = [e for e in site.events if e.record.date.precision == "month"]
    assert months
    for event in months:
        page = BeautifulSoup(
            (html / "briefs" / event.id / "index.html").read_text(encoding="utf-8"), "html.parser"
        )
        shown = page.select_one(".brief-date")
        assert shown is not None
        assert re.fullmatch(r"[A-Z][a-z]+ \d{4}", shown.get_text(strip=True)), shown.get_text()
        assert event.record.time is None


def test_unknown_values_show_as_absent(imported: tuple[Site, Path]) -> None:
    site, html = imported
    missiles = _missiles()
    records = [e for e in site.events if e.record.status == "data-record"]
    no_apogee = [
        e
        for e in records
        if e.record.imported
        and all(missiles[k]["apogee"] == "unknown" for k in e.record.imported.rows)
    ]
    assert no_apogee
    for event in no_apogee:
        assert "Apogee" not in _facts(html / "briefs" / event.id / "index.html"), event.id
    for event in records:
        values = _facts(html / "briefs" / event.id / "index.html").values()
        assert not any(re.search(r"\bunknown\b|\bn/?a\b", v, re.I) for v in values), event.id
        if event.record.location:
            assert event.record.location.name != "Unknown"
