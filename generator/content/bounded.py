"""Python-Markdown's work on record text kept in proportion to the text (`install`).

Records arrive as pull requests, and some Markdown makes Python-Markdown work far more than its
size: found by trying every construct at 25,000, 50,000 and 100,000 characters
(`tests/benchmarks/bench_safe.py` prints the figures). The output stays Python-Markdown's own
(tests/test_bounded.py converts the same texts with its stock pieces and compares); what changes
is how much of the text is read again:

- **Links.** The closing bracket of every `[` was looked for by scanning the rest of the
  paragraph, again for each link made (`_Closers`); the text of a `[` that nothing after it can
  make a link was copied out all the same (`_Links.may_follow`). Links, inline or by reference,
  stop being made past `MAX_LINKS` in a field, and a finding says so.
- **Blocks.** A block holding headings, rules or reference definitions is parsed one of them at a
  time, and what follows is handed back as a new block, which every processor asks about again:
  asking meant reading the whole rest of the block (a search for a heading, a rule or a quote
  anywhere in it, or splitting all of it into lines to see whether it is a table). Here those
  answers are kept for the block and found for the rest of it (`_Tails`), and a table needs its
  first two lines only (`_Tables`).
- **Inline patterns.** Every pattern was tried on every piece of text, a cost per table cell
  and list item: here a pattern is tried only where one of the characters it needs is
  (`_InlineStage`).
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import markdown
from markdown.blockprocessors import SetextHeaderProcessor
from markdown.extensions.tables import PIPE_LEFT, PIPE_NONE, PIPE_RIGHT, TableProcessor
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINK_RE,
    REFERENCE_RE,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

MAX_LINK = 2_100
"""Characters after `](` in which a link's target and title must end (targets are at most 2,000
characters, like the `url` fields)."""
MAX_LINKS = 1_000
"""Links and images in one field, inline (`](`, counted before converting: each may scan
`MAX_LINK` characters) and by reference (`[text][id]`, `[id]`, counted as they are made)."""

_T = TypeVar("_T")


def install(md: markdown.Markdown) -> None:
    """Replace the pieces of ``md`` (the standard ones and the "tables" extension's) whose work
    can outgrow the text with the ones below; `reset` before each conversion."""
    patterns = md.inlinePatterns
    patterns.register(_Reference(REFERENCE_RE, md), "reference", 170)
    patterns.register(_Link(LINK_RE, md), "link", 160)
    patterns.register(_Image(IMAGE_LINK_RE, md), "image_link", 150)
    patterns.register(_ImageReference(IMAGE_REFERENCE_RE, md), "image_reference", 140)
    patterns.register(_ShortReference(REFERENCE_RE, md), "short_reference", 130)
    patterns.register(_ShortImageReference(IMAGE_REFERENCE_RE, md), "short_image_ref", 125)
    md.treeprocessors.register(_InlineStage(md), "inline", 20)
    blocks = md.parser.blockprocessors
    tables: Any = blocks["table"]  # (the "tables" extension's: its configuration is kept)
    blocks.register(_Tables(md.parser, tables.config), "table", 75)
    blocks.register(_Setext(md.parser), "setextheader", 60)
    # Each searches its blocks for a match anywhere in them, through its `RE` or `SEARCH_RE`.
    for name, attribute in (
        ("hashheader", "RE"),
        ("hr", "SEARCH_RE"),
        ("quote", "RE"),
        ("reference", "RE"),
    ):
        processor = blocks[name]
        setattr(processor, attribute, _Search(getattr(processor, attribute)))
    state: Any = md
    state.links, state.closers = 0, _Tails(_ends)


def reset(md: markdown.Markdown) -> None:
    """Before each conversion: no link made yet."""
    state: Any = md
    state.links = 0


# -- links ---


class _Links:
    """Links found in linear time, and counted (mixed into Python-Markdown's link patterns)."""

    md: Any

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        end = _closer(self.md.closers, data, index)
        if end is None or not self.may_follow(data, end):
            return "", index, False  # (Python-Markdown makes nothing of it either way)
        return data[index : end - 1], end, True

    def may_follow(self, data: str, end: int) -> bool:
        """Whether what follows the link text (ending at ``end``) may make it a link."""
        return bool(self.md.references)  # (by reference: there is nothing to refer to without)

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        # A target and title are looked for in the next MAX_LINK characters only (called for
        # each `](`: `MAX_LINKS` times at most).
        link: tuple[str, str | None, int, bool] = super().getLink(  # type: ignore[misc]
            data[: index + MAX_LINK], index
        )
        return link

    def handleMatch(
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        found: tuple[etree.Element | None, int | None, int | None]
        found = super().handleMatch(m, data)  # type: ignore[misc]
        if found[0] is None:
            return found
        self.md.links += 1
        if self.md.links <= MAX_LINKS:
            return found
        if self.md.links == MAX_LINKS + 1:
            self.md.findings.append(
                f"holds more than {MAX_LINKS} links and images, inline and by reference; "
                f"a field holds at most {MAX_LINKS}"
            )
        return None, None, None


class _InlineLinks(_Links):
    def may_follow(self, data: str, end: int) -> bool:
        return data.startswith("(", end)  # (what `getLink` reads)


class _Link(_InlineLinks, LinkInlineProcessor):  # type: ignore[misc]
    pass


class _Image(_InlineLinks, ImageInlineProcessor):  # type: ignore[misc]
    pass


class _Reference(_Links, ReferenceInlineProcessor):  # type: ignore[misc]
    pass


class _ImageReference(_Links, ImageReferenceInlineProcessor):  # type: ignore[misc]
    pass


class _ShortReference(_Links, ShortReferenceInlineProcessor):  # type: ignore[misc]
    pass


class _ShortImageReference(_Links, ShortImageReferenceInlineProcessor):  # type: ignore[misc]
    pass


def _closer(closers: _Tails[dict[int, int]], data: str, index: int) -> int | None:
    """The index just past the `]` that closes a `[` opened right before ``index`` (as
    Python-Markdown's `getText` counts brackets), or None. Where a `[` closes depends only on the
    text after it, and Python-Markdown makes each new text of a paragraph by replacing a match
    with a placeholder and goes on after it: the ends of the last texts hold for it."""
    end = closers.get(data, index - 1).get(len(data) - index)  # (from the `[`)
    return None if end is None else len(data) - end


_BRACKET = re.compile(r"[\[\]]")


def _ends(data: str) -> dict[int, int]:
    """For each position of ``data`` just after a `[`, counted from the end: where the `]` that
    closes it ends, counted the same way."""
    size = len(data)
    ends: dict[int, int] = {}
    opened: list[int] = []
    for found in _BRACKET.finditer(data):
        if found[0] == "[":
            opened.append(size - found.end())
        elif opened:
            ends[opened.pop()] = size - found.end()
    return ends


# -- what texts end with ---


class _Tails(Generic[_T]):
    """Facts about a text that depend only on how it ends (positions counted from its end), for
    the last few texts, and for every text that is the end of one of them: Python-Markdown goes
    on with the rest of a block or of a paragraph as a new text, and nothing that depends only on
    that rest needs finding again. Whether a text is the end of a known one costs a comparison
    in C."""

    SIZE = 8
    """Texts kept: a block, the lines before its heading (parsed before the rest of it), and
    what those lines hold in turn."""

    def __init__(self, find: Callable[[str], _T]) -> None:
        self.find = find
        self.known: list[tuple[str, _T]] = []
        self.read = 0
        """Characters of the texts the facts were found in, so far (tests/test_bounded.py: a
        small multiple of the text converted)."""

    def get(self, text: str, start: int = 0) -> _T:
        """The facts about a text that ends with ``text[start:]``."""
        for index, (known, facts) in enumerate(self.known):
            if known is text or (len(known) >= len(text) - start and known.endswith(text[start:])):
                if index:
                    self.known.insert(0, self.known.pop(index))
                return facts
        facts = self.find(text)
        self.read += len(text)
        self.known.insert(0, (text, facts))
        del self.known[self.SIZE :]
        return facts


class _Search:
    """A block processor's pattern (``pattern``) whose `search` is answered from the matches
    found in the block it is the rest of (`_Tails`); `match` and `finditer` are the pattern's.

    A match of these patterns (a heading, a rule, a quote or a reference definition at the start
    of a line) after the first character depends on the text from there on only: every one is
    found once per block (`_starts`), and a search tries the first character, then goes straight
    to the first match after it."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.anywhere = re.compile(f"(?=(?:{pattern.pattern}))", pattern.flags)
        self.starts: _Tails[list[int]] = _Tails(self._starts)
        self.match = pattern.match
        self.finditer = pattern.finditer

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        if pos:
            return self.pattern.search(text, pos)
        first = self.pattern.match(text)
        if first is not None or len(text) < 2:
            return first
        starts = self.starts.get(text)  # (distances from the end, nearest the end first)
        after = bisect.bisect_right(starts, len(text) - 1)
        if not after:
            return None
        return self.pattern.search(text, len(text) - starts[after - 1])

    def _starts(self, text: str) -> list[int]:
        return [len(text) - m.start() for m in self.anywhere.finditer(text, 1)][::-1]


# -- blocks ---


class _Setext(SetextHeaderProcessor):
    """Setext headings (a line, then `===` or `---`) with the rest of the block handed back
    without splitting all of it into lines and joining them again."""

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n", 2)
        heading = etree.SubElement(parent, "h1" if lines[1].startswith("=") else "h2")
        heading.text = lines[0].strip()
        if len(lines) > 2:
            blocks.insert(0, lines[2])


class _Tables(TableProcessor):
    """Tables, asked about a block without splitting all of it into lines: the first two lines
    answer, except for a table of one column, which needs every line after the first to start or
    end with a pipe; that is answered from the block's last line that does not (`_unpiped`),
    the same for every block that ends the same way (`_Tails`)."""

    def __init__(self, parser: Any, config: dict[str, Any]) -> None:
        super().__init__(parser, config)
        self.unpiped: _Tails[int] = _Tails(self._unpiped)

    def test(self, parent: etree.Element, block: str) -> bool:
        lines = block.split("\n", 2)
        if len(lines) < 2:
            return False
        header, second = lines[0].strip(" "), lines[1].strip(" ")
        border = PIPE_NONE
        if header.startswith("|"):
            border |= PIPE_LEFT
        if self.RE_END_BORDER.search(header) is not None:
            border |= PIPE_RIGHT
        table: Any = self  # (`border` is a set of flags, `_split_row` reads it)
        table.border = border
        columns = len(table._split_row(header))
        separator = table._split_row(second)
        if columns < 1 or len(separator) != columns or not set("".join(separator)) <= set("|:- "):
            return False
        if columns == 1:  # (every line after the first starts or ends with a pipe)
            first_end = len(lines[0])
            if not border or 0 <= self.unpiped.get(block, first_end) < len(block) - first_end:
                return False
        self.separator = separator
        return True

    def _unpiped(self, block: str) -> int:
        """Where the last line of ``block`` that neither starts nor ends with a pipe starts,
        counted from the end of ``block`` (-1 when there is none)."""
        end = len(block)
        while end >= 0:
            start = block.rfind("\n", 0, end) + 1
            row = block[start:end].strip(" ")
            if not row.startswith("|") and self.RE_END_BORDER.search(row) is None:
                return len(block) - start
            end = start - 1
        return -1


# -- inline patterns ---


class _InlineStage(InlineProcessor):
    """Python-Markdown's inline stage, which skips the patterns that cannot match a text: those
    whose every match holds one of their `_NEEDS` and the text none. The loop is
    Python-Markdown's `__handleInline`; the rest of the stage is unchanged."""

    needs: list[int] | None = None
    """For each pattern, in order: the `_SIGNS` one of which its matches hold, as bits (all of
    them for a pattern not in `_NEEDS`)."""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, AtomicString):
            return data
        patterns = self.md.inlinePatterns
        if self.needs is None or len(self.needs) != len(patterns):
            self.needs = _needs(patterns)
        holds = sum(1 << n for n, sign in enumerate(_SIGNS) if sign in data)
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        while patternIndex < len(patterns):
            if not holds & self.needs[patternIndex]:
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def _needs(registry: Any) -> list[int]:
    """`_InlineStage.needs` for the patterns of ``registry``."""
    needs = [-1] * len(registry)
    for name, signs in _NEEDS.items():
        if name in registry:
            needs[registry.get_index_for_name(name)] = sum(1 << _SIGNS.index(s) for s in signs)
    return needs


_NEEDS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    **dict.fromkeys(("reference", "link", "short_reference"), ("[",)),
    **dict.fromkeys(("image_link", "image_reference", "short_image_ref"), ("![",)),
    **dict.fromkeys(("autolink", "automail", "html"), ("<",)),
    "linebreak": ("  \n",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "em_strong2": ("_",),
}
"""What every match of an inline pattern (by name) holds one of; a pattern not listed is always
tried."""
_SIGNS = sorted({sign for signs in _NEEDS.values() for sign in signs})
