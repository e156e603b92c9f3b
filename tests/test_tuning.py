"""When the garbage collector runs: `briefing check` keeps it out of the way."""

from __future__ import annotations

import dataclasses
import gc
import html
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from generator.commands import cli
from generator.session.build import Builder
from generator.site.link import build_site
from generator.speed import tuning
from tests.conftest import FIXTURE, ContentFactory
from tests.sitebuild import config_for
from tests.test_golden import SETTINGS


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of every collection that starts while the test runs."""
    started: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(note)
    yield started
    gc.callbacks.remove(note)


def test_the_check_runs_without_a_collection(
    make_content: ContentFactory, collections: list[int]
) -> None:
    make_content()
    assert gc.isenabled()
    gc.collect()  # (the counts start from zero)
    collections.clear()
    assert cli.main(["check"]) == 0
    assert collections == []
    assert gc.isenabled()


def test_what_a_kept_block_made_waits_for_a_full_collection(collections: list[int]) -> None:
    frozen = gc.get_freeze_count()
    with tuning.kept():
        assert not gc.isenabled()
        made = [[n] for n in range(10_000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # (nothing left frozen)
    # The collector does not start with a pass over the block's objects: they are in the
    # oldest generation, and the count of the youngest starts again from zero.
    assert gc.get_count()[0] < 100
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(item) in oldest for item in made[::1000])
    assert collections == []


@pytest.mark.parametrize("enabled", [True, False])
def test_a_kept_block_leaves_the_collector_and_frozen_objects_as_they_were(enabled: bool) -> None:
    gc.freeze()  # (as a build's `Collector` does once the records are read)
    if not enabled:
        gc.disable()  # (as `mkdocs serve` does)
    try:
        frozen = gc.get_freeze_count()
        with tuning.kept():
            assert not gc.isenabled()
        assert gc.isenabled() == enabled
        # Neither unfrozen nor frozen again (which would move every young object there). A
        # frozen object freed meanwhile, by a thread another test left, lowers the count.
        assert frozen - 100 <= gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
        gc.enable()


def test_converted_pages_wait_compressed_until_mkdocs_builds_them(tmp_path: Path) -> None:
    """Between MkDocs' two passes (converting every page, then building each), the pages' HTML
    is held compressed by the plugin, not by MkDocs; each page is built with all of it."""
    config = load_config(str(config_for(tmp_path, FIXTURE)), site_dir=str(tmp_path / "site"))
    held: dict[str, str | None] = {}

    class Probe(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        def on_env(self, env: Any, /, *, config: Any, files: Files) -> Any:
            pages = [f.page for f in files.documentation_pages() if f.page is not None]
            held.update({page.file.src_uri: page.content for page in pages})
            return env

    config.plugins["probe"] = Probe()
    config.plugins.on_startup(command="build", dirty=False)  # (as `mkdocs build` does)
    build(config)
    assert len(held) > 10 and set(held.values()) == {""}
    event = build_site(FIXTURE).events[0]
    built = (tmp_path / "site" / "briefs" / event.id / "index.html").read_text(encoding="utf-8")
    assert html.escape(event.record.title, quote=False) in built and "data-pagefind-body" in built


@pytest.mark.slow  # (a real MkDocs build, in-process)
def test_mkdocs_builds_pages_with_what_it_read_frozen(tmp_path: Path) -> None:
    """Once MkDocs has converted every page, what it holds is out of the collector's sight
    until the build ends: no full collection goes over it while the pages are built."""
    config = load_config(str(config_for(tmp_path, FIXTURE)), site_dir=str(tmp_path / "site"))
    frozen: dict[str, list[bool]] = {"converting": [], "building": []}

    def seen(page: Any) -> bool:
        """Whether the collector sees MkDocs' page (frozen objects are out of its sight)."""
        return any(o is page for o in gc.get_objects())

    class Probe(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        def on_page_markdown(self, markdown: str, /, *, page: Any, **kwargs: Any) -> str:
            frozen["converting"].append(not seen(page))
            return markdown

        def on_post_page(self, output: str, /, *, page: Any, **kwargs: Any) -> str:
            frozen["building"].append(not seen(page))
            return output

    config.plugins["probe"] = Probe()
    config.plugins.on_startup(command="build", dirty=False)  # (as `mkdocs build` does)
    build(config)
    assert len(frozen["building"]) > 10
    assert set(frozen["converting"]) == {False} and set(frozen["building"]) == {True}
    assert gc.get_freeze_count() == 0  # (the build's end let them go)


def test_an_unlinked_site_goes_without_the_cyclic_collector() -> None:
    """A build's MkDocs process lets its records go (the rendering child has them): undone
    cross-references free them at once, with no full collection over everything."""
    gc.collect()
    gc.disable()
    try:
        site = build_site(FIXTURE)
        event, actor = weakref.ref(site.events[0]), weakref.ref(site.actors[0])
        site.unlink()
        del site
        assert event() is None and actor() is None
    finally:
        gc.enable()


def test_a_build_checks_and_plans_without_a_collection(
    tmp_path: Path, collections: list[int]
) -> None:
    """A build reads, checks and plans with the collector off: what it makes lives on, and a
    collector turned back on in between went over all of it as it aged."""
    settings = dataclasses.replace(SETTINGS, content_dir=FIXTURE, cache_dir=tmp_path / "cache")
    builder = Builder(settings)
    gc.collect()
    collections.clear()
    _site, planned = builder._checked({})
    assert collections == [] and len(planned) > 10
    assert gc.get_count()[0] < 100  # (what was made waits in the oldest generation)
