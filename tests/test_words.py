"""The search page's word list (generator/publish/words.py): the records' own words, the most common
first, written beside the search page, and read again only for records that changed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml

from generator.content.records import RecordCache
from generator.publish import words
from generator.site.link import build_site
from tests.conftest import ContentFactory

BODY = """\
The Hwasong-11Da-4.5 flew 250 km ([KCNA](https://kcnawatch.example/article-123)).
Seoul's answer came at 05:30; see <https://example.org/x>. 김정은 spoke. An ox.
"""


def test_the_words_of_the_records_most_common_first(make_content: ContentFactory) -> None:
    record = {
        "title": "Satellite launch attempt",
        "date": "2024-05-27",
        "type": "missile-launch",
        "status": "confirmed",
        "summary": "North Korea tried to launch a satellite.",
        "actors": ["north-korea"],
        "body": BODY,
        "sources": [{"key": "s", "publisher": "Yonhap", "title": "Launch"}],
        "published": "2024-05-27",
    }
    content = make_content(events={"body": yaml.safe_dump(record, allow_unicode=True)})
    site = build_site(content)
    listed = words.word_list(site)
    assert len(listed) == len(set(listed))
    # Every word from titles, summaries, claims, bodies and names; lowercased.
    for word in ("satellite", "launch", "missile", "korea", "north", "hwasong", "seoul", "김정은"):
        assert word in listed, word
    assert "hwasong-11da-4" not in listed  # (digits end a word)
    # Not numbers, link addresses, possessives or words under three letters.
    for word in ("250", "kcnawatch", "https", "example", "article", "seoul's", "ox", "an", "km"):
        assert word not in listed, word
    # The words in more records come first ("north" is in nearly every record), then
    # alphabetically ("attempt" and "satellite" are in this record alone).
    assert listed.index("north") < listed.index("attempt") < listed.index("satellite")


def test_the_list_is_written_beside_the_search_page(make_content: ContentFactory) -> None:
    site = build_site(make_content())
    (path, text), *_ = words.word_files(site).items()
    assert path == "search/words.json"
    assert json.loads(text) == words.word_list(site)
    assert ", " not in text and ": " not in text


def test_at_most_the_limit(make_content: ContentFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    site = build_site(make_content())
    everything = words.word_list(site)
    monkeypatch.setattr(words, "WORD_LIMIT", 10)
    assert words.word_list(site) == everything[:10]


def test_an_edit_reads_the_edited_record_alone(
    make_content: ContentFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under serve unchanged records stay the same objects (`RecordCache`): their words are
    counted once, and an edit counts the edited record's out and in again."""
    content = make_content()
    records = RecordCache()
    site = build_site(content, cache=records)
    tally = words.Tally()
    first = words.word_list(site, tally)
    read: list[object] = []
    original = words.words_of

    def counted(texts: Iterable[str]) -> frozenset[str]:
        read.append(texts)
        return original(texts)

    monkeypatch.setattr(words, "words_of", counted)
    assert words.word_list(site, tally) == first
    assert read == []
    launch = next(Path(content).rglob("launch.yaml"))
    launch.write_text(launch.read_text().replace("fired", "zxqvlong"), encoding="utf-8")
    edited = build_site(content, cache=records)
    listed = words.word_list(edited, tally)
    assert len(read) == 1
    assert "zxqvlong" in listed and "fired" not in listed
    assert listed == words.word_list(edited)  # (the same as counted from scratch)
