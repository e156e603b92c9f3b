"""The search page's word list: what a search that finds nothing suggests instead.

A reader who types "misile" gets no result from Pagefind, which matches words as written (and
their stems and prefixes), not words like them. The search page then fetches this list,
``search/words.json``, and suggests the indexed words closest to each word typed, by edit
distance (`assets/search/search.js`). The list is written at build time from the records' own
words, the text Pagefind indexes of briefs and profiles (titles, summaries, key facts, claims,
assessments, analyses; names, other names, offices): every word of three letters or more,
lowercased, the words in more records first, at most `WORD_LIMIT` of them. Numbers, link addresses
and markup are left out. It is fetched only when a search finds nothing.

Under `mkdocs serve` the words of each record are kept while the record object is the same
(`Tally`), so an edit reads one record's text again, not every record's.
"""

from __future__ import annotations

import functools
import json
import re
import string
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from generator.site.entries import ActorEntry, EventEntry, Site

PATH = "search/words.json"
"""Beside the search page (``search/index.html``)."""
WORD_LIMIT = 20_000
"""Words in the list at most, the most common first: a site's own vocabulary may stay under it
(the synthetic 50,000-event site has 3,109 words, 33 KB), while the list of a large site
written by many editors stops at about 220 KB (under 120 KB compressed), fetched only by a
search that finds nothing; the words left out are in one or two records each."""
SHORTEST, LONGEST = 3, 30
"""Words shorter are not worth suggesting; longer ones are not words."""
WORD_WRITES = (PATH,)
"""What this module writes into the site (`generator.session.build.WRITTEN`)."""

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
    """The distinct words of ``texts``, lowercased, of any length (`word_list` drops the
    shortest and longest): punctuation ends a word, an apostrophe too ("korea's": korea), and a
    hyphenated word is kept whole and as its parts when all of them are words."""
    text = "\n".join(texts).lower()
    if "](" in text or "<" in text or "://" in text:
        text = _NOT_TEXT.sub(" ", text)
    # (str methods and sets all the way: at 50,000 events a loop over every token in Python
    # took six seconds; only what is not plainly a word, numbers and joined words, is looked at.)
    tokens = set(text.translate(_SPACES).split())
    found = set(filter(str.isalpha, tokens))
    for token in tokens - found:
        parts = [part for part in token.split("-") if part]
        if len(parts) > 1 and all(map(str.isalpha, parts)):
            found.add("-".join(parts))
        found.update(filter(str.isalpha, parts))
    return frozenset(found)


_SPACES = str.maketrans(dict.fromkeys(string.punctuation.replace("-", "") + "“”‘’«»…–—·", " "))
"""Every punctuation mark but the hyphen, as a space."""


class Tally:
    """How many records hold each word, kept from one build to the next under `mkdocs serve`:
    a record's words are counted in when its record object is new and out when it goes, so an
    edit costs the edited record's words, not a pass over every record's (which grows with the
    site, on the thread that an edit's next save waits for)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._words: dict[int, tuple[object, frozenset[str]]] = {}

    def update(self, site: Site) -> Counter[str]:
        """The counts for ``site``'s records."""
        seen: dict[int, tuple[object, frozenset[str]]] = {}
        texts: list[tuple[object, Callable[[], Iterator[str]]]] = [
            (e.record, functools.partial(event_text, e)) for e in site.events
        ]
        texts += [(a.record, functools.partial(actor_text, a)) for a in site.actors]
        for record, text in texts:
            last = self._words.get(id(record))
            if last is None or last[0] is not record:
                last = (record, words_of(text()))
                self.counts.update(last[1])
            seen[id(record)] = last
        for key, (held, gone) in self._words.items():
            if seen.get(key, (None,))[0] is not held:
                self.counts.subtract(gone)
        self._words = seen
        return self.counts


def word_list(site: Site, tally: Tally | None = None) -> list[str]:
    """The site's words, those in more records first (then alphabetically), at most `WORD_LIMIT`."""
    counts = (tally or Tally()).update(site)
    kept = ((w, n) for w, n in counts.items() if n > 0 and SHORTEST <= len(w) <= LONGEST)
    ranked = sorted(kept, key=lambda item: (-item[1], item[0]))
    return [word for word, _ in ranked[:WORD_LIMIT]]


def word_files(site: Site, tally: Tally | None = None) -> dict[str, str]:
    """The word list, as a site file: a JSON array, without spaces."""
    return {PATH: json.dumps(word_list(site, tally), ensure_ascii=False, separators=(",", ":"))}
