"""Every date form that `check` accepts builds, sorts and displays (issue 15, item 1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.render import embed
from generator.session.build import render_site
from generator.settings import Settings
from generator.site.link import build_site
from tests.conftest import EVENT, ContentFactory
from tests.sitebuild import ROOT, config_for, mkdocs_build

# Every documented form: year, month, day, each with ~ or ?, and intervals, up to year 9999.
FORMS = {
    "year": ("2024", "2024"),
    "year-approx": ("2024~", "c. 2024"),
    "year-uncertain": ("2024?", "2024 (uncertain)"),
    "years": ("2024/2025", "2024–2025"),
    "open-ended": ("2024/9999", "2024–9999"),
    "year-to-month": ("2023/2024-03", "2023–March 2024"),
    "month-approx": ("2024-05~", "c. May 2024"),
    "months-qualified": ("2024-05~/2024-06?", "c. May–June 2024 (uncertain)"),
    "day-uncertain": ("2024-06-20?", "20 June 2024 (uncertain)"),
    "last-year": ("9999-12-31", "31 December 9999"),
}


def _event(date: str) -> str:
    return EVENT.replace('date: "2024-06-26"\ntime: "05:30"', f'date: "{date}"')


def _content(make_content: ContentFactory) -> Path:
    return make_content(events={f"form-{name}": _event(d) for name, (d, _) in FORMS.items()})


def test_every_date_form_renders_sorted_and_displayed(make_content: ContentFactory) -> None:
    site = build_site(_content(make_content))
    pages = render_site(site, Settings(page_size=100, templates_dir=ROOT / "templates"))
    pages = {path: embed.unmark(text) for path, text in pages.items()}
    for name, (_, shown) in FORMS.items():
        assert f"| Date | {shown} |" in pages[f"briefs/form-{name}.md"], name
    # Oldest first by first day, then last day: a year-only date sorts before its months.
    order = [e.id for e in site.events]
    assert order.index("form-year-to-month") < order.index("form-year") < order.index("launch")
    assert order.index("form-year") < order.index("form-years") < order.index("form-open-ended")
    assert order[-1] == "form-last-year"
    year = pages["timeline/2024.md"]
    headings = re.findall(r"^## (.+?)(?: \{ #[a-z0-9-]+ \})?$", year, re.M)
    assert headings == ["2024, month unknown", "May 2024", "June 2024"]
    assert "9999" in pages["timeline/index.md"]


@pytest.mark.slow
def test_every_date_form_passes_a_strict_build(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    content = _content(make_content)
    result = mkdocs_build(config_for(tmp_path / "build", content), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup(
        (tmp_path / "site" / "timeline" / "2024" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    headings = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")]
    assert headings == ["2024, month unknown", "May 2024", "June 2024"]
    brief = (tmp_path / "site" / "briefs" / "form-open-ended" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "2024–9999" in brief
