"""Shared fixtures: copies of the fixture content tree (tests/fixtures/content), edited."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis: the same examples on every run in CI (`make test`), so a test cannot pass on one
# run and fail on the next; `make fuzz` (BRIEFING_HYPOTHESIS=fuzz) searches far longer with
# fresh random seeds. Every failure found either way is pinned with @example in the test.
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=_QUIET,
    print_blob=True,
)
# `make test-fast` (BRIEFING_HYPOTHESIS=fast): the same derandomized search, shorter; the pinned
# examples all run.
settings.register_profile(
    "fast",
    max_examples=15,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=_QUIET,
    print_blob=True,
)
settings.register_profile(
    "fuzz",
    max_examples=3000,
    derandomize=False,
    deadline=None,
    suppress_health_check=_QUIET,
    print_blob=True,
)
settings.load_profile(os.environ.get("BRIEFING_HYPOTHESIS", "ci"))

# Browser fixtures (chromium, site_url, browser, page, ...) for every browser test module.
pytest_plugins = ["tests.browser_support"]

# The one content tree of the tests: tests/fixtures/content. The golden files render it as it
# is; `make_content` and `write_tree` copy it and swap in the records a test gives.
FIXTURE = Path(__file__).parent / "fixtures" / "content"


def _fixture_text(relative: str) -> str:
    return (FIXTURE / relative).read_text(encoding="utf-8")


VOCABULARY = _fixture_text("vocabulary.yaml")
ACTORS = {
    path.stem: path.read_text(encoding="utf-8") for path in (FIXTURE / "actors").glob("*.yaml")
}
CLAIM = _fixture_text("events/2024/claim.yaml")

# The launch of the copied trees: the fixture's launch.yaml cut to a short, plain record. The
# exact-message tests (tests/test_check.py) edit it and name its lines and columns.
EVENT = """\
title: Suspected ballistic missile launch
date: "2024-06-26"
time: "05:30"
type: missile-launch
status: developing
summary: North Korea fired what appeared to be a ballistic missile.
location:
  name: Pyongyang area
  country: KP
  lat: 39.03
  lon: 125.75
  precision: region
actors:
  - id: north-korea
    role: launched the missile
  - rok-jcs
claims:
  - by: rok-jcs
    said: The launch appears to have failed.
    date: "2024-06-26"
    sources: [jcs]
assessment:
  text: A failure is likely.
  confidence: high
facts:
  Missiles: "1"
tags: [missile]
sources:
  - key: jcs
    publisher: Korea Herald
    title: North Korea fails in ballistic missile launch attempt
    date: "2024-06-26"
    url: https://www.koreaherald.com/view.php?ud=20240626050038
published: "2024-06-26"
"""

ContentFactory = Callable[..., Path]


@pytest.fixture(autouse=True)
def _not_on_github(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see the local output even when CI runs them under GitHub Actions (annotations and
    the job summary are asked for explicitly where they are tested)."""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)


def write_tree(
    root: Path,
    events: dict[str, str] | None = None,
    actors: dict[str, str] | None = None,
    vocabulary: str | None = None,
) -> Path:
    """Copy the fixture tree to ``root`` with the short launch (EVENT), then write the records
    given: an event replaces the one of that id (or is new, under events/2024), an actor the
    actor of that id, and ``vocabulary`` the vocabulary."""
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    for record_id, text in {"launch": EVENT, **(events or {})}.items():
        existing = sorted((root / "events").glob(f"*/{record_id}.yaml"))
        path = existing[0] if existing else root / "events" / "2024" / f"{record_id}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    for record_id, text in (actors or {}).items():
        (root / "actors" / f"{record_id}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    if vocabulary is not None:
        (root / "vocabulary.yaml").write_text(vocabulary, encoding="utf-8")
    return root


@pytest.fixture
def make_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ContentFactory:
    """Write the fixture tree to ``tmp_path/content`` (see `write_tree`); keyword arguments
    replace records.

    The working folder is ``tmp_path``, so messages show ``content/...`` paths.
    """
    monkeypatch.chdir(tmp_path)

    def make(
        events: dict[str, str] | None = None,
        actors: dict[str, str] | None = None,
        vocabulary: str | None = None,
    ) -> Path:
        return write_tree(Path("content"), events, actors, vocabulary)

    return make


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )
