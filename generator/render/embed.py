"""Record text in generated pages: what MkDocs' Markdown may see of it, and the audit after.

Record text reaches a page in two forms, and neither is read by a second Markdown parser:

- **Record Markdown** (summaries, claims, bodies) is converted and sanitized once, by
  `generator.content.safe.to_html`. The page's Markdown holds only a placeholder for it
  (`Fragments`): two noncharacters around a number, which Markdown treats as a word. The fragments
  themselves travel at the end of the page's file, after `BLOCK`, as a JSON list, cut off before
  MkDocs converts the page (`detach`) and put in place of their placeholders in the HTML it made
  (`fill`). MkDocs never parses them.
- **Plain text** (titles, names, labels) is escaped for Markdown (`safe.escape`: every character
  Markdown or HTML could act on becomes a character reference) and marked: `OPEN` and `CLOSE`
  around it (`mark`). After MkDocs has converted the page, the text between each pair must hold
  no tag at all (`audit`): escaped text that came out as markup means that MkDocs' Markdown read
  something in it that the escaping did not foresee. That fails the build, naming the record and
  field (`generator.session.build.Builder.embed`). The marks are then removed.

The audit also checks every fragment against the sanitizer's allow-list (tags, attributes, URL
schemes), so that a fault in the sanitizer, or in this module, fails the build too. It is the
wall that catches the next parser disagreement nobody has found yet.

The noncharacters used here (U+FDD0 to U+FDD4) are refused in every record field and removed
from record text on output (`generator.content.safe`), so a record cannot forge a placeholder, a
mark or the block. Only generated pages are read this way (`generator.adapter.plugin`); hand-written
pages are converted as MkDocs converts them.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from pydantic import BaseModel

OPEN, CLOSE = "\ufdd0", "\ufdd1"
"""Around plain record text in a page's Markdown (`mark`)."""
_INLINE, _BLOCK, _END = "\ufdd2", "\ufdd3", "\ufdd4"
"""A placeholder is `_INLINE` or `_BLOCK`, the fragment's number, `_END`."""
BLOCK = "\n" + _END + _END + "briefing-fragments "
"""Starts the JSON list of a page's fragments, on the last line of its Markdown file."""
BLOCK_ELEMENT = '<div class="record-text">{}</div>'
"""What holds a block of record Markdown in a page (the site's CSS styles it)."""
MARKS = frozenset(OPEN + CLOSE + _INLINE + _BLOCK + _END)
"""Every character this module writes into pages; never in record text."""

_PLAIN = re.compile(r"[A-Za-z0-9-]*")
"""Text that is not marked: a single word of letters, digits and hyphens, which no Markdown
extension makes markup of. Ids, slugs, years and dates are such text, and that matters: they are
printed into link targets and element ids, where a mark would not belong. (Paths the templates
print are template text: `|md`.)"""


def mark(escaped: str) -> str:
    """Escaped plain text, marked for the audit unless it cannot hold markup (`_PLAIN`)."""
    if _PLAIN.fullmatch(escaped):
        return escaped
    return OPEN + escaped + CLOSE


@dataclass
class Fragments:
    """The fragments of one page being rendered: sanitized HTML, each standing in the page's
    Markdown as a placeholder."""

    html: list[str] = field(default_factory=list)
    blocks: list[bool] = field(default_factory=list)

    def add(self, fragment: str, *, block: bool) -> str:
        """The placeholder of ``fragment``: on a line of its own for a ``block`` (MkDocs makes
        it a paragraph, which the fragment replaces), else inside a line (a table cell, a list
        item, a paragraph)."""
        self.html.append(fragment)
        self.blocks.append(block)
        return (_BLOCK if block else _INLINE) + str(len(self.html) - 1) + _END

    def attach(self, markdown: str) -> str:
        """The page's Markdown with its fragments at the end (none: the Markdown as it is)."""
        if not self.html:
            return markdown
        listed = [[text, block] for text, block in zip(self.html, self.blocks, strict=True)]
        return markdown + BLOCK + json.dumps(listed, ensure_ascii=False) + "\n"


def detach(markdown: str) -> tuple[str, list[tuple[str, bool]]]:
    """A generated page's Markdown without its fragments, and the fragments (html, is a block)."""
    at = markdown.rfind(BLOCK)
    if at < 0:
        return markdown, []
    listed = json.loads(markdown[at + len(BLOCK) :])
    return markdown[:at], [(text, bool(block)) for text, block in listed]


_PLACEHOLDER = re.compile("[" + _INLINE + _BLOCK + "]([0-9]+)" + _END)


class EmbedError(Exception):
    """Record text did not come out of MkDocs as it went in (`audit`, `fill`)."""

    def __init__(self, problem: str, text: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.text = text
        """The record text concerned, as it stands in the page (to find its record)."""


def fill(content: str, fragments: list[tuple[str, bool]]) -> str:
    """The HTML MkDocs made of a page, with its fragments in place of their placeholders. Each
    placeholder must be there once, whole (an `EmbedError` otherwise)."""
    if content.count(_END) != len(fragments):
        raise EmbedError("a fragment's placeholder is missing, or out of place", "")
    if not fragments:
        return content
    pieces, at, used = [], 0, [False] * len(fragments)
    for found in _PLACEHOLDER.finditer(content):
        number, start, end = int(found[1]), found.start(), found.end()
        if number >= len(fragments) or used[number]:
            raise EmbedError(f"the placeholder of fragment {number} is out of place", "")
        text, block = fragments[number]
        if block != (found[0][0] == _BLOCK):
            raise EmbedError(f"the placeholder of fragment {number} is out of place", text)
        used[number] = True
        if block:
            text = BLOCK_ELEMENT.format(text)
            if content.startswith("<p>", start - 3) and content.startswith("</p>", end):
                start, end = start - 3, end + 4  # (the paragraph MkDocs made of it)
        pieces += [content[at:start], text]
        at = end
    if not all(used):
        raise EmbedError("a fragment's placeholder is missing", fragments[used.index(False)][0])
    pieces.append(content[at:])
    return "".join(pieces)


_FAULT = re.compile(OPEN + "[^" + OPEN + CLOSE + "<]*(?:<|" + OPEN + "|$)")
"""A marked region that holds a tag, or is not closed before the next one opens."""


def audit(content: str) -> list[EmbedError]:
    """What is wrong in a page MkDocs converted (before `fill`): plain text that holds a tag,
    and marks that do not pair up. (Costly only when something is wrong: the regions are found
    one by one then.)"""
    fault = _FAULT.search(content)
    if fault is None and content.count(OPEN) == content.count(CLOSE):
        return []
    found = [
        EmbedError(f"plain text came out as markup ({_clip(region)!r})", _text_of(region))
        for region in _REGION.findall(content)
        if "<" in region
    ]
    rest = _REGION.sub("", content)
    if OPEN in rest or CLOSE in rest:
        stray = min(i for i in (rest.find(OPEN), rest.find(CLOSE)) if i >= 0)
        around = rest[max(0, stray - 40) : stray + 40]
        found.append(EmbedError("plain text's marks do not pair up", _text_of(around)))
    return found


_REGION = re.compile(OPEN + "([^" + OPEN + CLOSE + "]*)" + CLOSE)


def audit_fragments(
    fragments: list[tuple[str, bool]], check_fragment: Callable[[str], str | None]
) -> list[EmbedError]:
    """Each fragment that ``check_fragment`` finds fault with."""
    found = []
    for text, _ in fragments:
        problem = check_fragment(text)
        if problem:
            found.append(EmbedError(problem, _text_of(text)))
    return found


def unmark(text: str) -> str:
    """``text`` without the marks of plain text."""
    return text.replace(OPEN, "").replace(CLOSE, "")


def _text_of(fragment: str) -> str:
    """The text of some HTML, as a reader would read it."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", unmark(fragment))).split())


def _clip(text: str, size: int = 60) -> str:
    text = " ".join(unmark(text).split())
    return text if len(text) <= size else text[: size - 1] + "…"


def locate(
    records: Iterable[tuple[str, BaseModel]], text: str, readable: Callable[[str], str]
) -> str:
    """The record and field (``content/events/x.yaml: claims[1].said``) whose text, as a reader
    reads it (``readable``), reads most like ``text`` (what a reader would read of the faulty
    part of a page). For an error message only: it goes over every field of every record."""
    best, score = "a record", 0.0
    wanted = " ".join(text.split())
    for where, record in records:
        for loc, value in _fields(record, ""):
            shown = " ".join(readable(value).split())
            if not shown:
                continue
            ratio = 1.0 if shown == wanted else SequenceMatcher(None, shown, wanted).ratio()
            if ratio > score:
                best, score = f"{where}: {loc}", ratio
            if ratio == 1.0:
                return best
    return best


def _fields(value: Any, loc: str) -> Iterator[tuple[str, str]]:
    """Every text of a record, with its place (``claims[1].said``, ``facts.Apogee``)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _fields(getattr(value, name), f"{loc}.{name}" if loc else name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _fields(item, f"{loc}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{loc} (a label)", str(key)
            yield from _fields(item, f"{loc}.{key}")
    elif isinstance(value, str):
        yield loc, value
