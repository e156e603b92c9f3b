"""What the plugin relies on that MkDocs (1.6.1) does but does not document, in one place.

Each reliance is named here, used through this module, and held by `tests/test_mkdocs_quirks.py`
against the real MkDocs: a release that changes one fails a test that names it, instead of a
site that silently builds differently.

1. **An empty page is not written** (`SKIP_WRITE`). When ``on_post_page`` returns ``""``,
   MkDocs' ``_build_page`` writes no file. The page writer (`generator.speed.pagewriter`)
   writes the page in another process, so MkDocs must not write it too.
2. **Its log line for that, by its text** (`Skipped`). MkDocs then logs ``Page skipped:
   '<src_uri>'. Generated empty output.`` at INFO on ``mkdocs.commands.build``, once for each
   page; the filter leaves out the lines of the pages handed to the writer, and no other.
3. **A page's title needs its Markdown** (`keep_title`). ``Page.title`` is worked out on each
   read from the front matter and the Markdown's first heading, and answers None once the
   Markdown is dropped (``page.markdown = None``, done to save memory). Every page's
   navigation prints every other page's title, so the title is set first (its setter keeps
   the value).
4. **Every page is converted before any is rendered.** MkDocs calls ``on_page_content`` for
   every page before ``on_page_context`` for any: the plugin shelves each page's HTML
   compressed in between (`generator.speed.tuning.Shelf`) and hands MkDocs ``""`` for it.
5. **The live-reload server is a wsgiref server** (`wrap_app`). MkDocs'
   ``LiveReloadServer`` is a `wsgiref.simple_server.WSGIServer`, whose documented
   ``get_app``/``set_app`` replace the application every request goes through (its
   ``serve_request``): `generator.adapter.preview.Policy` wraps it.
6. **The live-reload script's place and shape** (`LIVE_RELOAD`). The server writes its script
   inline, with no attributes, just before the last ``</body>`` of each HTML file it sends;
   `generator.adapter.preview` gives that one script the response's nonce.
7. **The server's watcher starts late** (used by `generator.speed.tuning.notified`, a stage
   this module may not be imported from). ``server.observer`` is a watchdog
   ``PollingObserver``, not yet started when ``on_serve`` runs, holding the watches made so
   far (read through watchdog's ``_handlers``): it is replaced by a native observer.
8. **A page that is not a documentation page is a link target only** (`generator.adapter
   .plugin._LinkTarget`). A `File` whose ``is_documentation_page()`` is False is neither read
   nor built, and links to it resolve: a page whose HTML is current costs MkDocs nothing.

Nothing of MkDocs' is patched: each is behaviour MkDocs has, which the plugin uses.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from mkdocs.structure.pages import Page

SKIP_WRITE = ""
"""What ``on_post_page`` returns for a page MkDocs must not write (1)."""

BUILD_LOGGER = "mkdocs.commands.build"
"""The logger of MkDocs' line for a page it skips (2)."""

SKIPPED = "Page skipped: '"
"""How that line starts; the page's source path follows, up to the next quote (2)."""

LIVE_RELOAD = re.compile(
    rb"<script>(\s*var livereload = function\(epoch, requestId\) \{.*"
    rb"livereload\(\d+, \d+\);\s*)</script>\s*\Z",
    re.S,
)
"""MkDocs' live-reload script, as its server adds it: last before ``</body>`` (6)."""


class Skipped(logging.Filter):
    """Leaves out MkDocs' log line for each page handed to another writer (1, 2)."""

    def __init__(self) -> None:
        super().__init__()
        self.handed: set[str] = set()
        """The source paths of the pages handed to the writer, in this build."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.startswith(SKIPPED):
            return True
        return message.removeprefix(SKIPPED).partition("'")[0] not in self.handed

    def install(self) -> Skipped:
        """Filter MkDocs' build logger through this (once: a filter is added only once)."""
        logging.getLogger(BUILD_LOGGER).addFilter(self)
        return self


def keep_title(page: Page) -> None:
    """Fix ``page``'s title before its Markdown is let go (3)."""
    page.title = page.title


def wrap_app(server: Any, wrap: Callable[[Any], Any]) -> None:
    """Have every request to MkDocs' live-reload ``server`` go through ``wrap(its app)`` (5)."""
    server.set_app(wrap(server.get_app()))
