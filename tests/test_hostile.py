"""Hostile record text (tests/hostile/payloads.yaml) is refused with its position, or built
harmless: no record can put script into a reader's browser, whatever `check` thinks of it.

Each payload fills every plain-text field of one event and one actor, and every Markdown field
of another event and actor. Refused records are dropped; the rest are built into a real site next
to a baseline site built from the same content without them. Every output file is then read for
script, and the pages are opened in Chromium, where no dialog may open and the
Content-Security-Policy may refuse nothing (`tests.browser_support.open_page`).
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from generator.content.errors import ContentErrors
from generator.render import embed
from generator.site.link import build_site
from tests.browser_support import open_page, serve
from tests.conftest import VOCABULARY, write_tree
from tests.sitebuild import config_for, free_port, mkdocs_build, mkdocs_serve
from tests.test_site import _fetch

pytestmark = pytest.mark.slow

PAYLOADS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "hostile" / "payloads.yaml").read_text(encoding="utf-8")
)
BENIGN = "Nothing to see."
# What `check` says of a payload it refuses in a Markdown field: something publishing would remove,
# nesting past the parser's limits, or a character no field may hold.
REFUSALS = ("is removed", "nests too deep", "contains the")
TITLE = '"><script>alert(1)</script><meta x="'
HAND_WRITTEN = f"---\ntitle: '{TITLE}'\ndescription: '{TITLE}'\n---\n\n# About\n\nA page.\n"
SOURCE = {"key": "s", "publisher": "Example", "title": "Example", "url": "https://example.com/"}
# URL schemes that run script or carry a document, as a browser reads an attribute's value.
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.I)
# Attributes by which record text could restyle or hide part of a page (a full-page overlay) or
# take focus.
STYLING = ("style", "tabindex", "autofocus", "popover", "hidden", "accesskey")
EMBEDS = ("script", "iframe", "object", "embed", "frame", "base", "form", "meta", "link", "style")


def _plain_event(n: int, text: str) -> dict[str, Any]:
    return {
        "title": text,
        "date": f"2024-07-{n % 28 + 1:02d}",
        "type": "missile-launch",
        "status": "developing",
        "summary": BENIGN,
        "location": {"name": text, "country": "KP", "lat": "39.0", "lon": "125.7"},
        "actors": [{"id": "north-korea", "role": text}, f"hostile-{n:02d}-plain"],
        "claims": [{"by": "north-korea", "said": BENIGN, "date": "2024-07-01", "sources": ["s"]}],
        "facts": {text: text},
        "tags": ["hostile"],
        "sources": [{**SOURCE, "publisher": text, "title": text, "author": text}],
        "published": "2024-07-01",
    }


def _markdown_event(n: int, text: str) -> dict[str, Any]:
    return {
        "title": f"Hostile Markdown {n:02d}",
        "date": f"2024-08-{n % 28 + 1:02d}",
        "type": "statement",
        "status": "developing",
        "summary": text,
        "location": {"name": "Sea", "country": "KP", "lat": "39.5", "lon": "128.0"},
        "actors": ["north-korea", f"hostile-{n:02d}-md"],
        "claims": [{"by": f"hostile-{n:02d}-md", "said": text, "sources": ["s"]}],
        "assessment": {"text": text, "confidence": "low"},
        "tags": ["hostile"],
        "sources": [SOURCE],
        "updates": [{"date": "2024-09-01", "note": text}],
        "body": text,
        "published": "2024-08-01",
    }


def _plain_actor(text: str) -> dict[str, Any]:
    return {
        "name": text,
        "native_name": text,
        "aliases": [text],
        "title": text,
        "kind": "person",
        "summary": BENIGN,
        "links": [{"label": text, "url": "https://example.com/"}],
    }


def _markdown_actor(n: int, text: str) -> dict[str, Any]:
    return {"name": f"Hostile actor {n:02d}", "kind": "person", "summary": text, "body": text}


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _base(root: Path) -> None:
    """The conftest content (the fixture tree, short launch) with one hostile vocabulary label."""
    vocabulary = VOCABULARY.replace(
        "    label: Statement\n", "    label: 'Statement \"><img src=x onerror=alert(1)>'\n"
    )
    write_tree(root, vocabulary=vocabulary)


@dataclass
class Built:
    baseline: Path
    site: Path
    refused: dict[str, list[str]]
    """Messages by record file (relative to the content folder), for refused records."""
    published: list[str]
    """Event ids built into the site."""
    content: Path
    """What was built (the refused records removed)."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("hostile")
    base = folder / "base"
    _base(base)
    baseline = folder / "baseline-site"
    result = mkdocs_build(config_for(folder / "b", base), baseline)
    assert result.returncode == 0, result.stderr

    content = folder / "content"
    shutil.copytree(base, content)
    (content / "pages").mkdir(exist_ok=True)
    (content / "pages" / "about.md").write_text(HAND_WRITTEN, encoding="utf-8")
    for n, payload in enumerate(PAYLOADS):
        text = payload["text"]
        _dump(content / "events" / "2024" / f"hostile-{n:02d}-plain.yaml", _plain_event(n, text))
        _dump(content / "events" / "2024" / f"hostile-{n:02d}-md.yaml", _markdown_event(n, text))
        _dump(content / "actors" / f"hostile-{n:02d}-plain.yaml", _plain_actor(text))
        _dump(content / "actors" / f"hostile-{n:02d}-md.yaml", _markdown_actor(n, text))
    refused: dict[str, list[str]] = {}
    for _ in range(3):  # an event whose actor was refused is refused in the next round
        try:
            build_site(content)
            break
        except ContentErrors as errors:
            for line in map(str, errors.errors):
                match = re.match(r".*?content/((?:events/2024|actors)/[^:]+\.yaml):\d+:\d+: ", line)
                assert match, f"not a positioned message: {line}"
                refused.setdefault(match[1], []).append(line)
            for rel in refused:
                (content / rel).unlink(missing_ok=True)
    build_site(content)  # (what is left checks)
    site = folder / "site"
    result = mkdocs_build(config_for(folder / "h", content), site)
    assert result.returncode == 0, result.stderr
    published = sorted(p.stem for p in (content / "events" / "2024").glob("hostile-*.yaml"))
    return Built(baseline, site, refused, published, content)


def _number(text: str) -> str:
    return next(f"{n:02d}" for n, p in enumerate(PAYLOADS) if p["text"] == text)


def test_the_corpus_is_large_and_covers_issue_14() -> None:
    assert len(PAYLOADS) >= 60
    assert sum(1 for p in PAYLOADS if p.get("issue") == 14) >= 12


def test_what_markdown_would_act_on_is_refused_with_its_position(built: Built) -> None:
    for n, payload in enumerate(PAYLOADS):
        messages = built.refused.get(f"events/2024/hostile-{n:02d}-md.yaml", [])
        removed = [m for m in messages if any(why in m for why in REFUSALS)]
        if payload["refuse"]:
            assert removed, f"accepted: {payload['text']!r}"
        else:  # (at most refused by paragraph fields, for its blank lines)
            assert not removed, (payload["text"], messages)
    # Every field that holds the payload is named, with its own position.
    lines = built.refused[f"events/2024/hostile-{_number('<script>alert(1)</script>')}-md.yaml"]
    fields = {line.split(": ")[1] for line in lines}
    assert {"summary", "claims[0].said", "assessment.text", "updates[0].note", "body"} <= fields


def test_plain_fields_take_any_single_line(built: Built) -> None:
    for n, payload in enumerate(PAYLOADS):
        text = payload["text"]  # (a character no field may hold is refused however written)
        if text.isprintable() and html.unescape(text).isprintable() and len(text) <= 150:
            assert f"events/2024/hostile-{n:02d}-plain.yaml" not in built.refused
            assert f"hostile-{n:02d}-plain" in built.published


def _files(site: Path, *suffixes: str) -> Iterator[Path]:
    """Files of the site with these suffixes, compressed (``.csv.gz``) or not."""
    for path in sorted(site.rglob("*")):
        suffix = path.with_suffix("").suffix if path.suffix == ".gz" else path.suffix
        if suffix in suffixes and "pagefind" not in path.parts and "assets" not in path.parts:
            yield path


def _text(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")


def _bad_url(value: str) -> bool:
    return bool(BAD_SCHEME.match(re.sub(r"[\x00-\x20\x7f]", "", html.unescape(value))))


@dataclass
class Found:
    handlers: set[str]
    urls: set[str]
    embeds: set[str]
    attributes: set[str]
    """Attributes that style, focus or classify an element, with their values."""


def _read_html(text: str, found: Found) -> None:
    for element in BeautifulSoup(text, "html.parser").find_all(True):
        for name, value in element.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.lower().startswith("on"):
                found.handlers.add(f"{element.name} {name}")
            if name.lower() in STYLING:
                found.attributes.add(f"{element.name} {name}={' '.join(values)}")
            if any(_bad_url(v) for v in values) and name.lower() not in ("content", "alt"):
                found.urls.add(f"{element.name} {name}={values[0][:60]}")
        if element.name in EMBEDS:
            found.embeds.add(_embed(element))


def _embed(element: Any) -> str:
    """What an embedding element brings in, the same on every page of the baseline."""
    if element.name in ("link", "meta", "form", "base"):
        kind = element.get("rel") or element.get("http-equiv") or element.get("name") or ""
        action = re.sub(r"^(?:\.\./)+", "", element.get("action", ""))  # (the page's depth)
        return f"{element.name} {kind} {action}"
    if element.name == "script" and element.get("type") == "application/ld+json":
        # A data block (a brief's JSON-LD), never run: its text is the record's, so only its kind
        # is compared; it must be JSON in which no `<`, `>` or `&` could end the element.
        data = element.get_text()
        json.loads(data)
        assert not re.search("[<>&]", data), data
        return "script application/ld+json (data)"
    text = re.sub(r'"(?:\.\./)*\.\.?"', '"."', element.get_text())  # (the page's depth)
    src = re.sub(r"^(?:\.\./)+", "", element.get("src") or "")  # (the page's depth, too)
    return f"{element.name} {src or element.get('type') or ''} {text}"


def _scan(site: Path) -> Found:
    found = Found(set(), set(), set(), set())
    for path in _files(site, ".html"):
        _read_html(_text(path), found)
    for path in _files(site, ".xml"):
        soup = BeautifulSoup(_text(path), "xml")
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                if _bad_url(str(value)):
                    found.urls.add(f"{path.name} {element.name} {name}")
            if element.get("type") in ("html", "xhtml"):  # content a feed reader renders
                _read_html(element.get_text(), found)
    for path in [*_files(site, ".json"), *_files(site, ".geojson")]:
        _walk(json.loads(_text(path)), path.name, found)
    for path in _files(site, ".csv"):
        for row in csv.DictReader(io.StringIO(_text(path))):
            for column, value in row.items():
                if "url" in (column or "") and value and _bad_url(value):
                    found.urls.add(f"{path.name} {column}")
    return found


def _walk(data: Any, where: str, found: Found) -> None:
    """Exports are data: their text is the records' own, but no link in them may run script."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and re.search("url|href|link", key) and _bad_url(value):
                found.urls.add(f"{where} {key}")
            _walk(value, where, found)
    elif isinstance(data, list):
        for value in data:
            _walk(value, where, found)


def test_no_output_file_carries_script_from_a_record(built: Built) -> None:
    baseline, hostile = _scan(built.baseline), _scan(built.site)
    assert hostile.handlers <= baseline.handlers
    assert hostile.urls <= baseline.urls
    assert hostile.embeds <= baseline.embeds
    assert hostile.attributes <= baseline.attributes
    # The marks of plain text and the fragments' placeholders are gone (`generator.render.embed`).
    for path in _files(built.site, ".html", ".xml", ".json", ".geojson", ".csv"):
        assert not embed.MARKS & set(_text(path)), path
    # The payloads did reach the output, as text.
    payload = "<img src=x onerror=alert(1)>"
    brief = built.site / "briefs" / f"hostile-{_number(payload)}-plain" / "index.html"
    assert payload in BeautifulSoup(brief.read_text(encoding="utf-8"), "html.parser").get_text()


def _ids(page: Path) -> set[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {str(element["id"]) for element in soup.find_all(id=True)}


def test_record_text_sets_no_id(built: Built) -> None:
    """Ids come from the templates (and source keys, which are slugs), never from record text:
    a title cannot take over an id the theme looks up (`__config`, `__search`)."""
    known = set().union(*(_ids(page) for page in built.baseline.rglob("*.html")))
    # Sections the baseline's records do not have.
    known |= {"source-s", "update-1", "updates", "analysis", "links", "claims-made"}
    for page in [
        *(built.site / "briefs").rglob("*.html"),
        *(built.site / "actors").rglob("*.html"),
    ]:
        assert _ids(page) <= known, page


def test_hand_written_front_matter_is_escaped(built: Built) -> None:
    soup = BeautifulSoup((built.site / "about" / "index.html").read_text("utf-8"), "html.parser")
    og_title = soup.find("meta", property="og:title")
    description = soup.find("meta", attrs={"name": "description"})
    assert og_title is not None and og_title["content"] == TITLE  # (an attribute, whole)
    assert description is not None and description["content"] == TITLE
    assert soup.title is not None and soup.title.get_text().startswith(TITLE)
    assert soup.find_all("script", src=False, type=False) == []  # (the theme's are files)


def test_links_to_our_own_pages_find_them(built: Built) -> None:
    """A record's `briefs/<id>.md` link points at the brief from every page that shows it."""
    number = next(n for n, p in enumerate(PAYLOADS) if p["text"].startswith("[own page]"))
    assert f"hostile-{number:02d}-md" in built.published
    brief = built.site / "briefs" / f"hostile-{number:02d}-md" / "index.html"
    soup = BeautifulSoup(brief.read_text(encoding="utf-8"), "html.parser")
    links = {a.get_text(): a.get("href") for a in soup.select(".record-text a")}
    assert links["own page"] == "../../briefs/launch/#claims"
    assert links["profile"] == "../../actors/north-korea/"
    year = BeautifulSoup(
        (built.site / "timeline" / "2024" / "index.html").read_text("utf-8"), "html.parser"
    )
    hrefs = {a.get("href") for a in year.find_all("a", string="own page")}
    assert hrefs <= {"../../briefs/launch/#claims"}


def test_plain_text_reads_as_written(built: Built) -> None:
    for n, payload in enumerate(PAYLOADS):
        text = payload["text"]
        page = built.site / "briefs" / f"hostile-{n:02d}-plain" / "index.html"
        if "\n" in text or not page.exists():
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.h1 is not None and soup.h1.get_text().strip().rstrip("¶").strip() == text
        # The front matter read back as written: the title in the head, the JSON-LD's headline.
        og_title = soup.find("meta", property="og:title")
        assert og_title is not None and og_title["content"] == text
        jsonld = soup.find("script", type="application/ld+json")
        assert jsonld is not None and json.loads(jsonld.get_text())["headline"] == text


def _visit(browser: Browser, url: str, built: Built) -> None:
    """Every hostile page of ``built``, and its hubs, search and map, opened at ``url``: no dialog
    opens, no script error, nothing the policy refuses (`open_page`)."""
    paths = ["/", "/about/", "/briefs/", "/timeline/2024/", "/tags/hostile/", "/actors/"]
    paths += [f"/timeline/2024/page/{n}/" for n in (2, 3)]
    paths += [f"/briefs/{record}/" for record in built.published]
    paths += [f"/actors/{p.stem}/" for p in sorted((built.site / "actors").glob("hostile-*"))]
    for path in paths:
        if path != "/" and not (built.site / path.strip("/")).exists():
            continue
        with open_page(browser, url) as page:
            page.goto(url + path)
            page.wait_for_load_state("load")
    with open_page(browser, url) as page:
        page.goto(url + "/search/?q=hostile")
        page.locator(".briefing-search__result").first.wait_for()
    with open_page(browser, url) as page:
        # The explorer shows titles, places and summaries on the timeline, the list and the card.
        page.goto(url + "/explorer/?tag=hostile")
        page.locator("[data-explorer][data-ready=true]").wait_for()
        picks = page.locator(".bx-table .bx-pick")
        assert picks.count() > 0
        for n in range(min(picks.count(), 40)):
            picks.nth(n).click()
            page.locator(".bx-card:not([hidden])").wait_for()
        page.locator(".bx-lanes button").first.focus()
    with open_page(browser, url) as page:
        page.goto(url + "/map/")
        markers = page.locator(".leaflet-marker-icon")
        markers.first.wait_for()
        for n in range(min(markers.count(), 5)):
            markers.nth(n).click(force=True)
            page.wait_for_timeout(0)


@pytest.mark.browser
def test_no_script_runs_in_the_browser(built: Built, browser: Browser) -> None:
    with serve(built.site) as url:
        _visit(browser, url, built)


@pytest.mark.browser
def test_no_script_runs_under_serve(built: Built, browser: Browser, tmp_path: Path) -> None:
    """The same pages under `mkdocs serve --dirty` (`make serve`), where a maintainer previews a
    contributor's branch."""
    port = free_port()
    with (tmp_path / "serve.log").open("w", encoding="utf-8") as log:
        server = mkdocs_serve(config_for(tmp_path / "serve", built.content), port, log)
        try:
            url = f"http://127.0.0.1:{port}"
            _fetch(f"{url}/briefs/", "Hostile Markdown", timeout=240)
            _visit(browser, url, built)
        finally:
            server.terminate()
            server.wait(timeout=20)
