"""A real data set, imported and built: 339 North Korean missile tests (see shared/reference).

Checks what a faithful import must get right: UTC times become local dates, a salvo is one
brief, month-only dates stay months, and "unknown" shows as absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.site.entries import Site
from generator.site.link import build_site
from tests.sitebuild import ROOT, config_for, mkdocs_build
from tools.import_missile_tests import local_moment, write

SOURCE = ROOT.parent / "shared" / "reference" / "nk-missile-tests"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SOURCE.is_dir(), reason=f"reference data not found at {SOURCE}"),
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path]:
    folder = tmp_path_factory.mktemp("nk")
    write(SOURCE, folder / "content")
    result = mkdocs_build(config_for(folder, folder / "content"), folder / "site")
    assert result.returncode == 0, result.stderr
    return build_site(folder / "content"), folder / "site"


def _missiles() -> list[dict[str, object]]:
    data = json.loads((SOURCE / "test.en.json").read_text(encoding="utf-8"))
    return [entry for time_bin in data["timeBins"] for entry in time_bin["data"]]


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
    assert sum(int(e.record.facts["Missiles"]) for e in site.events) == len(_missiles()) == 339
    days = [str(e.record.date) for e in site.events]
    assert len(days) == len(set(days)), "two briefs on one day: a salvo was split"
    assert len(site.events) < 339


def test_utc_times_become_local_dates(imported: tuple[Site, Path]) -> None:
    site, html = imported
    assert "2024-06-25-missile-test" not in site.event_by_id
    event = site.event_by_id["2024-06-26-missile-test"]
    assert (str(event.record.date), event.record.time) == ("2024-06-26", "05:28")
    text = (html / "briefs" / "2024-06-26-missile-test" / "index.html").read_text(encoding="utf-8")
    assert "26 June 2024, 05:28 KST (20:28 UTC on 25 June)" in text
    salvo = site.event_by_id["2024-07-01-missile-test"]  # 20:05 and 20:15 UTC on 30 June
    assert salvo.record.facts["Missiles"] == "2"
    assert "2024-06-30-missile-test" not in site.event_by_id


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
    by_day: dict[str, list[dict[str, object]]] = {}
    for entry in _missiles():
        by_day.setdefault(local_moment(entry)[0], []).append(entry)
    no_apogee = [
        e for e in site.events if all(m["apogee"] == "unknown" for m in by_day[str(e.record.date)])
    ]
    assert no_apogee
    for event in no_apogee:
        assert "Apogee" not in _facts(html / "briefs" / event.id / "index.html"), event.id
    for event in site.events:
        values = _facts(html / "briefs" / event.id / "index.html").values()
        assert not any(re.search(r"\bunknown\b|\bn/?a\b", v, re.I) for v in values), event.id
        if event.record.location:
            assert event.record.location.name != "Unknown"
