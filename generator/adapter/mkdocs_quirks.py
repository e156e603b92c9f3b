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
4. **Every page is converted before any is rendered** (`Converted`). MkDocs calls
   ``on_page_content`` for every page, then ``on_env``, before ``on_page_context`` for any:
   the plugin shelves each page's HTML compressed in between (`generator.speed.tuning.Shelf`)
   and hands MkDocs ``""`` for it; and at ``on_env`` it knows every page has been read (the
   build's collector freezes them, `generator.speed.tuning.Collector.pages_read`).
5. **The live-reload server is a wsgiref server** (`wrap_app`). MkDocs'
   ``LiveReloadServer`` is a `wsgiref.simple_server.WSGIServer`, whose documented
   ``get_app``/``set_app`` replace the application every request goes through (its
   ``serve_request``): `generator.adapter.preview.Policy` wraps it.
6. **The live-reload script's place and shape** (`LIVE_RELOAD`). The server writes its script
   inline, with no attributes, just before the last ``</body>`` of each HTML file it sends;
   `generator.adapter.preview` gives that one script the response's nonce.
7. **The server's watcher starts late** (`notified`). ``server.observer`` is a watchdog
   ``PollingObserver``, not yet started when ``on_serve`` runs, holding the watches made so
   far (read through watchdog's ``_handlers``): it is replaced by a native observer.
8. **A page that is not a documentation page is a link target only** (`link_target`). A
   `File` whose ``is_documentation_page()`` is False is neither read nor built, and links to
   it resolve: a page whose HTML is current costs MkDocs nothing.
9. **A dirty build goes by modification times** (no code here: the files the generator
   writes rely on it). Under ``--dirty`` (``on_startup``'s ``dirty``, documented) MkDocs keeps
   the site folder and reads and builds a page only when its source file is newer than its
   HTML (``File.is_modified``, not documented). So the pages the generator
   writes to its cache folder keep their modification time when their text is unchanged
   (`generator.render.output.write_page`), are written before MkDocs compares them
   (`generator.session.build.Builder.render`), and pages no longer generated are removed
   from the site folder by the builder, not by MkDocs.

Nothing of MkDocs' is patched: each is behaviour MkDocs has, which the plugin uses.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import watchdog.events
import watchdog.observers
import watchdog.observers.polling
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page

from generator.speed.tuning import Shelf

_log = logging.getLogger("mkdocs.plugins.briefing.tuning")  # (MkDocs shows its loggers only)

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


class Converted:
    """Each page's converted HTML, from ``on_page_content`` to ``on_page_context`` (4): kept
    compressed, while MkDocs holds ``""`` for it."""

    def __init__(self) -> None:
        self.shelf = Shelf()

    def hold(self, page: Page, html: str) -> str:
        """Keep ``page``'s ``html`` (``on_page_content``); returns what MkDocs holds instead."""
        self.shelf.put(page.file.src_uri, html)
        return ""

    def give_back(self, page: Page) -> None:
        """Give ``page`` its HTML again (``on_page_context``), if it was kept."""
        page.content = self.shelf.take(page.file.src_uri, page.content)


# What changes a watched file (as MkDocs' polling sees it: its contents, times or size).
# Opening or reading one (inotify reports both) does not, and taken for an edit, it would
# start a rebuild for every rebuild that reads the records.
CHANGES = [
    watchdog.events.FileAttribEvent,  # (its modification time, as `touch` sets it)
    watchdog.events.FileCreatedEvent,
    watchdog.events.FileDeletedEvent,
    watchdog.events.FileModifiedEvent,
    watchdog.events.FileMovedEvent,
]


def watch(server: Any, folders: Iterable[Path], *, poll: bool) -> None:
    """Have `mkdocs serve` rebuild on edits in ``folders``; unless ``poll``, noticed through
    the system's file notifications (see `notified`)."""
    for folder in folders:
        server.watch(str(folder))
    if not poll and (watcher := notified(server)):
        _log.info("briefing: edits noticed through file notifications (%s)", watcher)


def notified(server: Any) -> str | None:
    """Make `mkdocs serve` notice edits through the system's file notifications (inotify, FSEvents,
    ReadDirectoryChangesW); the name of the watcher now used, or None if MkDocs' is kept (7).

    MkDocs 1.6 polls: twice a second, its watcher lists and stats every watched file, which
    costs the rebuild's process time in proportion to the records, and a save waits a
    quarter of a second on average to be seen. Its watcher (``server.observer``) is replaced
    before it starts, with the watches made so far moved over.
    """
    polling = getattr(server, "observer", None)
    native: Any = watchdog.observers.Observer
    if (
        native is watchdog.observers.polling.PollingObserver
        or type(polling) is not watchdog.observers.polling.PollingObserver
        or polling.is_alive()
    ):
        return None

    class Notified(native):  # type: ignore[misc]
        def schedule(self, handler: Any, path: str, **options: Any) -> Any:
            return super().schedule(handler, path, **{"event_filter": CHANGES, **options})

    observer = Notified()
    try:
        for watched, handlers in list(polling._handlers.items()):  # (watchdog lists none)
            for handler in handlers:
                observer.schedule(handler, watched.raw_path, recursive=watched.is_recursive)
    except OSError as exc:  # (out of inotify watches, say)
        _log.info("briefing: file notifications unavailable (%s); MkDocs polls for edits", exc)
        return None
    server.observer = observer
    return str(native.__name__)


class LinkTarget(File):
    """A page whose HTML is current: a link target only (8)."""

    def is_documentation_page(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        pass


@functools.cache
def link_target(rel: str, cache: str, site_dir: str, urls: bool) -> File:
    """Page ``rel`` of folder ``cache``, whose HTML is current, as a link target only (made
    once, for every build; ``urls``: MkDocs' ``use_directory_urls``) (8)."""
    dest = File(rel, cache, site_dir, urls).dest_uri
    return LinkTarget(
        rel, cache, site_dir, urls, dest_uri=dest, inclusion=InclusionLevel.NOT_IN_NAV
    )
