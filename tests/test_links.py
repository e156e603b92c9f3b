"""Links in record Markdown: `mailto:` holds one address and nothing else, and a link to a page
of this site is its path from the site root, in one form, never climbing out of the site.

The check's messages are rows of tests/test_check.py's table; here, what the sanitizer does
whatever the check said, and what a real build makes of the forms it accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.content import safe
from tests.conftest import CLAIM, write_tree
from tests.sitebuild import config_for, mkdocs_build

REMOVED = [
    "mailto:tips@example.org?bcc=all@example.org",
    "mailto:tips@example.org?subject=Leak&body=Hi",
    "MAILTO:tips@example.org?cc=x@example.org",
    "mailto:a@example.org,b@example.org",
    "mailto:tips@example.org%3Fbcc=all@example.org",
    "briefs/../../../../x",
    "../x",
    "briefs/../actors/kcna.md",
    "%2e%2e/x",
    "briefs/%2E%2E/%2e%2e/x",
    "/briefs/launch.md",
    "//evil.example/x",
]


@pytest.mark.parametrize("target", REMOVED)
def test_the_sanitizer_removes_them(target: str) -> None:
    html = safe.to_html(f"[text]({target})")
    assert html == '<p><a rel="noopener noreferrer nofollow">text</a></p>', html
    assert safe.problems(f"[text]({target})") != []


def test_an_e_mail_address_alone_is_kept() -> None:
    assert safe.to_html("[Tell us](mailto:tips@example.org)").startswith(
        '<p><a href="mailto:tips@example.org"'
    )
    assert safe.to_html("<tips@example.org>").startswith('<p><a href="mailto:tips@example.org"')
    assert safe.problems("<tips@example.org> [x](mailto:tips@example.org)") == []


def test_links_to_our_pages_take_one_form() -> None:
    forms = ["briefs/launch.md", "./briefs/launch.md", "briefs//launch.md", "briefs/./launch.md"]
    for form in forms:
        assert safe.own_links(f"[it]({form}#claims)") == ["briefs/launch.md#claims"], form
    assert len({safe.to_html(f"[it]({form})") for form in forms}) == 1


@pytest.mark.slow
def test_a_build_links_every_form_to_the_page(tmp_path: Path) -> None:
    body = (
        "body: See [one](./briefs/launch.md), [two](briefs//launch.md#claims),"
        " [three](briefs/./launch.md) and [four](./actors//kcna.md).\n"
    )
    content = write_tree(tmp_path / "content", events={"claim": CLAIM + body})
    result = mkdocs_build(config_for(tmp_path / "build", content), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = tmp_path / "site" / "briefs" / "claim" / "index.html"
    links = {
        a.get_text(): a["href"]
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a")
        if a.get_text() in ("one", "two", "three", "four")
    }
    assert links == {
        "one": "../../briefs/launch/",
        "two": "../../briefs/launch/#claims",
        "three": "../../briefs/launch/",
        "four": "../../actors/kcna/",
    }
