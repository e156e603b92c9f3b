"""Synthetic content reads like a briefing site: a large Zipf vocabulary, topics by event type."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from generator.commands.synth import generate
from generator.content.model import Event
from generator.site.link import build_site


def _own_text(record: Event) -> str:
    """The words a reader would search a brief by: title, summary, claims, analysis."""
    parts = [record.title, record.summary, record.body or ""]
    parts += [claim.said for claim in record.claims]
    parts += [record.assessment.text] if record.assessment else []
    return " ".join(parts).lower()


@pytest.mark.slow  # (writes and reads a large synthetic tree)
def test_vocabulary_is_large_zipfian_and_topical(tmp_path: Path) -> None:
    generate(tmp_path, events=800, actors=80, seed=5)
    site = build_site(tmp_path)
    words: Counter[str] = Counter()
    by_type: dict[str, list[bool]] = {}
    for event in site.events:
        text = _own_text(event.record)
        words.update(re.findall(r"[a-z][a-z0-9'-]*", text))
        by_type.setdefault(event.record.type, []).append("missile" in text)
    # Hundreds of distinct words, a few of them everywhere and most of them rare.
    assert len(words) > 1_500
    counts = sorted(words.values(), reverse=True)
    assert counts[0] > 50 * counts[len(counts) // 2]
    # A launch brief talks about missiles; a sanctions or meeting brief mostly does not.
    share = {kind: sum(hits) / len(hits) for kind, hits in by_type.items()}
    assert share["missile-launch"] > 0.9
    assert share["sanctions"] < 0.5 and share["diplomatic-meeting"] < 0.3
    # "missile" stays a common word: on a fifth to two fifths of the briefs.
    overall = sum(sum(hits) for hits in by_type.values()) / len(site.events)
    assert 0.2 < overall < 0.45
