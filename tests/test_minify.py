"""Minified pages keep what the Content-Security-Policy and Pagefind read from them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.publish import csp, minify, search
from tests.sitebuild import ROOT, config_for, mkdocs_build

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta http-equiv="Content-Security-Policy" content="{policy}">
    <script>var  a = "x" ;  /* two  spaces */
      if (a) {{ console.log( a ) }}</script>
    <script type="application/ld+json">{{"a":  1}}</script>
  </head>
  <body>
    <div data-pagefind-body>
      <p class="brief-meta"   data-pagefind-ignore="all">
        Meta   text
      </p>
      <span data-pagefind-filter="type:Military exercise"></span>
      <span data-pagefind-meta="title:A &amp; B"></span>
    </div><!-- /data-pagefind-body -->
    <script>document.body.dataset.x = "1";</script>
  </body>
</html>
"""


def _policy_hashes(html: str) -> set[str]:
    # (minify-html puts attributes in its own order)
    match = re.search(r"<meta\b[^>]*Content-Security-Policy[^>]*>", html)
    assert match, html
    return set(re.findall(r"'sha256-[^']+'", match[0]))


def _inline_script_hashes(html: str) -> set[str]:
    scripts = [
        body
        for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
        if "src=" not in attributes and "json" not in attributes
    ]
    return set(csp.script_hashes(scripts))


def test_minified_page_keeps_script_text_and_its_hashes() -> None:
    page = csp.with_csp(PAGE.format(policy=csp.POLICY), None)
    hashes = _policy_hashes(page)
    small = minify.page(page)
    assert len(small) < len(page)
    assert len(hashes) == 2
    assert _policy_hashes(small) == hashes == _inline_script_hashes(small)


def test_minified_page_keeps_what_pagefind_reads() -> None:
    small = minify.page(PAGE.format(policy=csp.POLICY))
    assert search.BODY_START in small
    assert small.index(search.BODY_START) < small.index(search.BODY_END)
    assert "data-pagefind-ignore=all>" in small and "</p>" in small  # (the element still ends)
    assert 'data-pagefind-filter="type:Military exercise"' in small
    assert 'data-pagefind-meta="title:A & B"' in small  # (the same value: "& " is no entity)


def test_a_tag_in_the_title_stays_escaped() -> None:
    page = "<html><head><title>&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt; - Site</title>"
    assert minify.page(page).startswith(
        "<html><head><title>&lt;/title>&lt;script>x()&lt;/script> - Site</title>"
    )


@pytest.mark.slow
def test_built_pages_are_minified_and_their_policy_matches(tmp_path: Path) -> None:
    """A real build of the shipped content: every page's inline scripts are those its policy
    allows, and a brief keeps its search body."""
    config = config_for(tmp_path / "build", ROOT / "content")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    pages = sorted((tmp_path / "site").rglob("*.html"))
    for path in pages:
        html = path.read_text(encoding="utf-8")
        outside_pre = re.sub(r"<pre\b.*?</pre>", "", html, flags=re.S)  # (code keeps its own)
        assert "\n    " not in outside_pre, path  # (the theme's indentation is gone)
        if "<script>" in html:
            assert _policy_hashes(html) == _inline_script_hashes(html), path
    brief = next(p for p in pages if p.parent.parent.name == "briefs")
    html = brief.read_text(encoding="utf-8")
    assert search.BODY_START in html and search.BODY_END in html
