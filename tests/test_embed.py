"""Record text in pages goes through one Markdown parser, and is audited after MkDocs' own
(`generator.render.embed`); front matter is written by the YAML dumper and read back by MkDocs' loader
(`generator.render.jinja.front_matter`)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.utils.meta import get_data

from generator.content import safe
from generator.render import embed
from generator.render.jinja import FrontMatterError, front_matter
from generator.session.build import render_site
from generator.settings import Settings
from generator.site.link import build_site
from tests.conftest import EVENT, write_tree
from tests.sitebuild import config_for, mkdocs_build

# -- placeholders and the fragment block ---


def test_fragments_travel_after_the_page_and_come_back_in_place() -> None:
    fragments = embed.Fragments()
    block = fragments.add("<p>One <em>x</em></p>", block=True)
    inline = fragments.add('<a href="https://e.example/">two</a>', block=False)
    page = fragments.attach(f"# Title\n\n{block}\n\n| a |\n| --- |\n| {inline} |\n")
    markdown, found = embed.detach(page)
    assert "<em>" not in markdown and "e.example" not in markdown
    assert found == [
        ("<p>One <em>x</em></p>", True),
        ('<a href="https://e.example/">two</a>', False),
    ]
    # As MkDocs converts it: the block's placeholder is a paragraph; the other sits in a cell.
    converted = f"<h1>Title</h1>\n<p>{block}</p>\n<table><tr><td>{inline}</td></tr></table>"
    assert embed.fill(converted, found) == (
        '<h1>Title</h1>\n<div class="record-text"><p>One <em>x</em></p></div>\n'
        '<table><tr><td><a href="https://e.example/">two</a></td></tr></table>'
    )


def test_a_page_without_record_markdown_has_no_block() -> None:
    assert embed.Fragments().attach("# Title\n") == "# Title\n"
    assert embed.detach("# Title\n") == ("# Title\n", [])


def test_a_lost_or_repeated_placeholder_is_an_error() -> None:
    fragments = embed.Fragments()
    placeholder = fragments.add("<p>x</p>", block=True)
    _, found = embed.detach(fragments.attach(placeholder))
    with pytest.raises(embed.EmbedError, match="placeholder is missing"):
        embed.fill("<p>nothing</p>", found)
    with pytest.raises(embed.EmbedError, match="out of place"):
        embed.fill(f"<p>{placeholder}</p><p>{placeholder}</p>", found)


def test_record_text_cannot_forge_a_placeholder_or_a_mark() -> None:
    forged = "\ufdd3" + "0" + "\ufdd4 \ufdd0<b>\ufdd1 " + embed.BLOCK
    assert not embed.MARKS & set(safe.escape(forged))
    assert not embed.MARKS & set(safe.to_html(forged))
    assert not embed.MARKS & set(safe.text(forged))


# -- the audit ---


def test_plain_text_that_came_out_as_markup_is_found() -> None:
    good = f"<h1>{embed.mark('Tom &amp; Jerry')}</h1>"
    assert embed.audit(good) == []
    bad = f'<p>{embed.OPEN}a <a href="https://x/" style="inset:0">b</a>{embed.CLOSE}</p>'
    [fault] = embed.audit(bad)
    assert fault.problem.startswith("plain text came out as markup")
    assert fault.text == "a b"
    [fault] = embed.audit(f"<p>{embed.OPEN}a</p><p>b</p>")
    assert fault.problem == "plain text's marks do not pair up"


def test_only_single_words_are_left_unmarked() -> None:
    # Ids and slugs are printed into link targets and element ids, where a mark has no place.
    assert embed.mark("2024-06-26-launch") == "2024-06-26-launch"
    assert embed.mark("Q56226") == "Q56226"
    for text in ("Kim &#95;", "www.evil.example", "https://e.example/", "two words"):
        assert embed.mark(text) == embed.OPEN + text + embed.CLOSE


@pytest.mark.parametrize(
    ("fragment", "problem"),
    [
        ('<p style="inset:0">x</p>', "the attribute style on <p>"),
        ('<a href="https://e.example/" title="t">x</a>', "the attribute title on <a>"),
        ('<a href="javascript:alert(1)">x</a>', "a link to 'javascript:alert(1)'"),
        ('<a href="../../../x">x</a>', None),  # (a page's own root, as `page_html` writes it)
        ('<img src="https://e.example/p.gif">', "the element <img>"),
        ("<p onclick=alert(1)>x</p>", "a '<' that starts no allowed tag"),
        ("a < b", "a '<' that starts no allowed tag"),
        ('<ol start="3x"><li>a</li></ol>', "the list start '3x'"),
        ('<a href="https://e.example/" rel="noopener noreferrer nofollow">x</a>', None),
    ],
)
def test_the_allow_list_is_checked_again(fragment: str, problem: str | None) -> None:
    found = safe.allowed(fragment)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_every_shipped_field_passes_the_allow_list() -> None:
    site = build_site(Path("content"))
    texts = [e.record.summary for e in site.events] + [a.record.summary for a in site.actors]
    texts += [e.record.body for e in site.events if e.record.body]
    texts += [c.said for e in site.events for c in e.record.claims]
    assert len(texts) > 50
    for text in texts:
        for inline in (False, True):
            assert safe.allowed(safe.page_html(safe.to_html(text, inline=inline), "../")) is None


def test_the_sanitizer_keeps_no_attribute_off_its_list() -> None:
    # nh3 keeps `lang` and `title` on every element unless told otherwise.
    assert safe.sanitize('<p lang="en" title="t">x</p>') == "<p>x</p>"


# -- front matter ---


def test_front_matter_is_what_mkdocs_reads() -> None:
    values = {
        "title": "Sea \ufffe: <script>x</script> # 'a' \"b\" --- ...",
        "pagefind": True,
        "lastmod": "2024-06-26",
        "jsonld": {"@type": "Event", "geo": {"latitude": 39.03}, "end": None},
        "tags": ["a", "yes", "no", "1.10", "0755"],
    }
    text = str(front_matter(values))
    body, read = get_data(text + "\n\n# Page\n")
    assert body == "# Page\n"
    del values["jsonld"]["end"]  # type: ignore[attr-defined]
    assert read == values
    assert "\ufffe" not in text  # (written as an escape, which YAML's reader accepts)


def test_front_matter_that_would_not_read_back_fails() -> None:
    with pytest.raises(FrontMatterError, match=r"does not read back as written \(keys: lat\)"):
        front_matter({"title": "x", "lat": math.nan})


def test_generated_pages_have_front_matter_mkdocs_reads() -> None:
    for path, page in render_site(build_site(Path("content")), Settings()).items():
        markdown, meta = get_data(page)
        assert meta.get("title"), path
        assert not markdown.startswith("---"), path
        assert yaml.safe_load(page.split("---\n")[1]) == meta


# -- in a real build ---


@pytest.mark.slow
def test_markup_made_of_plain_text_fails_the_build_naming_the_record(tmp_path: Path) -> None:
    """A Markdown extension that reads plain text the escaping did not foresee (here, MkDocs
    configured with magiclink, which makes links of bare addresses) is caught after conversion:
    the build fails, naming the record and field."""
    title = "Launch reported at https://evil.example/x today"
    content = write_tree(
        tmp_path / "content",
        events={
            "launch": EVENT.replace("title: Suspected ballistic missile launch", f"title: {title}")
        },
    )
    config = config_for(tmp_path / "cfg", content)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["markdown_extensions"].append("pymdownx.magiclink")
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "record text did not come out of MkDocs as it went in" in result.stderr
    assert "events/2024/launch.yaml: title: plain text came out as markup" in result.stderr
    assert not (tmp_path / "site" / "briefs" / "launch" / "index.html").exists()


@pytest.mark.slow
def test_a_built_page_holds_its_record_text_once_and_no_marks(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content")
    site = tmp_path / "site"
    result = mkdocs_build(config_for(tmp_path / "cfg", content), site)
    assert result.returncode == 0, result.stderr
    for page in site.rglob("*.html"):  # (its table of contents included)
        text = page.read_text(encoding="utf-8")
        assert not embed.MARKS & set(text), page
    soup = BeautifulSoup(
        (site / "briefs" / "launch" / "index.html").read_text("utf-8"), "html.parser"
    )
    summaries = soup.select(".record-text")
    assert summaries[0].get_text() == "North Korea fired what appeared to be a ballistic missile."
    claims = soup.select(".claims td")
    assert "The launch appears to have failed." in [td.get_text() for td in claims]
