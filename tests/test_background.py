"""The background renderer: a forked child writes every page, in the order MkDocs reads them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.background import Background
from generator.errors import BriefingError
from generator.link import build_site
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
    background.ready(f"briefs/{site.events[0].id}.md")  # the first page is written
    with pytest.raises(BriefingError) as caught:
        background.ready(f"briefs/{site.events[1].id}.md")
    assert str(caught.value) == (
        f"rendering failed: {templates / 'brief.md.j2'}:2: UndefinedError: "
        f"'no_such' is undefined (page briefs/{site.events[1].id}.md)"
    )
    assert background.child == 0  # the child is gone
