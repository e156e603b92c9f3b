"""Page budgets at 10,000 events, measured on the generated Markdown (no MkDocs run).

Every long list is paginated, so page size must not grow with the site. A full 10,000-event
MkDocs build (about three minutes here) belongs to `make bench`; its figures are in docs/performance.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.commands.synth import generate
from generator.session.build import render_site
from generator.settings import Settings
from generator.site.link import build_site

ROOT = Path(__file__).parent.parent
# Measured on the full 10,000-event build: the largest HTML page (the actors index) is 83.6 KB
# from 59.1 KB of Markdown. 150 KB of Markdown stays far
# below the 500 KB HTML budget.
MARKDOWN_BUDGET = 150 * 1024


@pytest.mark.slow
def test_no_page_grows_with_the_site(tmp_path: Path) -> None:
    sizes: dict[int, dict[str, int]] = {}
    for events in (1_000, 10_000):
        content = tmp_path / str(events)
        generate(content, events=events, actors=events // 10, seed=3)
        pages = render_site(build_site(content), Settings(templates_dir=ROOT / "templates"))
        sizes[events] = {path: len(text.encode("utf-8")) for path, text in pages.items()}
    largest = max(sizes[10_000].values())
    assert largest < MARKDOWN_BUDGET, max(sizes[10_000], key=sizes[10_000].__getitem__)
    # Hubs and paginated pages stay about the same size when the site grows tenfold.
    for hub in ("index.md", "briefs/index.md", "timeline/index.md"):
        assert sizes[10_000][hub] < 3 * sizes[1_000][hub], hub
    assert len(sizes[10_000]) > 10_000
