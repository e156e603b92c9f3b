"""Characters no record text may hold (control characters, bidi controls and marks,
noncharacters): refused by the check in every kind of record, and dropped from everything the
site prints even when a record that holds them gets past the check.

The exact messages for events, raw, as YAML escapes and as character references, are rows of
tests/test_check.py's table."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.content import safe
from generator.content.errors import ContentErrors
from generator.publish import exports, feeds
from generator.settings import Settings
from generator.site.entries import Site
from generator.site.link import build_site
from tests.conftest import ACTORS, VOCABULARY, ContentFactory, write_tree

REFUSED = sorted(safe.CONTROLS - {0x09, 0x0A} | safe.BIDI_CONTROLS | safe.NONCHARACTERS)


def test_every_set_is_what_the_rules_say() -> None:
    assert len(safe.NONCHARACTERS) == 32 + 2 * 17
    assert {0xFDD0, 0xFDEF, 0xFFFE, 0xFFFF, 0x1FFFE, 0x10FFFF} <= safe.NONCHARACTERS
    bidi = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C}
    assert bidi == safe.BIDI_CONTROLS
    assert {*range(0x20), *range(0x7F, 0xA0)} == safe.CONTROLS


def test_actors_and_the_vocabulary_are_checked_too(make_content: ContentFactory) -> None:
    actor = ACTORS["kcna"].replace("aliases: [KCNA]", "aliases: [KCNA, 'Korean &#x2067;News']")
    vocabulary = VOCABULARY.replace(
        "description: A launch of one or more missiles.",
        'description: "A launch of one \\uFDD0or more missiles."',
    ).replace("label: Statement", "label: State&#65534;ment")
    root = make_content(actors={"kcna": actor}, vocabulary=vocabulary)
    with pytest.raises(ContentErrors) as caught:
        build_site(root)
    assert [str(e) for e in caught.value.errors] == [
        "content/actors/kcna.yaml:5:17: aliases[1]: contains the invisible "
        "bidi control U+2067 (written as &#x2067;), which can disguise text",
        "content/vocabulary.yaml:4:18: event_types[0].description: contains the noncharacter "
        "U+FDD0, which is not text",
        "content/vocabulary.yaml:6:12: event_types[1].label: contains the noncharacter U+FFFE "
        "(written as &#65534;), which is not text",
    ]


def _all_of_them() -> str:
    raw = "".join(chr(code) for code in REFUSED)
    references = "".join(f"&#x{code:X}; &#{code}; " for code in REFUSED)
    return f"Raw {raw} [link](https://x.example/{raw}) referenced {references} &lrm; &rlm; end"


def _held(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if ord(c) in REFUSED]


def test_output_drops_them_by_construction() -> None:
    """Whatever the check says: the sanitized HTML (text and attributes), the plain text of
    Markdown, and plain text escaped for pages hold none of them."""
    text = _all_of_them()
    assert _held(safe.to_html(text)) == []
    assert _held(safe.to_html(text, inline=True)) == []
    assert _held(safe.to_text(text)) == []
    assert _held(safe.escape(text)) == []
    assert _held(safe.text(text)) == []
    assert safe.to_text(text).startswith("Raw link referenced")
    assert safe.escape("a\u202eb\ufffec") == "abc"


@pytest.fixture
def slipped(tmp_path: Path) -> Site:
    """A Site whose records hold every refused character, as if the check had missed them."""
    site = build_site(write_tree(tmp_path / "content"))
    text = _all_of_them()
    for entry in site.events:
        entry.record = entry.record.model_copy(
            update={"title": f"Title {text}", "summary": f"Summary {text}", "tags": ["t"]}
        )
    for actor in site.actors:
        actor.record = actor.record.model_copy(update={"name": f"Name {text}"})
    return site


def test_feeds_and_open_data_drop_them(slipped: Site) -> None:
    settings = Settings(site_url="https://example.org/", site_name="Site")
    written = {"feed.xml": feeds.briefs_feed(slipped, settings)}
    written |= {"updates.xml": feeds.updates_feed(slipped, settings)}
    written |= {path: feed for path, feed in feeds.topic_feeds(slipped, settings).items()}
    for path, feed in written.items():
        root = ET.fromstring(feed)  # (U+FFFE ended the build in lxml)
        assert _held(ET.tostring(root, encoding="unicode")) == [], path
    assert any(b"Title Raw " in feed for feed in written.values())
    data = exports.export_files(slipped, settings.site_url)
    texts = {name: value for name, value in data.items() if isinstance(value, str)}
    assert {name: _held(value) for name, value in texts.items()} == {name: [] for name in texts}
    assert "Title Raw " in texts["data/events.geojson"]
