"""The converter's work stays in proportion to the text (`generator.content.bounded`), and its output
stays Python-Markdown's own."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from markdown.blockprocessors import (
    BlockQuoteProcessor,
    HashHeaderProcessor,
    HRProcessor,
    ReferenceProcessor,
    SetextHeaderProcessor,
)
from markdown.extensions.tables import TableProcessor
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

from generator.content import bounded, safe


def _stock() -> Any:
    """The record converter with Python-Markdown's own pieces where `bounded` has its own."""
    md = safe._converter()
    patterns = md.inlinePatterns
    patterns.register(ReferenceInlineProcessor(REFERENCE_RE, md), "reference", 170)
    patterns.register(LinkInlineProcessor(LINK_RE, md), "link", 160)
    patterns.register(ImageInlineProcessor(IMAGE_LINK_RE, md), "image_link", 150)
    patterns.register(ImageReferenceInlineProcessor(IMAGE_REFERENCE_RE, md), "image_reference", 140)
    patterns.register(ShortReferenceInlineProcessor(REFERENCE_RE, md), "short_reference", 130)
    patterns.register(
        ShortImageReferenceInlineProcessor(IMAGE_REFERENCE_RE, md), "short_image_ref", 125
    )
    md.treeprocessors.register(InlineProcessor(md), "inline", 20)
    blocks = md.parser.blockprocessors
    blocks.register(TableProcessor(md.parser, blocks["table"].config), "table", 75)
    for name, kind, priority in (
        ("hashheader", HashHeaderProcessor, 70),
        ("setextheader", SetextHeaderProcessor, 60),
        ("hr", HRProcessor, 50),
        ("quote", BlockQuoteProcessor, 20),
        ("reference", ReferenceProcessor, 15),
    ):
        blocks.register(kind(md.parser), name, priority)
    return md


def _convert(md: Any, text: str) -> tuple[str, list[str]]:
    md.reset()
    md.findings, md.own, md.shift = [], [], 0
    bounded.reset(md)
    return md.convert(text), list(md.findings)


PIECES = {
    "inline": [
        *"ab *_`[]()!<>&#;\\\n|-:1.",
        *["[r]", "[R]", "[r]: http://x/\n", "[a b]: <y>\n", "](b)", "][", "] [", "[[", "]]"],
        *["&amp;", "&#x202E;", "<b>", "  \n", "\n\n", "http://a.b", "<http://a.b>", "x@y.z"],
        *["- ", "1. ", "# ", '"t"', "'", "![i](j)", "{: .c}"],
    ],
    "blocks": [
        *["# x", "#", "\n", "\n\n", "x", " ", "---", "***", "- -  -", "===", "> ", ">", "\\"],
        *["[a]: b", "[a]: <c> 'd'", "[a]", "- x", "1. y", "    ", "## y ##", "_ _ _", "x\n-"],
        *["|a|", "|-|", "|a|b|\n|-|-|\n", "# x|", "\\|", ":", "*", "`"],
    ],
}


@pytest.mark.slow  # (converts every piece with plain Python-Markdown too: seconds)
@pytest.mark.parametrize("pieces", PIECES.values(), ids=PIECES.keys())
def test_output_is_python_markdowns(pieces: list[str]) -> None:
    """Random texts from pieces that exercise every replaced part convert, with the same
    findings, exactly as with Python-Markdown's own pieces."""
    ours, stock = safe._converter(), _stock()
    rng = random.Random(28)
    for _ in range(3_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        assert _convert(ours, text) == _convert(stock, text), text


def _repeat(piece: str, size: int = 20_000) -> str:
    return (piece * (size // len(piece) + 1))[:size]


SHAPES = {
    "links": _repeat("[a](https://x.example/) ", 12_000),
    "references": "[r]: https://x.example/\n\n" + _repeat("[r] ", 3_000),
    "unclosed brackets": "[" * 20_000,
    "nested brackets": "[" * 10_000 + "]" * 10_000,
    "nested brackets with a reference": "[r]: https://x.example/\n\n" + "[" * 9_990 + "]" * 9_990,
    "headings": _repeat("# x\n"),
    "headings after text": _repeat("x\n# y\n"),
    "setext headings": _repeat("x\n-\n"),
    "rules": _repeat("***\n"),
    "rules after text": _repeat("x\n***\n"),
    "definitions between lines": _repeat("[a]: b\nx\n"),
    "quotes after headings": _repeat("> x\n# y\n"),
    "list items and headings": _repeat("- x\n# y\n"),
    "one-column tables": _repeat("|a|\n|-|\nz\n# x|\n", 4_000) + _repeat("|x|\n", 16_000),
    "one-column table rows after headings": _repeat("|a|\n|-|\n# x|\n") + "\nz",
}


def _memos(md: Any) -> dict[str, bounded._Tails[Any]]:
    blocks = md.parser.blockprocessors
    return {
        "closers": md.closers,
        "headings": blocks["hashheader"].RE.starts,
        "rules": blocks["hr"].SEARCH_RE.starts,
        "quotes": blocks["quote"].RE.starts,
        "definitions": blocks["reference"].RE.starts,
        "one-column tables": blocks["table"].unpiped,
    }


@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_each_text_is_read_a_few_times_at_most(text: str) -> None:
    """The shapes that made Python-Markdown read the rest of a paragraph or a block again for
    each link, heading, rule or definition: what the converter finds things in adds up to a
    few times the text (it was quadratic: minutes at 100,000 characters)."""
    md = safe._converter()
    memos = _memos(md)
    for memo in memos.values():
        memo.read = 0
    _convert(md, text)
    assert {name: memo.read <= 3 * len(text) for name, memo in memos.items()} == dict.fromkeys(
        memos, True
    ), {name: memo.read for name, memo in memos.items()}


def _counting(md: Any) -> Callable[[], int]:
    """How many times the inline stage has tried a pattern, from now on."""
    stage = md.treeprocessors["inline"]
    tried = [0]
    apply = stage._InlineProcessor__applyPattern

    def counted(*args: Any) -> Any:
        tried[0] += 1
        return apply(*args)

    stage._InlineProcessor__applyPattern = counted
    return lambda: tried[0]


def test_only_patterns_that_can_match_are_tried() -> None:
    md = safe._converter()
    tried = _counting(md)
    out, _ = _convert(md, "a|b\n-|-\n" + "x|y\n" * 1_000)
    assert out.count("<td>") == 2_000
    assert tried() == 0  # (14 patterns for each of 2,002 cells, before)
    out, _ = _convert(md, "a|b\n-|-\n" + "*x*|y\n" * 1_000)
    assert out.count("<em>x</em>") == 1_000
    assert tried() == 2 * 1_000  # emphasis only: one match, then no more


def test_links_by_reference_count_towards_the_limit() -> None:
    references = "[r]: https://x.example/\n\n" + "[r], " * (safe.MAX_LINKS - 10)
    assert safe.problems(references) == []
    assert safe.problems(references + "[x](https://y.example/) " * 10) == []
    assert safe.problems(references + "[x](https://y.example/) " * 11) == [
        "holds more than 1000 links and images, inline and by reference; a field holds at most 1000"
    ]
