"""Pages made smaller as MkDocs writes them: minify-html, a Rust HTML minifier.

Whitespace between elements, quotes that attributes do not need and the theme's indentation go;
a brief's page loses about a fifth of its bytes for about a millisecond of work. What other
parts of the build read from a page is kept as it was:

- inline scripts, byte for byte (``minify_js`` off): the Content-Security-Policy allows them by
  the hash of their text (`generator.publish.csp.with_csp`, which runs first);
- comments, for the `generator.publish.search.BODY_END` marker; the theme writes no others, and
record
  text cannot carry one (the sanitizer strips them);
- closing tags, so that an element marked ``data-pagefind-ignore`` ends where it ended (Pagefind
  reads the page as a stream of tags, not as a browser would);
- ``data-pagefind-*`` attributes, which a minifier has no reason to touch.

minify-html writes each character in the shortest form that the HTML standard reads back the same:
a ``<`` inside a quoted attribute or the page's ``<title>`` is written as itself. Browsers read
both as text, but the title is escaped again (`page`): parsers that are not browsers, such as
Python's `html.parser`, take tags inside a title for tags.
"""

from __future__ import annotations

import minify_html

OPTIONS = {
    "keep_closing_tags": True,
    "keep_comments": True,
    "keep_html_and_head_opening_tags": True,
    "minify_css": False,
    "minify_js": False,
}
"""minify-html's options (its defaults for the others): see the module's docstring."""


def page(html: str) -> str:
    """``html``, a whole page, minified."""
    small = str(minify_html.minify(html, **OPTIONS))
    start, end = small.find("<title>") + len("<title>"), small.find("</title>")
    if 0 < start <= end:
        small = small[:start] + small[start:end].replace("<", "&lt;") + small[end:]
    return small
