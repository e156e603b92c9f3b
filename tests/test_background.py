"""The background renderer: a forked child writes every page, in the order MkDocs reads them."""

from __future__ import annotations

import dataclasses
import gc
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from generator.commands.synth import generate
from generator.content.errors import BriefingError
from generator.render import timeline
from generator.session.build import Builder
from generator.session.serve import Session
from generator.site.entries import EventEntry, Site
from generator.site.link import build_site
from generator.speed.background import Background, can_fork
from tests.conftest import FIXTURE
from tests.sitebuild import failing_templates
from tests.test_golden import SETTINGS, rendered, settings_with


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.md")}


def test_background_writes_each_page_before_reporting_it(tmp_path: Path) -> None:
    site, pages = build_site(FIXTURE), rendered()
    out = tmp_path / "out"
    (out / "stale").mkdir(parents=True)
    (out / "stale" / "old.md").write_text("gone\n", encoding="utf-8")
    after = tmp_path / "after.txt"

    def then() -> None:  # (in the child, once every page is written)
        after.write_text(str(len(list(out.rglob("*.md")))), encoding="utf-8")

    background = Background(site, dataclasses.replace(SETTINGS, cache_dir=out), then)
    assert background.paths == list(pages)  # the order MkDocs will read them in
    for path, text in pages.items():
        background.ready(path)
        assert (out / path).read_text(encoding="utf-8") == text
    background.ready("index.md")  # (a page that is not generated does not wait)
    done = background.finish()
    assert done.rendered == len(pages) and done.written == set(pages)
    assert after.read_text(encoding="utf-8") == str(len(pages))
    assert _tree(out) == {path: text.encode("utf-8") for path, text in pages.items()}
    again = Background(site, dataclasses.replace(SETTINGS, cache_dir=out)).finish()
    assert again.written == set() and again.rendered == len(pages)


def test_an_error_in_the_background_stops_the_build(tmp_path: Path) -> None:
    site = build_site(FIXTURE)
    templates = failing_templates(tmp_path, site.events[1].id)
    background = Background(site, settings_with(templates, tmp_path / "out"))
    background.reader.join(timeout=300)  # (the child has reported its error, and ended)
    assert not background.reader.is_alive()
    background.ready(f"briefs/{site.events[0].id}.md")  # the first page is written, and good
    with pytest.raises(BriefingError) as caught:
        background.ready(f"briefs/{site.events[1].id}.md")
    assert str(caught.value) == (
        f"rendering failed: {templates / 'brief.md.j2'}:2: UndefinedError: "
        f"'no_such' is undefined (page briefs/{site.events[1].id}.md)"
    )
    assert background.child == 0  # the child is gone


def _exited(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie, not yet waited for)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return fields[0] == "Z"


@pytest.mark.slow  # (1,500 events rendered: twenty seconds)
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_the_child_exits_when_done_not_when_mkdocs_has_read_every_page(tmp_path: Path) -> None:
    """The child's report outgrows a pipe's 64 KB (a line per page, then every path written):
    read at MkDocs' pace, it kept the child and its memory until MkDocs had read nearly every
    page. The parent reads it as it comes, so the child ends without anyone asking for a page."""
    generate(tmp_path / "content", events=1_500, actors=150, seed=3)
    site = build_site(tmp_path / "content")
    background = Background(site, dataclasses.replace(SETTINGS, cache_dir=tmp_path / "out"))
    assert len(background.paths) > 2_000  # (over 64 KB of paths in the child's summary)
    deadline = time.monotonic() + 300
    while not _exited(background.child):
        assert time.monotonic() < deadline, "the child waits for its report to be read"
        time.sleep(0.1)
    done = background.finish()  # (no page was asked for)
    assert done.rendered == len(background.paths) == len(done.written)


def test_a_build_leaves_the_records_to_the_child(tmp_path: Path) -> None:
    """A build (not serve) renders in the background, and the child publishes the open data and
    feeds: MkDocs' process lets its own copy of the records go once the child has them."""
    if not can_fork():  # (another test left a thread running)
        pytest.skip("the build would render in this process")
    settings = dataclasses.replace(
        SETTINGS, content_dir=FIXTURE, cache_dir=tmp_path / "cache", pagefind=False
    )
    builder = Builder(settings)
    gc.collect()
    gc.disable()  # (the records go without the cyclic collector: see `Site.unlink`)
    try:
        builder.start(tmp_path / "site", {}, None)
        gc.unfreeze()  # (frozen objects are out of `gc.get_objects`' sight)
        assert builder.run.background is not None  # (it renders in the background)
        assert [o for o in gc.get_objects() if isinstance(o, (Site, EventEntry))] == []
    finally:
        gc.enable()
    builder.pages_read([])
    builder.finish()
    assert (tmp_path / "site" / "feed.xml").is_file()  # (published by the child)


def test_the_child_plans_what_the_templates_get(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A brief's timeline strip (the costly part of a plan) is made by the child that renders
    the page; MkDocs' process, which waits for the plan before it reads any page, needs only
    the pages' paths."""
    if not can_fork():  # (another test left a thread running)
        pytest.skip("the build would render in this process")
    expected = list(rendered())  # (every page, in the order MkDocs reads them)
    parent, strip = os.getpid(), timeline.strip

    def strip_in_the_child(*args: Any, **kwargs: Any) -> Any:
        assert os.getpid() != parent, "MkDocs' process planned a brief's strip"
        return strip(*args, **kwargs)

    monkeypatch.setattr(timeline, "strip", strip_in_the_child)
    settings = dataclasses.replace(
        SETTINGS, content_dir=FIXTURE, cache_dir=tmp_path / "cache", pagefind=False
    )
    builder = Builder(settings)
    listing = builder.start(tmp_path / "site", {}, None)
    assert builder.run.background is not None
    builder.pages_read([])
    builder.finish()
    assert listing.paths == expected
    assert (tmp_path / "cache" / "briefs" / f"{build_site(FIXTURE).events[0].id}.md").is_file()


def test_serve_makes_what_its_rebuilds_keep_once_the_child_has_rendered(tmp_path: Path) -> None:
    """`mkdocs serve`'s first build renders in the child: MkDocs' process then compiles the
    templates and makes the hubs' contexts, so that the first edit does not (`Builder._warm`)."""
    if not can_fork():  # (another test left a thread running)
        pytest.skip("the build would render in this process")
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    settings = dataclasses.replace(
        SETTINGS, content_dir=content, cache_dir=tmp_path / "cache", pagefind=False
    )
    builder = Session(settings, dirty=True)
    assert builder.hubs is not None
    builder.start(tmp_path / "site", {}, None)
    assert builder.run.background is not None
    builder.pages_read([])
    builder.finish()
    made, code = dict(builder.hubs.made), dict(builder.compiled.code)
    assert "overview" in made and len(code) > 10

    record = next((content / "events").rglob("*.yaml"))
    text = record.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    record.write_text(text.replace(title, "title: Retitled"), encoding="utf-8")
    builder.start(tmp_path / "site", {}, None)
    assert builder.run.background is None and "Retitled" in (
        tmp_path / "cache" / "briefs" / f"{record.stem}.md"
    ).read_text(encoding="utf-8")
    assert builder.compiled.code == code  # (no template compiled again)
    assert all(builder.hubs.made[name] is value for name, value in made.items())
