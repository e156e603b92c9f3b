"""Record text made safe for readers' browsers, by construction.

Records arrive as pull requests, so their text is hostile until proven otherwise. Two rules, each
enforced here and nowhere else:

- **Plain text** (titles, names, places) is escaped on the way out (`escape`): every character that
  Markdown or HTML could act on becomes a character reference, which both show as the character.
- **Record Markdown** (summaries, claims, bodies) never reaches MkDocs' Markdown. `to_html`
  converts it with our own restricted Python-Markdown (`RECORD_EXTENSIONS`: no raw HTML, no
  attribute lists, no images), passes the result through the nh3 allow-list below (`TAGS`,
  `ATTRIBUTES`, `url_allowed`). Pages embed the result after MkDocs has converted them
  (`generator.render.embed`): no second Markdown parser reads it. `allowed` checks it again there.

`problems` tells editors what the sanitizer would remove. It reads the tree of the same converter,
and judges links with the same `url_allowed` the sanitizer applies, so `briefing check` and the
build cannot disagree. The Content-Security-Policy (`generator.publish.csp`) is the second
wall.

Markdown's worst cases are bounded too: the converter's work stays in proportion to the text
(`generator.content.bounded`: links found in linear time and at most `MAX_LINKS` of them, blocks and
inline patterns read once), and `limits` refuses nesting deep enough to exhaust the parser's
recursion.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from typing import Any

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown.treeprocessors import Treeprocessor

from generator.content import bounded
from generator.content.bounded import (
    MAX_LINK as MAX_LINK,  # (re-exported: the limits of record text)
)
from generator.content.bounded import MAX_LINKS as MAX_LINKS

# -- the allow-list: what record Markdown may become ---

TAGS = frozenset(
    {"p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
    | {"h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}
)
"""Elements record Markdown may produce. No images (a reader's visit would be reported to
another site), no `h1` (the page's title is the only one), nothing that runs or embeds."""
ATTRIBUTES = {"a": frozenset({"href"}), "ol": frozenset({"start"})}
"""Attributes kept, by element. Never `style`, `id`, `class` or an event handler."""
URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""Schemes a record's link may use; links without a scheme are to our own pages."""
RECORD_EXTENSIONS = ["tables"]
"""Python-Markdown extensions for record text, besides our own (`_RecordExtension`)."""

MAX_NESTING = 20
"""Lists and block quotes nest at most this deep in record Markdown (deeper nesting exhausts
Python-Markdown's recursion): at most 20 `>` before a line's text, at most 80 columns of
indentation."""


_ROOT = "./@root@/"
"""Stands for the path from a page to the site root in links to our own pages (`page_html`)."""
_RECORD_PAGE = re.compile(re.escape(_ROOT) + r"((?:briefs|actors)/[a-z0-9-]+)/")
"""A link to a brief or profile (its path without the slash), to point renamed ones on."""


def url_allowed(url: str) -> bool:
    """Whether a link target may be published (`url_problem`)."""
    return url_problem(url) is None


def url_problem(url: str) -> str | None:
    """Why a link target may not be published, or None: http(s); mailto with one address and
    nothing else (no ``?subject=``, ``cc=``, ``bcc=``, ``body=``: they fill in a reader's mail);
    or a link to a page of this site (`own_page`). Judged as a browser reads it: entities
    decoded, tabs and newlines dropped, leading spaces and control characters ignored."""
    target = _as_read(url)
    scheme = _SCHEME.match(target)
    if scheme is None:
        if own_page(target) is not None:
            return None
        if target.startswith(("/", "\\")) or _OWN_PAGE.fullmatch(target) is None:
            return _SCHEMES_ALLOWED
        return _OWN_PATHS
    name = scheme[1].lower()
    if name == "mailto" and not _MAILTO.fullmatch(target, scheme.end()):
        return "a mailto link holds one address and nothing else (no ?subject=, cc=, bcc= or body=)"
    return None if name in URL_SCHEMES else _SCHEMES_ALLOWED


def own_page(target: str) -> str | None:
    """A link to a page of this site, as the one path from the site root it names (`./`, empty
    and `.` parts dropped: `./briefs/x.md`, `briefs//x.md` and `briefs/./x.md` are all
    `briefs/x.md`), with its fragment; None when it is not a plain path inside the site (`..`,
    %-escapes, `//host`, `/root`, backslashes)."""
    if _OWN_PAGE.fullmatch(target) is None:
        return None
    path, hash_, fragment = target.partition("#")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        return None
    normal = "/".join(parts) + ("/" if parts and path.endswith("/") else "")
    return normal + hash_ + fragment


def _as_read(url: str) -> str:
    return re.sub(r"[\t\n\r]", "", html.unescape(_written(url))).lstrip(
        "".join(map(chr, range(33)))
    )


def _written(url: str) -> str:
    """A link target as written, from the converter's tree: the placeholders Python-Markdown
    keeps there until its last steps (backslash escapes, the `&` of an e-mail autolink's
    character references) put back."""
    url = url.replace(markdown.util.AMP_SUBSTITUTE, "&")
    return _ESCAPED.sub(lambda m: chr(int(m[1])), url) if "\x02" in url else url


_ESCAPED = re.compile("\x02([0-9]+)\x03")
_ALL_REFERENCES = re.compile("(?:&#[0-9]+;)+")


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_OWN_PAGE = re.compile(r"(?!/)[A-Za-z0-9._~/-]*(?:#[A-Za-z0-9._~-]*)?")
"""What a link to a page of this site may be written with (its parts are judged by `own_page`)."""
_MAILTO = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_SCHEMES_ALLOWED = (
    "links must be http(s), mailto or to a page of this site (briefs/<id>.md, actors/<id>.md)"
)
_OWN_PATHS = (
    "a link to a page of this site is its path from the site root, without '..' "
    "(briefs/<id>.md, actors/<id>.md)"
)


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name == "href":  # (a link to our own pages starts with `_ROOT` by now: see `_Inspect`)
        return value if url_allowed(value.removeprefix(_ROOT)) else None
    if name == "start":
        return value if value.isascii() and value.isdigit() else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    # ("*": no attribute on every element; nh3 would otherwise allow `lang` and `title` on all.)
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()} | {"*": set()},
    attribute_filter=_attribute,
    url_schemes=set(URL_SCHEMES),
    clean_content_tags={"script", "style"},
    strip_comments=True,
    link_rel="noopener noreferrer nofollow",
)


def sanitize(fragment: str) -> str:
    """HTML reduced to the allow-list: only `TAGS`, only `ATTRIBUTES`, only allowed URLs."""
    return _CLEANER.clean(fragment)


# -- the restricted converter ---


class _AttributeLists(AttrListTreeprocessor):
    """Attribute lists (`{: .class onclick=…}`) are recognised as MkDocs would, then dropped."""

    def assign_attrs(self, elem: etree.Element, attrs_string: str, *, strict: bool = False) -> str:
        _, remainder = get_attrs_and_remainder(attrs_string)
        if strict and remainder:
            return remainder  # (not an attribute list: MkDocs leaves the text as it is)
        self.md.findings.append(  # type: ignore[attr-defined]
            f"the attribute list {{{_clip(attrs_string)}}} is removed: records cannot set "
            "attributes"
        )
        return ""


class _Inspect(Treeprocessor):
    """Records what the sanitizer will remove (raw HTML, images, disallowed links), shifts
    headings, and points links to our own pages at the site root."""

    def run(self, root: etree.Element) -> None:
        md: Any = self.md
        raw = [str(b) for b in md.htmlStash.rawHtmlBlocks if not _REFERENCE.fullmatch(str(b))]
        if raw:
            more = f" (and {len(raw) - 1} more)" if len(raw) > 1 else ""
            md.findings.append(
                f"raw HTML {_clip(raw[0])!r}{more} is removed: write Markdown, or put it in `code`"
            )
        for element in root.iter():
            tag = element.tag
            if tag == "img":
                md.findings.append(
                    f"the image {_clip(element.get('src', ''))!r} is removed: link to it instead"
                )
            elif tag == "a":
                href = element.get("href", "")
                problem = url_problem(href)
                if problem is not None:
                    shown = _written(href)  # (an e-mail autolink: all character references)
                    shown = html.unescape(shown) if _ALL_REFERENCES.fullmatch(shown) else shown
                    md.findings.append(f"the link to {_clip(shown)!r} is removed: {problem}")
                elif not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|#", _as_read(href)):
                    own = own_page(_as_read(href)) or ""  # (the one form of the path)
                    md.own.append(own)
                    element.set("href", _ROOT + _page_url(own))
            elif md.shift and len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
                element.tag = f"h{min(6, int(tag[1]) + md.shift)}"
            elif tag == "h1":
                element.tag = "h2"


_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z0-9]+);")
"""A character reference, which Python-Markdown keeps as it keeps raw HTML: it is published as
the character (those that are refused are `generator.content.model`'s to find)."""


def _page_url(href: str) -> str:
    """A link to a page's Markdown source (``briefs/x.md#y``) as its URL (``briefs/x/#y``)."""
    path, hash_, fragment = href.partition("#")
    if path.endswith(".md"):
        path = path[:-3]
        path = path[: -len("index")] if path == "index" or path.endswith("/index") else path + "/"
    return path + hash_ + fragment


def _clip(text: str, size: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


class _RecordExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        bounded.install(md)  # (links found in linear time and counted: `MAX_LINKS`)
        md.preprocessors.deregister("html_block")  # raw HTML is only ever inline: see `_Inspect`
        md.treeprocessors.register(_AttributeLists(md), "attr_list", 8)
        md.treeprocessors.register(_Inspect(md), "briefing_inspect", 7)


def _converter() -> Any:
    md: Any = markdown.Markdown(extensions=[*RECORD_EXTENSIONS, _RecordExtension()])
    md.findings = []
    md.own = []
    md.shift = 0
    return md


_MD = _converter()


def _convert(text: str, shift: int = 0) -> tuple[str, list[str]]:
    md = _MD
    md.reset()
    md.findings = []
    md.own = []
    md.shift = shift
    bounded.reset(md)
    out = md.convert(text)
    return out, list(md.findings)


def own_links(text: str) -> list[str]:
    """The links ``text`` makes to pages of this site (``briefs/x.md#y``), each in its one form
    (`own_page`)."""
    if "](" not in text and "]:" not in text:
        return []
    _convert(text)
    return list(_MD.own)


# -- characters no record text may hold ---

CONTROLS = frozenset({*range(0x20), *range(0x7F, 0xA0)})
"""The C0 controls, DEL and the C1 controls (tabs and line breaks are text in Markdown)."""
BIDI_CONTROLS = frozenset({*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x61C})
"""The bidi embeddings, overrides and isolates, and the marks (LRM, RLM, ALM): invisible, they
make text read as other text (the marks too: strict, as nothing the site shows needs them)."""
NONCHARACTERS = frozenset(
    {
        *range(0xFDD0, 0xFDF0),
        *(plane | last for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)),
    }
)
"""Code points Unicode keeps out of text (U+FFFE breaks YAML readers and XML writers)."""
_DROP = dict.fromkeys(CONTROLS - {0x09, 0x0A} | BIDI_CONTROLS | NONCHARACTERS)
"""For `str.translate`: every character above, deleted (`generator.content.model` refuses them, in
every field, written raw, as a YAML escape or as a character reference; output drops any anyway)."""


def text(value: object) -> str:
    """Plain text as it is, less the characters no record text may hold: for feeds and open
    data, which print record text themselves."""
    return str(value).translate(_DROP)


# -- embedding in pages ---

# Characters that Markdown, MkDocs' extensions or HTML could act on, as character references;
# the refused characters (`_DROP`, which holds the noncharacters `generator.render.embed` writes
# into pages), removed.
_TEXT = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]<>#|"} | {"&": "&amp;"} | _DROP)


def escape(value: object) -> str:
    """Plain text for a Markdown page: shown as written, whatever it holds (less what no record
    text may hold)."""
    return str(value).translate(_TEXT)


@functools.lru_cache(maxsize=100_000)
def to_html(text: str, shift: int = 0, inline: bool = False) -> str:
    """Record Markdown as safe HTML (links to our own pages still hold `_ROOT`: see
    `page_html`). ``shift`` demotes headings; ``inline`` drops the paragraph (for table cells and
    list items). Pages embed it after MkDocs has converted them (`generator.render.embed`): no other
    Markdown parser reads it."""
    converted, _ = _convert(text, shift)
    if inline and converted.startswith("<p>") and converted.endswith("</p>"):
        converted = converted[3:-4]
    return sanitize(converted).translate(_DROP)


_TAG = re.compile(r'<(?:/?([a-z][a-z0-9]*)((?:\s+[a-z-]+="[^"]*")*)\s*>)?')
_ATTRIBUTE = re.compile(r'\s+([a-z-]+)="([^"]*)"')
_REL = "noopener noreferrer nofollow"
_CLIMB = re.compile(r"(?:\.\./)*")


def allowed(fragment: str) -> str | None:
    """What in ``fragment`` (sanitized HTML, as a page holds it: `page_html`) is outside the
    allow-list, if anything: an element not in `TAGS`, an attribute not in `ATTRIBUTES` (or the
    ``rel`` the sanitizer adds to links), a link `url_allowed` refuses, or a ``<`` that starts no
    tag. Read as the sanitizer's serializer writes HTML (lowercase names, attribute values in
    double quotes, ``"`` written as ``&quot;``), so HTML written otherwise is a fault too."""
    for tag in _TAG.finditer(fragment):
        name = tag[1]
        if name is None:
            after = fragment[tag.start() : tag.start() + 40]
            return f"the sanitized HTML holds a '<' that starts no allowed tag ({_clip(after)!r})"
        if name not in TAGS:
            return f"the sanitized HTML holds the element <{name}>"
        for attribute, value in _ATTRIBUTE.findall(tag[2]):
            if attribute == "rel" and name == "a" and value == _REL:
                continue
            if attribute not in ATTRIBUTES.get(name, ()):
                return f"the sanitized HTML holds the attribute {attribute} on <{name}>"
            if attribute == "href" and not url_allowed(_CLIMB.sub("", value, count=1)):
                return f"the sanitized HTML holds a link to {_clip(html.unescape(value))!r}"
            if attribute == "start" and not value.isdigit():
                return f"the sanitized HTML holds the list start {_clip(value)!r}"
    return None


def page_html(fragment: str, root: str, moved: Mapping[str, str] | None = None) -> str:
    """``fragment`` (from `to_html`) on a page whose path to the site root is ``root``; links
    to the old pages of renamed records (``briefs/<former-id>``: ``moved``) go to their pages."""
    if _ROOT not in fragment:
        return fragment
    if moved:
        fragment = _RECORD_PAGE.sub(lambda m: _ROOT + moved.get(m[1], m[1]) + "/", fragment)
    return fragment.replace(f'href="{_ROOT}', f'href="{root}')


@functools.lru_cache(maxsize=100_000)
def to_text(text: str) -> str:
    """Record Markdown as one line of plain text (descriptions, feeds, search summaries)."""
    converted, _ = _convert(text)
    text = re.sub(r"<[^>]*>", "", _BLOCK_END.sub(" ", sanitize(converted)))
    return " ".join(html.unescape(text).translate(_DROP).split())


_BLOCK_END = re.compile(r"</(?:p|li|h\d|pre|blockquote|td|th|tr)>|<br>|<hr>")


# -- telling editors ---


def problems(text: str) -> list[str]:
    """What publishing ``text`` would remove, and limits it breaks; empty when it is published
    as written. Text with none of ``<``, ``[``, ``{`` holds no HTML, link or attribute list, so
    it is not parsed (a fast path for `briefing check`, which reads every record)."""
    found = limits(text)
    if found or not any(c in text for c in "<[{"):
        return found
    return _convert(text)[1]


_QUOTES = re.compile(r"[ >]*")
_TOO_DEEP = " " * (4 * MAX_NESTING + 1)
"""Indentation deeper than lists may nest, without tabs."""


def limits(text: str) -> list[str]:
    """Nesting beyond `MAX_NESTING`, links beyond `MAX_LINKS` (found in one pass each)."""
    links = text.count("](")
    if links > MAX_LINKS:
        return [f"holds {links} links; a field holds at most {MAX_LINKS} (count of '](')"]
    if text.count(">") <= MAX_NESTING and "\t" not in text and _TOO_DEEP not in text:
        return []  # (no line can have more quotes, nor more indentation)
    for number, line in enumerate(text.split("\n"), 1):
        quotes = len(_QUOTES.match(line)[0].replace(" ", ""))  # type: ignore[index]
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        if quotes > MAX_NESTING or indent > 4 * MAX_NESTING:
            return [
                f"line {number} nests too deep: lists and quotes nest at most {MAX_NESTING} "
                f"levels (at most {MAX_NESTING} '>' and {4 * MAX_NESTING} columns of indentation)"
            ]
    return []
