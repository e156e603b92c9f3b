"""The Content-Security-Policy: the second wall behind `generator.content.safe`.

Every page starts with `POLICY` (`templates/overrides/main.html` writes it first after the
charset); `with_csp` adds the hashes of a page's own inline scripts, never of those inside the
part made from Markdown, and the map page's tiles' host.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; font-src 'none'; connect-src 'self'; frame-src 'none'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
"""The Content-Security-Policy every page starts with (`templates/overrides/main.html`): all
from the site itself (`default-src`) and nothing else. Scripts: files of the site only, and
WebAssembly (Pagefind). Styles: style sheets of the site only, no `style` attribute or element
(the site's scripts set styles through the DOM, which the policy allows). Images: the site's,
and `data:` URIs (Material's style sheets draw their icons with them); the map page adds its
tiles' host (`with_csp`). No fonts (the site uses the reader's own: `theme.font: false`).
Fetches: the site's own (search, timeline and map data). No frames, no plugins, no `<base>`
elsewhere, forms to the site only. `with_csp` adds the hashes of the page's own inline scripts.
"""

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_DATA = re.compile(r"type=[\"']?application/(?:ld\+)?json\b", re.I)
"""Data blocks (JSON, a brief's JSON-LD): never run, so never given a hash."""


def policy(scripts: Iterable[str] = (), images: Iterable[str] = ()) -> str:
    """`POLICY`, also allowing the inline ``scripts`` (by the hash of their text) and images
    from the origins ``images``."""
    out = POLICY
    if hashes := script_hashes(scripts):
        out = out.replace("'wasm-unsafe-eval'", " ".join(["'wasm-unsafe-eval'", *hashes]), 1)
    if more := sorted(set(images)):
        out = out.replace("img-src 'self' data:", " ".join(["img-src 'self' data:", *more]), 1)
    return out


def with_csp(page: str, content: str | None, images: Iterable[str] = ()) -> str:
    """``page`` with the hashes of its inline scripts in its policy, except scripts inside
    ``content`` (the part made from Markdown, where a record's text lands): those stay blocked.
    ``images``: origins the page's images come from besides the site (the map's tiles).
    """
    outside = page.replace(content, "") if content else page
    inline = [
        body
        for attributes, body in _SCRIPT.findall(outside)
        if "src=" not in attributes and not _DATA.search(attributes)
    ]
    full = policy(inline, images)
    if full == POLICY:
        return page
    return page.replace(f'content="{POLICY}"', f'content="{full}"', 1)


def script_hashes(scripts: Iterable[str]) -> list[str]:
    """CSP source expressions for inline scripts, by the hash of their text."""
    return sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in scripts
        }
    )
