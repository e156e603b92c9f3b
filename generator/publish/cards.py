"""Sharing cards: the `og:image` of every page, drawn at build time with Pillow.

One PNG for the site (``assets/cards/site.png``) and one per event type
(``assets/cards/<type>.png``, a brief's image), each showing the site's name and, on a type's
card, the type. No card per brief, so the site does not grow with the briefs. The font is
vendored (`generator/publish/fonts/`, Roboto Bold, SIL OFL 1.1); drawing is deterministic, so the
same names give the same bytes.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from generator.site.entries import Site

CARD_WIDTH, CARD_HEIGHT = 1200, 630
"""The size sharing previews expect (1.91:1)."""
CARDS_FOLDER = "assets/cards"
"""Where the cards go in the site (templates/overrides/main.html points `og:image` here)."""
CARD_WRITES = (f"{CARDS_FOLDER}/",)
"""Where `cards` puts its files in the site (`generator.session.build.WRITTEN`)."""
SITE_CARD = "site"
"""The name of the site's own card (event type ids are slugs; `site` is reserved for it)."""
FONT = Path(__file__).parent / "fonts" / "roboto-latin-700-normal.woff2"

_BACKGROUND = (40, 53, 147)  # Material's indigo 800: the header's hue, darker
_BAND = (26, 35, 126)  # indigo 900
_TEXT = (255, 255, 255)
_MUTED = (197, 202, 233)  # indigo 100: 8.9:1 on the background
_MARGIN = 80


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def _lines(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """``text`` broken at spaces into lines at most ``width`` pixels wide (a longer word stays
    whole on its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _fitted(
    text: str, sizes: tuple[int, ...], width: int, most: int
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest of ``sizes`` at which ``text`` fits in ``most`` lines of ``width``."""
    for size in sizes:
        font = _font(size)
        lines = _lines(text, font, width)
        if len(lines) <= most and all(font.getlength(line) <= width for line in lines):
            return font, lines
    font = _font(sizes[-1])
    return font, _lines(text, font, width)[:most]


@functools.lru_cache(maxsize=256)
def card(site_name: str, label: str) -> bytes:
    """A 1200 × 630 PNG: ``site_name`` large, ``label`` (an event type, or a line about the
    site) in a band at the bottom."""
    image = Image.new("RGB", (CARD_WIDTH, CARD_HEIGHT), _BACKGROUND)
    draw = ImageDraw.Draw(image)
    inner = CARD_WIDTH - 2 * _MARGIN
    band = 170
    draw.rectangle((0, CARD_HEIGHT - band, CARD_WIDTH, CARD_HEIGHT), fill=_BAND)
    draw.rectangle((_MARGIN, 88, _MARGIN + 120, 96), fill=_MUTED)
    font, lines = _fitted(site_name, (84, 72, 60, 52), inner, 3)
    step = round(font.size * 1.18)
    y = 130
    for line in lines:
        draw.text((_MARGIN, y), line, font=font, fill=_TEXT)
        y += step
    small, labels = _fitted(label, (60, 52, 44, 36), inner, 1)
    top = CARD_HEIGHT - band + (band - round(small.size * 1.2)) // 2
    draw.text((_MARGIN, top), labels[0], font=small, fill=_MUTED)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def cards(site: Site, site_name: str) -> dict[str, bytes]:
    """Every card, by path in the site: the site's, and one per event type of the vocabulary."""
    out = {f"{CARDS_FOLDER}/{SITE_CARD}.png": card(site_name, "Briefs · Actors · Timeline · Map")}
    for kind in site.vocabulary.event_types:
        out[f"{CARDS_FOLDER}/{kind.id}.png"] = card(site_name, kind.label)
    return out
