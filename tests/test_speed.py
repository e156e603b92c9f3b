"""Each fast path (`generator.speed.Speed`) gives the reference build's output, file for file.

The reference is one process and one thread, the garbage collector left alone
(`BRIEFING_SPEED=""`). A real `mkdocs build` of the fixture site is made that way, and again with
each fast path on its own and with all of them; every file of the site must be the same bytes.
Relink, which only `mkdocs serve --dirty` takes, is held to the same by a serve session run
through a series of edits with it and without it (the model: tests/test_incremental.py).
"""

from __future__ import annotations

import dataclasses
import random
import shutil
from pathlib import Path

import pytest

from generator.content.errors import BriefingError
from generator.render.output import cached_paths
from generator.session.serve import Session
from generator.speed import ENVIRONMENT, FAST, REFERENCE, Speed
from tests.conftest import FIXTURE
from tests.sitebuild import config_for, mkdocs_build
from tests.test_incremental import (
    SETTINGS,
    add_event,
    delete_event,
    move_to_another_year,
    relate,
    rename_actor,
    retitle,
    synthetic,  # noqa: F401 (a fixture)
)

FAST_PATHS = [f.name for f in dataclasses.fields(Speed)]


def _files(site: Path) -> dict[str, bytes]:
    """Every file of a built site, by its path in it."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _build(folder: Path, names: str | None, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The fixture site built by `mkdocs build` with the fast paths ``names`` (None: all)."""
    with monkeypatch.context() as env:
        if names is None:
            env.delenv(ENVIRONMENT, raising=False)
        else:
            env.setenv(ENVIRONMENT, names)
        result = mkdocs_build(config_for(folder, FIXTURE), folder / "site")
    assert result.returncode == 0, result.stderr
    return _files(folder / "site")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        return _build(tmp_path_factory.mktemp("reference"), "", monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("names", ["background", "pagewriter", "tuning", None])
def test_each_fast_path_builds_the_reference_site(
    names: str | None,
    reference: dict[str, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build with one fast path (None: all of them) writes the reference's files, byte for
    byte."""
    built = _build(tmp_path, names, monkeypatch)
    assert sorted(built) == sorted(reference)
    differ = [path for path in reference if built[path] != reference[path]]
    assert not differ, differ[:10]
    assert any(path.endswith("index.html") for path in built)  # (pages, not only data)


def test_speed_names_the_fast_paths() -> None:
    """Unset, every fast path; empty, the reference; a misspelt name is said, not ignored."""
    assert Speed.named(None) == FAST
    assert Speed.named("") == REFERENCE
    assert Speed.named(" relink, tuning") == dataclasses.replace(
        REFERENCE, relink=True, tuning=True
    )
    assert set(FAST_PATHS) == {"background", "pagewriter", "relink", "tuning"}
    with pytest.raises(BriefingError, match="no fast path backgroud"):
        Speed.named("backgroud")


def _serve(content: Path, folder: Path, speed: Speed) -> tuple[Session, Path]:
    """A `mkdocs serve --dirty` session without MkDocs, into a built site in ``folder``."""
    settings = dataclasses.replace(
        SETTINGS, content_dir=content, cache_dir=folder / "cache", pagefind=False
    )
    site_dir = folder / "site"
    site_dir.mkdir(parents=True)
    (site_dir / "index.html").write_text("")  # (a built site: the rebuilds are dirty ones)
    return Session(settings, dirty=True, speed=speed), site_dir


def _rebuild(session: Session, site_dir: Path) -> dict[str, bytes]:
    """One rebuild: the Markdown of the pages and the published files."""
    session.start(site_dir, {}, None)
    session.finish()
    session.wait()
    cache = session.settings.cache_dir
    return {p: (cache / p).read_bytes() for p in cached_paths(cache)} | _files(site_dir)


def test_relink_gives_what_reading_the_records_again_gives(
    synthetic: Path,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    """After each edit, a serve session that patches the last Site (relink) has written the
    same pages and files as one that reads every record again."""
    sessions = []
    for name, speed in (("fast", FAST), ("reference", REFERENCE)):
        content = tmp_path / name / "content"
        shutil.copytree(synthetic, content)
        sessions.append((content, *_serve(content, tmp_path / name, speed)))
    first = [_rebuild(session, site_dir) for _, session, site_dir in sessions]
    assert first[0] == first[1]
    edits = [retitle, move_to_another_year, add_event, delete_event, rename_actor, relate]
    for n, edit in enumerate(edits):
        for content, _, _ in sessions:
            edit(content, random.Random(300 + n))
        fast, slow = (_rebuild(session, site_dir) for _, session, site_dir in sessions)
        assert sorted(fast) == sorted(slow), edit.__name__
        assert [p for p in fast if fast[p] != slow[p]] == [], edit.__name__
