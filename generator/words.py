"""The search page's word list: what a search that finds nothing suggests instead.

A reader who types "misile" gets no result from Pagefind, which matches words as written (and
their stems and prefixes), not words like them. The search page then fetches this list,
``search/words.json``, and suggests the indexed words closest to each word typed, by edit
distance (`assets/search/search.js`). The list is written at build time from the records' own
words, the text Pagefind indexes of briefs and profiles (titles, summaries, key facts, claims,
assessments, analyses; names, other names, offices): every word of three letters or more,
lowercased, the words in more records first, at most `LIMIT` of them. Numbers, link addresses
and markup are left out. It is fetched only when a search finds nothing.

Under `mkdocs serve` the words of each record are kept while the record object is the same
(`generator.memo`), so an edit reads one record's text again, not every record's.
"""

from __future__ import annotations

import itertools
import json
import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator

from generator.link import ActorEntry, EventEntry, Site
from generator.memo import PerRecord

PATH = "search/words.json"
"""Beside the search page (``search/index.html``)."""
LIMIT = 50_000
"""Words in the list at most, the most common first: a site's own vocabulary stays well under
it (the synthetic 50,000-event site has a few thousand words), while a large site written by
many editors keeps its list to about 200 KB (60 KB compressed), fetched by a search that finds
nothing."""
SHORTEST, LONGEST = 3, 30
"""Words shorter are not worth suggesting; longer ones are not words."""

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
"""Letters, in any script (Hangul too), with inner apostrophes and hyphens."""
_NOT_TEXT = re.compile(r"\]\([^)]*\)|<[^>]*>|https?://\S+")
"""A Markdown link's address, markup, a bare address."""


def event_text(event: EventEntry) -> Iterator[str]:
    record = event.record
    yield record.title
    yield record.summary
    yield from (f"{label} {value}" for label, value in record.facts.items())
    yield from (claim.said for claim in record.claims)
    if record.assessment:
        yield record.assessment.text
    if record.body:
        yield record.body


def actor_text(actor: ActorEntry) -> Iterator[str]:
    record = actor.record
    yield record.name
    yield from (record.native_name or "", record.title or "", record.summary, record.body or "")
    yield from record.aliases


def words_of(texts: Iterable[str]) -> frozenset[str]:
    """The distinct words of ``texts``, lowercased; hyphenated words also as their parts, and
    words with an apostrophe as their parts only."""
    found: set[str] = set()
    odd: list[str] = []
    # (Most tokens are a word with punctuation around it, tested with str methods; the rest,
    # numbers, joined words, are read by the regular expression, which is slower.)
    for token in set(_NOT_TEXT.sub(" ", "\n".join(texts)).lower().split()):
        word = token.strip(_AROUND)
        if word.isalpha():
            found.add(word)
        else:
            odd.extend(_WORD.findall(word))
    for word in odd:
        parts = _JOINS.split(word)
        found.update(parts)
        if len(parts) > 1 and "-" not in word:
            found.discard(word)  # ("korea's": korea, and no possessive)
        elif len(parts) > 1:
            found.add(word)
    return frozenset(word for word in found if SHORTEST <= len(word) <= LONGEST)


_AROUND = string.punctuation + "“”‘’«»…–—·"
_JOINS = re.compile(r"['’-]")


def word_list(site: Site, memo: PerRecord | None = None) -> list[str]:
    """The site's words, those in more records first (then alphabetically), at most `LIMIT`."""
    memo = memo or PerRecord()
    found = [memo.get(e.record, "words", None, words_of, event_text(e)) for e in site.events]
    found += [memo.get(a.record, "words", None, words_of, actor_text(a)) for a in site.actors]
    memo.forget_unused()
    counts = Counter(itertools.chain.from_iterable(found))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, _ in ranked[:LIMIT]]


def files(site: Site, memo: PerRecord | None = None) -> dict[str, str]:
    """The word list, as a site file: a JSON array, without spaces."""
    return {PATH: json.dumps(word_list(site, memo), ensure_ascii=False, separators=(",", ":"))}
