"""One cross-referenced Site from the records: references checked, backlinks computed.

``build_site(content_dir)`` reads the whole content tree (`generator.content.records`), checks the
references between records, and returns a ``Site`` or raises ``ContentErrors`` listing every
problem in every file.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from generator.content import edtf, model, safe
from generator.content.errors import ContentError, ContentErrors, did_you_mean
from generator.content.load import Document
from generator.content.model import Actor, Event, Vocabulary
from generator.content.records import ID_PATTERN, RESERVED_IDS, RecordCache, Records, read
from generator.settings import Settings
from generator.site.entries import ActorEntry, EventEntry, Involvement, RelatedGroup, Site

_log = logging.getLogger("briefing.link")


def build_site(
    content_dir: Path,
    *,
    timezone: str = Settings.timezone,
    cache: RecordCache | None = None,
    drafts: bool = False,
) -> Site:
    """Read, type and cross-reference every record under ``content_dir``.

    Drafts are checked like every record, but the Site holds them only with ``drafts``
    (`mkdocs serve`, `briefing check`). With a ``cache``, files whose modification time and
    size are unchanged are not re-read.
    """
    with collecting_later():
        return linked(checked(content_dir, cache, drafts), timezone)


@contextlib.contextmanager
def collecting_later() -> Iterator[None]:
    """No cyclic garbage collection inside: loading allocates many small objects that all stay
    alive until linking is done, and the collector would rescan them again and again for
    nothing (under `mkdocs serve`, the last Site's millions of objects with them)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Checked:
    """The records that passed every check, those the Site is to hold."""

    content_dir: Path
    vocabulary: Vocabulary
    events: dict[str, tuple[Document, Event]]
    actors: dict[str, tuple[Document, Actor]]
    names: Names


def checked(content_dir: Path, cache: RecordCache | None, drafts: bool) -> Checked:
    """Every record read and checked, drafts left out unless ``drafts``; `ContentErrors` if
    any record has a problem."""
    errors: list[ContentError] = []
    records = read(content_dir, errors, cache)
    names = _check(records, errors, cache)
    if errors or records.vocabulary is None:
        raise ContentErrors(errors)
    events, actors = records.events, records.actors
    if not drafts:  # (no published record refers to a draft: see _Checker.record)
        events = {i: found for i, found in events.items() if not found[1].draft}
        actors = {i: found for i, found in actors.items() if not found[1].draft}
    return Checked(content_dir, records.vocabulary, events, actors, names)


def linked(records: Checked, timezone: str) -> Site:
    """The Site of ``records``, cross-referenced from scratch."""
    site = _link(records.content_dir, records.vocabulary, records.events, records.actors, timezone)
    site.moved = records.names.moved(site)
    return site


@dataclass(frozen=True)
class Names:
    """What ids mean besides the live records: drafts, and renamed records' former ids."""

    drafts: dict[str, frozenset[str]]
    """Draft ids by kind ("event", "actor")."""
    former: dict[str, dict[str, str]]
    """By kind: former id -> the record's id now."""

    def moved(self, site: Site) -> dict[str, str]:
        """The old pages of the records ``site`` publishes, with their new ones."""
        live: dict[str, set[str]] = {"event": set(site.event_by_id), "actor": set(site.actor_by_id)}
        return {
            f"{FOLDERS[kind]}/{old}": f"{FOLDERS[kind]}/{new}"
            for kind, former in self.former.items()
            for old, new in sorted(former.items())
            if new in live[kind]
        }


FOLDERS = {"event": "briefs", "actor": "actors"}
"""Where each kind of record's pages are."""


def _names(records: Records, errors: list[ContentError]) -> Names:
    """Drafts and former ids, read from every record's plain data (valid or not); a former id
    that clashes with a live id or another record's former id is an error."""
    docs = {
        "event": {i: d for i, (d, _) in records.events.items()} | records.bad_events,
        "actor": {i: d for i, (d, _) in records.actors.items()} | records.bad_actors,
    }
    live = {"event": records.event_ids, "actor": records.actor_ids}
    drafts = {
        kind: frozenset(i for i, doc in found.items() if _is_draft(doc))
        for kind, found in docs.items()
    }
    former = {kind: _former_ids(docs[kind], live[kind], kind, errors) for kind in docs}
    return Names(drafts, former)


def _former_ids(
    docs: dict[str, Document], live: set[str], kind: str, errors: list[ContentError]
) -> dict[str, str]:
    """Former id -> record id, for the records of one kind (``docs``, by id)."""
    found: dict[str, str] = {}
    renamed = [(i, doc) for i, doc in docs.items() if "former_ids" in doc.data]
    for record_id, doc in sorted(renamed, key=lambda item: item[1].display):
        for i, old in enumerate(_items(doc.data.get("former_ids"))):
            if _id(old) is None:
                continue  # (reported by the schema)
            clash = found.get(old)
            if old == record_id:
                message = f"'{old}' is this {kind}'s own id: list only the ids it had before"
            elif old in RESERVED_IDS:
                message = f"'{old}' is reserved: it cannot be a former id"
            elif old in live:
                where = f" ({docs[old].display})" if old in docs else ""
                message = f"former id '{old}' is the id of a live {kind}{where}"
            elif clash == record_id:
                message = f"duplicate former id '{old}'"
            elif clash is not None:
                message = (
                    f"former id '{old}' is also a former id of {kind} '{clash}' "
                    f"({docs[clash].display}): an old address can lead to one record only"
                )
            else:
                found[old] = record_id
                continue
            errors.append(doc.error(("former_ids", i), message))
    return found


def _check(records: Records, errors: list[ContentError], cache: RecordCache | None) -> Names:
    """The checks across records. Every reference is checked on whatever was read, valid or
    not, so that one run reports every problem that does not depend on another."""
    names = _names(records, errors)
    checker = _Checker(records.vocabulary_doc, records.event_ids, records.actor_ids, errors)
    checker.names = names
    context = (records.vocabulary, checker.event_ids, checker.actor_ids, names)
    # An unchanged event checked with the same vocabulary and ids passes again: skip it.
    passed = cache.checked if cache is not None and cache.context == context else {}
    checked: dict[str, Event] = {}
    for record_id, (doc, event) in records.events.items():
        if passed.get(record_id) is not event:
            found = len(errors)
            checker.event(record_id, doc)
            if len(errors) > found:
                continue
        checked[record_id] = event
    for record_id, doc in records.bad_events.items():
        checker.event(record_id, doc)
    actors = {i: d for i, (d, _) in records.actors.items()} | records.bad_actors
    affiliations = {actor_id: doc.data.get("affiliation") for actor_id, doc in actors.items()}
    for actor_id, doc in actors.items():
        checker.actor(actor_id, doc, affiliations)
    if cache is not None:
        cache.context, cache.checked = context, checked
    return names


# -- checks across records -------------------------------------------------------------------
# They read the records' plain data, not the typed records, so that they also run on records
# that failed the schema. A value that is not a well-formed id was reported by the schema and
# is not looked up.


def _id(value: Any) -> str | None:
    return value if isinstance(value, str) and ID_PATTERN.match(value) else None


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


_UNPUBLISHED = (
    ", which is not published: a published record cannot refer to it "
    "(publish the draft, or remove the reference)"
)


_FLAG = TypeAdapter(bool)


def _is_draft(doc: Document) -> bool:
    """Whether the record says ``draft: true`` (its values are read as text, as the schema
    reads them: true, yes, on...)."""
    try:
        return "draft" in doc.data and _FLAG.validate_python(doc.data["draft"])
    except ValidationError:
        return False  # (reported by the schema)


def _is_placeholder(value: str) -> bool:
    """``TODO`` at the start of a value, as ``briefing new`` writes it."""
    text = value.lstrip()
    return text.startswith("TODO") and (len(text) == 4 or not text[4].isalnum())


class _Checker:
    def __init__(
        self,
        vocab_doc: Document | None,
        event_ids: set[str],
        actor_ids: set[str],
        errors: list[ContentError],
    ) -> None:
        self.errors = errors
        self.event_ids = event_ids
        self.actor_ids = actor_ids
        self.names = Names({}, {})
        self.publishing = True
        """The record being checked is not a draft: it may not refer to one."""
        self.terms: dict[str, set[str]] | None = None
        """Vocabulary ids by list; None when the vocabulary could not be read at all."""
        if vocab_doc is None:
            return
        self.terms = {}
        for kind in ("event_types", "actor_kinds", "statuses", "confidence", "relations"):
            ids: set[str] = set()
            for index, term in enumerate(_items(vocab_doc.data.get(kind))):
                term_id = _id(_mapping(term).get("id"))
                if term_id is None:
                    continue
                if term_id in ids:
                    errors.append(vocab_doc.error((kind, index, "id"), f"duplicate id '{term_id}'"))
                ids.add(term_id)
            self.terms[kind] = ids
        self.placeholders(vocab_doc)

    def _ref(
        self, doc: Document, loc: tuple[Any, ...], value: Any, known: set[str], what: str
    ) -> None:
        if isinstance(value, str) and value not in known and ID_PATTERN.match(value):
            hint = did_you_mean(value, known)
            self.errors.append(doc.error(loc, f"unknown {what} '{value}'{hint}"))

    def _record(self, doc: Document, loc: tuple[Any, ...], value: Any, kind: str) -> None:
        """A reference to an event or actor: a live one, and not a draft from a published
        record. A former id is refused with the id to write."""
        known = self.event_ids if kind == "event" else self.actor_ids
        if not isinstance(value, str) or (value in known and not self._draft(kind, value)):
            return
        renamed = self.names.former.get(kind, {}).get(value)
        if value in known:
            self.errors.append(doc.error(loc, f"{kind} '{value}' is a draft{_UNPUBLISHED}"))
        elif renamed is not None:
            message = f"{kind} '{value}' is now '{renamed}' (a former id): write '{renamed}'"
            self.errors.append(doc.error(loc, message))
        else:
            self._ref(doc, loc, value, known, kind)

    def _draft(self, kind: str, record_id: str) -> bool:
        """Whether the record is a draft that the record being checked may not refer to."""
        return self.publishing and record_id in self.names.drafts.get(kind, ())

    def _term(self, doc: Document, loc: tuple[Any, ...], value: Any, kind: str, what: str) -> None:
        if self.terms is not None:
            self._ref(doc, loc, value, self.terms[kind], what)

    def _unique(
        self, doc: Document, loc: tuple[Any, ...], values: Iterable[Any], what: str
    ) -> None:
        seen: set[str] = set()
        for index, value in enumerate(values):
            if not isinstance(value, str):
                continue
            if value in seen and ID_PATTERN.match(value):
                self.errors.append(doc.error((*loc, index), f"duplicate {what} '{value}'"))
            seen.add(value)

    def placeholders(self, doc: Document) -> None:
        """Every value still holding a ``TODO`` placeholder from ``briefing new``."""
        if not doc.mentions_todo:
            return
        stack: list[tuple[tuple[Any, ...], Any]] = [((), doc.data)]
        while stack:
            loc, value = stack.pop()
            if isinstance(value, str):
                if _is_placeholder(value):
                    shown = (
                        value.strip()
                        if len(value.strip()) <= 40
                        else value.strip()[:39].rstrip() + "…"
                    )
                    self.errors.append(
                        doc.error(loc, f"placeholder '{shown}' left by `briefing new`: replace it")
                    )
            elif isinstance(value, dict):
                stack.extend(((*loc, k), v) for k, v in value.items())
            elif isinstance(value, list):
                stack.extend(((*loc, i), v) for i, v in enumerate(value))

    def event(self, event_id: str, doc: Document) -> None:
        data = doc.data
        self.publishing = not _is_draft(doc)
        self._term(doc, ("type",), data.get("type"), "event_types", "event type")
        self._term(doc, ("status",), data.get("status"), "statuses", "status")
        self._time(doc, data.get("date"), data.get("time"))
        location = _mapping(data.get("location"))
        if location and ("lat" in location) != ("lon" in location):
            missing = "lat" if "lon" in location else "lon"
            self.errors.append(
                doc.error(("location",), f"give lat and lon together ({missing} is missing)")
            )
        actors = [
            ref.get("id") if isinstance(ref, dict) else ref for ref in _items(data.get("actors"))
        ]
        for i, actor in enumerate(actors):
            self._record(doc, ("actors", i), actor, "actor")
        self._unique(doc, ("actors",), actors, "actor")
        keys = [_mapping(source).get("key") for source in _items(data.get("sources"))]
        self._unique(doc, ("sources",), keys, "source key")
        self._unique(doc, ("tags",), _items(data.get("tags")), "tag")
        for i, tag in enumerate(_items(data.get("tags"))):
            if isinstance(tag, str) and tag in RESERVED_IDS:  # (the generated tags hub)
                hub = f"the generated tags hub, tags/{tag}.md (/tags/)"
                message = f"tag '{tag}' would replace {hub}: choose another tag"
                self.errors.append(doc.error(("tags", i), message))
        known_keys = {key for key in map(_id, keys) if key is not None}
        self._ref(doc, ("location", "source"), location.get("source"), known_keys, "source key")
        for i, claim in enumerate(_items(data.get("claims"))):
            claim = _mapping(claim)
            self._record(doc, ("claims", i, "by"), claim.get("by"), "actor")
            for j, key in enumerate(_items(claim.get("sources"))):
                self._ref(doc, ("claims", i, "sources", j), key, known_keys, "source key")
        confidence = _mapping(data.get("assessment")).get("confidence")
        self._term(doc, ("assessment", "confidence"), confidence, "confidence", "confidence level")
        self._pages(doc, ("summary",), data.get("summary"))
        self._pages(doc, ("body",), data.get("body"))
        self._pages(doc, ("assessment", "text"), _mapping(data.get("assessment")).get("text"))
        for i, claim in enumerate(_items(data.get("claims"))):
            self._pages(doc, ("claims", i, "said"), _mapping(claim).get("said"))
        for i, update in enumerate(_items(data.get("updates"))):
            self._pages(doc, ("updates", i, "note"), _mapping(update).get("note"))
        self._related(event_id, doc)
        self.placeholders(doc)

    def _related(self, event_id: str, doc: Document) -> None:
        seen: set[tuple[str, str]] = set()
        for i, rel in enumerate(_items(doc.data.get("related"))):
            rel = _mapping(rel)
            other, relation = rel.get("id"), rel.get("relation")
            if other == event_id:
                self.errors.append(
                    doc.error(("related", i, "id"), "an event cannot be related to itself")
                )
            else:
                self._record(doc, ("related", i, "id"), other, "event")
            self._term(doc, ("related", i, "relation"), relation, "relations", "relation")
            link = (_id(other), _id(relation))
            if link[0] is not None and link[1] is not None:
                if link in seen:
                    self.errors.append(doc.error(("related", i), f"duplicate link to '{other}'"))
                seen.add((link[0], link[1]))

    def _pages(self, doc: Document, loc: tuple[Any, ...], text: Any) -> None:
        """Links in record Markdown to briefs and profiles must find them."""
        if not isinstance(text, str):
            return
        for href in safe.own_links(text):
            match = re.fullmatch(r"(briefs|actors)/([^/#]+)\.md(?:#.*)?", href)
            if not match or match[2] == "index":
                continue
            what = "event" if match[1] == "briefs" else "actor"
            known = self.event_ids if what == "event" else self.actor_ids
            target = self.names.former.get(what, {}).get(match[2], match[2])  # (a renamed one)
            if target not in known:
                hint = did_you_mean(match[2], known)
                message = f"links to '{href}': no {what} '{match[2]}'{hint}"
                self.errors.append(doc.error(loc, message))
            elif self._draft(what, target):
                message = f"links to '{href}': {what} '{target}' is a draft{_UNPUBLISHED}"
                self.errors.append(doc.error(loc, message))

    def _time(self, doc: Document, date: Any, time: Any) -> None:
        if not isinstance(time, str) or not isinstance(date, str):
            return
        try:
            model.check_time(time)
            parsed = edtf.parse(date)
        except ValueError:
            return  # reported by the schema
        if not parsed.is_day:
            self.errors.append(
                doc.error(("time",), f"a time needs a single-day date (YYYY-MM-DD), not '{parsed}'")
            )

    def actor(self, actor_id: str, doc: Document, affiliations: dict[str, Any]) -> None:
        self.publishing = not _is_draft(doc)
        self._term(doc, ("kind",), doc.data.get("kind"), "actor_kinds", "actor kind")
        self._pages(doc, ("summary",), doc.data.get("summary"))
        self._pages(doc, ("body",), doc.data.get("body"))
        self.placeholders(doc)
        affiliation = _id(doc.data.get("affiliation"))
        if affiliation is None:
            return
        if affiliation == actor_id:
            self.errors.append(
                doc.error(("affiliation",), "an actor cannot be affiliated with itself")
            )
            return
        self._record(doc, ("affiliation",), affiliation, "actor")
        chain, current = [actor_id], affiliation
        while _id(current) is not None and current in affiliations and current not in chain:
            chain.append(current)
            current = affiliations[current]
        if current == actor_id:
            cycle = " -> ".join([*chain, actor_id])
            self.errors.append(doc.error(("affiliation",), f"affiliations form a loop: {cycle}"))


# -- linking ---------------------------------------------------------------------------------


def _link(
    content_dir: Path,
    vocabulary: Vocabulary,
    events: dict[str, tuple[Document, Event]],
    actors: dict[str, tuple[Document, Actor]],
    timezone: str,
) -> Site:
    actor_by_id = {
        actor_id: ActorEntry(actor_id, doc.path, actor) for actor_id, (doc, actor) in actors.items()
    }
    ordered = sorted(
        (
            EventEntry(event_id, doc.path, event, event.timezone or timezone)
            for event_id, (doc, event) in events.items()
        ),
        key=lambda e: e.sort_key,
    )
    event_by_id = {e.id: e for e in ordered}
    for earlier, later in itertools.pairwise(ordered):
        earlier.next, later.previous = later, earlier

    for member in actor_by_id.values():
        if member.record.affiliation:
            member.affiliation = actor_by_id[member.record.affiliation]
            member.affiliation.members.append(member)
    tags = _backlinks(vocabulary, ordered, event_by_id, actor_by_id)
    for actor in actor_by_id.values():
        actor.members.sort(key=lambda a: a.record.name.casefold())

    return Site(
        content_dir=content_dir,
        vocabulary=vocabulary,
        events=ordered,
        actors=sorted(actor_by_id.values(), key=lambda a: (a.record.name.casefold(), a.id)),
        event_by_id=event_by_id,
        actor_by_id=actor_by_id,
        tags={tag: tags[tag] for tag in sorted(tags)},
    )


def _backlinks(
    vocabulary: Vocabulary,
    ordered: list[EventEntry],
    event_by_id: dict[str, EventEntry],
    actor_by_id: dict[str, ActorEntry],
) -> dict[str, list[EventEntry]]:
    """Involvements, claims, relations both ways and the actors alongside, newest event
    first; the events by tag."""
    relations = {r.id: r for r in vocabulary.relations}
    groups: dict[str, dict[str, list[EventEntry]]] = defaultdict(lambda: defaultdict(list))
    alongside: dict[str, Counter[str]] = defaultdict(Counter)
    tags: dict[str, list[EventEntry]] = defaultdict(list)
    for entry in reversed(ordered):  # newest first everywhere below
        for ref in entry.record.actors:
            involvement = Involvement(entry, actor_by_id[ref.id], ref.role)
            entry.actors.append(involvement)
            involvement.actor.involvement.append(involvement)
            for other in entry.record.actors:
                if other.id != ref.id:
                    alongside[ref.id][other.id] += 1
        for claim in entry.record.claims:
            actor_by_id[claim.by].claims.append((entry, claim))
        for rel in entry.record.related:
            relation = relations[rel.relation]
            groups[entry.id][relation.label].append(event_by_id[rel.id])
            groups[rel.id][relation.inverse_label].append(entry)
        for tag in entry.record.tags:
            tags[tag].append(entry)

    for entry in ordered:
        by_label = groups.get(entry.id, {})
        entry.related = [
            RelatedGroup(label, sorted(set(found), key=lambda e: e.sort_key))
            for label, found in sorted(by_label.items())
        ]
    for actor_id, counts in alongside.items():
        actor_by_id[actor_id].alongside = [
            (actor_by_id[other], n)
            for other, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
    return tags
