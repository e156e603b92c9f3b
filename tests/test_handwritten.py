"""Hand-written pages (content/pages/*.md) are held to an allow-list too: `briefing check` and the
build report what it would remove at its line, and the build publishes only what it allows
(`generator.render.handwritten`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.commands import cli
from generator.render import handwritten
from tests.conftest import ContentFactory
from tests.sitebuild import config_for, mkdocs_build

HOSTILE_PAGE = """\
---
title: About
---

# About

A page.

<meta http-equiv="refresh" content="5;url=https://evil.example/">

<p style="position:fixed;inset:0;z-index:99999" onclick="alert(1)">Click</p>

## Where {: #__config }

![pixel](https://tracker.example/p.gif)

<div class="md-dialog">Overlay</div>
"""

GOOD_PAGE = """\
# Methodology

!!! note "How we work"
    Every claim is attributed.

Term
:   Its meaning.

| a | b |
| --- | --- |
| 1 | [the data](data.md) |

```sh
make site
```

![The map](map.png)
"""


def test_check_names_what_a_page_may_not_hold_at_its_line(
    make_content: ContentFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    content = make_content()
    (content / "pages").mkdir(exist_ok=True)
    (content / "pages" / "about.md").write_text(HOSTILE_PAGE, encoding="utf-8")
    assert cli.main(["check"]) == 1
    captured = capsys.readouterr()
    out = (captured.out + captured.err).splitlines()
    assert out == [
        "content/pages/about.md:9:1: the element <meta> is not allowed in a page",
        "content/pages/about.md:11:4: the attribute style is not allowed on <p>",
        "content/pages/about.md:11:49: the attribute onclick is not allowed on <p>",
        "content/pages/about.md:13:14: the id '__config' is not allowed",
        "content/pages/about.md:15:10: the image 'https://tracker.example/p.gif' is not allowed",
        "content/pages/about.md:17:13: the class 'md-dialog' is not allowed on <div>",
        "6 error(s) in 1 file(s)",
    ]


def test_what_markdown_makes_of_a_page_is_allowed() -> None:
    import markdown

    html = markdown.markdown(GOOD_PAGE, extensions=[*handwritten.EXTENSIONS, "fenced_code"])
    assert handwritten.page_problems(html) == []
    assert handwritten.sanitize_page(html).count("<") == html.count("<")


@pytest.mark.slow
def test_the_build_fails_on_it_and_publishes_only_what_is_allowed(tmp_path: Path) -> None:
    from tests.conftest import write_tree

    content = write_tree(tmp_path / "content")
    pages = content / "pages"
    pages.mkdir(exist_ok=True)
    (pages / "about.md").write_text(HOSTILE_PAGE, encoding="utf-8")
    result = mkdocs_build(config_for(tmp_path / "a", content), tmp_path / "site-a")
    assert result.returncode != 0
    assert "about.md:9:1: the element <meta> is not allowed in a page" in result.stderr
    (pages / "about.md").write_text(GOOD_PAGE, encoding="utf-8")
    result = mkdocs_build(config_for(tmp_path / "b", content), tmp_path / "site-b")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site-b" / "about" / "index.html").read_text(encoding="utf-8")
    article = BeautifulSoup(page, "html.parser").select_one("article")
    assert article is not None
    assert article.select_one(".admonition.note .admonition-title") is not None
    assert article.select_one("dl dt") is not None
    assert article.find("a", href="../data/") is not None
    assert article.find("img", alt="The map") is not None
