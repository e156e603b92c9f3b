"""Generated pages never silently replace another page: a tag named like a hub, or a hand-written
page at a generated page's address, is refused by `briefing check` and by the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.content.errors import ContentError, ContentErrors
from generator.render import pages, timeline
from generator.session.build import Builder
from generator.settings import Settings
from generator.site import addresses
from generator.site.link import build_site
from tests.conftest import EVENT, FIXTURE, ContentFactory
from tests.sitebuild import config_for, mkdocs_build
from tests.test_cli import briefing

GENERATED = ["index.md", "map.md", "briefs/index.md", "briefs/launch.md", "tags/x/page/2.md"]


@pytest.mark.parametrize(
    ("handwritten", "page", "address"),
    [
        ("map.md", "map.md", "/map/"),
        ("map/index.md", "map.md", "/map/"),
        ("briefs/index.md", "briefs/index.md", "/briefs/"),
        ("briefs.md", "briefs/index.md", "/briefs/"),
        ("README.md", "index.md", "/"),
        ("briefs/launch/index.html", "briefs/launch.md", "/briefs/launch/"),
        ("tags/x/page/2/index.md", "tags/x/page/2.md", "/tags/x/page/2/"),
    ],
)
def test_a_hand_written_file_at_a_generated_address_is_named_with_the_page(
    handwritten: str, page: str, address: str
) -> None:
    shown = f"content/pages/{handwritten}"
    assert addresses.clashes(GENERATED, {handwritten: shown}) == [
        ContentError(
            shown,
            1,
            1,
            "",
            f"the site generates {page} at the same address ({address}), which would replace "
            "this page: rename or move it",
        )
    ]


def test_other_hand_written_files_are_fine() -> None:
    others = ["about.md", "briefs/notes.md", "maps.md", "tags/x/page.md", "assets/map.md.css"]
    assert addresses.clashes(GENERATED, {p: p for p in others}) == []
    assert addresses.clashes(["map.md"], {"map/index.md": "x"}, use_directory_urls=False) == []


TAGGED_INDEX = EVENT.replace("tags: [missile]", "tags: [missile, index]")


def test_check_refuses_a_tag_that_would_replace_the_tags_hub(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    make_content(events={"launch": TAGGED_INDEX})
    result = briefing("check", cwd=tmp_path)
    assert result.returncode == 1
    line = next(n for n, text in enumerate(TAGGED_INDEX.splitlines(), 1) if "tags:" in text)
    column = TAGGED_INDEX.splitlines()[line - 1].index("index") + 1
    assert result.stderr.splitlines()[0] == (
        f"content/events/2024/launch.yaml:{line}:{column}: tags[1]: tag 'index' would replace "
        "the generated tags hub, tags/index.md (/tags/): choose another tag"
    )
    assert "Traceback" not in result.stderr


def test_check_refuses_a_hand_written_page_at_a_generated_address(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    content = make_content()
    (content / "pages" / "briefs").mkdir(parents=True)
    (content / "pages" / "map.md").write_text("# My map\n", encoding="utf-8")
    (content / "pages" / "briefs" / "index.md").write_text("# Briefs\n", encoding="utf-8")
    (content / "pages" / "about.md").write_text("# About\n", encoding="utf-8")
    result = briefing("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "content/pages/briefs/index.md:1:1: the site generates briefs/index.md at the same "
        "address (/briefs/), which would replace this page: rename or move it",
        "content/pages/map.md:1:1: the site generates map.md at the same address (/map/), "
        "which would replace this page: rename or move it",
    ]


@pytest.mark.slow
def test_the_build_refuses_both_with_the_same_messages(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "pages").mkdir(exist_ok=True)
    page = content / "pages" / "map.md"
    page.write_text("# My own map\n", encoding="utf-8")
    config = config_for(tmp_path, content)
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 1
    assert (
        f"{page}:1:1: the site generates map.md at the same address (/map/), which would "
        "replace this page: rename or move it"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    page.unlink()
    record = content / "events" / "2024" / "balloons.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("tags: [failure]", "tags: [index]"),
        encoding="utf-8",
    )
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 1
    assert (
        f"{record}:7:8: tags[0]: tag 'index' would replace the generated tags hub, "
        "tags/index.md (/tags/): choose another tag"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_the_check_finds_clashes_from_the_paths_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The paths without what the templates get are every page of the full plan, in its order
    # (page_size=2: actors, years and tags run to several pages).
    site = build_site(FIXTURE)
    assert pages.page_paths(site, 2) == pages.paths(pages.plan(site, 2))

    # Looking for clashes, the check plans no brief's timeline strip (nor any other context).
    def planned(*args: object) -> None:
        raise AssertionError("the check planned a page's context")

    monkeypatch.setattr(timeline, "strip", planned)
    monkeypatch.setattr(pages, "chart", planned)
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "pages").mkdir(exist_ok=True)
    (content / "pages" / "map.md").write_text("# My map\n", encoding="utf-8")
    builder = Builder(Settings(content_dir=content))
    with pytest.raises(ContentErrors) as raised:
        builder.check(addresses.files_in(content / "pages"))
    assert [e.message for e in raised.value.errors] == [
        "the site generates map.md at the same address (/map/), which would replace this page: "
        "rename or move it"
    ]
