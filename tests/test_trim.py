"""Short pages lose their table of contents, but keep their title for "skip to content"."""

from __future__ import annotations

from mkdocs.structure.toc import AnchorLink, TableOfContents

from generator.adapter import trim


def _contents() -> TableOfContents:
    title = AnchorLink("A brief", "brief", 1)
    title.children = [AnchorLink("Actors", "actors", 2), AnchorLink("Sources", "sources", 2)]
    return TableOfContents([title])


def test_a_short_page_keeps_only_its_title() -> None:
    short = trim.toc(_contents(), "<p>" + "word " * 100 + "</p>")
    assert [(a.title, a.id, a.level, a.children) for a in short] == [("A brief", "brief", 1, [])]


def test_a_long_page_keeps_its_table_of_contents() -> None:
    contents = _contents()
    assert trim.toc(contents, "<p>" + "x" * trim.SHORT_PAGE + "</p>") is contents


def test_tags_do_not_count_as_text() -> None:
    html = '<p class="' + "x" * trim.SHORT_PAGE + '">short</p>'
    assert [a.children for a in trim.toc(_contents(), html)] == [[]]


def test_a_page_without_a_title_is_left_alone() -> None:
    contents = TableOfContents([AnchorLink("Section", "section", 2)])
    assert trim.toc(contents, "short") is contents
