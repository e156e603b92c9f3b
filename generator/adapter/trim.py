"""What every page would repeat that its readers do not need.

A page's table of contents is the theme's second sidebar: on a brief of a few hundred words it
lists headings a reader sees at a glance, and it is about a kilobyte of every such page. A page
whose text is shorter than `SHORT_PAGE` keeps its title (the theme's "skip to content" link
points at it) and loses the rest of its table of contents.
"""

from __future__ import annotations

import re

from mkdocs.structure.toc import AnchorLink, TableOfContents

SHORT_PAGE = 3_000
"""Characters of text (tags left out) under which a page shows no table of contents: about a
screen and a half of reading on a laptop. Most briefs are shorter; long profiles are not."""

_TAG = re.compile(r"<[^>]*>")


def toc(contents: TableOfContents, html: str) -> TableOfContents:
    """``contents``, the table of contents of a page whose content is ``html``: on a short page
    with a title (`h1`), the title alone."""
    first = next(iter(contents), None)
    if first is None or first.level != 1 or not first.children:
        return contents
    if len(_TAG.sub("", html)) >= SHORT_PAGE:
        return contents
    return TableOfContents([AnchorLink(first.title, first.id, first.level)])
