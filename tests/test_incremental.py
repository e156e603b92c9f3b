"""Incremental rendering (`mkdocs serve`): after an edit, rendering only the affected units gives
exactly the pages a full render gives, and far fewer of them are rendered."""

from __future__ import annotations

import dataclasses
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.commands.synth import generate
from generator.content.errors import ContentErrors
from generator.content.records import RecordCache
from generator.publish import exports
from generator.render import timeline
from generator.render.output import cached_paths
from generator.session.build import Builder, Run, render_pages, render_site
from generator.session.serve import Session
from generator.settings import Settings
from generator.site import changes, relink
from generator.site.changes import affected
from generator.site.entries import Involvement, Site
from generator.site.link import build_site
from tests.sitebuild import ROOT

# Small pages, so that years, tags and actors run to several pages each.
TEMPLATES = ROOT / "templates"
SETTINGS = Settings(
    site_url="https://example.org/",
    repo_url="https://github.com/o/r",
    page_size=4,
    templates_dir=TEMPLATES,
)


def _read(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # all text


def _write(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _events(content: Path) -> list[Path]:
    return sorted((content / "events").rglob("*.yaml"))


def _actors(content: Path) -> list[Path]:
    return sorted((content / "actors").rglob("*.yaml"))


def _edit_event(content: Path, rng: random.Random, change: Callable[[Any], None]) -> None:
    path = rng.choice(_events(content))
    data = _read(path)
    change(data)
    _write(path, data)


def retitle(content: Path, rng: random.Random) -> None:
    _edit_event(content, rng, lambda d: d.update(title="A new title for this brief"))


def retype(content: Path, rng: random.Random) -> None:
    """Another type: the hubs showing every event's type (timeline overview, chart, map) change."""
    types = [t["id"] for t in _read(content / "vocabulary.yaml")["event_types"]]
    _edit_event(content, rng, lambda d: d.update(type=next(t for t in types if t != d["type"])))


def move_to_another_year(content: Path, rng: random.Random) -> None:
    def change(data: Any) -> None:
        data["date"] = "2011-03-04"
        data.pop("time", None)
        for source in data.get("sources", []):
            source.pop("date", None)

    _edit_event(content, rng, change)


def swap_an_actor(content: Path, rng: random.Random) -> None:
    spare = rng.choice(_actors(content)).stem

    def change(data: Any) -> None:
        ids = [a if isinstance(a, str) else a["id"] for a in data["actors"]]
        if spare not in ids:
            data["actors"][0] = spare

    _edit_event(content, rng, change)


def add_tags(content: Path, rng: random.Random) -> None:
    existing = sorted({t for p in _events(content) for t in _read(p).get("tags", [])})
    new = ["brand-new-tag", *existing[:1]]
    _edit_event(content, rng, lambda d: d.update(tags=sorted(set(d.get("tags", [])) | set(new))))


def relate(content: Path, rng: random.Random) -> None:
    target = rng.choice(_events(content)).stem

    def change(data: Any) -> None:
        if all(r["id"] != target for r in data.get("related", [])):
            data.setdefault("related", []).append({"id": target, "relation": "context"})

    path = rng.choice([p for p in _events(content) if p.stem != target])
    data = _read(path)
    change(data)
    _write(path, data)


def _claim_by_outsider(content: Path, rng: random.Random, said: str, mark: str = "") -> None:
    path = rng.choice(_events(content))
    data = _read(path)
    involved = {_actor_id(a) for a in data["actors"]}
    outsider = rng.choice([p.stem for p in _actors(content) if p.stem not in involved])
    data.setdefault("claims", []).append({"by": outsider, "said": said})
    data["title"] += mark
    _write(path, data)


def claim_by_an_outsider(content: Path, rng: random.Random) -> None:
    """A claim by an actor not involved in the event (its profile lists the claims it made)."""
    _claim_by_outsider(content, rng, "Outsider's claim.")


def _add_outsider_claim(content: Path, rng: random.Random) -> None:
    _claim_by_outsider(content, rng, "Soon withdrawn.", " (claimed-by-outsider)")


def drop_claims(content: Path, rng: random.Random) -> None:
    """Claims gone, one by an actor not involved (its first page listed it)."""
    path = next(p for p in _events(content) if "claimed-by-outsider" in _read(p)["title"])
    data = _read(path)
    data["claims"] = []
    _write(path, data)


drop_claims.prepare = _add_outsider_claim  # type: ignore[attr-defined]


def delete_event(content: Path, rng: random.Random) -> None:
    path = rng.choice(_events(content))
    path.unlink()
    for other in _events(content):
        data = _read(other)
        related = [r for r in data.get("related", []) if r["id"] != path.stem]
        if related != data.get("related", []):
            data["related"] = related
            _write(other, data)


def add_event(content: Path, rng: random.Random) -> None:
    source = rng.choice(_events(content))
    data = _read(source)
    data.update(title="A brand-new event", date="2031-01-01", related=[])
    data.pop("time", None)
    for item in data.get("sources", []):
        item.pop("date", None)
    _write(source.with_name("a-brand-new-event.yaml"), data)


def rename_actor(content: Path, rng: random.Random) -> None:
    used = {_actor_id(a) for p in _events(content) for a in _read(p)["actors"]}
    path = rng.choice([p for p in _actors(content) if p.stem in used])
    data = _read(path)
    data["name"] = "Renamed Actor"
    _write(path, data)


def reaffiliate_actor(content: Path, rng: random.Random) -> None:
    paths = _actors(content)
    path, parent = rng.sample([p for p in paths if "affiliation" not in _read(p)], 2)
    data = _read(path)
    data["affiliation"] = parent.stem
    data["title"] = "Newly affiliated"
    _write(path, data)


def _actor_id(ref: Any) -> str:
    return ref if isinstance(ref, str) else str(ref["id"])


EDITS = [
    retitle,
    retype,
    move_to_another_year,
    swap_an_actor,
    add_tags,
    relate,
    claim_by_an_outsider,
    drop_claims,
    delete_event,
    add_event,
    rename_actor,
    reaffiliate_actor,
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("synthetic") / "content"
    generate(content, events=200, actors=30, seed=7)
    return content


def _copy(
    synthetic: Path, tmp_path: Path, edit: Callable[[Path, random.Random], None], seed: int
) -> Path:
    """A copy of the synthetic content, made ready for ``edit`` (some edits need a record to
    undo first)."""
    content = tmp_path / "content"
    shutil.copytree(synthetic, content)
    if prepare := getattr(edit, "prepare", None):
        prepare(content, random.Random(seed))
    return content


@pytest.mark.slow  # (each kind of edit, twice, on a 200-event site: seconds each)
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("edit", EDITS, ids=lambda f: f.__name__)
def test_rendering_the_affected_units_equals_a_full_render(
    edit: Callable[[Path, random.Random], None], seed: int, synthetic: Path, tmp_path: Path
) -> None:
    content = _copy(synthetic, tmp_path, edit, seed)
    cache = RecordCache()
    before = build_site(content, cache=cache)
    pages_before = render_pages(before, SETTINGS).pages
    memo = exports.Memo()
    exports.export_files(before, SETTINGS.site_url, memo)
    rows = timeline.Rows()
    timeline.data(before, rows)

    edit(content, random.Random(seed))
    after = build_site(content, cache=cache)
    units = affected(before, after)
    assert units is not None
    partial = render_pages(after, SETTINGS, units)
    full = render_pages(after, SETTINGS).pages

    assert sorted(partial.paths) == sorted(full)
    kept = {p: pages_before[p] for p in partial.paths if p not in partial.pages}
    assert {**kept, **partial.pages} == full
    # An actor can be in most events (synth's involvement follows a Zipf law); an event is not.
    share = 1 if edit in (rename_actor, reaffiliate_actor) else 4
    assert 0 < len(partial.pages) < len(full) / share
    # The data exports, made with what the memo kept from before the edit, are fresh ones.
    assert exports.export_files(after, SETTINGS.site_url, memo) == exports.export_files(
        after, SETTINGS.site_url
    )
    assert timeline.data(after, rows) == timeline.data(after)


def test_the_timeline_data_of_an_edit_remakes_only_its_year(
    synthetic: Path, tmp_path: Path
) -> None:
    content = _copy(synthetic, tmp_path, retitle, 1)
    cache, rows = RecordCache(), timeline.Rows()
    before = timeline.data(build_site(content, cache=cache), rows)
    retitle(content, random.Random(1))
    after = timeline.data(build_site(content, cache=cache), rows)
    changed = {path for path, text in after.items() if text != before[path]}
    assert len(changed) == 1  # (the year of the brief retitled)
    remade = {path for path, text in after.items() if text is not before[path]}
    assert remade == {*changed, "data/timeline/index.json"}


def test_an_unchanged_site_renders_only_the_hubs(synthetic: Path) -> None:
    cache = RecordCache()
    before = build_site(synthetic, cache=cache)
    after = build_site(synthetic, cache=cache)
    assert affected(before, after) == set()
    partial = render_pages(after, SETTINGS, set())
    assert all(
        not p.startswith(("briefs/", "actors/", "timeline/", "tags/")) or p.endswith("/index.md")
        for p in partial.pages
    )


def test_a_vocabulary_change_renders_everything(synthetic: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(synthetic, content)
    before = build_site(content)
    vocabulary = _read(content / "vocabulary.yaml")
    vocabulary["event_types"][0]["label"] = "Renamed type"
    _write(content / "vocabulary.yaml", vocabulary)
    assert affected(before, build_site(content)) is None


def test_a_retitle_renders_only_the_listing_pages_that_show_the_brief(
    synthetic: Path, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(synthetic, content)
    cache = RecordCache()
    before = build_site(content, cache=cache)
    # The brief with the most tags whose tags each run to several pages.
    event = max(before.events, key=lambda e: len(e.record.tags))
    path = event.source
    data = _read(path)
    data["title"] = "Retitled"
    _write(path, data)
    after = build_site(content, cache=cache)
    units = affected(before, after)
    assert units is not None
    partial = render_pages(after, SETTINGS, units).pages
    tag_pages = [p for p in partial if p.startswith("tags/") and p != "tags/index.md"]
    assert len(tag_pages) == len(event.record.tags)
    assert all("Retitled" in partial[p] for p in tag_pages)
    year_pages = [p for p in partial if p.startswith(f"timeline/{event.record.date.start.year}")]
    assert len(year_pages) == 1 and "Retitled" in partial[year_pages[0]]


# -- the Site patched after an edit (`generator.site.relink`) ------------------------------------


def structure(site: Site) -> dict[str, Any]:
    """Every cross-reference of ``site``, by ids, in order: equal for two Sites exactly when
    they link the same records the same way."""

    def ids(entries: Any) -> list[str]:
        return [e.id for e in entries]

    def involvement(found: list[Involvement]) -> list[tuple[str, str, str | None]]:
        return [(i.event.id, i.actor.id, i.role) for i in found]

    def maybe(entry: Any) -> str | None:
        return None if entry is None else entry.id

    return {
        "events": ids(site.events),
        "records": {e.id: (e.record, e.source, e.timezone) for e in site.events},
        "previous and next": [(maybe(e.previous), maybe(e.next)) for e in site.events],
        "actors": ids(site.actors),
        "actor records": {a.id: (a.record, a.source) for a in site.actors},
        "involvement": {a.id: involvement(a.involvement) for a in site.actors},
        "event actors": {e.id: involvement(e.actors) for e in site.events},
        "claims": {a.id: [(e.id, c) for e, c in a.claims] for a in site.actors},
        "alongside": {a.id: [(o.id, n) for o, n in a.alongside] for a in site.actors},
        "members": {a.id: ids(a.members) for a in site.actors},
        "affiliation": {a.id: maybe(a.affiliation) for a in site.actors},
        "related": {e.id: [(g.label, ids(g.events)) for g in e.related] for e in site.events},
        "tags": [(tag, ids(found)) for tag, found in site.tags.items()],
        "by id": (list(site.event_by_id), list(site.actor_by_id)),
        "moved": site.moved,
        "vocabulary": site.vocabulary,
    }


def assert_whole(site: Site) -> None:
    """Every entry ``site`` refers to is one of its own, and each involvement is the same
    object on the event's side and the actor's (a patch that left an old one behind fails)."""
    events, actors = site.event_by_id, site.actor_by_id
    assert all(events[e.id] is e for e in site.events) and len(events) == len(site.events)
    assert all(actors[a.id] is a for a in site.actors) and len(actors) == len(site.actors)
    for event in site.events:
        assert all(i.event is event and actors[i.actor.id] is i.actor for i in event.actors)
        assert all(any(j is i for j in i.actor.involvement) for i in event.actors)
        for near in (event.previous, event.next):
            assert near is None or events[near.id] is near
        assert all(events[e.id] is e for g in event.related for e in g.events)
    for actor in site.actors:
        assert all(any(j is i for j in i.event.actors) for i in actor.involvement)
        assert all(events[e.id] is e for e, _ in actor.claims)
        assert all(actors[m.id] is m and m.affiliation is actor for m in actor.members)
    assert all(events[e.id] is e for found in site.tags.values() for e in found)


def _patched_equals_built(
    content: Path, last: Site, cache: RecordCache
) -> tuple[Site, changes.Before | None]:
    """After an edit of ``content``: ``last`` patched (or linked again) equals a Site built from
    scratch, in its cross-references, its pages and its data; the units of pages the patch
    names give the pages of a full render."""
    pages_before = render_pages(last, SETTINGS).pages
    site, before = relink.site(last, content, SETTINGS.timezone, cache, True)
    fresh = build_site(content, drafts=True)
    assert structure(site) == structure(fresh)
    assert_whole(site)
    full = render_pages(fresh, SETTINGS).pages
    assert render_pages(site, SETTINGS).pages == full
    assert exports.export_files(site, SETTINGS.site_url) == exports.export_files(
        fresh, SETTINGS.site_url
    )
    if before is not None:
        assert site is last
        partial = render_pages(site, SETTINGS, before.units(site))
        assert sorted(partial.paths) == sorted(full)
        kept = {p: pages_before[p] for p in partial.paths if p not in partial.pages}
        assert {**kept, **partial.pages} == full
    return site, before


PATCHED = [edit for edit in EDITS if edit not in (delete_event, add_event)]
"""The edits `generator.site.relink` patches the last Site for; a record added or removed is linked
from scratch."""


@pytest.mark.slow  # (each kind of edit, twice, on a 200-event site: seconds each)
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("edit", EDITS, ids=lambda f: f.__name__)
def test_the_patched_site_is_the_site_built_from_scratch(
    edit: Callable[[Path, random.Random], None], seed: int, synthetic: Path, tmp_path: Path
) -> None:
    content = _copy(synthetic, tmp_path, edit, seed)
    cache = RecordCache()
    last = build_site(content, cache=cache, drafts=True)
    edit(content, random.Random(seed))
    _, before = _patched_equals_built(content, last, cache)
    assert (before is not None) == (edit in PATCHED)


def _undated(content: Path, rng: random.Random) -> None:
    """A content error: an event without its date."""
    _edit_event(content, rng, lambda d: d.pop("date"))


def _redated(content: Path, rng: random.Random) -> None:
    """The fix: the events without a date get one (the newest of all, so they move)."""
    for path in _events(content):
        data = _read(path)
        if "date" not in data:
            data["date"] = "2030-12-31"
            _write(path, data)


@pytest.mark.slow  # (a run of edits, each patched and rendered: tens of seconds)
def test_serve_patches_one_edit_after_another(synthetic: Path, tmp_path: Path) -> None:
    """Serve patches the Site it patched last time; an edit with an error leaves it as it was
    (the last good site is served), and the fix patches it from there."""
    content = tmp_path / "content"
    shutil.copytree(synthetic, content)
    cache = RecordCache()
    site = build_site(content, cache=cache, drafts=True)
    for n, edit in enumerate([*PATCHED, _undated, _redated, relate, move_to_another_year]):
        rng = random.Random(100 + n)
        if edit is drop_claims:
            _add_outsider_claim(content, rng)
        edit(content, rng)
        if edit is _undated:
            kept = structure(site)
            with pytest.raises(ContentErrors, match="date"):
                relink.site(site, content, SETTINGS.timezone, cache, True)
            assert structure(site) == kept
            continue
        site, before = _patched_equals_built(content, site, cache)
        assert before is not None, edit.__name__


def _clash(content: Path, rng: random.Random) -> None:
    """Two tags on one brief: one whose page would take a hand-written page's address (an
    error found once the Site is patched), and another."""
    _edit_event(content, rng, lambda d: d.update(tags=[*d.get("tags", []), "clash", "other"]))


@pytest.mark.slow  # (a run of edits, each patched and rendered: tens of seconds)
def test_serve_writes_the_pages_of_a_full_build_after_each_edit(
    synthetic: Path, tmp_path: Path
) -> None:
    """`mkdocs serve --dirty`'s builds without MkDocs: after each edit (patched, linked again,
    with errors, fixed), the cache folder holds the pages a full build renders."""
    content = tmp_path / "content"
    shutil.copytree(synthetic, content)
    cache = tmp_path / "cache"
    settings = dataclasses.replace(SETTINGS, content_dir=content, cache_dir=cache, pagefind=False)
    builder = Session(settings, dirty=True)
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "index.html").write_text("")  # (a built site: the rebuilds are dirty ones)
    handwritten = {"tags/clash.md": "docs/tags/clash.md"}
    builder.start(site_dir, handwritten, None)
    edits = [retitle, _clash, retitle, retype, move_to_another_year, _undated, _redated, add_event]
    edits += [swap_an_actor, delete_event, rename_actor, relate, reaffiliate_actor]
    for n, edit in enumerate(edits):
        edit(content, random.Random(200 + n))
        builder.start(site_dir, handwritten, None)
        assert builder.failed == (edit in (_clash, _undated)), edit.__name__
        if edit is _clash:
            # The fix: the hand-written page goes. The next edit is of another brief, but the
            # pages of both tags are written with it.
            handwritten = {}
        if builder.failed:
            continue
        expected = render_site(build_site(content, drafts=True), settings)
        written = {p: (cache / p).read_text(encoding="utf-8") for p in cached_paths(cache)}
        assert written == expected, edit.__name__


def _published(site: Site, settings: Settings, folder: Path) -> dict[str, bytes]:
    """The open data and feeds of ``site``, as a build writes them into ``folder``."""
    builder = Builder(settings)
    builder.run = Run(folder)
    assert builder._publish(site)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.*")}


@pytest.mark.slow  # (two serve builds and two edits of a 200-event site)
def test_serve_writes_the_data_a_new_edit_left_unwritten(synthetic: Path, tmp_path: Path) -> None:
    """Under serve, an edit's open data and feeds are written after its pages show, in a thread
    that a new build stops (`Builder.wait`). What it left is written by the next build, even
    one that fails and serves the last good site."""
    content = tmp_path / "content"
    shutil.copytree(synthetic, content)
    settings = dataclasses.replace(
        SETTINGS, content_dir=content, cache_dir=tmp_path / "cache", pagefind=False
    )
    builder = Session(settings, dirty=True)
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "index.html").write_text("")  # (a built site: the rebuilds are dirty ones)
    builder.start(site_dir, {}, None)
    builder.finish()  # (the data, written here: no search index was kept, see _publish_later)
    builder.search_copy = tmp_path / "pagefind"  # (as if the first build had indexed the site)
    data = site_dir / "data" / "events.json.gz"
    exported = data.read_bytes()

    retitle(content, random.Random(3))
    builder.start(site_dir, {}, None)
    builder.halt.set()  # (as a new build does, here before the thread's first file)
    builder.finish()
    assert builder.publishing is not None
    builder.publishing.join()
    assert builder.unpublished
    assert data.read_bytes() == exported
    expected = _published(build_site(content, drafts=True), settings, tmp_path / "expected")
    assert expected["data/events.json.gz"] != exported  # (the title is in it)

    _undated(content, random.Random(4))
    builder.start(site_dir, {}, None)
    assert builder.failed
    builder.finish()
    assert not builder.unpublished
    written = {p: (site_dir / p).read_bytes() for p in expected}
    assert written == expected

    _redated(content, random.Random(5))
    builder.start(site_dir, {}, None)  # (the last publishing, finished or not, is waited for)
    builder.finish()
    builder.wait()
    expected = _published(build_site(content, drafts=True), settings, tmp_path / "again")
    assert {p: (site_dir / p).read_bytes() for p in expected} == expected
    assert not builder.unpublished
