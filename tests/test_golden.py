"""Golden Markdown: the generated pages of a small fixture tree, so output changes show in review.

Refresh with `make golden` after an intended change, and review the diff.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from generator.content.errors import BriefingError
from generator.render import embed
from generator.render.output import write_files, write_pages
from generator.render.pages import plan
from generator.session.build import render_site
from generator.settings import Settings
from generator.site.link import build_site
from tests.conftest import FIXTURE
from tests.sitebuild import failing_templates

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
SETTINGS = Settings(
    site_name="Fixture Briefing",
    repo_url="https://github.com/example/briefing",
    page_size=2,
    templates_dir=ROOT / "templates",
)


def settings_with(templates: Path, cache: Path = SETTINGS.cache_dir) -> Settings:
    return dataclasses.replace(SETTINGS, templates_dir=templates, cache_dir=cache)


def rendered() -> dict[str, str]:
    return render_site(build_site(FIXTURE), SETTINGS)


def test_generated_markdown_matches_golden(request: pytest.FixtureRequest) -> None:
    pages = rendered()
    if request.config.getoption("--update-golden"):
        write_pages(pages, GOLDEN)
        return
    on_disk = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
        for p in GOLDEN.rglob("*.md")
    }
    assert sorted(pages) == sorted(on_disk), "pages added or removed: run `make golden` and review"
    for path, text in pages.items():
        assert text == on_disk[path], (
            f"{path} differs from tests/golden/: run `make golden` and review"
        )


def test_plain_text_is_escaped_and_markdown_kept() -> None:
    pages = rendered()
    claim = pages["briefs/claim.md"]
    # Character references: Markdown reads nothing in them, and readers see no backslashes;
    # marked for the audit after MkDocs' conversion.
    escaped = (
        "Claim with &#42;stars&#42;, &#60;b&#62;tags&#60;/b&#62; &#124; pipes &amp; "
        "&#91;brackets&#93;"
    )
    assert f"# {embed.OPEN}{escaped}{embed.CLOSE} {{ #brief }}" in claim
    # Record Markdown arrives as sanitized HTML, after the page's Markdown: MkDocs never reads it.
    markdown, fragments = embed.detach(pages["briefs/launch.md"])
    assert "<em>appeared to fail</em>" not in markdown
    assert any("the JCS said it <em>appeared to fail</em>." in text for text, _ in fragments)


def test_dates_respect_precision_and_zone() -> None:
    pages = rendered()
    assert "26 June 2024, 05:30 KST (20:30 UTC on 25 June)" in pages["briefs/launch.md"]
    assert "c. May 2024" in pages["briefs/balloons.md"]
    assert "28 August–1 September 2023" in pages["briefs/exercise.md"]


def test_relations_show_from_both_sides() -> None:
    pages = {path: embed.unmark(text) for path, text in rendered().items()}
    assert (
        "### In response to { #related-1 }\n\n- [Suspected ballistic missile launch](../briefs/launch.md)"
        in pages["briefs/claim.md"]
    )
    launch = pages["briefs/launch.md"]
    assert "### Prompted { #related-2 }\n\n- [Claim with" in launch
    assert "### Context { #related-1 }\n\n- [Balloon campaign](../briefs/balloons.md)" in launch


def test_long_lists_are_paginated() -> None:
    pages = rendered()  # page_size=2 in the fixture settings
    assert {
        "timeline/2024.md",
        "timeline/2024/page/2.md",
        "actors/north-korea.md",
        "actors/north-korea/page/2.md",
    } <= set(pages)
    assert "Page 1 of 2" in pages["timeline/2024.md"]


def test_write_pages_rewrites_only_changed_files_and_removes_stale_ones(tmp_path: Path) -> None:
    pages = {"a.md": "one\n", "sub/b.md": "two\n"}
    assert write_pages(pages, tmp_path) == {"a.md", "sub/b.md"}
    stamp = (tmp_path / "a.md").stat().st_mtime_ns
    (tmp_path / "a.md").touch()  # make sure a rewrite would change the time
    before = (tmp_path / "a.md").stat().st_mtime_ns
    assert write_pages({"a.md": "one\n", "sub/b.md": "changed\n"}, tmp_path) == {"sub/b.md"}
    assert (tmp_path / "a.md").stat().st_mtime_ns == before >= stamp
    assert write_pages({"a.md": "one\n"}, tmp_path) == set()
    assert not (tmp_path / "sub").exists()


def test_write_files_leaves_files_that_hold_the_same_bytes_alone(tmp_path: Path) -> None:
    # Published files (data, feeds, cards) after an edit under serve: most are as they were.
    write_files(tmp_path, {"feeds/a.xml": b"<feed/>", "data/b.json": "[1]"})
    os.utime(tmp_path / "feeds/a.xml", ns=(1, 1))  # a rewrite would change the time
    os.utime(tmp_path / "data/b.json", ns=(1, 1))
    write_files(tmp_path, {"feeds/a.xml": b"<feed/>", "data/b.json": "[2]"})  # (same size)
    assert (tmp_path / "feeds/a.xml").stat().st_mtime_ns == 1
    assert (tmp_path / "data/b.json").read_text(encoding="utf-8") == "[2]"
    assert (tmp_path / "data/b.json").stat().st_mtime_ns != 1


def test_a_plan_leaves_the_costly_contexts_to_the_pages_rendered() -> None:
    # After an edit under serve, a plan of every page is made and a few dozen are rendered:
    # a brief's timeline strip, the home page's chart... are made for those only.
    site = build_site(FIXTURE)
    planned = plan(site, 100)
    lazy = [p for p in planned if callable(p.context)]
    assert {p.path for p in lazy} >= {f"briefs/{e.id}.md" for e in site.events} | {"index.md"}
    brief = next(p for p in lazy if p.path.startswith("briefs/") and p.record is not None)
    assert brief.context()["strip"].marks  # type: ignore[operator]


def test_a_template_error_names_the_template_line(tmp_path: Path) -> None:
    site = build_site(FIXTURE)
    templates = failing_templates(tmp_path, site.events[1].id)
    with pytest.raises(BriefingError) as caught:
        render_site(site, settings_with(templates))
    assert str(caught.value) == (
        f"{templates / 'brief.md.j2'}:2: UndefinedError: "
        f"'no_such' is undefined (page briefs/{site.events[1].id}.md)"
    )
    (templates / "brief.md.j2").write_text("\n{% if %}\n", encoding="utf-8")
    with pytest.raises(BriefingError, match=r"brief\.md\.j2:2: TemplateSyntaxError: "):
        render_site(site, settings_with(templates))
