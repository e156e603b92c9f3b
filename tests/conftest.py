"""Shared fixtures: small real content trees written to temporary folders."""

from __future__ import annotations

import os
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

VOCABULARY = """\
event_types:
  - id: missile-launch
    label: Missile launch
    description: A launch of one or more missiles.
  - id: statement
    label: Statement
    description: An official statement.
actor_kinds:
  - id: state
    label: State
    description: A country.
  - id: person
    label: Person
    description: A named individual.
  - id: military
    label: Military body
    description: A command or armed service.
statuses:
  - id: developing
    label: Developing
    description: Facts are still coming in.
  - id: confirmed
    label: Confirmed
    description: The core facts are established.
confidence:
  - id: low
    label: Low
    description: Thin or conflicting evidence.
  - id: high
    label: High
    description: Strong, consistent evidence.
relations:
  - id: response-to
    label: In response to
    inverse_label: Prompted
  - id: context
    label: Context
    inverse_label: Context
"""

ACTORS = {
    "north-korea": """\
name: North Korea
kind: state
summary: The Democratic People's Republic of Korea.
aliases: [DPRK]
country: KP
""",
    "kim-jong-un": """\
name: Kim Jong Un
native_name: 김정은
kind: person
summary: Leader of North Korea.
aliases: [Kim Jong-un]
affiliation: north-korea
""",
    "rok-jcs": """\
name: Joint Chiefs of Staff
kind: military
summary: South Korea's joint command, which reports launches.
aliases: [JCS]
country: KR
""",
}

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

EVENT_2 = """\
title: Claim of a multiple-warhead test
date: "2024-06-27"
type: statement
status: confirmed
summary: KCNA said the launch tested multiple warheads.
actors: [north-korea, kim-jong-un]
related:
  - id: launch
    relation: response-to
sources:
  - key: kcna
    publisher: KCNA
    title: Statement on the test
published: "2024-06-27"
"""

ContentFactory = Callable[..., Path]


@pytest.fixture(autouse=True)
def _not_on_github(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see the local output even when CI runs them under GitHub Actions (annotations and
    the job summary are asked for explicitly where they are tested)."""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)


def write_tree(root: Path, events: dict[str, str], actors: dict[str, str], vocabulary: str) -> Path:
    (root / "events" / "2024").mkdir(parents=True, exist_ok=True)
    (root / "actors").mkdir(parents=True, exist_ok=True)
    (root / "vocabulary.yaml").write_text(vocabulary, encoding="utf-8")
    for record_id, text in events.items():
        (root / "events" / "2024" / f"{record_id}.yaml").write_text(
            textwrap.dedent(text), encoding="utf-8"
        )
    for record_id, text in actors.items():
        (root / "actors" / f"{record_id}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def make_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ContentFactory:
    """Write a valid content tree to ``tmp_path/content``; keyword arguments replace records.

    The working folder is ``tmp_path``, so messages show ``content/...`` paths.
    """
    monkeypatch.chdir(tmp_path)

    def make(
        events: dict[str, str] | None = None,
        actors: dict[str, str] | None = None,
        vocabulary: str = VOCABULARY,
    ) -> Path:
        all_events = {"launch": EVENT, "claim": EVENT_2, **(events or {})}
        all_actors = {**ACTORS, **(actors or {})}
        return write_tree(Path("content"), all_events, all_actors, vocabulary)

    return make


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )
