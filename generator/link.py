"""One cross-referenced Site from the records: references checked, backlinks computed.

``build_site(content_dir)`` reads the whole content tree and returns a ``Site`` or raises
``ContentErrors`` listing every problem in every file.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import itertools
import logging
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import model, safe
from generator.errors import ContentError, ContentErrors, did_you_mean, display_path
from generator.load import Document, load_file
from generator.model import Actor, Claim, Event, Vocabulary
from generator.validate import to_record

log = logging.getLogger("briefing.link")

ID_PATTERN = re.compile(model.SLUG_PATTERN)
RESERVED_IDS = frozenset({"index"})


@dataclass(eq=False, repr=False)
class ActorEntry:
    """An actor with everything the site knows about it."""

    id: str
    source: Path
    record: Actor
    affiliation: ActorEntry | None = None
    members: list[ActorEntry] = field(default_factory=list)
    involvement: list[Involvement] = field(default_factory=list)
    """Events the actor took part in, newest first."""
    claims: list[tuple[EventEntry, Claim]] = field(default_factory=list)
    """Claims the actor made, newest event first."""
    alongside: list[tuple[ActorEntry, int]] = field(default_factory=list)
    """Actors most often involved in the same events, with counts."""

    def __repr__(self) -> str:
        return f"ActorEntry({self.id!r})"


@dataclass(eq=False, repr=False)
class Involvement:
    event: EventEntry
    actor: ActorEntry
    role: str | None


@dataclass(eq=False, repr=False)
class RelatedGroup:
    label: str
    events: list[EventEntry]


@dataclass(eq=False, repr=False)
class EventEntry:
    """An event with its resolved actors and relations in both directions."""

    id: str
    source: Path
    record: Event
    timezone: str
    actors: list[Involvement] = field(default_factory=list)
    related: list[RelatedGroup] = field(default_factory=list)
    previous: EventEntry | None = None
    next: EventEntry | None = None

    @functools.cached_property
    def sort_key(self) -> tuple[Any, ...]:
        return (*self.record.date.sort_key, self.record.time or "", self.id)

    def __repr__(self) -> str:
        return f"EventEntry({self.id!r})"

    @property
    def last_updated(self) -> dt.date:
        """The version date: the newest change-log entry, else first publication."""
        return max([self.record.published, *(u.date for u in self.record.updates)])


@dataclass(eq=False, repr=False)
class Site:
    """The whole content model, cross-referenced."""

    content_dir: Path
    vocabulary: Vocabulary
    events: list[EventEntry]
    """All events, oldest first."""
    actors: list[ActorEntry]
    """All actors, by name."""
    event_by_id: dict[str, EventEntry]
    actor_by_id: dict[str, ActorEntry]
    tags: dict[str, list[EventEntry]]
    """Events by tag, newest first; tags sorted."""

    def __repr__(self) -> str:
        return f"Site({len(self.events)} events, {len(self.actors)} actors)"

    def term(self, kind: str, term_id: str) -> model.Term:
        terms: list[model.Term] = getattr(self.vocabulary, kind)
        return next(t for t in terms if t.id == term_id)


# -- reading ---------------------------------------------------------------------------------


def _record_files(folder: Path, errors: list[ContentError]) -> dict[str, tuple[str, str]]:
    """Record files (path, path shown) by id (the file stem), checking names and duplicates."""
    found: dict[str, tuple[str, str]] = {}
    if not folder.is_dir():
        return found
    base = display_path(folder)
    names = []  # os.walk rather than Path.rglob: this runs on every `mkdocs serve` rebuild
    for top, _, files in os.walk(folder):
        shown = os.path.normpath(os.path.join(base, os.path.relpath(top, folder)))
        names += [
            (os.path.join(top, name), os.path.join(shown, name), name)
            for name in files
            if not name.startswith(".")
        ]
    for name, where, filename in sorted(names):
        stem, suffix = os.path.splitext(filename)
        if suffix == ".yml":
            errors.append(ContentError(where, 1, 1, "", "use the .yaml extension"))
            continue
        if suffix != ".yaml":
            continue
        if stem in RESERVED_IDS:
            errors.append(
                ContentError(where, 1, 1, "", f"'{stem}' is reserved; choose another file name")
            )
        elif len(stem) > 80 or not ID_PATTERN.match(stem):
            errors.append(
                ContentError(
                    where,
                    1,
                    1,
                    "",
                    f"file name '{stem}' is not a valid id: lowercase a-z and 0-9 words joined by "
                    "hyphens, at most 80 characters",
                )
            )
        elif stem in found:
            errors.append(
                ContentError(where, 1, 1, "", f"duplicate id '{stem}': also {found[stem][1]}")
            )
        else:
            found[stem] = (name, where)
    return found


@dataclass(eq=False)
class RecordCache:
    """What `mkdocs serve` keeps across rebuilds, so that an edit re-reads and re-checks only
    the files that changed."""

    files: dict[str, tuple[tuple[int, int], Document, Any]] = field(default_factory=dict)
    """Valid records by file, with the (mtime, size) they were read at."""
    context: tuple[Any, ...] | None = None
    """The vocabulary and the event and actor ids the events in ``checked`` were checked with."""
    checked: dict[str, Event] = field(default_factory=dict)
    """Events (by id) that passed the checks across records in that context."""


def _load_all(
    paths: dict[str, tuple[str, str]],
    record_type: type[Any],
    errors: list[ContentError],
    cache: RecordCache | None,
) -> dict[str, tuple[Document, Any]]:
    loaded = {}
    for record_id, (path, where) in paths.items():
        stamp = None
        if cache is not None:
            stat = os.stat(path)
            stamp = (stat.st_mtime_ns, stat.st_size)
            hit = cache.files.get(path)
            if hit is not None and hit[0] == stamp and isinstance(hit[2], record_type):
                loaded[record_id] = (hit[1], hit[2])
                continue
        try:
            doc = load_file(Path(path), where)
        except ContentErrors as exc:
            errors.extend(exc.errors)
            continue
        record = to_record(doc, record_type, errors)
        if record is not None:
            loaded[record_id] = (doc, record)
            if cache is not None and stamp is not None:
                cache.files[path] = (stamp, doc, record)
    return loaded


def build_site(
    content_dir: Path, *, timezone: str = "Asia/Seoul", cache: RecordCache | None = None
) -> Site:
    """Read, type and cross-reference every record under ``content_dir``.

    With a ``cache``, files whose modification time and size are unchanged are not re-read.
    """
    # Loading allocates many small objects that all stay alive until linking is done: the
    # cyclic garbage collector would rescan them again and again for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_site(content_dir, timezone, cache)
    finally:
        if enabled:
            gc.enable()


def _build_site(content_dir: Path, timezone: str, cache: RecordCache | None) -> Site:
    errors: list[ContentError] = []
    vocab_path = content_dir / "vocabulary.yaml"
    vocabulary: Vocabulary | None = None
    vocab_doc: Document | None = None
    if not vocab_path.is_file():
        errors.append(
            ContentError(display_path(vocab_path), 1, 1, "", "vocabulary file is missing")
        )
    else:
        try:
            vocab_doc = load_file(vocab_path)
            vocabulary = to_record(vocab_doc, Vocabulary, errors)
        except ContentErrors as exc:
            errors.extend(exc.errors)
    events = _load_all(_record_files(content_dir / "events", errors), Event, errors, cache)
    actors = _load_all(_record_files(content_dir / "actors", errors), Actor, errors, cache)
    if vocabulary is None or vocab_doc is None:
        raise ContentErrors(errors)
    checker = _Checker(vocabulary, vocab_doc, set(events), set(actors), errors)
    # An unchanged event checked with the same vocabulary and ids passes again: skip it.
    context = (vocabulary, checker.event_ids, checker.actor_ids)
    passed = cache.checked if cache is not None and cache.context == context else {}
    checked: dict[str, Event] = {}
    for record_id, (doc, event) in events.items():
        if passed.get(record_id) is not event:
            found = len(errors)
            checker.event(record_id, doc, event)
            if len(errors) > found:
                continue
        checked[record_id] = event
    for record_id, (doc, actor) in actors.items():
        checker.actor(record_id, doc, actor, actors)
    if cache is not None:
        cache.context, cache.checked = context, checked
    if errors:
        raise ContentErrors(errors)
    return _link(content_dir, vocabulary, events, actors, timezone)


# -- checks across records -------------------------------------------------------------------


class _Checker:
    def __init__(
        self,
        vocabulary: Vocabulary,
        vocab_doc: Document,
        event_ids: set[str],
        actor_ids: set[str],
        errors: list[ContentError],
    ) -> None:
        self.errors = errors
        self.event_ids = event_ids
        self.actor_ids = actor_ids
        self.terms: dict[str, set[str]] = {}
        for kind in ("event_types", "actor_kinds", "statuses", "confidence", "relations"):
            ids: set[str] = set()
            for index, term in enumerate(getattr(vocabulary, kind)):
                if term.id in ids:
                    errors.append(vocab_doc.error((kind, index, "id"), f"duplicate id '{term.id}'"))
                ids.add(term.id)
            self.terms[kind] = ids

    def _ref(
        self, doc: Document, loc: tuple[Any, ...], value: str, known: set[str], what: str
    ) -> None:
        if value not in known:
            hint = did_you_mean(value, known)
            self.errors.append(doc.error(loc, f"unknown {what} '{value}'{hint}"))

    def _unique(
        self, doc: Document, loc: tuple[Any, ...], values: Iterable[str], what: str
    ) -> None:
        seen: set[str] = set()
        for index, value in enumerate(values):
            if value in seen:
                self.errors.append(doc.error((*loc, index), f"duplicate {what} '{value}'"))
            seen.add(value)

    def event(self, event_id: str, doc: Document, event: Event) -> None:
        self._ref(doc, ("type",), event.type, self.terms["event_types"], "event type")
        self._ref(doc, ("status",), event.status, self.terms["statuses"], "status")
        if event.time is not None and not event.date.is_day:
            self.errors.append(
                doc.error(
                    ("time",), f"a time needs a single-day date (YYYY-MM-DD), not '{event.date}'"
                )
            )
        loc = event.location
        if loc is not None and (loc.lat is None) != (loc.lon is None):
            missing = "lon" if loc.lon is None else "lat"
            self.errors.append(
                doc.error(("location",), f"give lat and lon together ({missing} is missing)")
            )
        for i, ref in enumerate(event.actors):
            self._ref(doc, ("actors", i), ref.id, self.actor_ids, "actor")
        self._unique(doc, ("actors",), (a.id for a in event.actors), "actor")
        self._unique(doc, ("sources",), (s.key for s in event.sources), "source key")
        self._unique(doc, ("tags",), event.tags, "tag")
        for i, tag in enumerate(event.tags):
            if tag in RESERVED_IDS:  # (the address of the generated tags hub)
                hub = f"the generated tags hub, tags/{tag}.md (/tags/)"
                message = f"tag '{tag}' would replace {hub}: choose another tag"
                self.errors.append(doc.error(("tags", i), message))
        keys = {s.key for s in event.sources}
        if loc is not None and loc.source is not None:
            self._ref(doc, ("location", "source"), loc.source, keys, "source key")
        for i, claim in enumerate(event.claims):
            self._ref(doc, ("claims", i, "by"), claim.by, self.actor_ids, "actor")
            for j, key in enumerate(claim.sources):
                self._ref(doc, ("claims", i, "sources", j), key, keys, "source key")
        if event.assessment and event.assessment.confidence is not None:
            self._ref(
                doc,
                ("assessment", "confidence"),
                event.assessment.confidence,
                self.terms["confidence"],
                "confidence level",
            )
        self._pages(doc, ("summary",), event.summary)
        self._pages(doc, ("body",), event.body)
        if event.assessment:
            self._pages(doc, ("assessment", "text"), event.assessment.text)
        for i, claim in enumerate(event.claims):
            self._pages(doc, ("claims", i, "said"), claim.said)
        for i, update in enumerate(event.updates):
            self._pages(doc, ("updates", i, "note"), update.note)
        seen: set[tuple[str, str]] = set()
        for i, rel in enumerate(event.related):
            if rel.id == event_id:
                self.errors.append(
                    doc.error(("related", i, "id"), "an event cannot be related to itself")
                )
            else:
                self._ref(doc, ("related", i, "id"), rel.id, self.event_ids, "event")
            self._ref(
                doc, ("related", i, "relation"), rel.relation, self.terms["relations"], "relation"
            )
            if (rel.id, rel.relation) in seen:
                self.errors.append(doc.error(("related", i), f"duplicate link to '{rel.id}'"))
            seen.add((rel.id, rel.relation))

    def _pages(self, doc: Document, loc: tuple[Any, ...], text: str | None) -> None:
        """Links in record Markdown to briefs and profiles must find them."""
        for href in safe.own_links(text or ""):
            match = re.fullmatch(r"(briefs|actors)/([^/#]+)\.md(?:#.*)?", href)
            known = self.event_ids if match and match[1] == "briefs" else self.actor_ids
            if match and match[2] != "index" and match[2] not in known:
                what = "event" if match[1] == "briefs" else "actor"
                hint = did_you_mean(match[2], known)
                self.errors.append(
                    doc.error(loc, f"links to '{href}': no {what} '{match[2]}'{hint}")
                )

    def actor(self, actor_id: str, doc: Document, actor: Actor, actors: dict[str, Any]) -> None:
        self._ref(doc, ("kind",), actor.kind, self.terms["actor_kinds"], "actor kind")
        self._pages(doc, ("summary",), actor.summary)
        self._pages(doc, ("body",), actor.body)
        if actor.affiliation is None:
            return
        if actor.affiliation == actor_id:
            self.errors.append(
                doc.error(("affiliation",), "an actor cannot be affiliated with itself")
            )
            return
        self._ref(doc, ("affiliation",), actor.affiliation, self.actor_ids, "actor")
        chain, current = [actor_id], actor.affiliation
        while current in actors and current not in chain:
            chain.append(current)
            current = actors[current][1].affiliation
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
