"""Hand-written pages (``content/pages/*.md``): their HTML reduced to an allow-list too.

They come in pull requests like records, and MkDocs converts them with raw HTML allowed, so a
page could carry a ``<meta http-equiv="refresh">`` (which no policy blocks), an overlay styled to
cover the page, or an element whose id the theme's script looks up. The HTML MkDocs makes of
them is therefore held to an allow-list (`PAGE_TAGS`, `PAGE_ATTRIBUTES`, `CLASSES`): wider than
record text's (`generator.content.safe`), for what Markdown and the site's extensions make of a page
(headings with ids, admonitions, definition lists, the site's own images), but no style, no handler,
no script, form, frame or meta. What it would remove is an error, at its line in the page
(`page_problems`): `briefing check` converts each page as MkDocs would to find them, and the build
fails on them; and the build publishes the sanitized HTML whatever is found (`sanitize_page`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import nh3
from mkdocs.utils.yaml import yaml_load

from generator.content import safe
from generator.content.errors import ContentError, ContentErrors, display_path

PAGE_TAGS = safe.TAGS | {
    "h1",
    "div",
    "span",
    "dl",
    "dt",
    "dd",
    "img",
    "sup",
    "sub",
    "kbd",
    "abbr",
    "details",
    "summary",
    "figure",
    "figcaption",
    "caption",
    "del",
    "ins",
    "s",
    "mark",
    "small",
}
"""Elements a hand-written page may hold."""
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
PAGE_ATTRIBUTES = (
    {
        "a": frozenset({"href", "title"}),
        "img": frozenset({"src", "alt", "title", "width", "height"}),
        "ol": frozenset({"start"}),
        "abbr": frozenset({"title"}),
        "details": frozenset({"open"}),
        "code": frozenset({"class"}),
    }
    | {h: frozenset({"id"}) for h in HEADINGS}
    | {"dt": frozenset({"id"})}
)
"""Attributes kept, by element: headings' ids (the table of contents links to them), links,
images of the site's own, and the classes below. Never `style` or an event handler."""
ADMONITIONS = frozenset(
    {"note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger"}
    | {"bug", "example", "quote"}
)
CLASSES = {"div": frozenset({"admonition"} | ADMONITIONS), "p": frozenset({"admonition-title"})}
"""Classes kept: admonitions' (the theme styles them), nothing the theme's layout uses."""
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "def_list", "toc"]
"""Python-Markdown extensions `briefing check` converts pages with when mkdocs.yml names none:
the shipped mkdocs.yml's."""


def _url(tag: str, name: str, value: str) -> str | None:
    """Links: `safe.url_allowed` (http(s), mailto, pages of the site); images: the site's own
    files only (a reader's visit would otherwise be reported to another site); ids: none that
    the theme's script looks up (``__config``, ``__search``...)."""
    if name == "href":
        return value if safe.url_allowed(_SITE_RELATIVE.sub("", value, count=1)) else None
    if name == "src":
        return value if _OWN_FILE.fullmatch(value) else None
    if name == "id":
        return None if value.startswith("_") else value
    if name == "class" and tag == "code":
        return value if _LANGUAGE.fullmatch(value) else None
    return value


_LANGUAGE = re.compile(r"language-[a-z0-9+-]+")
"""The class a code block's language gives it (the only class a <code> keeps)."""
_SITE_RELATIVE = re.compile(r"(?:\.\./)+|\./")
_OWN_FILE = re.compile(r"(?:\.\./|\./)*[A-Za-z0-9_~-][A-Za-z0-9._~/-]*")

_CLEANER = nh3.Cleaner(
    tags=set(PAGE_TAGS),
    attributes={tag: set(names) for tag, names in PAGE_ATTRIBUTES.items()} | {"*": set()},
    attribute_filter=_url,
    allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
    url_schemes=set(safe.URL_SCHEMES),
    clean_content_tags={"script", "style"},
    strip_comments=True,
    link_rel=None,
)


def sanitize_page(page: str) -> str:
    """A hand-written page's HTML (as MkDocs made it) reduced to the allow-list."""
    return _CLEANER.clean(page)


def published(source: Path, page: str) -> str:
    """The HTML MkDocs made of the hand-written page ``source``, sanitized; `ContentErrors` at
    their lines in the page for anything the sanitizer would remove (the build fails on them)."""
    found = page_problems(page)
    if found:
        raise ContentErrors(positioned(source, source.read_text(encoding="utf-8-sig"), found))
    return sanitize_page(page)


class _Scan(HTMLParser):
    """Every element and attribute of some HTML, against the allow-list."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        """(message, text to look for in the page's source)"""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in PAGE_TAGS:
            self.found.append((f"the element <{tag}> is not allowed in a page", f"<{tag}"))
            return
        for name, value in attrs:
            value = value or ""
            if name == "class" and tag != "code":
                extra = set(value.split()) - CLASSES.get(tag, frozenset())
                if extra:
                    self.found.append(
                        (f"the class {sorted(extra)[0]!r} is not allowed on <{tag}>", value)
                    )
            elif name not in PAGE_ATTRIBUTES.get(tag, ()):
                self.found.append((f"the attribute {name} is not allowed on <{tag}>", name))
            elif _url(tag, name, value) is None:
                what = {"href": "the link to", "src": "the image", "id": "the id"}.get(name, name)
                self.found.append((f"{what} {value[:60]!r} is not allowed", value))

    def handle_comment(self, data: str) -> None:
        pass


def page_problems(page: str) -> list[tuple[str, str]]:
    """What `sanitize_page` would remove from ``page`` (HTML): (message, a text of the source to
    find it by), in order."""
    scan = _Scan()
    scan.feed(page)
    scan.close()
    return scan.found


def positioned(source: Path, text: str, found: Sequence[tuple[str, str]]) -> list[ContentError]:
    """``found`` (`page_problems`) as errors at their line in ``text`` (the page's Markdown)."""
    errors, start = [], 0
    for message, snippet in found:
        at = text.find(snippet, start)
        if at < 0:
            at = max(text.find(snippet), 0)
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        errors.append(ContentError(display_path(source), line, column, "", message))
        start = at
    return errors


def check_pages(folder: Path, config_file: Path | None = None) -> list[ContentError]:
    """`briefing check` of the hand-written pages under ``folder``: each converted as MkDocs
    would, with the Markdown extensions of ``config_file`` (mkdocs.yml, if there is one), and
    what the allow-list would remove reported at its line."""
    names, options = _extensions(config_file)
    errors: list[ContentError] = []
    for source in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        text = source.read_text(encoding="utf-8-sig")
        converted = markdown.markdown(_body(text), extensions=names, extension_configs=options)
        errors += positioned(source, text, page_problems(converted))
    return errors


def _extensions(config_file: Path | None) -> tuple[list[str], dict[str, Any]]:
    """The Markdown extensions (names, options) mkdocs.yml configures, as MkDocs reads them
    (its ``markdown_extensions``, plain names or one-key mappings of a name to its options)."""
    if config_file is None or not config_file.is_file():
        return list(EXTENSIONS), {}
    with config_file.open(encoding="utf-8") as handle:
        listed = (yaml_load(handle) or {}).get("markdown_extensions") or []
    names: list[str] = []
    options: dict[str, Any] = {}
    for item in listed:
        if isinstance(item, dict):
            for name, config in item.items():
                names.append(name)
                options[name] = config or {}
        else:
            names.append(str(item))
    return names, options


def _body(text: str) -> str:
    """A page's Markdown without its front matter."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return "\n" * text.count("\n", 0, end + 5) + text[end + 5 :]  # (lines kept)
    return text
